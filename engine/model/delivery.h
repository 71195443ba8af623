// Delivery: engineers turn work items into releases.
//
// Each active engineer works up to operating.max_items_per_engineer items at
// once (processor sharing). With k items each progresses at
//   speed / (k · (1 + context_switch_cost · (k − 1)))
// ideal engineer-days per day, where
//   speed = work_days_per_week/7 × (1 − overhead hours / contract hours)
//           × ramp-up × 1/(1 + debt_drag · debt).
// Overhead = ceremonies + framework process + planning + interruptions not
// absorbed by layers + direct customer hours. Speeds are recomputed weekly
// (piecewise constant), so each engineer has one pending completion event.
//
// At each completion attempt the item needs rework with probability
// rework_max_probability × (1 − understanding); rework adds effort and
// raises understanding. Otherwise it ships (Release).
//
// With everything off (max 1 item, no overheads, no rework, 7-day weeks) an
// engineer is a server of rate 1 and the team is an M/G/c FIFO queue.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/kernel/simulation.h"
#include "engine/model/mechanism.h"
#include "engine/model/metrics.h"
#include "engine/model/work.h"

namespace orgsim::model {

struct World;

// Backlog -> Delivery: an eligible item entered the backlog; idle
// engineers pull (PullAll).
struct WorkAvailable {
  static constexpr std::string_view kEventKind = "delivery/work_available";
};

struct EngineerState {
  int agent = -1;
  int team = -1;  // roster team
  bool active = false;
  kernel::SimTime hired = 0;
  double speed = 0.0;           // ideal days per day
  double item_rate = 0.0;       // per item, given current load
  std::vector<int> items;       // in progress
  std::vector<int> held;        // work done, stalled on an exception (exceptions.h)
  kernel::SimTime updated = 0;  // progress accounted up to here
  kernel::EventId completion;
  int completing = -1;  // item due at the pending event
};

class Delivery : public Mechanism {
 public:
  // What delivery tallies for its metrics (and product's signal_fix_days_mean).
  struct Tally {
    TimeAverage wip;  // items in progress, from warm-up
    // Completed after warm-up (the flow metrics), and in all.
    std::int64_t items_completed = 0, items_completed_all = 0;
    double cycle_sum_days = 0, lead_sum_days = 0;
    // Effort of completed items: all of it, the rework, its integration part.
    double effort_done = 0, rework_done = 0, integration_rework_done = 0;
    // Builders' understanding at start, weighted by effort (customer-facing).
    double understanding_weighted = 0, understanding_weight = 0;
    std::int64_t features_shipped = 0;
    double feature_effort = 0;  // effort (with rework) of shipped features
    // Shipped fixes of problem signals and their signal-to-ship days.
    std::int64_t signal_fixes = 0;
    double signal_fix_days_sum = 0;
    // The customer "why" of each customer-facing item started, market ->
    // its originator -> its builder (C7). Latency sums cover reachable paths
    // only; an unreachable path adds fidelity 0 and counts as broken.
    std::int64_t why_paths = 0, why_paths_broken = 0;
    double why_latency_sum = 0, why_fidelity_sum = 0;
    double overhead_hours = 0, engineer_hours = 0;  // capacity accounting
    // In-progress days of spells ended by abandonment after warm-up
    // (priority_churn.h): departures from WIP for Little's law.
    double abandoned_spell_days = 0;
  };

  // `backlog`: the one mutable grant of the model (world.h): Delivery
  // works the backlog's items.
  Delivery(World& world, Backlog& backlog);
  // Registers "delivery/completion".
  void RegisterHandlers(kernel::Simulation& sim) override;
  void Init() override;
  // kWeek: Weekly(); kSprint: PullAll().
  void OnPhase(const PhaseTick& tick) override;
  // Closes the WIP average.
  void Finish(kernel::SimTime end) override;
  // flow (cycle time, WIP, throughput), rework, understanding, debt.
  static std::vector<MetricDef> Metrics();

  // Recompute speeds (debt, ramp-up, overheads) and reschedule; weekly.
  void Weekly();
  // Something was added to the backlog or became eligible: idle capacity
  // pulls work.
  void PullAll();
  // Handler: engineer (payload: index into engineers()) completes an attempt.
  void OnCompletion(int engineer);
  // WorkAvailable: idle engineers pull; ExceptionSettled: a held item goes
  // on; AbandonWork: an item is dropped back to the backlog
  // (priority_churn.h).
  void Receive(const Message& message) override;
  // An engineer joined: Activate(agent).
  void OnAgentJoined(int agent) override;
  // A hire activated engineer agent `agent`.
  void Activate(int agent);

  // Overhead hours per week of an engineer (for capacity accounting).
  double OverheadHoursPerWeek(int team) const;
  double EngineerHoursPerWeek(int team) const;
  // Estimated days until a new item of `est_effort` could be done if put
  // behind the committed work (date commitments).
  double CommitmentEstimateDays(double est_effort) const;
  double debt() const { return debt_; }
  const Tally& tally() const { return tally_; }
  int in_progress() const { return in_progress_; }
  int active_engineers() const { return active_count_; }
  const std::vector<EngineerState>& engineers() const { return engineers_; }
  double team_speed() const;
  // Items started so far (the PM's admin load follows the weekly
  // difference).
  std::int64_t starts() const { return starts_; }
  void AddDebt(double d) { debt_ = d + debt_ < 0 ? 0 : debt_ + d; }

 private:
  void Advance(EngineerState& e, kernel::SimTime now);
  void Reschedule(int index);
  bool TryPull(int index);
  int WipLimit() const;
  void Start(int index, int item);
  double Speed(const EngineerState& e) const;
  // How the customer "why" of an item reached its builders (C7, C9):
  // market -> originator -> building team.
  struct WhyPath {
    int origin = 0;         // originator vertex (the market itself if none)
    double fidelity = 0.0;  // most reliable paths, to the team's members on average
    double latency = 0.0;   // fastest paths, to the builder (+inf if none)
  };
  // The why path of `item` started by engineer agent `builder` of `team`;
  // nullopt for work without a customer why (exogenous, debt, engineering
  // ideas).
  std::optional<WhyPath> WhyPathOf(const WorkItem& item, int team, int builder) const;
  // Also returns in *cause the main source of misunderstanding
  // (WorkItem::why_loss).
  double InitialUnderstanding(const WorkItem& item, const std::optional<WhyPath>& path, int team,
                              std::uint8_t* cause) const;
  // Adds a started item's why path to the recorder (why_path_* metrics).
  void RecordWhyPath(const WhyPath& path);
  // The path in words, for the `start` trace.
  std::string WhyPathText(const WhyPath& path) const;
  // At a completion attempt: whether the item conflicts with the other work
  // in progress and coordination missed it; if so, adds integration rework.
  bool IntegrationConflict(EngineerState& e, int item);
  void Release(int item);
  // The engineer index working (or holding) item `id`, or -1.
  int EngineerOf(int id) const;

  World& w_;
  Backlog& backlog_;
  kernel::HandlerId completion_handler_ = 0;
  Tally tally_;
  std::vector<EngineerState> engineers_;
  std::vector<int> engineer_of_agent_;  // agent id → index, -1
  int in_progress_ = 0;
  int active_count_ = 0;
  std::int64_t starts_ = 0;
  double debt_ = 0.0;
  bool pulling_ = false;
};

}  // namespace orgsim::model
