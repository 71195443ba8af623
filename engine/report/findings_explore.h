// Where each claim holds: `orgsim findings` runs every claim a second time,
// through `orgsim explore` — its comparison at Latin-hypercube points of the
// deep uncertainties its base company declares (Scenario.uncertainties) —
// and the findings document reports, per comparison and outcome, the share
// of that space where the claim holds, the PRIM box where it fails, the box
// where the baseline is better, and the uncertainties the effect is most
// sensitive to (engine/experiment/explore_analysis.h).
//
// The compared arms (ExploredArms):
//  * a scenario with two or more compared arms: those arms, at the base
//    values of any swept lever (the sweep's regimes are what the explore's
//    uncertainties vary where they overlap);
//  * a sweep without arms: the baseline sets every swept lever to its
//    lowest value; one arm per swept lever sets it to its highest (the
//    others lowest) — the lever's low → high contrast the defaults' tables
//    show in the "others lowest" regime.
// An uncertainty that is one of the compared levers is left out of the
// space (it is the comparison, not a constant of the world).
//
//   FindingsExploreOptions o{.points = 32, .replications = 40, .threads = 2};
//   RunFindingsExplore("scenarios/claims/c09_layers_hide_engineers.textproto",
//                      "results/findings/c09_layers_hide_engineers.explore.db", o);
//   auto where = AnalyzeFindingsExplore("results/findings/c09_layers_hide_engineers.explore.db",
//                                       {"rework_fraction"});
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/experiment/runner.h"
#include "engine/io/experiment_setup.h"
#include "engine/io/explore_results.h"
#include "engine/io/scenario_loader.h"

namespace orgsim::report {

// Points and paired replications per point of the explore of each claim in
// `orgsim findings` without --explore-points / --explore-replications, and
// with --quick (the CTest test).
inline constexpr std::uint32_t kDefaultFindingsExplorePoints = 32;
inline constexpr std::uint32_t kDefaultFindingsExploreReplications = 40;
inline constexpr std::uint32_t kQuickFindingsExplorePoints = 4;
inline constexpr std::uint32_t kQuickFindingsExploreReplications = 3;

struct ExploredArms {
  std::vector<io::ArmVariant> arms;  // the first is the baseline
  // The scenario's uncertainties without the compared levers.
  std::vector<io::Uncertainty> uncertainties;
};

// FailedPrecondition when the scenario has nothing to compare (one arm and
// no sweep) or no uncertainty is left to explore.
StatusOr<ExploredArms> ExploredArmsOf(const io::LoadedScenario& scenario);

struct FindingsExploreOptions {
  std::uint32_t points = kDefaultFindingsExplorePoints;
  std::uint32_t replications = kDefaultFindingsExploreReplications;
  int threads = 0;      // 0 = every core
  bool resume = false;  // as FindingsRunOptions::resume
  const std::atomic<bool>* stop_requested = nullptr;
  std::function<void(const experiment::RunnerProgress&)> progress = {};
  std::string orgsim_version = "";
};

// Runs the explore of `scenario_path` into `db_path` (an explore database
// like `orgsim explore` writes: `orgsim report --db` renders it).
StatusOr<experiment::RunnerReport> RunFindingsExplore(const std::string& scenario_path,
                                                      const std::string& db_path,
                                                      const FindingsExploreOptions& options);

// The conclusions for `metrics` (io::AnalyzeExplore of the database).
StatusOr<io::ExploreReport> AnalyzeFindingsExplore(const std::string& db_path,
                                                   const std::vector<std::string>& metrics);

// The metrics a claim's explore is judged on: its outcomes
// (experiment.outcomes) or, when it declares none, its first metric; plus
// `survived` where the scenario lists it.
std::vector<std::string> ExploredMetrics(const std::vector<std::string>& metrics,
                                         const std::vector<bool>& is_outcome);

// One row of the document's "where it holds" tables: a comparison A − B on
// one metric over the explored space (Benjamini–Hochberg verdicts at 5%).
struct WhereItHolds {
  std::string comparison;  // "A − B"
  std::string metric;
  std::size_t points = 0;
  std::size_t a_better = 0;  // in the metric's direction
  std::size_t b_better = 0;
  std::size_t tie = 0;
  std::string fails_where;     // PRIM box of "A not better", in words
  std::string baseline_where;  // PRIM box of "B better", in words
  std::string sensitive_to;    // the top uncertainties by first-order index
};

std::vector<WhereItHolds> WhereItHoldsRows(const io::ExploreReport& report);

// The scenario's "Where it holds" subsection (Markdown and HTML): the rows
// as a table, and a sentence for each comparison whose baseline is better
// nowhere in the explored space.
std::string WhereItHoldsMarkdown(const io::ExploreReport& report);
std::string WhereItHoldsHtml(const io::ExploreReport& report);

}  // namespace orgsim::report
