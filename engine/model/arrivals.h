// Arrivals: exogenous work (queueing scenarios).
//
// With work.exogenous_arrival_rate_per_day > 0, work items arrive as a
// Poisson process ("work/arrival" events; gaps drawn from the market-side
// stream "market/work_arrivals", efforts from "market/work_effort" with the
// work.effort_* distribution) and join the backlog as ItemSource::kExogenous.
// The first arrival is scheduled at Init, after every other module's first
// events (the module is last in the list), as it always was.
#pragma once

#include "engine/kernel/simulation.h"
#include "engine/model/mechanism.h"

namespace orgsim::model {

class Arrivals : public Mechanism {
 public:
  explicit Arrivals(World& world) : w_(world) {}
  // Registers "work/arrival".
  void RegisterHandlers(kernel::Simulation& sim) override;
  // Schedules the first arrival when the rate is positive.
  void Init() override;

 private:
  // Schedules the next arrival one exponential gap from now (if before the
  // horizon).
  void ScheduleNext();
  void OnArrival();

  World& w_;
  kernel::HandlerId arrival_handler_ = 0;
};

}  // namespace orgsim::model
