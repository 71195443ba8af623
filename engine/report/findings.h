// `orgsim findings`: the claim scenarios run with tight confidence intervals
// and turned into a findings document (docs/findings.md, docs/findings.html).
//
// Three steps, each usable alone:
//  1. RunFindingsScenario: runs one scenario into its own results database
//     (the ordinary results store, docs/results.md), resumable. Every design
//     point of a sweep becomes a *cell* next to the declared arms — the
//     database holds one arm per (sweep point, arm), named e.g.
//     "influence @ people_sense=0.5" — and every cell runs replication r on
//     the same random streams kernel::StreamKey{seed, 0, r}. So comparisons
//     are paired (common random numbers) not only between arms, as in
//     `orgsim run`, but also between sweep points, unlike `orgsim sweep`
//     (whose points draw independent streams). `orgsim report --db` renders
//     any of these databases.
//  2. AnalyzeFindings: reads a database back and computes the effects: paired
//     differences (engine/experiment/statistics.h: mean difference, Student-t
//     95% CI, Cohen's d_z, P(A>B)) of each arm against the baseline arm at
//     every sweep point; for sweeps without arms, each lever moved from its
//     lowest to its highest grid value at every combination of the other
//     levers (the regime), or, for random designs (Latin hypercube,
//     Saltelli), the per-replication least-squares slope of the metric on
//     each lever, scaled to the lever's range, over all points and within
//     the lower and upper half of each other lever.
//     Each metric keeps its role from the scenario (experiment.outcomes,
//     experiment.manipulation_checks, or neither); survival outcomes
//     (experiment.survival) become Kaplan–Meier curves per cell and hazard
//     ratios against the baseline (survival_section.h); a metric's
//     no_observation value counts as "nothing measured" and leaves that
//     run out of the metric's pairs.
//  2b. RunFindingsExplore / AnalyzeFindingsExplore (findings_explore.h): the
//     same comparison through `orgsim explore`, over the uncertainties; the
//     document's "where it holds" tables (ScenarioFindings::explore).
//  3. FindingsMarkdown / FindingsHtml: the document. Outcomes, manipulation
//     checks and other metrics in separate tables; an outcome whose effect
//     looks like an identity of the lever is flagged (ProbablyIdentity).
//     Deterministic: the same databases give the same bytes (no
//     timestamps, no wall times).
//
//   FindingsRunOptions run{.replications = 1000, .threads = 2};
//   auto report = RunFindingsScenario("scenarios/claims/c09_layers_hide_engineers.textproto",
//                                     "results/findings/c09_layers_hide_engineers.db", run);
//   auto findings = AnalyzeFindings("results/findings/c09_layers_hide_engineers.db",
//                                   "scenarios/claims/c09_layers_hide_engineers.textproto");
//   std::string md = FindingsMarkdown({*findings}, {.command = "orgsim findings"});
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/experiment/runner.h"
#include "engine/experiment/statistics.h"
#include "engine/io/explore_results.h"
#include "engine/report/survival_section.h"

namespace orgsim::report {

// Replications per cell of `orgsim findings` without --replications.
inline constexpr std::uint32_t kDefaultFindingsReplications = 1000;
// ... and with --quick (the CTest test).
inline constexpr std::uint32_t kQuickFindingsReplications = 12;

// The scenario files `orgsim findings` runs by default, relative to the
// repository root: scenarios/claims/*.textproto (sorted), then the headline
// scenario and the stable-market boundary scenario (those that exist under
// `root`).
std::vector<std::string> DefaultFindingsScenarios(const std::string& root);

struct FindingsRunOptions {
  std::uint32_t replications = kDefaultFindingsReplications;
  int threads = 0;  // 0 = every core
  // Continue the database (skip stored rows). Without it, an existing
  // database at the path is replaced. A database of another scenario
  // version (SHA-256), seed or cell list is always replaced.
  bool resume = false;
  const std::atomic<bool>* stop_requested = nullptr;
  std::function<void(const experiment::RunnerProgress&)> progress = {};
  std::string orgsim_version = "";
};

struct FindingsRunReport {
  std::uint64_t cells = 0;      // (sweep point, arm) combinations
  std::uint64_t completed = 0;  // runs written by this call
  std::uint64_t failed = 0;
  std::uint64_t skipped = 0;  // already stored (resume)
  bool replaced = false;      // an existing database was replaced
  bool stopped = false;       // stop_requested ended it early
  double wall_seconds = 0;
};

// Runs every cell of `scenario_path` x replications into `db_path`.
StatusOr<FindingsRunReport> RunFindingsScenario(const std::string& scenario_path,
                                                const std::string& db_path,
                                                const FindingsRunOptions& options);

// One paired comparison (A - B) of one metric.
struct Effect {
  std::string metric;
  std::string comparison;  // e.g. "plus_gtm − product_owner", "layers 0 → 3"
  std::string regime;      // the setting it holds at, e.g. "people_sense=0.5"; "" = none
  experiment::PairedComparison stats;  // for slopes: A = slope x range, B = 0
  bool slope = false;                  // a regression slope, not a difference of two cells
};

// The effects of one lever (or arm contrast) across its regimes, one metric.
struct EffectGroup {
  std::string title;         // e.g. "influence − authority", "business_acumen 0.1 → 0.9"
  std::string regime_lever;  // what the rows vary over; "" when there is one row
  std::vector<Effect> effects;
};

// What a metric is to the scenario's claim (experiment.outcomes,
// experiment.manipulation_checks): an emergent result it predicts, a
// restatement of the lever that only confirms it was pulled, or neither
// declared (a scenario without the distinction, or experiment.metrics only).
enum class MetricRole { kOutcome, kManipulationCheck, kUndeclared };

// An outcome effect that looks like an identity of the lever rather than a
// mechanism: the same nonzero difference in every paired replication
// (zero-width CI) or |d_z| > 10. The document flags such an outcome as
// "probably an identity of the lever — check". A difference of exactly 0
// in every replication is not flagged (the metric does not respond; the
// document says so).
inline constexpr double kIdentityEffectSize = 10;
bool ProbablyIdentity(const experiment::PairedComparison& effect);

struct ScenarioFindings {
  std::string label;  // "C9", "Headline", "Boundary" (from the file name)
  std::string name;   // scenario name
  std::string description;
  std::string path;  // as given
  std::string db_path;
  std::string sha256;  // of the file the database was run from
  std::uint64_t seed = 0;
  std::uint32_t replications = 0;
  std::string claim;  // from the file's header comment
  std::string lever;
  std::string observable;
  std::string missing;             // what the model cannot test yet ("Missing:" in the header)
  std::string design;              // "arms", "grid", "lhs", "saltelli"
  std::vector<std::string> swept;  // sweep parameter paths
  std::string baseline;            // baseline arm, "" for sweeps without arms
  // The outcomes, then the manipulation checks, then any other
  // experiment.metrics (all of experiment.metrics, or the key metrics, when
  // the scenario declares neither); the first is primary.
  std::vector<std::string> metrics;
  std::vector<MetricRole> roles;   // aligned to metrics
  std::vector<std::string> units;  // aligned to metrics (the catalog's)
  // Per metric (aligned to `metrics`), the effect groups.
  std::vector<std::vector<EffectGroup>> groups;
  std::uint64_t failed_runs = 0;
  double need_drift = 0;           // market.need_drift_per_sqrt_year of the base
  std::vector<std::string> notes;  // what the design can and cannot show
  // experiment.survival: time-to-event outcomes per cell and against the
  // baseline.
  std::vector<SurvivalSection> survival;
  // Where the claim holds: its explore over the uncertainties
  // (findings_explore.h), when it was run; else explore_note says why not.
  std::optional<io::ExploreReport> explore;
  std::string explore_note;
  // Set when the scenario could not be run or analysed (the document then
  // says so in its section instead of giving numbers).
  std::string error;
};

// The section of a scenario that could not be run: label and path only.
ScenarioFindings FailedFindings(const std::string& scenario_path, const std::string& error);

// Reads the database written by RunFindingsScenario for `scenario_path`
// (label and claim text come from the stored scenario text; the path only
// labels the document). Uses replications [0, replications) of the store.
StatusOr<ScenarioFindings> AnalyzeFindings(const std::string& db_path,
                                           const std::string& scenario_path);

// Whether a higher value of `metric` is better (+1), worse (-1) or neither
// (0, e.g. a count of ceremonies or a centrality), as the metric catalog
// (model::MetricInfo::better) declares it; 0 for a name not in the catalog.
int BetterDirection(const std::string& metric);

struct DocumentHeader {
  std::string command;  // the command that regenerates the document
  std::uint32_t replications = 0;
  std::string results_dir;
};

// The findings document. Numbers use FindingsNumber.
std::string FindingsMarkdown(const std::vector<ScenarioFindings>& findings,
                             const DocumentHeader& header);
// The same content as one self-contained HTML page (inline CSS and SVG
// forest plots of each scenario's primary metric).
std::string FindingsHtml(const std::vector<ScenarioFindings>& findings,
                         const DocumentHeader& header);

// A number as the document writes it: experiment::FormatNumber(x, 4).
std::string FindingsNumber(double value);

}  // namespace orgsim::report
