// The order of the model's boundaries within one simulated instant.
//
// At equal time the kernel runs lower priorities first (simulation.h). A new
// week sets capacity before a sprint boundary releases work, the sprint comes
// before planning re-ranks it, ordinary events (arrivals, completions, deals)
// follow, and the month's books close last, after everything that happened
// at that instant. The numbers are part of every event's fingerprint, so
// they stay as they are; a new boundary takes a free value in between.
//
// The run keeps the kWeek, kSprint, kPlanning and kMonthEnd boundaries
// itself and calls every mechanism's OnPhase at each (mechanism.h); kEvent
// is the priority of ordinary events and of messages (messages.h).
//
//   w.sim.ScheduleAt(next, weekly, 0, Priority(Phase::kWeek));
#pragma once

#include "engine/kernel/simulation.h"

namespace orgsim::model {

enum class Phase : int {
  kWeek = -10,
  kSprint = -8,
  kPlanning = -5,
  kEvent = 0,
  kMonthEnd = 100,
};

// The kernel's integer priority of `phase`.
constexpr int Priority(Phase phase) { return static_cast<int>(phase); }

static_assert(Priority(Phase::kWeek) < Priority(Phase::kSprint) &&
              Priority(Phase::kSprint) < Priority(Phase::kPlanning) &&
              Priority(Phase::kPlanning) < Priority(Phase::kEvent) &&
              Priority(Phase::kEvent) < Priority(Phase::kMonthEnd));
static_assert(Priority(Phase::kWeek) >= kernel::kMinPriority &&
              Priority(Phase::kMonthEnd) <= kernel::kMaxPriority);

}  // namespace orgsim::model
