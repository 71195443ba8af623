// The cost check of validation (internal): a configuration whose estimated
// cost per run (model::EstimateRunCost) exceeds model::kMaxEventsPerRun or
// model::kMaxBytesPerRun is refused unless LoadOptions::allow_large.
//
//   std::string why = CostRefusal(config);  // empty when within the limits
#pragma once

#include <string>

#include "engine/model/config.h"

namespace orgsim::io::internal {

// Empty when one run of `config` is estimated within the limits; else a
// sentence with the estimate, the limits and how to go ahead anyway.
std::string CostRefusal(const model::ModelConfig& config);

}  // namespace orgsim::io::internal
