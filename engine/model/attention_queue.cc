#include "engine/model/attention_queue.h"

#include <algorithm>
#include <utility>

#include "engine/kernel/check.h"
#include "engine/kernel/distributions.h"

namespace orgsim::model {

AttentionQueues::AttentionQueues(kernel::Simulation& sim, kernel::RandomStream& rng,
                                 AttentionRule rule, double mix_priority_share, int kinds)
    : sim_(sim), rng_(rng), rule_(rule), mix_priority_share_(mix_priority_share), kinds_(kinds) {
  done_ = sim_.RegisterHandler(
      "intray/done", [this](kernel::EventPayload holder) { Done(static_cast<int>(holder)); });
}

int AttentionQueues::AddHolder(double hours_per_day) {
  ORGSIM_CHECK(hours_per_day > 0, "an in-tray needs attention hours > 0");
  Holder h;
  h.hours_per_day = hours_per_day;
  h.waiting.resize(static_cast<std::size_t>(kinds_));
  h.kinds.resize(static_cast<std::size_t>(kinds_));
  holders_.push_back(std::move(h));
  return static_cast<int>(holders_.size()) - 1;
}

void AttentionQueues::Post(int holder, int kind, double mean_hours, std::function<void()> effect) {
  Holder& h = holders_[holder];
  ++h.kinds[kind].posted;
  h.waiting[kind].push_back(Entry{sim_.Now(), mean_hours, std::move(effect)});
  if (!h.busy) StartNext(holder);
}

int AttentionQueues::PickKind(const Holder& h) {
  int lowest = -1, oldest = -1;
  for (int k = 0; k < kinds_; ++k) {
    if (h.waiting[k].empty()) continue;
    if (lowest < 0) lowest = k;
    // Ties in arrival go to the lower kind, so FIFO is deterministic.
    if (oldest < 0 || h.waiting[k].front().arrived < h.waiting[oldest].front().arrived) oldest = k;
  }
  if (lowest < 0 || lowest == oldest) return lowest;  // no choice to make
  switch (rule_) {
    case AttentionRule::kPriority:
      return lowest;
    case AttentionRule::kFifo:
      return oldest;
    case AttentionRule::kMix:
      return rng_.NextUniform() < mix_priority_share_ ? lowest : oldest;
  }
  return lowest;
}

void AttentionQueues::StartNext(int holder) {
  Holder& h = holders_[holder];
  const int kind = PickKind(h);
  if (kind < 0) {
    h.busy = false;
    return;
  }
  Entry entry = std::move(h.waiting[kind].front());
  h.waiting[kind].pop_front();
  KindStats& s = h.kinds[kind];
  ++s.started;
  s.wait_days_sum += kernel::ToDays(sim_.Now() - entry.arrived);
  h.busy = true;
  h.busy_since = sim_.Now();
  h.current_hours = entry.mean_hours > 0 ? kernel::Exponential(rng_, entry.mean_hours) : 0.0;
  h.current_effect = std::move(entry.effect);
  sim_.Schedule(kernel::Days(h.current_hours / h.hours_per_day), done_,
                static_cast<kernel::EventPayload>(holder));
}

void AttentionQueues::Done(int holder) {
  Holder& h = holders_[holder];
  h.finished_hours += h.current_hours;
  std::function<void()> effect = std::move(h.current_effect);
  h.current_effect = nullptr;
  h.busy = false;
  if (effect) effect();
  // The effect may have posted to this holder and started it already.
  if (!holders_[holder].busy) StartNext(holder);
}

double AttentionQueues::HoursSpent(int holder, kernel::SimTime now) const {
  const Holder& h = holders_[holder];
  double hours = h.finished_hours;
  if (h.busy) {
    hours += std::min(h.current_hours, kernel::ToDays(now - h.busy_since) * h.hours_per_day);
  }
  return hours;
}

std::int64_t AttentionQueues::Waiting(int holder, int kind) const {
  return static_cast<std::int64_t>(holders_[holder].waiting[kind].size());
}

double AttentionQueues::WaitingDaysSum(int holder, int kind, kernel::SimTime now) const {
  double sum = 0;
  for (const Entry& e : holders_[holder].waiting[kind]) sum += kernel::ToDays(now - e.arrived);
  return sum;
}

}  // namespace orgsim::model
