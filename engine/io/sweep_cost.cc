#include "engine/io/sweep_cost.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "engine/io/experiment_setup.h"
#include "engine/io/internal/convert.h"
#include "engine/io/internal/cost_checks.h"
#include "engine/io/internal/field_path.h"
#include "engine/io/internal/scenario_state.h"

namespace orgsim::io {
namespace {

constexpr std::size_t kCostlyShown = 3;

// "design point 4 (work.exogenous_arrival_rate_per_day = 5000, horizon_days = 36500)"
std::string PointText(const experiment::Design& design, std::size_t point) {
  std::string text = "design point " + std::to_string(point) + " (";
  const auto values = design.values(point);
  for (std::size_t p = 0; p < values.size(); ++p) {
    text += (p == 0 ? "" : ", ") + design.parameters()[p].name + " = " +
            internal::NumberText(values[p]);
  }
  return text + ")";
}

// One compared arm, whose swept fields each point overwrites in place: the
// same configuration ConfigForPoint builds, without a copy per point.
struct ArmProbe {
  std::size_t arm = 0;
  const internal::ArmState* state = nullptr;
  orgsim::v1::Scenario working;
  bool resolved = false;  // the sweep's paths were resolved in this arm at load
};

}  // namespace

std::vector<Diagnostic> SweepCostDiagnostics(const LoadedScenario& scenario,
                                             const experiment::Design& design) {
  std::vector<Diagnostic> out;
  const std::size_t parameters = design.parameters().size();
  if (parameters == 0 || scenario.state == nullptr) return out;
  std::vector<ArmProbe> probes;
  std::vector<std::size_t> arms = scenario.experiment.arms;
  if (arms.empty()) {
    for (std::size_t i = 0; i < scenario.arms.size(); ++i) arms.push_back(i);
  }
  for (std::size_t arm : arms) {
    const internal::ArmState& state = scenario.state->arms[arm];
    probes.push_back({.arm = arm,
                      .state = &state,
                      .working = state.model,
                      .resolved = state.sweep_paths.size() == parameters});
  }
  std::uint64_t costly = 0;
  for (std::size_t point = 0; point < design.size(); ++point) {
    const auto values = design.values(point);
    for (ArmProbe& probe : probes) {
      std::optional<model::ModelConfig> config;
      if (probe.resolved) {
        bool set = true;
        for (std::size_t p = 0; p < parameters; ++p) {
          const double value = design.parameters()[p].integer ? std::round(values[p]) : values[p];
          set = set &&
                internal::SetNumeric(&probe.working, probe.state->sweep_paths[p], value).empty();
        }
        if (set) config = internal::ToModelConfig(probe.working, scenario.state->base_dir);
      } else if (StatusOr<model::ModelConfig> built = ConfigForPoint(scenario, probe.arm, values);
                 built.ok()) {
        config = std::move(built).value();
      }
      if (!config) continue;  // a point the model cannot build fails its runs with the reason
      const std::string refusal = internal::CostRefusal(*config);
      if (refusal.empty() || costly++ >= kCostlyShown) continue;
      Diagnostic refused = scenario.experiment.sweep.location;
      refused.severity = Severity::kError;
      refused.message = PointText(design, point) + ", arm " +
                        internal::Quoted(scenario.arms[probe.arm].name) + ": " + refusal +
                        refused.message;
      out.push_back(std::move(refused));
    }
  }
  if (costly > kCostlyShown) {
    Diagnostic more = scenario.experiment.sweep.location;
    more.severity = Severity::kError;
    more.message = "and " + std::to_string(costly - kCostlyShown) +
                   " more design points x arms are estimated above the limits per run" +
                   more.message;
    out.push_back(std::move(more));
  }
  return out;
}

std::vector<Diagnostic> SweepCostDiagnostics(const LoadedScenario& scenario) {
  if (scenario.experiment.sweep.design == SweepDesign::kNone) return {};
  return SweepCostDiagnostics(scenario, DesignFromSweep(scenario.experiment.sweep));
}

}  // namespace orgsim::io
