// Binding a loaded scenario to the experiment runner.
//
// Turns a validated LoadedScenario into everything `orgsim run` and `orgsim
// sweep` (and bench/) need: the design (single point, or the scenario's
// grid / Latin hypercube / Saltelli sweep), the store manifest (scenario
// text and hash, seed, arms, the model's metric catalog, time-series
// columns), the work plan, and a thread-safe RunFunction that evaluates one
// (point, arm, replication) with model::RunReplication.
//
// Common random numbers: every arm's replication r at point p runs with the
// same kernel::StreamKey{seed, p, r}; the model derives its market streams
// from that key independently of the org design, so arms differ by design,
// not by luck. An explore design keys every point with p = 0
// (experiment::StreamDesignPoint): replication r shares its streams across
// arms and points, so points differ by their uncertainties, not by luck.
//
//   LoadResult loaded = LoadScenarioFile(path);
//   auto setup = SetUpExperiment(*loaded.scenario, {.sweep = true}).value();
//   RunPlan(setup.Plan(shard), setup.run, *store, options);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/experiment/designs.h"
#include "engine/experiment/runner.h"
#include "engine/experiment/sharding.h"
#include "engine/io/results_store.h"
#include "engine/io/scenario_loader.h"

namespace orgsim::io {

enum class DesignChoice {
  kSinglePoint,    // `orgsim run`: the arms as declared, no sweep
  kScenarioSweep,  // `orgsim sweep`: the scenario's sweep design
  kExplore,        // `orgsim explore`: a Latin hypercube of its uncertainties
};

enum class SeriesChoice { kNone, kMonthly };

// An arm derived from a declared one by field overrides, e.g. a swept lever
// at its lowest and at its highest value. The overrides apply over the
// arm's own settings; a design's values (sweep or explore) over both.
struct ArmVariant {
  std::string name;
  std::size_t arm = 0;  // index into LoadedScenario::arms
  std::vector<std::pair<std::string, double>> overrides;
};

struct ExperimentSetupOptions {
  DesignChoice design = DesignChoice::kSinglePoint;
  std::optional<std::uint64_t> seed = std::nullopt;          // overrides the scenario's
  std::optional<std::uint32_t> replications = std::nullopt;  // overrides the scenario's
  SeriesChoice series = SeriesChoice::kNone;
  std::string orgsim_version = "";
  // kExplore: the number of Latin-hypercube points (the design's seed is the
  // experiment's seed, so the points are a pure function of (seed, points,
  // uncertainties)).
  std::uint32_t explore_points = 0;
  // Prepared models (graph, paths) cached per (point, arm); a sweep whose
  // points x arms exceed this re-prepares evicted ones. 0 = no limit.
  std::size_t prepared_cache = 256;
  // When not empty, the compared arms (the first is the baseline) instead of
  // the scenario's experiment.arms (`orgsim findings` explores a sweep-only
  // claim as its levers' low and high ends). Every override path must
  // resolve; an explore design must not vary one of them.
  std::vector<ArmVariant> arm_variants = {};
};

struct ExperimentSetup {
  StoreManifest manifest;                // includes the design
  std::vector<std::string> key_metrics;  // for the stdout table
  experiment::RunFunction run;           // thread-safe; throws for a failed run

  // The plan of shard `shard` over the manifest's points, arms, replications.
  experiment::WorkPlan Plan(const experiment::ShardSpec& shard = {}) const;
};

// The metrics shown in the comparison table when a scenario names none.
std::vector<std::string> DefaultKeyMetrics();

// The design of a scenario's sweep spec (a single point for kNone).
experiment::Design DesignFromSweep(const SweepSpec& sweep);

// The explore design of `points` points over `uncertainties`
// (experiment::ExploreDesign, one parameter per uncertainty, in order).
experiment::Design ExploreDesignOf(const std::vector<Uncertainty>& uncertainties,
                                   std::uint32_t points, std::uint64_t seed);

// The parts of a results-store manifest every command fills the same way:
// the scenario's identity (name, text, SHA-256), the orgsim version, the
// seed, the replications and the full metric catalog as columns. Callers add
// arms, baseline, design and series.
StoreManifest ScenarioManifest(const LoadedScenario& scenario, const std::string& orgsim_version,
                               std::uint64_t seed, std::uint32_t replications);

// Builds the setup. Fails with InvalidArgument when the sweep is requested
// but the scenario has none, explore is requested but the scenario declares
// no uncertainties, or the scenario's metric names are unknown.
StatusOr<ExperimentSetup> SetUpExperiment(const LoadedScenario& scenario,
                                          const ExperimentSetupOptions& options);

}  // namespace orgsim::io
