#include "engine/validation/intray_queue.h"

#include "engine/kernel/distributions.h"
#include "engine/kernel/simulation.h"
#include "engine/model/attention_queue.h"

namespace orgsim::validation {

InTrayQueueRun RunInTrayQueue(const InTrayQueueCase& c, const kernel::StreamKey& key) {
  kernel::Simulation sim;
  kernel::RandomStream arrivals(kernel::WithStream(key, "validation/intray/arrivals"));
  kernel::RandomStream handling(kernel::WithStream(key, "validation/intray/handling"));
  kernel::RandomStream start(kernel::WithStream(key, "validation/intray/start"));
  // FIFO, two kinds: 0 = the measured arrivals, 1 = the stationary start
  // (there at time 0, so served first under FIFO; not measured).
  model::AttentionQueues trays(sim, handling, model::AttentionRule::kFifo, 0.0, 2);
  const int holder = trays.AddHolder(c.hours_per_day);
  const double mean_hours = c.rho * c.hours_per_day;  // mu = 1 / rho per day
  // P(N = n) = (1 - rho) rho^n.
  int initial = 0;
  while (start.NextUniform() < c.rho) ++initial;
  for (int i = 0; i < initial; ++i) trays.Post(holder, 1, mean_hours, nullptr);
  const kernel::SimTime horizon = kernel::Days(c.horizon_days);
  InTrayQueueRun run;
  kernel::HandlerId arrive = 0;
  arrive = sim.RegisterHandler("validation/intray/arrival", [&](kernel::EventPayload) {
    trays.Post(holder, 0, mean_hours, nullptr);
    const kernel::SimTime next = kernel::Days(kernel::Exponential(arrivals, 1.0));
    if (sim.Now() + next <= horizon) sim.Schedule(next, arrive);
  });
  const kernel::HandlerId measure =
      sim.RegisterHandler("validation/intray/horizon", [&](kernel::EventPayload) {
        run.utilization = trays.HoursSpent(holder, sim.Now()) / (c.hours_per_day * c.horizon_days);
      });
  const kernel::SimTime first = kernel::Days(kernel::Exponential(arrivals, 1.0));
  if (first <= horizon) sim.Schedule(first, arrive);
  sim.Schedule(horizon, measure);
  sim.RunUntil(kernel::SimTime{horizon * 1000});  // until the last arrival is handled
  const model::AttentionQueues::KindStats& s = trays.stats(holder, 0);
  run.messages = static_cast<std::uint64_t>(s.started);
  run.mean_wait_days = s.started > 0 ? s.wait_days_sum / static_cast<double>(s.started) : 0.0;
  return run;
}

}  // namespace orgsim::validation
