// AttentionQueues: people's in-trays as single-server queues (bounded
// attention; Virtual Design Team, Jin & Levitt 1996).
//
// Each holder (a person) gives the in-tray a fixed number of attention hours
// per day. Messages posted to a holder wait while the holder is busy with
// another one; when free, the holder picks the next message by the attention
// rule, draws its handling time (exponential with the kind's mean hours) and,
// once that much attention has been spent, runs the message's effect. So a
// holder with Poisson arrivals is an M/M/1 queue with service rate
// hours_per_day / mean_hours per day (validate-model checks Wq = rho/(mu -
// lambda) and the utilization rho).
//
//   AttentionQueues trays(sim, rng, AttentionRule::kFifo, 0.5, /*kinds=*/2);
//   const int pm = trays.AddHolder(4.0 / 7.0);        // 4 hours a week
//   trays.Post(pm, /*kind=*/1, /*mean_hours=*/0.5, [] { /* effect */ });
//   sim.Run();
//   double wait = trays.stats(pm, 1).wait_days_sum;
//
// Kinds are small integers; under kPriority a lower kind is served first
// (oldest first within a kind). Effects run inside the kernel event that
// completes the handling, so they see the state of that moment. One
// replication, one thread.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "engine/kernel/rng.h"
#include "engine/kernel/sim_time.h"
#include "engine/kernel/simulation.h"
#include "engine/model/config.h"

namespace orgsim::model {

class AttentionQueues {
 public:
  // What one holder did with one kind of message.
  struct KindStats {
    std::int64_t posted = 0;
    std::int64_t started = 0;  // handling began
    double wait_days_sum = 0;  // arrival to start of handling, started ones
  };

  // Registers the kernel event kind "intray/done" on `sim`. Draws handling
  // times and mix choices from `rng`.
  AttentionQueues(kernel::Simulation& sim, kernel::RandomStream& rng, AttentionRule rule,
                  double mix_priority_share, int kinds);
  AttentionQueues(const AttentionQueues&) = delete;
  AttentionQueues& operator=(const AttentionQueues&) = delete;

  // A new holder giving `hours_per_day` of attention; returns its index.
  // REQUIRES: hours_per_day > 0.
  int AddHolder(double hours_per_day);
  // Posts a message of `kind` to `holder`, to be handled for an exponential
  // time with mean `mean_hours`, then `effect` runs.
  void Post(int holder, int kind, double mean_hours, std::function<void()> effect);

  const KindStats& stats(int holder, int kind) const { return holders_[holder].kinds[kind]; }
  // Attention hours spent by `holder` up to `now` (finished handlings plus
  // the part of the current one already done).
  double HoursSpent(int holder, kernel::SimTime now) const;
  // Hours of handlings finished so far (what the holder's week has lost).
  double HoursFinished(int holder) const { return holders_[holder].finished_hours; }
  // Messages of `kind` still waiting at `now`, and the sum of their waits so
  // far (days): the censored part of the queue wait at a horizon.
  std::int64_t Waiting(int holder, int kind) const;
  double WaitingDaysSum(int holder, int kind, kernel::SimTime now) const;
  int holders() const { return static_cast<int>(holders_.size()); }

 private:
  struct Entry {
    kernel::SimTime arrived = 0;
    double mean_hours = 0;
    std::function<void()> effect;
  };
  struct Holder {
    double hours_per_day = 0;
    std::vector<std::deque<Entry>> waiting;  // by kind, oldest first
    std::vector<KindStats> kinds;
    bool busy = false;
    kernel::SimTime busy_since = 0;
    double current_hours = 0;
    std::function<void()> current_effect;
    double finished_hours = 0;
  };

  int PickKind(const Holder& h);
  void StartNext(int holder);
  void Done(int holder);

  kernel::Simulation& sim_;
  kernel::RandomStream& rng_;
  AttentionRule rule_;
  double mix_priority_share_;
  int kinds_;
  kernel::HandlerId done_ = 0;
  std::vector<Holder> holders_;
};

}  // namespace orgsim::model
