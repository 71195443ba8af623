#include "engine/model/arrivals.h"

#include "engine/kernel/distributions.h"
#include "engine/model/world.h"

namespace orgsim::model {

void Arrivals::RegisterHandlers(kernel::Simulation& sim) {
  arrival_handler_ =
      sim.RegisterHandler("work/arrival", [this](kernel::EventPayload) { OnArrival(); });
}

void Arrivals::Init() {
  if (w_.cfg.work.exogenous_arrival_rate_per_day > 0) ScheduleNext();
}

void Arrivals::ScheduleNext() {
  const double gap =
      kernel::Exponential(w_.rng.work_arrivals, 1.0 / w_.cfg.work.exogenous_arrival_rate_per_day);
  const kernel::SimTime next = w_.sim.Now() + kernel::Days(gap);
  if (next <= w_.horizon) w_.sim.ScheduleAt(next, arrival_handler_);
}

void Arrivals::OnArrival() {
  WorkItem item;
  item.source = ItemSource::kExogenous;
  item.effort = w_.product.DrawEffort(w_.rng.work_effort);
  item.est_effort = item.effort;
  item.created = w_.sim.Now();
  if (w_.trace.on()) {
    w_.trace.Emit(w_.sim.Now(), -1, "arrival", item.effort, 0, "work item arrives");
  }
  w_.messages.Deliver(*this, w_.backlog, FileWorkItem{item});
  ScheduleNext();
}

}  // namespace orgsim::model
