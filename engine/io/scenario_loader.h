// Loading scenario files: text -> validated plain-C++ experiment description.
//
// The loader parses a Protobuf text-format scenario (proto/orgsim/
// scenario.proto), validates everything it can before anything runs, and
// returns either a LoadedScenario (per-arm model::ModelConfig, experiment and
// sweep spec, the scenario text and its SHA-256) or every problem it found as
// compiler-style diagnostics ("FILE:LINE:COL: error: ...", sorted by
// position). Callers never see generated proto types.
//
//   LoadResult result = LoadScenarioFile("scenarios/product_led_vs_project_mode.textproto");
//   if (!result.ok()) {
//     std::cerr << FormatDiagnostics(result.diagnostics);  // then exit 2
//     return;
//   }
//   const LoadedScenario& s = *result.scenario;
//   for (std::size_t arm : s.experiment.arms) Run(s.arms[arm].config, s.seed);
//   // Sweep point: the arm's config with parameter values applied.
//   StatusOr<model::ModelConfig> point = ConfigFor(s, arm, {{"organization.pm.people_sense",
//   0.8}});
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/base/status.h"
#include "engine/io/diagnostics.h"
#include "engine/model/config.h"

namespace orgsim::io {

namespace internal {
struct ScenarioState;  // the parsed and merged protos (scenario_state.h)
}  // namespace internal

// One organizational design, fully resolved: base <- overlays <- removes <-
// `set` overrides.
struct ArmSpec {
  std::string name;
  std::string description;
  model::ModelConfig config;
};

enum class SweepDesign { kNone, kGrid, kLatinHypercube, kSaltelli };

// One swept lever.
struct SweepParameter {
  // Field path as written in the scenario, e.g. "organization.pm.mandate".
  std::string path;
  // Grid design: the values, in order (given as a list, or `levels` evenly
  // spaced values of [low, high], log-spaced with log_scale).
  std::vector<double> grid;
  // Latin hypercube / Saltelli: the range sampled (also set for grids given
  // by levels). low < high.
  double low = 0.0;
  double high = 0.0;
  // Sample uniformly in log(value) rather than in value (low > 0).
  bool log_scale = false;
  // The field holds whole numbers (integer or bool): ConfigFor rounds.
  bool integer = false;
};

struct SweepSpec {
  SweepDesign design = SweepDesign::kNone;
  std::vector<SweepParameter> params;
  // Latin hypercube: points; Saltelli: base samples N. 0 for grids.
  std::uint32_t count = 0;
  // Seed of the design's sample (independent of the scenario seed).
  std::uint64_t seed = 0;
  // Saltelli: also second-order indices (N * (2k + 2) points).
  bool second_order = false;
  // Where experiment.sweep is written (file, line, column; its message is
  // empty or the "included from" lines of a base), for diagnostics about the
  // design as a whole.
  Diagnostic location;

  // Number of design points: 1 without a sweep; the product of the grid
  // sizes; count; N * (k + 2) (or N * (2k + 2)) for Saltelli.
  std::uint64_t PointCount() const;
};

// How an uncertainty's values are drawn from [low, high].
enum class UncertaintyDistribution { kUniform, kLogUniform, kTriangular };

// One deep uncertainty `orgsim explore` samples: a constant of the world
// the model guesses, with its plausible range.
struct Uncertainty {
  // Field path as written, e.g. "market.launch_boost".
  std::string path;
  double low = 0.0;  // low < high, both inside the field's schema range
  double high = 0.0;
  UncertaintyDistribution distribution = UncertaintyDistribution::kUniform;
  double mode = 0.0;     // kTriangular: low <= mode <= high
  bool integer = false;  // the field holds whole numbers: values are rounded
  // Compared arms whose own value at `path` differs from the baseline arm's,
  // as "NAME (VALUE)": the path is then a lever of this comparison, and
  // `orgsim explore` refuses to overwrite it (SetUpExperiment).
  std::vector<std::string> set_by_arms = {};
};

struct ExperimentSpec {
  // Indices into LoadedScenario::arms of the compared arms, in the order
  // results list them.
  std::vector<std::size_t> arms;
  // Index into LoadedScenario::arms of the baseline (one of `arms`).
  std::size_t baseline = 0;
  // Metric names for the comparison table; empty = the caller's defaults.
  // Without experiment.metrics: the outcomes, then the manipulation checks.
  std::vector<std::string> metrics;
  // What the claim predicts (emergent) and what only confirms the lever was
  // pulled; disjoint, catalog names (experiment.outcomes,
  // experiment.manipulation_checks).
  std::vector<std::string> outcomes;
  std::vector<std::string> manipulation_checks;
  // Time-to-event outcomes: a time metric and its 0/1 event metric.
  struct Survival {
    std::string time;
    std::string event;
  };
  std::vector<Survival> survival;
  // experiment.no_observation: metric -> the value that means "nothing to
  // measure in this run".
  std::vector<std::pair<std::string, double>> no_observation;
  SweepSpec sweep;
};

// A validated scenario.
struct LoadedScenario {
  // The file as given to the loader (for messages) and its folder.
  std::string path;
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  // Replications per arm and design point (Experiment.replications when set,
  // else Scenario.replications).
  std::uint32_t replications = 1;
  double horizon_days = 0.0;
  // The base model (no arm applied).
  model::ModelConfig base;
  // Every declared arm in file order (one implicit arm "base" when the file
  // declares none).
  std::vector<ArmSpec> arms;
  ExperimentSpec experiment;
  // The deep uncertainties `orgsim explore` samples (Scenario.uncertainties,
  // usually inherited from the base company), validated: distinct paths
  // that resolve to numeric fields in every compared arm.
  std::vector<Uncertainty> uncertainties;
  // The file's exact bytes.
  std::string text;
  // Whether the file names a base (`base:`).
  bool has_base = false;
  // The scenario merged over its bases as one self-contained text-format
  // file: the file's leading comment, then every field in canonical form
  // (what `orgsim validate --flatten` prints).
  std::string flat_text;
  // SHA-256 (lowercase hex) of the canonical form of the merged scenario, so
  // files that flatten to the same scenario are the same experiment.
  std::string sha256;

  // Index of the arm named `name`, or nullopt.
  std::optional<std::size_t> ArmIndex(std::string_view name) const;

  // Internal: the parsed and merged protos that ConfigFor works on.
  std::shared_ptr<const internal::ScenarioState> state;
};

struct LoadOptions {
  // LoadOptions::Offline(), LoadOptions::AllowingLarge(): the common variants
  // (designated initializers would have to name every field under -Wextra).
  static LoadOptions Offline() {
    LoadOptions o;
    o.read_external_files = false;
    return o;
  }
  static LoadOptions AllowingLarge(bool allow) {
    LoadOptions o;
    o.allow_large = allow;
    return o;
  }

  // Read files the scenario references (GraphML). The fuzzer turns this off
  // so it never touches the file system; such references are then errors.
  bool read_external_files = true;
  // When set (a canonical folder), every file the scenario references must
  // lie inside it (the workshop: its scenarios folder).
  std::string confine_files_to;
  // Accept scenarios whose estimated cost per run exceeds the limits
  // (model::kMaxEventsPerRun, model::kMaxBytesPerRun; `--allow-large`).
  bool allow_large = false;
};

struct LoadResult {
  // Set when the scenario is valid (diagnostics may still hold warnings).
  std::optional<LoadedScenario> scenario;
  // Errors and warnings, sorted by position.
  std::vector<Diagnostic> diagnostics;

  bool ok() const { return scenario.has_value(); }
};

// Largest scenario file the loader reads.
inline constexpr std::size_t kMaxScenarioBytes = 16 << 20;
// Most arms a scenario may declare: each is a merged model validated and
// kept in memory (672k arms took 3 GB to validate).
inline constexpr int kMaxArms = 10000;

// Reads and validates the scenario at `path`. Unreadable or missing files
// give one diagnostic "cannot read file: REASON" (line 0).
LoadResult LoadScenarioFile(const std::string& path, const LoadOptions& options = {});

// Validates scenario text. `display_name` labels diagnostics; `base_dir`
// is the folder relative paths in the scenario are resolved against.
LoadResult LoadScenarioText(std::string_view text, const std::string& display_name,
                            const std::string& base_dir, const LoadOptions& options = {});

// The model config of one arm with extra (path, value) overrides applied on
// top of everything the arm declares (so a sweep value wins over the arm's
// own value), e.g. {{"organization.pm.people_sense", 0.8},
// {"organization.teams[eng].initial_headcount", 12}}. Values of integer and
// bool fields are rounded to the nearest whole number. InvalidArgument
// (naming the path and the rule) when a path does not resolve in the arm
// or to a numeric field, a value is outside the field's range, or the
// result breaks a cross-field rule (e.g. warmup_days >= horizon_days).
// Thread-safety: safe to call concurrently on the same LoadedScenario.
// Complexity: a copy of the arm's proto plus one path resolution per
// override (sweep parameter paths are resolved once at load).
StatusOr<model::ModelConfig> ConfigFor(
    const LoadedScenario& scenario, std::size_t arm_index,
    const std::vector<std::pair<std::string, double>>& overrides);

// Same, with one value per sweep parameter, aligned with
// scenario.experiment.sweep.params.
StatusOr<model::ModelConfig> ConfigForPoint(const LoadedScenario& scenario, std::size_t arm_index,
                                            std::span<const double> parameter_values);

// One line summarising a valid scenario for `orgsim validate`, e.g.
// "4 arms, 6 teams / 52 agents, horizon 1095 days, 1000 replications, no sweep".
std::string Summary(const LoadedScenario& scenario);

}  // namespace orgsim::io
