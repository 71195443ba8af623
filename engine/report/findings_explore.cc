#include "engine/report/findings_explore.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "engine/experiment/report.h"
#include "engine/io/results_reader.h"
#include "engine/report/findings_store.h"
#include "engine/report/svg.h"

namespace orgsim::report {
namespace {

std::string Number(double v) { return experiment::FormatNumber(v, 3); }

std::string Share(std::size_t count, std::size_t points) {
  if (points == 0) return "—";
  return experiment::FormatNumber(100.0 * static_cast<double>(count) / points, 3) + "% (" +
         std::to_string(count) + "/" + std::to_string(points) + ")";
}

// A PRIM box in words: its restrictions, coverage and density.
std::string BoxWords(const experiment::PrimResult& r, const std::vector<std::string>& names) {
  if (r.cases_of_interest == 0) return "nowhere";
  if (r.cases_of_interest == r.points) return "everywhere";
  std::string out;
  if (r.box.restricted.empty()) {
    out = "scattered: no box narrower than the whole space";
  } else {
    for (const experiment::PrimLimit& limit : r.box.restricted) {
      if (!out.empty()) out += "; ";
      out += names[limit.dimension] + " in [" + Number(limit.low) + ", " + Number(limit.high) + "]";
    }
  }
  out += " (coverage " + Number(r.box.coverage) + ", density " + Number(r.box.density) + ")";
  return out;
}

std::string SensitiveTo(const experiment::ExploreComparison& a,
                        const std::vector<std::string>& names) {
  std::string out;
  int listed = 0;
  for (const experiment::SensitivityEntry& entry : a.sensitivity) {
    if (listed == 3) break;
    if (entry.effect.first_order <= entry.effect.noise_floor) continue;
    if (!out.empty()) out += ", ";
    out += names[entry.dimension] + " (S=" + Number(entry.effect.first_order) + ")";
    ++listed;
  }
  return out.empty() ? "none above the noise floor" : out;
}

// Whether an override of `path` exists among `arms`.
bool IsComparedLever(const std::vector<io::ArmVariant>& arms, const std::string& path) {
  for (const io::ArmVariant& arm : arms) {
    for (const auto& [lever, value] : arm.overrides) {
      if (lever == path) return true;
    }
  }
  return false;
}

// "layers_between_engineers_and_customers=3": the field's own name.
std::string LeverValue(const std::string& path, double value) {
  const std::size_t dot = path.rfind('.');
  return (dot == std::string::npos ? path : path.substr(dot + 1)) + "=" +
         experiment::FormatNumber(value, 4);
}

}  // namespace

StatusOr<ExploredArms> ExploredArmsOf(const io::LoadedScenario& scenario) {
  ExploredArms out;
  std::vector<std::size_t> arms = scenario.experiment.arms;
  if (arms.empty()) {
    for (std::size_t i = 0; i < scenario.arms.size(); ++i) arms.push_back(i);
  }
  if (arms.size() >= 2) {
    out.arms.push_back({.name = scenario.arms[scenario.experiment.baseline].name,
                        .arm = scenario.experiment.baseline,
                        .overrides = {}});
    for (std::size_t arm : arms) {
      if (arm == scenario.experiment.baseline) continue;
      out.arms.push_back({.name = scenario.arms[arm].name, .arm = arm, .overrides = {}});
    }
  } else if (!scenario.experiment.sweep.params.empty()) {
    const std::size_t arm = arms.empty() ? 0 : arms.front();
    const std::vector<io::SweepParameter>& params = scenario.experiment.sweep.params;
    auto lowest = [](const io::SweepParameter& p) {
      return p.grid.empty() ? p.low : *std::min_element(p.grid.begin(), p.grid.end());
    };
    auto highest = [](const io::SweepParameter& p) {
      return p.grid.empty() ? p.high : *std::max_element(p.grid.begin(), p.grid.end());
    };
    io::ArmVariant baseline{.name = "", .arm = arm, .overrides = {}};
    for (const io::SweepParameter& p : params) {
      baseline.overrides.emplace_back(p.path, lowest(p));
      baseline.name += (baseline.name.empty() ? "" : ", ") + LeverValue(p.path, lowest(p));
    }
    out.arms.push_back(baseline);
    for (std::size_t i = 0; i < params.size(); ++i) {
      io::ArmVariant high = baseline;
      high.overrides[i].second = highest(params[i]);
      high.name = LeverValue(params[i].path, highest(params[i]));
      out.arms.push_back(std::move(high));
    }
  } else {
    return FailedPreconditionError(scenario.path +
                                   ": nothing to compare (one arm and no sweep), so nothing to "
                                   "explore");
  }
  // Declared arms that set an uncertainty differently make it a lever of
  // the comparison too (Uncertainty::set_by_arms).
  for (const io::Uncertainty& u : scenario.uncertainties) {
    if (!IsComparedLever(out.arms, u.path) && u.set_by_arms.empty()) {
      out.uncertainties.push_back(u);
    }
  }
  if (out.uncertainties.empty()) {
    return FailedPreconditionError(
        scenario.path +
        ": declares no uncertainty besides its own levers (uncertainties { path: "
        "... }, usually in its base company)");
  }
  return out;
}

StatusOr<experiment::RunnerReport> RunFindingsExplore(const std::string& scenario_path,
                                                      const std::string& db_path,
                                                      const FindingsExploreOptions& options) {
  io::LoadResult loaded = io::LoadScenarioFile(scenario_path);
  if (!loaded.ok()) return InvalidArgumentError(io::FormatDiagnostics(loaded.diagnostics));
  io::LoadedScenario scenario = *loaded.scenario;
  auto explored = ExploredArmsOf(scenario);
  if (!explored.ok()) return explored.status();
  scenario.uncertainties = explored->uncertainties;
  auto setup = io::SetUpExperiment(scenario, {.design = io::DesignChoice::kExplore,
                                              .seed = std::nullopt,
                                              .replications = options.replications,
                                              .series = io::SeriesChoice::kNone,
                                              .orgsim_version = options.orgsim_version,
                                              .explore_points = options.points,
                                              .prepared_cache = 256,
                                              .arm_variants = explored->arms});
  if (!setup.ok()) return setup.status();
  auto opened = OpenFindingsStore(db_path, setup->manifest, options.resume);
  if (!opened.ok()) return opened.status();
  experiment::RunnerOptions runner{.threads = options.threads};
  runner.progress = options.progress;
  runner.stop_requested = options.stop_requested;
  return RunFindingsBatch(*opened->store, setup->Plan(), setup->run,
                          "findings --explore " + scenario_path, runner);
}

StatusOr<io::ExploreReport> AnalyzeFindingsExplore(const std::string& db_path,
                                                   const std::vector<std::string>& metrics) {
  auto reader = io::ResultsReader::Open(db_path);
  if (!reader.ok()) return reader.status();
  return io::AnalyzeExplore(**reader, metrics);
}

std::vector<std::string> ExploredMetrics(const std::vector<std::string>& metrics,
                                         const std::vector<bool>& is_outcome) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < metrics.size() && i < is_outcome.size(); ++i) {
    if (is_outcome[i]) out.push_back(metrics[i]);
  }
  if (out.empty() && !metrics.empty()) out.push_back(metrics.front());
  if (std::find(metrics.begin(), metrics.end(), "survived") != metrics.end() &&
      std::find(out.begin(), out.end(), "survived") == out.end()) {
    out.push_back("survived");
  }
  return out;
}

std::vector<WhereItHolds> WhereItHoldsRows(const io::ExploreReport& report) {
  std::vector<WhereItHolds> rows;
  for (const io::ExploreMetricComparison& c : report.comparisons) {
    const experiment::WinShare& s = c.analysis.shares.benjamini_hochberg;
    rows.push_back({.comparison = c.arm + " − " + c.baseline,
                    .metric = c.metric,
                    .points = s.points(),
                    .a_better = s.a_better,
                    .b_better = s.b_better,
                    .tie = s.tie,
                    .fails_where = BoxWords(c.analysis.claim_fails, report.space.names),
                    .baseline_where = BoxWords(c.analysis.b_wins, report.space.names),
                    .sensitive_to = SensitiveTo(c.analysis, report.space.names)});
  }
  return rows;
}

namespace {

std::string Method(const io::ExploreReport& report) {
  std::string names;
  for (const std::string& n : report.space.names) names += (names.empty() ? "`" : ", `") + n + "`";
  return "`orgsim explore` of the same comparison at " + std::to_string(report.space.points()) +
         " Latin-hypercube points of " + std::to_string(report.space.dimensions()) +
         " uncertainties (" + names + "), " + std::to_string(report.replications) +
         " paired replications per point (common random numbers across arms and points), " +
         std::to_string(report.failed_runs) +
         " failed runs. A point counts for the arm that is significantly better there "
         "(paired t-test, Benjamini–Hochberg at 5% across points), in the metric's direction.";
}

// The sentences for comparisons whose baseline is better nowhere.
std::vector<std::string> NowhereSentences(const std::vector<WhereItHolds>& rows) {
  std::vector<std::string> out;
  for (const WhereItHolds& row : rows) {
    if (row.points == 0 || row.b_better > 0) continue;
    const std::string baseline = row.comparison.substr(row.comparison.find(" − ") + 5);
    const std::string arm = row.comparison.substr(0, row.comparison.find(" − "));
    out.push_back("Nowhere in the explored space is `" + baseline +
                  "` significantly better than `" + arm + "` on `" + row.metric +
                  "`: no region of the space favours the baseline. If the claim has a boundary, "
                  "the model lacks the mechanism that draws it, or these ranges do not reach "
                  "it.");
  }
  return out;
}

// Escaped text with its Markdown code spans (`x`) as <code> elements.
std::string HtmlWithCode(const std::string& text) {
  const std::string escaped = XmlEscape(text);
  std::string out;
  bool open = false;
  for (char c : escaped) {
    if (c == '`') {
      out += open ? "</code>" : "<code>";
      open = !open;
    } else {
      out += c;
    }
  }
  if (open) out += "</code>";
  return out;
}

}  // namespace

std::string WhereItHoldsMarkdown(const io::ExploreReport& report) {
  const std::vector<WhereItHolds> rows = WhereItHoldsRows(report);
  std::string md = "**Where it holds.** " + Method(report) + "\n\n";
  md +=
      "| comparison | metric | A better | B better | neither | A not better where (PRIM) | "
      "B better where (PRIM) | most sensitive to |\n";
  md += "|---|---|---|---|---|---|---|---|\n";
  for (const WhereItHolds& r : rows) {
    md += "| " + r.comparison + " | `" + r.metric + "` | " + Share(r.a_better, r.points) + " | " +
          Share(r.b_better, r.points) + " | " + Share(r.tie, r.points) + " | " + r.fails_where +
          " | " + r.baseline_where + " | " + r.sensitive_to + " |\n";
  }
  md += "\n";
  const std::vector<std::string> nowhere = NowhereSentences(rows);
  for (const std::string& sentence : nowhere) md += "- " + sentence + "\n";
  if (!nowhere.empty()) md += "\n";
  return md;
}

std::string WhereItHoldsHtml(const io::ExploreReport& report) {
  const std::vector<WhereItHolds> rows = WhereItHoldsRows(report);
  std::string html = "<h3>Where it holds</h3>\n<p>" + HtmlWithCode(Method(report)) + "</p>\n";
  html +=
      "<table><thead><tr><th>comparison</th><th>metric</th><th>A better</th><th>B better</th>"
      "<th>neither</th><th>A not better where (PRIM)</th><th>B better where (PRIM)</th>"
      "<th>most sensitive to</th></tr></thead><tbody>\n";
  for (const WhereItHolds& r : rows) {
    html += "<tr><td>" + XmlEscape(r.comparison) + "</td><td><code>" + XmlEscape(r.metric) +
            "</code></td><td>" + XmlEscape(Share(r.a_better, r.points)) + "</td><td>" +
            XmlEscape(Share(r.b_better, r.points)) + "</td><td>" +
            XmlEscape(Share(r.tie, r.points)) + "</td><td>" + XmlEscape(r.fails_where) +
            "</td><td>" + XmlEscape(r.baseline_where) + "</td><td>" + XmlEscape(r.sensitive_to) +
            "</td></tr>\n";
  }
  html += "</tbody></table>\n";
  for (const std::string& sentence : NowhereSentences(rows)) {
    html += "<p>" + HtmlWithCode(sentence) + "</p>\n";
  }
  return html;
}

}  // namespace orgsim::report
