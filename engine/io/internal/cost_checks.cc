#include "engine/io/internal/cost_checks.h"

#include <cstdio>

#include "engine/model/cost.h"

namespace orgsim::io::internal {
namespace {

std::string Rounded(double value, const char* unit) {
  char text[48];
  std::snprintf(text, sizeof(text), "%.2g%s", value, unit);
  return text;
}

}  // namespace

std::string CostRefusal(const model::ModelConfig& config) {
  const model::RunCostEstimate cost = model::EstimateRunCost(config);
  if (cost.events <= model::kMaxEventsPerRun && cost.bytes <= model::kMaxBytesPerRun &&
      cost.backlog_steps <= model::kMaxBacklogStepsPerRun) {
    return "";
  }
  return "one run is estimated at about " + Rounded(cost.events, " events") + ", " +
         Rounded(cost.bytes / 1e9, " GB") + " of memory and " +
         Rounded(cost.backlog_steps, " backlog steps") +
         " (a growing backlog), above the limits of " +
         Rounded(model::kMaxEventsPerRun, " events") + ", " +
         Rounded(model::kMaxBytesPerRun / 1e9, " GB") + " and " +
         Rounded(model::kMaxBacklogStepsPerRun, " backlog steps") +
         " per run (see \"Limits on what one run may cost\" in docs/model.md: shorten "
         "horizon_days, lower "
         "arrival rates or market size, or add engineers); pass --allow-large to run it anyway";
}

}  // namespace orgsim::io::internal
