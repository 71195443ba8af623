// What one replication of a configuration will roughly cost, computed from
// the configuration alone, so validation can refuse a scenario that would
// run for hours or exhaust memory (`--allow-large` accepts it anyway).
//
//   RunCostEstimate cost = EstimateRunCost(config);
//   if (cost.events > kMaxEventsPerRun) Refuse(cost);
//
// The estimate is deliberately generous (an upper-side guess, not a
// prediction): it counts every item that may enter the backlog (arrivals,
// ideas, the founder backlog) three events each, every potential customer
// as a lead twice, and the periodic events; memory counts every item and
// account kept for the whole run plus the all-pairs path tables. A backlog
// that outgrows the engineers (taken at half their nominal capacity) makes
// every pull slower: `backlog_steps` counts items times the mean backlog.
// Documented with the limits in docs/model.md ("Limits on what one run may cost").
#pragma once

#include "engine/model/config.h"

namespace orgsim::model {

struct RunCostEstimate {
  double events = 0;         // events one replication processes
  double bytes = 0;          // peak memory of one replication
  double backlog_steps = 0;  // items entering × mean backlog length
};

// Limits validation applies per run (one replication of one arm).
inline constexpr double kMaxEventsPerRun = 2e8;
inline constexpr double kMaxBytesPerRun = 2e9;
inline constexpr double kMaxBacklogStepsPerRun = 1e11;  // a few minutes

RunCostEstimate EstimateRunCost(const ModelConfig& config);

}  // namespace orgsim::model
