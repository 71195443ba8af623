// PriorityChurn: a re-rank that abandons started work wastes it
// (mechanisms.priority_churn; organization.operating.priority_churn).
//
// A re-rank is an engineering team adopting a new plan (Product tells this
// module with TeamReranks), so its frequency is the planning interval and
// its reach the plan's adoption. At that moment each item the team has
// started (in progress or stalled on an exception) is off the plan when at
// least as many eligible queued items now outrank it (PM score) as the
// team has started items: the plan would fill the team's hands with other
// work. Committed (dated) items and unscored work (debt, items without a
// need) are kept. An off-plan item is kept with probability wip_protection
// (the team finishes what it started); otherwise it is abandoned: Delivery
// takes it off its engineer (AbandonWork), the effort spent on it so far
// (all its attempts) is lost, and it goes back to the backlog to start over
// if picked again.
//
// Draws from "org/priority_churn" only. Trace kind: work_abandoned.
// Metrics: wip_abandoned_fraction (abandoned started effort / all effort
// spent on started items: completed, abandoned or in progress at the
// horizon), items_abandoned.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/kernel/sim_time.h"
#include "engine/model/mechanism.h"

namespace orgsim::model {

struct World;

// Message from Product: engineering team `team` (roster index) adopted a
// new plan.
struct TeamReranks {
  static constexpr std::string_view kEventKind = "churn/plan_adopted";
  int team = 0;
};

// Message to Delivery: stop working item `item` and return it to the
// backlog (its work so far is lost).
struct AbandonWork {
  static constexpr std::string_view kEventKind = "churn/abandon";
  int item = 0;
};

class PriorityChurn : public Mechanism {
 public:
  explicit PriorityChurn(World& world);
  // With the switch on: declares TeamReranks and AbandonWork.
  void RegisterHandlers(kernel::Simulation& sim) override;
  // TeamReranks: re-rank the team's started work.
  void Receive(const Message& message) override;
  // Adds the effort of work still in progress to the started effort.
  void Finish(kernel::SimTime end) override;
  // wip_abandoned_fraction, items_abandoned.
  static std::vector<MetricDef> Metrics();

  bool on() const;
  double abandoned_effort() const { return abandoned_effort_; }
  std::int64_t abandoned_items() const { return abandoned_items_; }
  // Effort (ideal engineer-days) spent on started items, after Finish.
  double started_effort() const { return started_effort_; }

 private:
  void Rerank(int team);
  // Effort spent so far on a started item, all attempts, up to now.
  double EffortSpent(int item, int engineer_index) const;

  World& w_;
  double abandoned_effort_ = 0, started_effort_ = 0;
  std::int64_t abandoned_items_ = 0;
};

}  // namespace orgsim::model
