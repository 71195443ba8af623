#include "tools/orgsim/explore_output.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tools/orgsim/experiment_output.h"
#include "tools/orgsim/subcommand.h"

namespace orgsim::cli {
namespace {

using experiment::PrimResult;
using experiment::WinShare;

std::string Number(double v, int digits = 3) {
  if (!std::isfinite(v)) return "--";
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*g", digits, v);
  return buffer;
}

std::string Percent(double share) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.1f%%", 100.0 * share);
  return buffer;
}

std::string ShareLine(const WinShare& s, const std::string& a, const std::string& b) {
  std::ostringstream out;
  out << a << " better " << Percent(s.share(s.a_better)) << " (" << s.a_better << "/" << s.points()
      << "), " << b << " better " << Percent(s.share(s.b_better)) << " (" << s.b_better << "/"
      << s.points() << "), tie " << Percent(s.share(s.tie)) << " (" << s.tie << "/" << s.points()
      << ")";
  return out.str();
}

std::string BoxText(const PrimResult& r, const std::vector<std::string>& names) {
  if (r.cases_of_interest == 0) return "none: no explored point is such a case";
  std::ostringstream out;
  out << "coverage " << Number(r.box.coverage, 2) << ", density " << Number(r.box.density, 2)
      << ", mass " << Number(r.box.mass, 2) << " (" << r.box.cases << " of " << r.cases_of_interest
      << " cases, " << r.box.points << " points inside)";
  if (!r.meets_threshold) out << "; below the density threshold 0.8";
  if (r.box.restricted.empty()) {
    out << "; restricts nothing (the whole space)";
  } else {
    for (const experiment::PrimLimit& lim : r.box.restricted) {
      out << "\n      " << names[lim.dimension] << " in [" << Number(lim.low, 4) << ", "
          << Number(lim.high, 4) << "]";
    }
  }
  return out.str();
}

nlohmann::json ShareJson(const WinShare& s) {
  return {{"a_better", s.a_better},
          {"b_better", s.b_better},
          {"tie", s.tie},
          {"points", s.points()},
          {"a_better_share", s.share(s.a_better)},
          {"b_better_share", s.share(s.b_better)},
          {"tie_share", s.share(s.tie)}};
}

nlohmann::json Finite(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

nlohmann::json BoxJson(const PrimResult& r, const std::vector<std::string>& names) {
  nlohmann::json restricted = nlohmann::json::array();
  for (const experiment::PrimLimit& lim : r.box.restricted) {
    restricted.push_back(
        {{"uncertainty", names[lim.dimension]}, {"low", lim.low}, {"high", lim.high}});
  }
  nlohmann::json trajectory = nlohmann::json::array();
  for (const experiment::PrimStep& step : r.trajectory) {
    trajectory.push_back({{"coverage", step.coverage},
                          {"density", step.density},
                          {"mass", step.mass},
                          {"restricted_dimensions", step.restricted_dimensions}});
  }
  return {{"cases_of_interest", r.cases_of_interest},
          {"points", r.points},
          {"coverage", r.box.coverage},
          {"density", r.box.density},
          {"mass", r.box.mass},
          {"meets_threshold", r.meets_threshold},
          {"restricted", restricted},
          {"chosen_step", r.chosen_step},
          {"peeling_trajectory", trajectory}};
}

}  // namespace

std::string FormatExploreReport(const io::ExploreReport& report) {
  std::ostringstream out;
  out << "Explore of " << report.scenario << ": " << report.space.points() << " points x "
      << report.replications << " paired replications over " << report.space.dimensions()
      << " uncertainties (seed " << report.seed << ", common random numbers across arms and "
      << "points)\n";
  for (const io::ExploreMetricComparison& c : report.comparisons) {
    const auto& a = c.analysis;
    out << "\n"
        << c.arm << " vs " << c.baseline << " on " << c.metric << " ("
        << (c.better == "lower" ? "lower" : "higher") << " is better"
        << (c.better == "neither" ? ", read as higher" : "") << ")\n";
    out << "  share of the space (Benjamini-Hochberg, 5% FDR): "
        << ShareLine(a.shares.benjamini_hochberg, c.arm, c.baseline) << "\n";
    out << "  raw (each point's 95% CI):                       "
        << ShareLine(a.shares.raw, c.arm, c.baseline) << "\n";
    out << "  Holm (5% family-wise):                           "
        << ShareLine(a.shares.holm, c.arm, c.baseline) << "\n";
    out << "  PRIM box where " << c.baseline << " wins: " << BoxText(a.b_wins, report.space.names)
        << "\n";
    out << "  PRIM box where the claim fails (" << c.arm
        << " not better): " << BoxText(a.claim_fails, report.space.names) << "\n";
    const double floor = a.sensitivity.empty() ? 0.0 : a.sensitivity.front().effect.noise_floor;
    if (floor == 0.0) {
      out << "  sensitivity of the mean effect: none measurable (fewer than 4 points, or the "
             "effect is the same at every point)\n";
      continue;
    }
    out << "  sensitivity of the mean effect (first-order index from the sample; noise floor "
        << Number(floor, 2) << "):\n";
    for (std::size_t k = 0; k < a.sensitivity.size(); ++k) {
      const auto& s = a.sensitivity[k];
      char line[256];
      std::snprintf(line, sizeof(line), "    %2zu. %-44s S1 %5.2f  rank corr %+5.2f\n", k + 1,
                    report.space.names[s.dimension].c_str(), s.effect.first_order,
                    s.effect.rank_correlation);
      out << line;
    }
  }
  if (report.failed_runs > 0 || report.unpaired > 0) {
    out << "\n"
        << report.failed_runs << " runs failed; " << report.unpaired
        << " replications are unpaired and left out of the effects\n";
  }
  return out.str();
}

std::string ExploreReportJson(const io::ExploreReport& report, const std::string& database) {
  nlohmann::json uncertainties = nlohmann::json::array();
  for (std::size_t i = 0; i < report.space.dimensions(); ++i) {
    uncertainties.push_back({{"path", report.space.names[i]},
                             {"low", report.space.low[i]},
                             {"high", report.space.high[i]}});
  }
  nlohmann::json comparisons = nlohmann::json::array();
  for (const io::ExploreMetricComparison& c : report.comparisons) {
    const auto& a = c.analysis;
    nlohmann::json points = nlohmann::json::array();
    for (std::size_t p = 0; p < a.effects.size(); ++p) {
      const auto& e = a.effects[p];
      points.push_back(
          {{"point", p},
           {"pairs", e.pairs},
           {"mean_diff", Finite(e.mean_diff)},
           {"ci_low", Finite(e.ci_low)},
           {"ci_high", Finite(e.ci_high)},
           {"p_value", Finite(e.p_value)},
           {"verdict_raw", experiment::VerdictName(a.shares.raw.verdicts[p])},
           {"verdict_bh", experiment::VerdictName(a.shares.benjamini_hochberg.verdicts[p])}});
    }
    nlohmann::json sensitivity = nlohmann::json::array();
    for (const auto& s : a.sensitivity) {
      sensitivity.push_back({{"uncertainty", report.space.names[s.dimension]},
                             {"first_order", s.effect.first_order},
                             {"rank_correlation", s.effect.rank_correlation},
                             {"noise_floor", s.effect.noise_floor}});
    }
    comparisons.push_back({{"arm", c.arm},
                           {"baseline", c.baseline},
                           {"metric", c.metric},
                           {"better", c.better},
                           {"win_share",
                            {{"benjamini_hochberg", ShareJson(a.shares.benjamini_hochberg)},
                             {"raw", ShareJson(a.shares.raw)},
                             {"holm", ShareJson(a.shares.holm)},
                             {"alpha", 0.05}}},
                           {"prim_baseline_wins", BoxJson(a.b_wins, report.space.names)},
                           {"prim_claim_fails", BoxJson(a.claim_fails, report.space.names)},
                           {"sensitivity", sensitivity},
                           {"points", points}});
  }
  nlohmann::json root = {{"database", database},
                         {"scenario", report.scenario},
                         {"seed", report.seed},
                         {"replications", report.replications},
                         {"points", report.space.points()},
                         {"runs", report.runs},
                         {"failed_runs", report.failed_runs},
                         {"unpaired", report.unpaired},
                         {"uncertainties", uncertainties},
                         {"comparisons", comparisons}};
  return root.dump(2) + "\n";
}

int PrintExploreSummary(const io::ResultsStore& store, const ExploreRequest& request) {
  const std::string unknown = UnknownMetricError(store, request.metrics);
  if (!unknown.empty()) {
    std::cerr << "orgsim " << request.command << ": error: " << unknown << "\n";
    return kExitUsage;
  }
  // The analysis reads through its own read-only connection (the rows are
  // committed by now).
  auto reader = io::ResultsReader::Open(store.path());
  if (!reader.ok()) {
    std::cerr << "orgsim " << request.command << ": error: " << reader.status().message() << "\n";
    return kExitFailure;
  }
  auto report = io::AnalyzeExplore(**reader, request.metrics);
  if (!report.ok()) {
    std::cerr << "orgsim " << request.command << ": error: " << report.status().message() << "\n";
    return kExitFailure;
  }
  if (request.json != "-") std::cout << FormatExploreReport(*report) << std::flush;
  if (!request.json.empty() &&
      !WriteOutputFile(request.command, request.json, ExploreReportJson(*report, store.path()))) {
    return kExitFailure;
  }
  if (report->failed_runs > 0) {
    std::cerr << "orgsim " << request.command << ": " << report->failed_runs
              << " runs failed; their errors are in the runs table (status = 'failed', error)\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace orgsim::cli
