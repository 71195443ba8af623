#include "engine/report/findings.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/experiment/designs.h"
#include "engine/experiment/report.h"
#include "engine/experiment/sharding.h"
#include "engine/io/experiment_setup.h"
#include "engine/io/results_reader.h"
#include "engine/io/results_store.h"
#include "engine/io/scenario_loader.h"
#include "engine/kernel/rng.h"
#include "engine/model/run.h"
#include "engine/report/charts.h"
#include "engine/report/findings_explore.h"
#include "engine/report/findings_store.h"
#include "engine/report/svg.h"

namespace orgsim::report {
namespace {

namespace fs = std::filesystem;
using experiment::Design;
using experiment::DesignKind;
using experiment::PairedComparison;

constexpr double kNaNValue = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------
// Cells: (sweep point, arm) combinations, each stored as one arm.
// ---------------------------------------------------------------------------

struct Cell {
  std::uint32_t point = 0;
  std::size_t arm = 0;  // position in Layout::arm_indices
  std::string name;
};

struct Layout {
  Design design;
  std::vector<std::size_t> arm_indices;  // into LoadedScenario::arms
  std::size_t baseline = 0;              // position in arm_indices
  std::vector<Cell> cells;               // point-major, arms in order

  std::size_t CellIndex(std::uint32_t point, std::size_t arm) const {
    return static_cast<std::size_t>(point) * arm_indices.size() + arm;
  }
  bool has_arms() const { return arm_indices.size() > 1; }
};

const model::MetricInfo* CatalogEntry(const std::string& metric) {
  for (const model::MetricInfo& info : model::MetricCatalog()) {
    if (info.name == metric) return &info;
  }
  return nullptr;
}

// The last component of a field path ("organization.pm.people_sense" ->
// "people_sense").
std::string ShortName(const std::string& path) {
  const std::size_t dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

std::string Value(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.4g", v);
  return buffer;
}

// "k1=v1 k2=v2" for the parameters of `point`, skipping `skip` (npos: none).
std::string PointLabel(const Design& design, std::uint32_t point,
                       std::size_t skip = std::string::npos) {
  std::string label;
  const auto values = design.values(point);
  for (std::size_t i = 0; i < design.parameters().size(); ++i) {
    if (i == skip) continue;
    if (!label.empty()) label += ' ';
    label += ShortName(design.parameters()[i].name) + "=" + Value(values[i]);
  }
  return label;
}

Layout MakeLayout(const io::LoadedScenario& scenario) {
  Layout layout;
  layout.design = io::DesignFromSweep(scenario.experiment.sweep);
  layout.arm_indices = scenario.experiment.arms;
  if (layout.arm_indices.empty()) {
    for (std::size_t i = 0; i < scenario.arms.size(); ++i) layout.arm_indices.push_back(i);
  }
  for (std::size_t i = 0; i < layout.arm_indices.size(); ++i) {
    if (layout.arm_indices[i] == scenario.experiment.baseline) layout.baseline = i;
  }
  const bool sweep = !layout.design.parameters().empty();
  for (std::uint32_t p = 0; p < layout.design.size(); ++p) {
    for (std::size_t a = 0; a < layout.arm_indices.size(); ++a) {
      std::string name;
      const std::string& arm = scenario.arms[layout.arm_indices[a]].name;
      if (!sweep) {
        name = arm;
      } else if (!layout.has_arms()) {
        name = PointLabel(layout.design, p);
      } else {
        name = arm + " @ " + PointLabel(layout.design, p);
      }
      layout.cells.push_back({.point = p, .arm = a, .name = std::move(name)});
    }
  }
  return layout;
}

// Prepared models of every cell; a failed preparation is kept as its error,
// so the cell's runs fail with it.
class CellRunner {
 public:
  CellRunner(const io::LoadedScenario& scenario, const Layout& layout, std::uint64_t seed)
      : seed_(seed) {
    for (const Cell& cell : layout.cells) {
      Entry entry;
      const std::size_t arm = layout.arm_indices[cell.arm];
      StatusOr<model::ModelConfig> config =
          layout.design.parameters().empty()
              ? StatusOr<model::ModelConfig>(scenario.arms[arm].config)
              : io::ConfigForPoint(scenario, arm, layout.design.values(cell.point));
      if (config.ok()) {
        StatusOr<model::PreparedModel> prepared = model::PreparedModel::Create(*config);
        if (prepared.ok()) {
          entry.model = std::make_shared<const model::PreparedModel>(std::move(*prepared));
        } else {
          entry.error = cell.name + ": " + prepared.status().message();
        }
      } else {
        entry.error = cell.name + ": " + config.status().message();
      }
      entries_.push_back(std::move(entry));
    }
  }

  void Run(const experiment::RunKey& key, experiment::RunRecord& record) const {
    const Entry& entry = entries_.at(key.arm);
    if (!entry.model) throw std::runtime_error(entry.error);
    // Every cell uses design point 0's streams: common random numbers
    // across the sweep as well as across the arms.
    const kernel::StreamKey stream{
        .seed = seed_, .design_point = 0, .replication = key.replication, .stream = 0};
    model::RunOutcome out = model::RunReplication(*entry.model, stream);
    record.metrics = std::move(out.metrics);
    record.fingerprint = out.fingerprint;
  }

 private:
  struct Entry {
    std::shared_ptr<const model::PreparedModel> model;
    std::string error;
  };
  std::uint64_t seed_;
  std::vector<Entry> entries_;
};

// The scenario's header comment (the leading '#' lines), as one paragraph.
std::string HeaderComment(const std::string& text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    const std::size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) break;
    if (line[first] != '#') break;
    line = line.substr(first + 1);
    const std::size_t body = line.find_first_not_of(" \t");
    if (body == std::string::npos) {
      out += "\n";
      continue;
    }
    line = line.substr(body);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!out.empty() && out.back() != '\n') out += ' ';
    out += line;
  }
  return out;
}

std::string Trim(std::string s) {
  const std::size_t first = s.find_first_not_of(" \n");
  if (first == std::string::npos) return "";
  const std::size_t last = s.find_last_not_of(" \n");
  return s.substr(first, last - first + 1);
}

// Splits "C9: claim... Lever: ... Observable: ..." into its parts.
void ParseHeader(const std::string& comment, ScenarioFindings& f) {
  const std::size_t lever = comment.find("Lever:");
  const std::size_t observable = comment.find("Observable:");
  if (lever == std::string::npos || observable == std::string::npos || observable < lever) {
    return;
  }
  std::string claim = comment.substr(0, lever);
  const std::size_t colon = claim.find(':');
  if (colon != std::string::npos && colon < 5 && claim[0] == 'C') claim = claim.substr(colon + 1);
  f.claim = Trim(claim);
  f.lever = Trim(comment.substr(lever + 6, observable - lever - 6));
  const std::size_t missing = comment.find("Missing:", observable);
  f.observable = Trim(comment.substr(observable + 11, missing == std::string::npos
                                                          ? std::string::npos
                                                          : missing - observable - 11));
  if (missing != std::string::npos) f.missing = Trim(comment.substr(missing + 8));
  if (!f.observable.empty() && f.observable.back() == '.') f.observable.pop_back();
  if (!f.lever.empty() && f.lever.back() == '.') f.lever.pop_back();
}

std::string LabelFor(const std::string& name) {
  if (name.size() > 3 && name[0] == 'c' && std::isdigit(static_cast<unsigned char>(name[1])) &&
      std::isdigit(static_cast<unsigned char>(name[2])) && name[3] == '_') {
    return "C" + std::to_string(std::stoi(name.substr(1, 2)));
  }
  if (name == "product_led_vs_project_mode") return "Headline";
  if (name == "stable_market") return "Boundary";
  return name;
}

// ---------------------------------------------------------------------------
// Statistics helpers.
// ---------------------------------------------------------------------------

PairedComparison Pair(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> x, y;
  for (std::size_t r = 0; r < a.size() && r < b.size(); ++r) {
    if (std::isfinite(a[r]) && std::isfinite(b[r])) {
      x.push_back(a[r]);
      y.push_back(b[r]);
    }
  }
  if (x.empty()) {
    PairedComparison empty;
    empty.mean_a = empty.mean_b = empty.mean_diff = empty.ci_low = empty.ci_high = kNaNValue;
    empty.cohens_dz = empty.prob_superiority = empty.sd_diff = kNaNValue;
    return empty;
  }
  PairedComparison c = experiment::ComparePaired(x, y);
  // A difference that is the same in every replication (up to rounding)
  // has a zero-width CI and no d_z: sd(d) is rounding noise, and d_z =
  // mean/noise would be a made-up number.
  if (c.sd_diff <= 1e-12 * std::max(std::fabs(c.mean_a), std::fabs(c.mean_b))) {
    c.sd_diff = 0;
    c.ci_low = c.ci_high = c.mean_diff;
    c.cohens_dz = kNaNValue;
  }
  return c;
}

// Least squares y = b0 + sum b_i x_i; returns b (size k + 1) or empty when
// the system is singular or there are too few rows.
std::vector<double> LeastSquares(const std::vector<std::vector<double>>& x,
                                 const std::vector<double>& y) {
  const std::size_t k = x.empty() ? 0 : x[0].size();
  const std::size_t n = y.size();
  if (n < k + 2) return {};
  const std::size_t m = k + 1;
  std::vector<std::vector<double>> a(m, std::vector<double>(m + 1, 0.0));
  for (std::size_t r = 0; r < n; ++r) {
    std::vector<double> row(m, 1.0);
    for (std::size_t i = 0; i < k; ++i) row[i + 1] = x[r][i];
    for (std::size_t i = 0; i < m; ++i) {
      for (std::size_t j = 0; j < m; ++j) a[i][j] += row[i] * row[j];
      a[i][m] += row[i] * y[r];
    }
  }
  // Gaussian elimination with partial pivoting.
  for (std::size_t c = 0; c < m; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < m; ++r) {
      if (std::fabs(a[r][c]) > std::fabs(a[pivot][c])) pivot = r;
    }
    if (std::fabs(a[pivot][c]) < 1e-12) return {};
    std::swap(a[c], a[pivot]);
    for (std::size_t r = 0; r < m; ++r) {
      if (r == c) continue;
      const double f = a[r][c] / a[c][c];
      for (std::size_t j = c; j <= m; ++j) a[r][j] -= f * a[c][j];
    }
  }
  std::vector<double> b(m);
  for (std::size_t i = 0; i < m; ++i) b[i] = a[i][m] / a[i][i];
  return b;
}

// values[cell][replication] of one metric.
using CellValues = std::vector<std::vector<double>>;

// Per replication, the slope of the metric on parameter `param` over the
// points in `points`, times the parameter's range; then its paired summary
// against zero.
PairedComparison SlopeEffect(const Layout& layout, const CellValues& values,
                             const std::vector<std::uint32_t>& points, std::size_t param,
                             std::uint32_t replications) {
  const auto& params = layout.design.parameters();
  const double range = params[param].high - params[param].low;
  std::vector<double> slopes, zeros;
  for (std::uint32_t r = 0; r < replications; ++r) {
    std::vector<std::vector<double>> x;
    std::vector<double> y;
    for (std::uint32_t p : points) {
      const double v = values[layout.CellIndex(p, 0)][r];
      if (!std::isfinite(v)) continue;
      const auto pv = layout.design.values(p);
      x.emplace_back(pv.begin(), pv.end());
      y.push_back(v);
    }
    const std::vector<double> b = LeastSquares(x, y);
    if (b.empty()) continue;
    // A metric that does not move gives a slope of rounding noise; snap it
    // to 0 relative to the metric's scale so it never reads as an effect.
    double scale = 0;
    for (double v : y) scale = std::max(scale, std::fabs(v));
    double effect = b[param + 1] * range;
    if (std::fabs(effect) <= 1e-9 * scale) effect = 0;
    slopes.push_back(effect);
    zeros.push_back(0.0);
  }
  return Pair(slopes, zeros);
}

// Values of `metric` per cell and replication; NaN for a failed run and for
// the scenario's no_observation value of the metric (nothing measured).
StatusOr<CellValues> ReadMetric(const io::ResultsReader& reader, const Layout& layout,
                                const io::ExperimentSpec& spec, const std::string& metric,
                                std::uint32_t replications) {
  std::optional<double> none;
  for (const auto& [name, value] : spec.no_observation) {
    if (name == metric) none = value;
  }
  // The reader's arms are the layout's cells, in order (AnalyzeFindings checks).
  CellValues values(layout.cells.size(), std::vector<double>(replications, kNaNValue));
  StatusOr<std::vector<io::RunValues>> runs = reader.ReadRuns(0, {metric});
  if (!runs.ok()) return runs.status();
  for (const io::RunValues& run : *runs) {
    if (run.arm >= values.size() || run.replication >= replications) continue;
    const double v = run.values[0];
    if (!none || v != *none) values[run.arm][run.replication] = v;
  }
  return values;
}

std::vector<EffectGroup> Effects(const Layout& layout, const CellValues& values,
                                 const std::string& metric, const std::vector<std::string>& arms,
                                 std::uint32_t replications) {
  std::vector<EffectGroup> groups;
  const Design& design = layout.design;
  const auto& params = design.parameters();
  std::string swept;
  for (const auto& p : params) swept += (swept.empty() ? "" : ", ") + ShortName(p.name);

  if (layout.has_arms()) {
    // Each arm against the baseline arm, at every sweep point.
    for (std::size_t a = 0; a < layout.arm_indices.size(); ++a) {
      if (a == layout.baseline) continue;
      EffectGroup group;
      group.title = arms[a] + " − " + arms[layout.baseline];
      group.regime_lever = design.size() > 1 ? swept : "";
      for (std::uint32_t p = 0; p < design.size(); ++p) {
        Effect e;
        e.metric = metric;
        e.comparison = group.title;
        e.regime = params.empty() ? "" : PointLabel(design, p);
        e.stats =
            Pair(values[layout.CellIndex(p, a)], values[layout.CellIndex(p, layout.baseline)]);
        group.effects.push_back(std::move(e));
      }
      groups.push_back(std::move(group));
    }
    return groups;
  }
  if (params.empty()) return groups;

  if (design.kind() == DesignKind::kGrid) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      const std::string name = ShortName(params[i].name);
      const std::vector<double>& levels = params[i].values;
      if (levels.size() < 2) continue;
      // Point index by its full value tuple.
      std::map<std::vector<double>, std::uint32_t> index;
      for (std::uint32_t p = 0; p < design.size(); ++p) {
        const auto v = design.values(p);
        index[std::vector<double>(v.begin(), v.end())] = p;
      }
      if (params.size() == 1) {
        // One lever: every level against the first (dose-response).
        EffectGroup group;
        group.title = name + " from " + Value(levels.front());
        group.regime_lever = name;
        for (std::size_t l = 1; l < levels.size(); ++l) {
          Effect e;
          e.metric = metric;
          e.comparison = name + " " + Value(levels.front()) + " → " + Value(levels[l]);
          e.regime = name + "=" + Value(levels[l]);
          e.stats = Pair(values[layout.CellIndex(index.at({levels[l]}), 0)],
                         values[layout.CellIndex(index.at({levels.front()}), 0)]);
          group.effects.push_back(std::move(e));
        }
        groups.push_back(std::move(group));
        continue;
      }
      // Several levers: lever i from its first to its last level, at every
      // combination of the others (grid order).
      EffectGroup group;
      group.title = name + " " + Value(levels.front()) + " → " + Value(levels.back());
      for (std::size_t j = 0; j < params.size(); ++j) {
        if (j == i) continue;
        group.regime_lever += (group.regime_lever.empty() ? "" : ", ") + ShortName(params[j].name);
      }
      for (std::uint32_t p = 0; p < design.size(); ++p) {
        const auto v = design.values(p);
        if (v[i] != levels.front()) continue;
        std::vector<double> high(v.begin(), v.end());
        high[i] = levels.back();
        const auto it = index.find(high);
        if (it == index.end()) continue;
        Effect e;
        e.metric = metric;
        e.comparison = group.title;
        e.regime = PointLabel(design, p, i);
        e.stats = Pair(values[layout.CellIndex(it->second, 0)], values[layout.CellIndex(p, 0)]);
        group.effects.push_back(std::move(e));
      }
      groups.push_back(std::move(group));
    }
    return groups;
  }

  // Random designs: slopes over all points and within halves of each other
  // lever.
  std::vector<std::uint32_t> all(design.size());
  for (std::uint32_t p = 0; p < design.size(); ++p) all[p] = p;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const std::string name = ShortName(params[i].name);
    EffectGroup group;
    group.title =
        name + " " + Value(params[i].low) + " → " + Value(params[i].high) + " (slope × range)";
    auto add = [&](const std::vector<std::uint32_t>& points, std::string regime) {
      Effect e;
      e.metric = metric;
      e.comparison = group.title;
      e.regime = std::move(regime);
      e.slope = true;
      e.stats = SlopeEffect(layout, values, points, i, replications);
      group.effects.push_back(std::move(e));
    };
    add(all, "all points");
    for (std::size_t j = 0; j < params.size(); ++j) {
      if (j == i) continue;
      std::vector<double> column;
      for (std::uint32_t p = 0; p < design.size(); ++p) column.push_back(design.values(p)[j]);
      std::sort(column.begin(), column.end());
      const double median = experiment::QuantileSorted(column, 0.5);
      std::vector<std::uint32_t> low, high;
      for (std::uint32_t p = 0; p < design.size(); ++p) {
        (design.values(p)[j] < median ? low : high).push_back(p);
      }
      const std::string other = ShortName(params[j].name);
      add(low, other + " < " + Value(median));
      add(high, other + " ≥ " + Value(median));
      group.regime_lever += (group.regime_lever.empty() ? "" : ", ") + other;
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

// The survival section of one time-to-event outcome: a curve per cell; each
// arm against the baseline at every sweep point (or, for a sweep without
// arms, every point against the first).
SurvivalSection Survival(const Layout& layout, const CellValues& times, const CellValues& events,
                         const std::string& time_metric, const std::string& event_metric,
                         const std::vector<std::string>& arms) {
  SurvivalSection section;
  section.time_metric = time_metric;
  section.event_metric = event_metric;
  const Design& design = layout.design;
  const bool sweep = !design.parameters().empty();
  std::vector<std::vector<experiment::SurvivalTime>> samples;
  for (std::size_t c = 0; c < layout.cells.size(); ++c) {
    const Cell& cell = layout.cells[c];
    samples.push_back(SurvivalSample(times[c], events[c]));
    section.cells.push_back(MakeSurvivalCell(
        layout.has_arms() ? arms[cell.arm] : cell.name,
        sweep && layout.has_arms() ? PointLabel(design, cell.point) : "", samples.back()));
  }
  for (std::uint32_t p = 0; p < design.size(); ++p) {
    const std::string regime = sweep ? PointLabel(design, p) : "";
    if (layout.has_arms()) {
      const std::size_t base = layout.CellIndex(p, layout.baseline);
      for (std::size_t a = 0; a < layout.arm_indices.size(); ++a) {
        if (a == layout.baseline) continue;
        section.contrasts.push_back(MakeSurvivalContrast(arms[a] + " − " + arms[layout.baseline],
                                                         regime, samples[layout.CellIndex(p, a)],
                                                         samples[base]));
      }
    } else if (p > 0) {
      section.contrasts.push_back(MakeSurvivalContrast(
          layout.cells[p].name + " − " + layout.cells[0].name, "", samples[p], samples[0]));
    }
  }
  return section;
}

// ---------------------------------------------------------------------------
// Text.
// ---------------------------------------------------------------------------

std::string Probability(double p) {
  if (!std::isfinite(p)) return "n/a";
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%.2f", p);
  return buffer;
}

// +1 significant increase, -1 significant decrease, 0 not significant,
// 2 undefined.
int Sign(const PairedComparison& s) {
  if (!std::isfinite(s.ci_low) || !std::isfinite(s.ci_high)) return 2;
  if (s.ci_low > 0) return 1;
  if (s.ci_high < 0) return -1;
  return 0;
}

std::string Interval(const PairedComparison& s) {
  return FindingsNumber(s.mean_diff) + " [" + FindingsNumber(s.ci_low) + ", " +
         FindingsNumber(s.ci_high) + "]";
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += (i + 1 == items.size()) ? " and " : ", ";
    out += items[i];
  }
  return out;
}

std::string SignWord(int sign, int better) {
  switch (sign) {
    case 1:
      return better > 0   ? "significantly higher (better)"
             : better < 0 ? "significantly higher (worse)"
                          : "significantly higher";
    case -1:
      return better < 0   ? "significantly lower (better)"
             : better > 0 ? "significantly lower (worse)"
                          : "significantly lower";
    case 0:
      return "no significant difference";
    default:
      return "undefined (too few comparable runs)";
  }
}

// One sentence on a group's effects on a metric: where the effect is
// significant, of which sign, and where that changes.
std::string RegimeSentence(const EffectGroup& group, const std::string& metric) {
  const int better = BetterDirection(metric);
  std::string s = "**" + group.title + "** on `" + metric + "`";
  bool inert = !group.effects.empty() && !group.effects[0].slope;
  for (const Effect& e : group.effects) {
    inert = inert && e.stats.n > 0 && e.stats.mean_diff == 0 && e.stats.sd_diff == 0;
  }
  if (inert) {
    return s + ": identical in every paired replication (mean " +
           FindingsNumber(group.effects[0].stats.mean_b) +
           "): the metric does not respond to this lever here, so it cannot test the claim.";
  }
  if (group.effects.size() == 1) {
    const Effect& e = group.effects[0];
    s += (e.regime.empty() ? "" : " (" + e.regime + ")") + ": " + Interval(e.stats) +
         ", d_z = " + FindingsNumber(e.stats.cohens_dz) +
         ", P(A>B) = " + Probability(e.stats.prob_superiority) + " — " +
         SignWord(Sign(e.stats), better) + ".";
    return s;
  }
  std::map<int, std::vector<std::string>> by_sign;
  for (const Effect& e : group.effects) by_sign[Sign(e.stats)].push_back("`" + e.regime + "`");
  s += " across " + (group.regime_lever.empty() ? std::string("the rows") : group.regime_lever) +
       ": ";
  if (by_sign.size() == 1) {
    s += SignWord(by_sign.begin()->first, better) + " at every setting (" +
         std::to_string(group.effects.size()) + " of " + std::to_string(group.effects.size()) + ")";
  } else {
    std::vector<std::string> parts;
    for (int sign : {1, -1, 0, 2}) {
      const auto it = by_sign.find(sign);
      if (it == by_sign.end()) continue;
      parts.push_back(SignWord(sign, better) + " at " + Join(it->second));
    }
    s += Join(parts);
  }
  // Range of the estimates.
  const Effect* lo = &group.effects[0];
  const Effect* hi = &group.effects[0];
  for (const Effect& e : group.effects) {
    if (e.stats.mean_diff < lo->stats.mean_diff) lo = &e;
    if (e.stats.mean_diff > hi->stats.mean_diff) hi = &e;
  }
  s += "; the effect ranges from " + FindingsNumber(lo->stats.mean_diff) + " (`" + lo->regime +
       "`) to " + FindingsNumber(hi->stats.mean_diff) + " (`" + hi->regime + "`)";
  if (by_sign.size() > 1 && !group.effects[0].slope) {
    std::vector<std::string> changes;
    for (std::size_t i = 1; i < group.effects.size(); ++i) {
      if (Sign(group.effects[i].stats) != Sign(group.effects[i - 1].stats)) {
        changes.push_back("`" + group.effects[i - 1].regime + "` → `" + group.effects[i].regime +
                          "`");
      }
    }
    if (!changes.empty()) s += "; the sign or significance changes between " + Join(changes);
  }
  return s + ".";
}

std::string DesignWords(const ScenarioFindings& f) {
  if (f.design == "arms") return "arms only (no sweep)";
  std::string params;
  for (const auto& p : f.swept) params += (params.empty() ? "" : ", ") + ("`" + p + "`");
  const std::string kind = f.design == "grid"  ? "grid"
                           : f.design == "lhs" ? "Latin hypercube"
                                               : f.design;
  return kind + " over " + params + (f.baseline.empty() ? "" : ", with arms");
}

const ScenarioFindings* FindLabel(const std::vector<ScenarioFindings>& all,
                                  const std::string& label) {
  for (const auto& f : all) {
    if (f.label == label) return &f;
  }
  return nullptr;
}

std::string UnitSuffix(const std::string& unit) { return unit.empty() ? "" : " (" + unit + ")"; }

constexpr char kIdentityText[] = "probably an identity of the lever — check";
constexpr char kIdentityNote[] =
    "An outcome whose effect has a zero-width CI (the same nonzero difference in every paired "
    "replication) or |d_z| > 10 is flagged \"probably an identity of the lever — check\": an "
    "emergent result varies between replications; a formula of the lever does not.";

// The check column: the identity flag, for outcomes (and undeclared
// metrics) only; a manipulation check is expected to restate its lever.
std::string CheckFlag(MetricRole role, const PairedComparison& e) {
  if (role == MetricRole::kManipulationCheck) return "manipulation check";
  return ProbablyIdentity(e) ? kIdentityText : "";
}

const char* RoleHeading(MetricRole role) {
  switch (role) {
    case MetricRole::kOutcome:
      return "**Outcomes** (emergent results the claim predicts; `experiment.outcomes`):";
    case MetricRole::kManipulationCheck:
      return "**Manipulation checks** (metrics that restate the lever: they confirm it was "
             "pulled and are not findings; `experiment.manipulation_checks`):";
    case MetricRole::kUndeclared:
      break;
  }
  return "**Other metrics** (`experiment.metrics`, neither outcome nor manipulation check):";
}

// The effects table of the metrics of one role.
std::string EffectTable(const ScenarioFindings& f, MetricRole role) {
  std::string md =
      "| metric | comparison | regime | mean B | mean A | A − B | 95% CI | d_z | P(A>B) | n | "
      "check |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (std::size_t mi = 0; mi < f.metrics.size() && mi < f.groups.size(); ++mi) {
    if (f.roles[mi] != role) continue;
    for (const EffectGroup& g : f.groups[mi]) {
      for (const Effect& e : g.effects) {
        md += "| `" + e.metric + "`" + UnitSuffix(f.units[mi]) + " | " + e.comparison + " | " +
              (e.regime.empty() ? "—" : e.regime) + " | " +
              (e.slope ? "—" : FindingsNumber(e.stats.mean_b)) + " | " +
              (e.slope ? "—" : FindingsNumber(e.stats.mean_a)) + " | " +
              FindingsNumber(e.stats.mean_diff) + " | [" + FindingsNumber(e.stats.ci_low) + ", " +
              FindingsNumber(e.stats.ci_high) + "] | " + FindingsNumber(e.stats.cohens_dz) + " | " +
              Probability(e.stats.prob_superiority) + " | " + std::to_string(e.stats.n) + " | " +
              CheckFlag(role, e.stats) + " |\n";
      }
    }
  }
  return md;
}

// The summary of the explores: per scenario, its primary outcome's share of
// the uncertainty space where each compared arm is better than the baseline.
std::string WhereEachClaimHolds(const std::vector<ScenarioFindings>& all) {
  std::string rows;
  for (const auto& f : all) {
    if (!f.explore) continue;
    for (const WhereItHolds& r : WhereItHoldsRows(*f.explore)) {
      if (f.metrics.empty() || r.metric != f.explore->comparisons.front().metric) continue;
      const auto share = [&r](std::size_t n) {
        return r.points == 0 ? std::string("—")
                             : FindingsNumber(100.0 * static_cast<double>(n) / r.points) + "%";
      };
      rows += "| " + f.label + " | `" + r.metric + "` | " + r.comparison + " | " +
              share(r.a_better) + " | " + share(r.b_better) + " | " + share(r.tie) + " | " +
              r.fails_where + " |\n";
    }
  }
  if (rows.empty()) return "";
  return "## Where each claim holds (explore over the uncertainties)\n\n"
         "Each scenario's comparison rerun by `orgsim explore` over its base company's deep "
         "uncertainties (the section of each scenario gives the points, the replications and "
         "every outcome). Share of the explored points where A is significantly better than B "
         "in the metric's direction, where B is, and neither (paired t-test, "
         "Benjamini–Hochberg at 5%), and the PRIM box where A is not better.\n\n"
         "| claim | primary metric | comparison | A better | B better | neither | A not better "
         "where |\n|---|---|---|---|---|---|---|\n" +
         rows + "\n";
}

}  // namespace

ScenarioFindings FailedFindings(const std::string& scenario_path, const std::string& error) {
  ScenarioFindings f;
  f.path = scenario_path;
  f.name = fs::path(scenario_path).stem().string();
  f.label = LabelFor(f.name);
  f.description = "not run";
  f.error = error.empty() ? "unknown error" : error;
  return f;
}

std::string FindingsNumber(double value) { return experiment::FormatNumber(value, 4); }

int BetterDirection(const std::string& metric) {
  // The metric catalog (engine/model/run.h) is the one place a metric's
  // direction is declared.
  const model::MetricInfo* info = CatalogEntry(metric);
  if (info == nullptr) return 0;
  switch (info->better) {
    case model::Better::kHigher:
      return 1;
    case model::Better::kLower:
      return -1;
    case model::Better::kNeither:
      return 0;
  }
  return 0;
}

bool ProbablyIdentity(const PairedComparison& e) {
  if (e.n < 2 || !std::isfinite(e.mean_diff)) return false;
  if (e.sd_diff == 0) return e.mean_diff != 0;
  return std::isfinite(e.cohens_dz) && std::fabs(e.cohens_dz) > kIdentityEffectSize;
}

std::vector<std::string> DefaultFindingsScenarios(const std::string& root) {
  const fs::path base = root.empty() || root == "." ? fs::path() : fs::path(root);
  std::vector<std::string> claims;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(base / "scenarios" / "claims", ec)) {
    if (entry.path().extension() == ".textproto") claims.push_back(entry.path().string());
  }
  std::sort(claims.begin(), claims.end());
  for (const char* extra : {"product_led_vs_project_mode.textproto", "stable_market.textproto"}) {
    const fs::path path = base / "scenarios" / extra;
    if (fs::exists(path)) claims.push_back(path.string());
  }
  return claims;
}

StatusOr<FindingsRunReport> RunFindingsScenario(const std::string& scenario_path,
                                                const std::string& db_path,
                                                const FindingsRunOptions& options) {
  io::LoadResult loaded = io::LoadScenarioFile(scenario_path);
  if (!loaded.ok()) {
    return InvalidArgumentError(io::FormatDiagnostics(loaded.diagnostics));
  }
  const io::LoadedScenario& scenario = *loaded.scenario;
  if (options.replications == 0) {
    return InvalidArgumentError("replications must be at least 1");
  }
  const Layout layout = MakeLayout(scenario);

  io::StoreManifest m =
      io::ScenarioManifest(scenario, options.orgsim_version, scenario.seed, options.replications);
  for (const Cell& cell : layout.cells) m.arms.push_back(cell.name);
  m.baseline_arm = static_cast<std::uint32_t>(layout.CellIndex(0, layout.baseline));

  FindingsRunReport report;
  report.cells = layout.cells.size();
  auto opened = OpenFindingsStore(db_path, m, options.resume);
  if (!opened.ok()) return opened.status();
  report.replaced = opened->replaced;
  io::ResultsStore& store = *opened->store;

  const experiment::WorkPlan plan{.points = 1,
                                  .arms = static_cast<std::uint32_t>(layout.cells.size()),
                                  .replications = options.replications};
  const CellRunner runner(scenario, layout, m.seed);
  experiment::RunnerOptions runner_options{.threads = options.threads};
  runner_options.progress = options.progress;
  runner_options.stop_requested = options.stop_requested;
  auto batch = RunFindingsBatch(
      store, plan,
      [&runner](const experiment::RunKey& key, experiment::RunRecord& record) {
        runner.Run(key, record);
      },
      "findings " + scenario_path, runner_options);
  if (!batch.ok()) return batch.status();
  const experiment::RunnerReport& run = *batch;
  report.completed = run.completed;
  report.failed = run.failed;
  report.skipped = run.skipped;
  report.stopped = run.stopped;
  report.wall_seconds = run.wall_seconds;
  return report;
}

StatusOr<ScenarioFindings> AnalyzeFindings(const std::string& db_path,
                                           const std::string& scenario_path) {
  auto opened = io::ResultsReader::Open(db_path);
  if (!opened.ok()) return opened.status();
  const io::ResultsReader& reader = **opened;
  const io::StoreManifest& m = reader.manifest();
  const std::string base_dir = fs::path(scenario_path).parent_path().string();
  io::LoadResult loaded =
      io::LoadScenarioText(m.scenario_text, scenario_path, base_dir.empty() ? "." : base_dir);
  if (!loaded.ok()) {
    return InvalidArgumentError(db_path + ": the stored scenario no longer loads: " +
                                io::FormatDiagnostics(loaded.diagnostics));
  }
  const io::LoadedScenario& scenario = *loaded.scenario;
  const Layout layout = MakeLayout(scenario);
  std::vector<std::string> names;
  for (const Cell& cell : layout.cells) names.push_back(cell.name);
  if (names != m.arms) {
    return FailedPreconditionError(
        db_path + ": its arms are not the cells of " + scenario_path +
        " (not written by orgsim findings?); rerun orgsim findings without --resume");
  }

  ScenarioFindings f;
  f.label = LabelFor(scenario.name);
  f.name = scenario.name;
  f.description = scenario.description;
  f.path = scenario_path;
  f.db_path = db_path;
  f.sha256 = m.scenario_sha256;
  f.seed = m.seed;
  f.replications = m.replications;
  f.need_drift = scenario.base.market.need_drift_per_sqrt_year;
  ParseHeader(HeaderComment(scenario.text), f);
  if (f.claim.empty()) {
    f.claim = scenario.description;
    f.lever = "the bundle of lever values each arm declares";
    f.observable = "the scenario's experiment.metrics";
  }
  if (layout.design.parameters().empty()) {
    f.design = "arms";
  } else {
    f.design = experiment::DesignKindName(layout.design.kind());
    for (const auto& p : layout.design.parameters()) f.swept.push_back(p.name);
  }
  std::vector<std::string> arm_names;
  for (std::size_t a : layout.arm_indices) arm_names.push_back(scenario.arms[a].name);
  if (layout.has_arms()) f.baseline = arm_names[layout.baseline];
  const io::ExperimentSpec& spec = scenario.experiment;
  const auto add_metric = [&f](const std::string& metric, MetricRole role) {
    if (std::find(f.metrics.begin(), f.metrics.end(), metric) != f.metrics.end()) return;
    f.metrics.push_back(metric);
    f.roles.push_back(role);
  };
  for (const std::string& metric : spec.outcomes) add_metric(metric, MetricRole::kOutcome);
  for (const std::string& metric : spec.manipulation_checks) {
    add_metric(metric, MetricRole::kManipulationCheck);
  }
  for (const std::string& metric : spec.metrics) add_metric(metric, MetricRole::kUndeclared);
  if (f.metrics.empty()) {
    for (const std::string& metric : io::DefaultKeyMetrics()) {
      add_metric(metric, MetricRole::kUndeclared);
    }
  }
  for (const std::string& metric : f.metrics) {
    const model::MetricInfo* info = CatalogEntry(metric);
    f.units.push_back(info != nullptr ? std::string(info->unit) : "");
    auto values = ReadMetric(reader, layout, spec, metric, m.replications);
    if (!values.ok()) return values.status();
    f.groups.push_back(Effects(layout, *values, metric, arm_names, m.replications));
  }
  for (const auto& survival : spec.survival) {
    auto times = ReadMetric(reader, layout, spec, survival.time, m.replications);
    if (!times.ok()) return times.status();
    auto events = ReadMetric(reader, layout, spec, survival.event, m.replications);
    if (!events.ok()) return events.status();
    f.survival.push_back(
        Survival(layout, *times, *events, survival.time, survival.event, arm_names));
  }
  auto failed = reader.CountRuns(true);
  if (!failed.ok()) return failed.status();
  f.failed_runs = *failed;

  // What this design can and cannot show.
  if (f.design == "arms") {
    f.notes.push_back(
        "This scenario has no regime lever: its arms run in one market and one organization, "
        "so it shows the effect at that setting only and cannot show where the claim fails.");
  } else if (layout.has_arms()) {
    f.notes.push_back("The regime is the swept lever (" + Join(f.swept) +
                      "): each arm is compared with the baseline arm at every sweep point.");
  } else if (f.design == "grid") {
    f.notes.push_back(
        "The scenario sweeps levers without arms: each lever is moved from its first to its last "
        "grid value (or, with one lever, from its first value to each other value) at every "
        "setting of the other levers, which are its regime.");
  } else {
    f.notes.push_back(
        "A random design: per replication, the least-squares slope of the metric on every lever "
        "at once, times the lever's range (the change from its low to its high end with the "
        "others held fixed, if the response is linear); over all points and within the lower and "
        "upper half of each other lever (its regime).");
  }
  const bool market_regime =
      std::any_of(f.swept.begin(), f.swept.end(),
                  [](const std::string& path) { return path.rfind("market.", 0) == 0; });
  const bool bundle = f.label == "Headline" || f.label == "Boundary";
  if (market_regime) {
    f.notes.push_back("The sweep includes a market regime (" + Join(f.swept) + ").");
  } else if (!bundle) {
    f.notes.push_back("No market regime (need drift " + Value(f.need_drift) +
                      " per √year, deal size) is swept here; market regime evidence is the "
                      "headline against the stable market (section Boundary).");
  }
  if (bundle) {
    f.notes.push_back(
        "A bundle comparison: its arms differ in many levers at once, so it compares designs "
        "and is never the test of one claim.");
  }
  for (const auto& [metric, value] : spec.no_observation) {
    f.notes.push_back("Runs where `" + metric + "` = " + Value(value) +
                      " measured nothing (e.g. no event to average over); a pair counts only "
                      "where both cells measured something.");
  }
  return f;
}

std::string FindingsMarkdown(const std::vector<ScenarioFindings>& all,
                             const DocumentHeader& header) {
  std::string md;
  md += "# Findings on the claims\n\n";
  md += "<!-- Generated by `" + header.command +
        "`; do not edit by hand: every number below comes from the results databases. -->\n\n";
  md += "Regenerate: `" + header.command + "` (databases in `" + header.results_dir +
        "/<scenario>.db`; continue an interrupted run with `--resume`; render any database with "
        "`orgsim report --db`).\n\n";
  md +=
      "**Method.** Each scenario runs " + std::to_string(header.replications) +
      " replications of every cell (every arm at every sweep point). Replication r of every "
      "cell runs on the same random streams (seed, r) — common random numbers across arms "
      "*and* sweep points — so every effect is a paired difference A − B over replications: "
      "mean difference with its Student-t 95% CI, Cohen's d_z = mean(d)/sd(d), and "
      "P(A>B) = share of replications where A beats B (ties half). A CI that excludes 0 is "
      "called significant (no correction for the many comparisons); a difference that is the same "
      "in every replication has a zero-width CI and no d_z (n/a). Sweeps without arms "
      "compare sweep points; random designs (Latin hypercube) report per-replication "
      "regression slopes. \"Better\" uses each metric's direction as the metric catalog "
      "declares it (higher profit, lower rework, ...; docs/model.md); outcomes (what a claim "
      "predicts) and manipulation checks (metrics that restate the lever) are reported in "
      "separate tables. The claim's own prediction is for the reader to hold the number against. "
      "Runs that failed are excluded and counted.\n\n";
  md += "| section | scenario | SHA-256 | seed | replications | design | failed runs |\n";
  md += "|---|---|---|---|---|---|---|\n";
  for (const auto& f : all) {
    if (!f.error.empty()) {
      md += "| [" + f.label + "](#" + f.name + ") | `" + f.path + "` | — | — | — | not run | — |\n";
      continue;
    }
    md += "| [" + f.label + "](#" + f.name + ") | `" + f.path + "` | `" + f.sha256 + "` | " +
          std::to_string(f.seed) + " | " + std::to_string(f.replications) + " | " + DesignWords(f) +
          " | " + std::to_string(f.failed_runs) + " |\n";
  }
  md += "\n## Summary (primary outcome of each scenario)\n\n";
  md +=
      "The primary outcome is the first of the scenario's `experiment.outcomes` (its first "
      "metric where it declares none). " +
      std::string(kIdentityNote) + "\n\n";
  md +=
      "| claim | primary metric | comparison | regime | A − B [95% CI] | d_z | P(A>B) | check |\n";
  md += "|---|---|---|---|---|---|---|---|\n";
  for (const auto& f : all) {
    if (f.groups.empty()) continue;
    for (const EffectGroup& g : f.groups[0]) {
      for (const Effect& e : g.effects) {
        md += "| " + f.label + " | `" + e.metric + "` | " + e.comparison + " | " +
              (e.regime.empty() ? "—" : e.regime) + " | " + Interval(e.stats) + " | " +
              FindingsNumber(e.stats.cohens_dz) + " | " + Probability(e.stats.prob_superiority) +
              " | " + CheckFlag(f.roles[0], e.stats) + " |\n";
      }
    }
  }
  md += "\n";
  md += WhereEachClaimHolds(all);

  for (const auto& f : all) {
    md += "<a id=\"" + f.name + "\"></a>\n\n## " + f.label + " — " + f.description + "\n\n";
    if (!f.error.empty()) {
      std::string error = f.error;
      std::replace(error.begin(), error.end(), '\n', ' ');
      md += "**Not run:** `" + f.path + "` could not be run or analysed: " + error + "\n\n";
      continue;
    }
    md += "- **Claim:** " + f.claim + "\n";
    md += "- **Lever(s):** " + f.lever + "\n";
    md += "- **Observable(s):** " + f.observable + "; primary metric `" +
          (f.metrics.empty() ? std::string("?") : f.metrics[0]) + "`\n";
    if (!f.missing.empty()) md += "- **Not testable in this model yet:** " + f.missing + "\n";
    md += "- **Design:** " + DesignWords(f) +
          (f.baseline.empty() ? std::string() : "; baseline arm `" + f.baseline + "`") + "; `" +
          f.path + "`, seed " + std::to_string(f.seed) + ", " + std::to_string(f.replications) +
          " replications per cell, " + std::to_string(f.failed_runs) + " failed runs\n\n";
    md += "**Regime.** ";
    for (const auto& note : f.notes) md += note + " ";
    md += "\n\n";
    for (std::size_t mi = 0; mi < f.metrics.size() && mi < f.groups.size(); ++mi) {
      if (f.roles[mi] == MetricRole::kManipulationCheck) continue;
      for (const EffectGroup& g : f.groups[mi]) {
        md += "- " + RegimeSentence(g, f.metrics[mi]) + "\n";
      }
    }
    md += "\n";
    const bool declared = std::any_of(f.roles.begin(), f.roles.end(),
                                      [](MetricRole r) { return r != MetricRole::kUndeclared; });
    for (MetricRole role :
         {MetricRole::kOutcome, MetricRole::kManipulationCheck, MetricRole::kUndeclared}) {
      if (std::find(f.roles.begin(), f.roles.end(), role) == f.roles.end()) continue;
      if (declared) md += std::string(RoleHeading(role)) + "\n\n";
      md += EffectTable(f, role);
      md += "\n";
    }
    for (const SurvivalSection& survival : f.survival) md += SurvivalMarkdown(survival);
    if (f.explore) {
      md += WhereItHoldsMarkdown(*f.explore);
    } else if (!f.explore_note.empty()) {
      md += "**Where it holds.** Not explored: " + f.explore_note + "\n\n";
    }
  }

  // The boundary: the same arm contrast in the headline market and in the
  // stable market.
  const ScenarioFindings* headline = FindLabel(all, "Headline");
  const ScenarioFindings* stable = FindLabel(all, "Boundary");
  if (headline != nullptr && stable != nullptr) {
    md += "## Market regime: headline against the stable market\n\n";
    md += "The headline market's needs drift " + Value(headline->need_drift) +
          " per √year, the stable market's " + Value(stable->need_drift) +
          " (and its buyers want dated commitments; see the scenario files). The same contrast "
          "in both:\n\n";
    md += "| metric | comparison | headline A − B [95% CI] | stable market A − B [95% CI] |\n";
    md += "|---|---|---|---|\n";
    for (std::size_t hi = 0; hi < headline->metrics.size(); ++hi) {
      for (std::size_t si = 0; si < stable->metrics.size(); ++si) {
        if (headline->metrics[hi] != stable->metrics[si]) continue;
        for (const EffectGroup& hg : headline->groups[hi]) {
          for (const EffectGroup& sg : stable->groups[si]) {
            if (hg.title != sg.title || hg.effects.size() != 1 || sg.effects.size() != 1) continue;
            md += "| `" + headline->metrics[hi] + "` | " + hg.title + " | " +
                  Interval(hg.effects[0].stats) + " — " +
                  SignWord(Sign(hg.effects[0].stats), BetterDirection(headline->metrics[hi])) +
                  " | " + Interval(sg.effects[0].stats) + " — " +
                  SignWord(Sign(sg.effects[0].stats), BetterDirection(headline->metrics[hi])) +
                  " |\n";
          }
        }
      }
    }
    md += "\n";
  }
  return md;
}

std::string FindingsHtml(const std::vector<ScenarioFindings>& all, const DocumentHeader& header) {
  std::string html;
  html +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>orgsim findings on the claims</title>\n<style>\n"
      "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;"
      "color:#222}\ntable{border-collapse:collapse;font-size:0.85em;margin:0.5em 0 1.5em}\n"
      "th,td{border:1px solid #ccc;padding:0.2em 0.5em;text-align:left}\n"
      "th{background:#f3f3f3}\ncode{font-size:0.95em}\n.sig-pos{color:#0072B2}\n"
      ".sig-neg{color:#D55E00}\n.note{color:#555}\n</style>\n</head>\n<body>\n";
  html += "<h1>Findings on the claims</h1>\n<p class=\"note\">Generated by <code>" +
          XmlEscape(header.command) + "</code> from the databases in <code>" +
          XmlEscape(header.results_dir) + "</code>; " + std::to_string(header.replications) +
          " paired replications per cell (common random numbers across arms and sweep points). "
          "Numbers are never edited by hand. Full charts per scenario: <code>orgsim report --db " +
          XmlEscape(header.results_dir) + "/&lt;scenario&gt;.db</code>.</p>\n";
  html +=
      "<table>\n<tr><th>section</th><th>scenario</th><th>SHA-256</th><th>seed</th>"
      "<th>replications</th><th>design</th></tr>\n";
  for (const auto& f : all) {
    html += "<tr><td><a href=\"#" + XmlEscape(f.name) + "\">" + XmlEscape(f.label) +
            "</a></td><td><code>" + XmlEscape(f.path) + "</code></td><td><code>" +
            XmlEscape(f.sha256) + "</code></td><td>" + std::to_string(f.seed) + "</td><td>" +
            std::to_string(f.replications) + "</td><td>" + XmlEscape(DesignWords(f)) +
            "</td></tr>\n";
  }
  html += "</table>\n";
  for (const auto& f : all) {
    html += "<section id=\"" + XmlEscape(f.name) + "\">\n<h2>" + XmlEscape(f.label) + " — " +
            XmlEscape(f.description) + "</h2>\n";
    if (!f.error.empty()) {
      html += "<p><b>Not run:</b> <code>" + XmlEscape(f.path) +
              "</code> could not be run or "
              "analysed: " +
              XmlEscape(f.error) + "</p>\n</section>\n";
      continue;
    }
    html +=
        "<p><b>Claim:</b> " + XmlEscape(f.claim) + "<br><b>Lever(s):</b> " + XmlEscape(f.lever) +
        "<br><b>Observable(s):</b> " + XmlEscape(f.observable) +
        (f.missing.empty() ? ""
                           : "<br><b>Not testable in this model yet:</b> " + XmlEscape(f.missing)) +
        "</p>\n";
    html += "<p class=\"note\">";
    for (const auto& note : f.notes) html += XmlEscape(note) + " ";
    html += "</p>\n";
    if (!f.groups.empty() && !f.metrics.empty()) {
      IntervalChart chart;
      chart.frame.id = "forest-" + f.name;
      chart.frame.title = f.label + ": effect on " + f.metrics[0];
      chart.frame.subtitle = "A − B with 95% CI, paired over replications";
      chart.x = {"A − B", f.units.empty() ? "" : f.units[0]};
      for (const EffectGroup& g : f.groups[0]) {
        for (const Effect& e : g.effects) {
          chart.rows.push_back({.label = e.comparison + (e.regime.empty() ? "" : " @ " + e.regime),
                                .estimate = e.stats.mean_diff,
                                .low = e.stats.ci_low,
                                .high = e.stats.ci_high,
                                .color = static_cast<std::size_t>(Sign(e.stats) == 0 ? 0 : 1),
                                .note = "P(A>B) = " + Probability(e.stats.prob_superiority)});
        }
      }
      html += "<figure>" + RenderIntervals(chart) + "</figure>\n";
    }
    html +=
        "<table>\n<tr><th>metric</th><th>role</th><th>comparison</th><th>regime</th>"
        "<th>mean B</th><th>mean A</th><th>A − B</th><th>95% CI</th><th>d_z</th>"
        "<th>P(A&gt;B)</th><th>n</th><th>check</th></tr>\n";
    for (std::size_t mi = 0; mi < f.metrics.size() && mi < f.groups.size(); ++mi) {
      const char* role = f.roles[mi] == MetricRole::kOutcome             ? "outcome"
                         : f.roles[mi] == MetricRole::kManipulationCheck ? "manipulation check"
                                                                         : "";
      for (const EffectGroup& g : f.groups[mi]) {
        for (const Effect& e : g.effects) {
          const int sign = Sign(e.stats);
          const std::string cls = sign == 1    ? " class=\"sig-pos\""
                                  : sign == -1 ? " class=\"sig-neg\""
                                               : "";
          html += "<tr><td><code>" + XmlEscape(e.metric) + "</code></td><td>" + role + "</td><td>" +
                  XmlEscape(e.comparison) + "</td><td>" + XmlEscape(e.regime) + "</td><td>" +
                  (e.slope ? "—" : FindingsNumber(e.stats.mean_b)) + "</td><td>" +
                  (e.slope ? "—" : FindingsNumber(e.stats.mean_a)) + "</td><td" + cls + ">" +
                  FindingsNumber(e.stats.mean_diff) + "</td><td>[" +
                  FindingsNumber(e.stats.ci_low) + ", " + FindingsNumber(e.stats.ci_high) +
                  "]</td><td>" + FindingsNumber(e.stats.cohens_dz) + "</td><td>" +
                  Probability(e.stats.prob_superiority) + "</td><td>" + std::to_string(e.stats.n) +
                  "</td><td>" +
                  (f.roles[mi] == MetricRole::kManipulationCheck
                       ? std::string()
                       : XmlEscape(CheckFlag(f.roles[mi], e.stats))) +
                  "</td></tr>\n";
        }
      }
    }
    html += "</table>\n";
    for (std::size_t i = 0; i < f.survival.size(); ++i) {
      html += SurvivalHtml(f.survival[i], f.name + "-" + std::to_string(i));
    }
    if (f.explore) {
      html += WhereItHoldsHtml(*f.explore);
    } else if (!f.explore_note.empty()) {
      html += "<p><strong>Where it holds.</strong> Not explored: " + XmlEscape(f.explore_note) +
              "</p>\n";
    }
    html += "</section>\n";
  }
  html += "</body>\n</html>\n";
  return html;
}

}  // namespace orgsim::report
