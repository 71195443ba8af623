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
  if (cost.events <= model::kMaxEventsPerRun && cost.bytes <= model::kMaxBytesPerRun) return "";
  return "one run is estimated at about " + Rounded(cost.events, " events") + " and " +
         Rounded(cost.bytes / 1e9, " GB") + " of memory, above the limits of " +
         Rounded(model::kMaxEventsPerRun, " events") + " and " + Rounded(model::kMaxBytesPerRun / 1e9, " GB") +
         " per run (see \"Limits on what one run may cost\" in docs/model.md: shorten horizon_days, lower "
         "arrival rates or market size); pass --allow-large to run it anyway";
}

}  // namespace orgsim::io::internal
