// Work items and the backlog: where work comes from and in which order it
// is taken.
//
// Sources: exogenous arrivals (queueing scenarios), executive/founder ideas,
// PM discovery, single-customer sales requests, problem-signal fixes,
// engineering ideas and tech-debt paydown. Every item has a true effort,
// a true efficacy (does it help customers at all?), and — when it targets a
// problem dimension — a segment scope. What the organization *believes*
// (estimated value, effort) is kept apart from the truth.
//
// Ordering when an engineer pulls (Backlog::Pick):
//   1. a debt item with probability = debt share ("off the top");
//   2. committed dated requests, earliest deadline first (date-driven);
//   3. with probability mandate × (engineering team aligned): the PM's
//      ranking (score = estimated value^outcome_orientation / est. effort);
//   4. otherwise stakeholder order: executive ideas and sales requests,
//      then everything else, first come first served.
// Only items "eligible" may start (sprint batching, see Delivery).
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "engine/kernel/sim_time.h"
#include "engine/model/mechanism.h"
#include "engine/model/metrics.h"

namespace orgsim::model {

struct World;

enum class ItemSource : std::uint8_t {
  kExogenous = 0,
  kExecutive = 1,
  kDiscovery = 2,
  kSalesRequest = 3,
  kSignalFix = 4,
  kEngineering = 5,
  kDebt = 6,
};

struct WorkItem {
  enum class State : std::uint8_t { kQueued, kInProgress, kDone, kDropped };
  ItemSource source = ItemSource::kExogenous;
  State state = State::kQueued;
  bool committed = false;      // date committed (date-driven roadmap)
  bool eligible = true;        // may start (sprint batching)
  bool pm_ranked = false;      // pulled by the PM's ranking
  bool buy_in = true;          // the pulling team adopted the plan with buy-in
  bool scored = false;         // has a PM score (frozen plans score at planning)
  int origin = -1;             // agent who originated it (-1: market/none)
  int dim = -1;                // problem dimension, -1 = none
  int lead = -1;               // requesting lead, -1 = none
  int engineer = -1;           // agent working it
  int team = -1;               // roster team of that engineer
  double effort = 0.0;         // true effort, ideal engineer-days
  double est_effort = 0.0;     // believed effort
  double remaining = 0.0;      // effort left in the current attempt
  double efficacy = 0.0;       // true efficacy
  double est_efficacy = 0.0;   // believed efficacy
  double generality = 1.0;     // share of impact that generalises to the market
  double understanding = 1.0;  // builders' understanding of the why (0–1)
  double understanding_start = 1.0;
  double rework = 0.0;              // rework effort added
  double integration_rework = 0.0;  // the part of it from integration conflicts
  double score = 0.0;               // PM ranking score
  double deadline_day = std::numeric_limits<double>::infinity();
  kernel::SimTime created = 0;
  kernel::SimTime started = -1;
  kernel::SimTime finished = -1;
  kernel::SimTime signal_time = -1;  // for signal fixes: when the signal arose
  // Where most of the builders' misunderstanding came from (trace only):
  // 0 none, 1 distance (hops and layers between customers and builders),
  // 2 an under-specified ticket, 3 a plan followed without buy-in.
  std::uint8_t why_loss = 0;
  // Cache of the true value density (decision-quality metric only).
  double density_cache = 0.0;
  std::uint64_t density_version = ~0ull;
};

// Product, Sales, Arrivals -> Backlog: file a new work item. It gets the
// next id (Backlog::items().size() before) unless a full backlog drops a
// droppable one (ideas).
struct FileWorkItem {
  static constexpr std::string_view kEventKind = "backlog/file";
  WorkItem item;
};
// Product -> Backlog: the plan changes: rescore every queued item.
struct RescoreBacklog {
  static constexpr std::string_view kEventKind = "backlog/rescore";
};
// Sales -> Backlog: a queued item nobody needs any more (a lost deal's
// request) leaves the backlog.
struct DropWorkItem {
  static constexpr std::string_view kEventKind = "backlog/drop";
  int item = -1;
};

class Backlog : public Mechanism {
 public:
  explicit Backlog(World& world);
  // FileWorkItem, RescoreBacklog, DropWorkItem.
  void Receive(const Message& message) override;
  // Starts the backlog-length average (from warm-up).
  void Init() override;
  // kSprint: strict sprints open every queued item; outcome-driven
  // roadmaps rescore.
  void OnPhase(const PhaseTick& tick) override;
  // Closes the backlog-length average.
  void Finish(kernel::SimTime end) override;
  // backlog length, decision quality.
  static std::vector<MetricDef> Metrics();

  // Adds an item; returns its id, or -1 if the backlog is full and the item
  // is droppable (ideas).
  int Add(WorkItem item);
  // Items are named by id; everybody reads them, and only the operations
  // below (the work done on an item, by Delivery) change them.
  const WorkItem& item(int id) const { return items_[id]; }
  const std::vector<WorkItem>& items() const { return items_; }
  int queued() const { return static_cast<int>(queue_.size()); }
  // Queued items that may start now.
  int eligible() const { return eligible_; }
  const std::vector<int>& queue() const { return queue_; }

  // Chooses the next item for an engineer of roster team `team`, removes it
  // from the queue and returns its id; -1 if nothing eligible.
  int Pick(int team);

  // Trace only (0 when tracing is off): how many eligible items the plan
  // ranks higher than the last pick, when that pick was a sales request or
  // a founder idea taken out of the plan's order (stakeholder order or a
  // committed date). 0 = the pick followed the plan.
  int last_jump_ahead() const { return last_jump_ahead_; }

  // Recomputes the PM score of every queued item (planning / sprint).
  void Rescore();
  // Scores one item with current knowledge (no-op for frozen plans unless
  // `force`).
  void Score(int id, bool force);
  // Marks every queued item eligible (sprint boundary).
  void MakeAllEligible();
  // Removes a queued item (e.g. a request whose deal was lost).
  void Drop(int id);
  // True value of an item given the current market (for decision quality).
  double TrueValue(const WorkItem& item) const;

  // --- The work on a picked item (Delivery) ---
  // Engineer agent `engineer` of roster team `team` starts item `id` now:
  // in progress, the whole effort remaining.
  void MarkStarted(int id, kernel::SimTime now, int engineer, int team);
  // The builders' understanding of the why at the start, and where most of
  // its loss came from (WorkItem::why_loss).
  void SetInitialUnderstanding(int id, double understanding, std::uint8_t why_loss);
  // `done` ideal engineer-days of progress on the current attempt.
  void Progress(int id, double done) { items_[id].remaining -= done; }
  // The current attempt is over (nothing remains of it).
  void EndAttempt(int id) { items_[id].remaining = 0.0; }
  // Why an attempt did not ship.
  enum class ReworkCause : std::uint8_t { kMisunderstood, kIntegration };
  // The attempt needs `effort` more (a new attempt); a misunderstood item's
  // builders now understand `understanding`.
  void AddRework(int id, double effort, ReworkCause cause, double understanding);
  // The item shipped at `now`.
  void MarkDone(int id, kernel::SimTime now);
  // A started item was abandoned (priority_churn.h): it goes back to the
  // queue in arrival order, eligible, with its attempts' work and rework
  // forgotten (it starts over if picked again).
  void Requeue(int id);

 private:
  int PickEdf();
  void NoteJump(int id, bool pm_order);
  int PickBest(bool stakeholder_order);
  double TrueDensity(WorkItem& item) const;
  void RemoveAt(std::size_t pos);

  World& w_;
  std::vector<WorkItem> items_;
  std::vector<int> queue_;  // queued item ids in arrival order
  int eligible_ = 0;        // queued and eligible
  int last_jump_ahead_ = 0;
  // Tallies for the metrics (Metrics()).
  TimeAverage length_average_;        // queued items, from warm-up
  double decision_value_picked_ = 0;  // sum of picks' value percentiles
  std::int64_t decision_picks_ = 0;
};

}  // namespace orgsim::model
