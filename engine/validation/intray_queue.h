// The in-tray as an M/M/1 queue: drives one holder of the model's
// AttentionQueues (engine/model/attention_queue.h, the code every in-tray of
// a replication runs) with Poisson messages and exponential handling, so
// validate-model can compare its waits with Wq = rho / (mu - lambda) and its
// utilization with rho.
//
//   InTrayQueueRun r = RunInTrayQueue({.rho = 0.6, .horizon_days = 2000}, key);
//   // r.mean_wait_days estimates 0.6^2 / (1 - 0.6) = 0.9 (lambda = 1/day)
//
// The queue starts in its stationary state (a geometric number of messages
// already there; service is memoryless, so the one in handling needs no
// residual), messages arrive at rate 1/day over [0, horizon], and the run
// goes on until every one of them has been handled: the mean wait of the
// arrivals and the busy share of [0, horizon] are then unbiased for the
// stationary values (up to the ratio estimator's O(1/n)).
#pragma once

#include <cstdint>

#include "engine/kernel/rng.h"

namespace orgsim::validation {

struct InTrayQueueCase {
  double rho = 0.5;            // lambda / mu, with lambda = 1 message/day
  double horizon_days = 2000;  // arrivals over [0, horizon]
  double hours_per_day = 1.0;  // the holder's attention (mean handling = rho hours)
};

struct InTrayQueueRun {
  double mean_wait_days = 0;  // arrival to start of handling, arrivals in [0, horizon]
  double utilization = 0;     // attention hours spent / available over [0, horizon]
  std::uint64_t messages = 0;
};

// Draws from streams "validation/intray/..." of `key`.
InTrayQueueRun RunInTrayQueue(const InTrayQueueCase& c, const kernel::StreamKey& key);

}  // namespace orgsim::validation
