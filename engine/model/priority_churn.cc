#include "engine/model/priority_churn.h"

#include <algorithm>
#include <functional>
#include <string>

#include "engine/kernel/distributions.h"
#include "engine/model/world.h"

namespace orgsim::model {

PriorityChurn::PriorityChurn(World& world) : w_(world) {}

bool PriorityChurn::on() const { return w_.cfg.mechanisms.priority_churn; }

void PriorityChurn::RegisterHandlers(kernel::Simulation& sim) {
  (void)sim;
  if (!on()) return;
  w_.messages.Declare<TeamReranks>();
  w_.messages.Declare<AbandonWork>();
}

void PriorityChurn::Receive(const Message& message) {
  if (const TeamReranks* adopted = message.As<TeamReranks>()) Rerank(adopted->team);
}

double PriorityChurn::EffortSpent(int id, int engineer_index) const {
  const WorkItem& item = w_.backlog.item(id);
  const EngineerState& e = w_.delivery.engineers()[engineer_index];
  double remaining = std::max(0.0, item.remaining);
  // Delivery accounts progress lazily: add what was done since its update.
  if (std::find(e.items.begin(), e.items.end(), id) != e.items.end()) {
    remaining = std::max(0.0, remaining - e.item_rate * kernel::ToDays(w_.sim.Now() - e.updated));
  }
  return std::max(0.0, item.effort + item.rework - remaining);
}

void PriorityChurn::Rerank(int team) {
  const Delivery& delivery = w_.delivery;
  const Backlog& backlog = w_.backlog;
  // The team's started work, and the scores of what waits (best first).
  std::vector<std::pair<int, int>> started;  // item, engineer index
  const std::vector<EngineerState>& engineers = delivery.engineers();
  for (std::size_t i = 0; i < engineers.size(); ++i) {
    if (engineers[i].team != team) continue;
    for (int id : engineers[i].items) started.emplace_back(id, static_cast<int>(i));
    for (int id : engineers[i].held) started.emplace_back(id, static_cast<int>(i));
  }
  if (started.empty()) return;
  std::vector<double> waiting;
  for (int id : backlog.queue()) {
    const WorkItem& item = backlog.item(id);
    if (item.eligible && item.scored) waiting.push_back(item.score);
  }
  std::sort(waiting.begin(), waiting.end(), std::greater<>());
  const auto hands = static_cast<std::ptrdiff_t>(started.size());
  const double protection = w_.cfg.organization.operating.priority_churn.wip_protection;
  for (const auto& [id, engineer] : started) {
    const WorkItem& item = backlog.item(id);
    if (item.committed || !item.scored || item.dim < 0 || item.source == ItemSource::kDebt) {
      continue;
    }
    // Queued items the new plan ranks above this one.
    const auto ahead =
        std::upper_bound(waiting.begin(), waiting.end(), item.score, std::greater<>()) -
        waiting.begin();
    if (ahead < hands) continue;                                         // still on the plan
    if (kernel::Bernoulli(w_.rng.priority_churn, protection)) continue;  // finished anyway
    const double lost = EffortSpent(id, engineer);
    abandoned_effort_ += lost;
    ++abandoned_items_;
    if (w_.trace.on()) {
      w_.trace.Emit(w_.sim.Now(), engineers[engineer].agent, "work_abandoned", lost,
                    static_cast<double>(ahead),
                    "item " + std::to_string(id) + " is abandoned at a re-rank after " +
                        std::to_string(lost).substr(0, 4) + " engineer-days of work (" +
                        std::to_string(ahead) + " queued items now rank higher)");
    }
    w_.messages.Send(*this, w_.delivery, AbandonWork{id}, 0);
  }
}

void PriorityChurn::Finish(kernel::SimTime end) {
  (void)end;
  // Everything spent on started work: shipped items (all attempts), the
  // abandoned work, and what is in progress at the horizon.
  double in_progress = 0.0;
  const std::vector<EngineerState>& engineers = w_.delivery.engineers();
  for (std::size_t i = 0; i < engineers.size(); ++i) {
    for (int id : engineers[i].items) in_progress += EffortSpent(id, static_cast<int>(i));
    for (int id : engineers[i].held) in_progress += EffortSpent(id, static_cast<int>(i));
  }
  started_effort_ = w_.delivery.tally().effort_done + abandoned_effort_ + in_progress;
}

std::vector<MetricDef> PriorityChurn::Metrics() {
  return {
      DefineMetric<PriorityChurn>(
          {"wip_abandoned_fraction", "fraction",
           "Effort lost on started items abandoned at re-ranks / all effort spent on started "
           "items (shipped, abandoned, in progress at the horizon)",
           Better::kLower, "Share of started work abandoned"},
          [](const PriorityChurn& c, const World&) {
            return SafeDiv(c.abandoned_effort(), c.started_effort());
          }),
      DefineMetric<PriorityChurn>(
          {"items_abandoned", "items", "Started items abandoned at re-ranks (each abandonment)",
           Better::kLower, "Started items abandoned"},
          [](const PriorityChurn& c, const World&) {
            return static_cast<double>(c.abandoned_items());
          }),
  };
}

}  // namespace orgsim::model
