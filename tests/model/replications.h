// MeanOverReplications: a metric's mean over the first `replications`
// replications of one configuration (streams {seed, 0, r}), the measure the
// mechanism tests compare between two configurations on the same draws.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/model/prepared.h"
#include "engine/model/run.h"

namespace orgsim::model {

inline double MeanOverReplications(const ModelConfig& c, std::string_view metric, int replications,
                                   std::uint64_t seed) {
  const PreparedModel model(c);
  double sum = 0;
  for (int r = 0; r < replications; ++r) {
    sum +=
        RunReplication(
            model, {.seed = seed, .design_point = 0, .replication = static_cast<std::uint32_t>(r)})
            .Metric(metric);
  }
  return sum / replications;
}

}  // namespace orgsim::model
