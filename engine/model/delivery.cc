#include "engine/model/delivery.h"

#include <algorithm>
#include <cmath>

#include "engine/kernel/check.h"
#include "engine/kernel/distributions.h"
#include "engine/model/world.h"

namespace orgsim::model {

Delivery::Delivery(World& world, Backlog& backlog) : w_(world), backlog_(backlog) {}

void Delivery::Init() {
  engineer_of_agent_.assign(w_.roster.agents.size(), -1);
  for (const Agent& a : w_.roster.agents) {
    if (a.role != Role::kEngineering) continue;
    EngineerState e;
    e.agent = a.id;
    e.team = a.team;
    e.active = a.initially_active;
    e.hired = -1;  // on board from the start: fully ramped
    e.items.reserve(static_cast<std::size_t>(w_.cfg.organization.operating.max_items_per_engineer));
    engineer_of_agent_[a.id] = static_cast<int>(engineers_.size());
    engineers_.push_back(std::move(e));
    if (a.initially_active) ++active_count_;
  }
  for (EngineerState& e : engineers_) e.speed = Speed(e);
  tally_.wip.Start(w_.warmup, 0.0);
}

double Delivery::EngineerHoursPerWeek(int team) const {
  return w_.roster.teams[team].hours_per_day * w_.cfg.delivery.work_days_per_week;
}

double Delivery::OverheadHoursPerWeek(int team) const {
  const OperatingModelConfig& op = w_.cfg.organization.operating;
  const MechanismConfig& mech = w_.cfg.mechanisms;
  double hours = 0.0;
  if (mech.ceremonies) {
    hours += op.ceremony_hours_per_week +
             op.framework_adherence * op.framework_overhead_hours_per_week +
             op.planning_hours_per_event * 7.0 / op.planning_interval_days;
  }
  if (mech.interruptions) {
    hours += op.interruption_hours_per_week *
             std::pow(1.0 - op.layer_shield_fraction, op.layers_between_engineers_and_customers);
  }
  if (op.layers_between_engineers_and_customers == 0) hours += op.engineer_customer_hours_per_week;
  // Prototypes for last week's discovery ideas, shared by the engineers.
  hours += w_.product.prototype_hours() / std::max(1, active_count_);
  // Writing and reading relays of beliefs (mechanisms.beliefs).
  hours += w_.beliefs.HoursPerPersonPerWeek(team);
  hours += w_.coordination.OverheadHoursPerWeek(team);  // 0 unless mechanisms.coordination
  return hours;
}

double Delivery::Speed(const EngineerState& e) const {
  if (!e.active) return 0.0;
  const DeliveryConfig& dc = w_.cfg.delivery;
  const double share =
      std::max(0.0, 1.0 - OverheadHoursPerWeek(e.team) / EngineerHoursPerWeek(e.team));
  double ramp = 1.0;
  if (w_.workforce.active()) {
    ramp = w_.workforce.CapacityFactor(e.agent);  // ramp, mentoring, overtime, rework
  } else if (e.hired >= 0 && dc.ramp_up_days > 0) {
    ramp = std::clamp(kernel::ToDays(w_.sim.Now() - e.hired) / dc.ramp_up_days, 0.25, 1.0);
  }
  double drag = 1.0;
  if (w_.cfg.mechanisms.tech_debt) drag = 1.0 / (1.0 + w_.cfg.work.debt_drag * debt_);
  return dc.work_days_per_week / 7.0 * share * ramp * drag;
}

double Delivery::team_speed() const {
  double sum = 0.0;
  for (const EngineerState& e : engineers_) sum += e.speed;
  return sum;
}

int Delivery::WipLimit() const {
  const int limit = w_.cfg.organization.operating.wip_limit;
  return limit > 0 ? limit : 1 << 30;
}

void Delivery::Advance(EngineerState& e, kernel::SimTime now) {
  if (now > e.updated && !e.items.empty() && e.item_rate > 0) {
    const double done = e.item_rate * kernel::ToDays(now - e.updated);
    for (int id : e.items) backlog_.Progress(id, done);
  }
  e.updated = now;
}

void Delivery::Reschedule(int index) {
  EngineerState& e = engineers_[index];
  if (e.completion.valid()) w_.sim.Cancel(e.completion);
  e.completion = {};
  e.completing = -1;
  const int k = static_cast<int>(e.items.size());
  if (k == 0 || e.speed <= 0) {
    e.item_rate = 0.0;
    return;
  }
  const double cs = w_.cfg.organization.operating.context_switch_cost;
  e.item_rate = e.speed / (k * (1.0 + cs * (k - 1)));
  int next = e.items.front();
  for (int id : e.items) {
    if (backlog_.item(id).remaining < backlog_.item(next).remaining) next = id;
  }
  const double days = std::max(0.0, backlog_.item(next).remaining) / e.item_rate;
  e.completing = next;
  e.completion = w_.sim.Schedule(kernel::Days(days), completion_handler_,
                                 static_cast<kernel::EventPayload>(index));
}

void Delivery::Weekly() {
  const kernel::SimTime now = w_.sim.Now();
  double overhead_week = 0.0, hours_week = 0.0, ceremony_week = 0.0;
  const OperatingModelConfig& op = w_.cfg.organization.operating;
  for (std::size_t i = 0; i < engineers_.size(); ++i) {
    EngineerState& e = engineers_[i];
    if (!e.active) continue;
    Advance(e, now);
    const double speed = Speed(e);
    overhead_week += OverheadHoursPerWeek(e.team);
    hours_week += EngineerHoursPerWeek(e.team);
    if (w_.cfg.mechanisms.ceremonies) {
      ceremony_week += op.ceremony_hours_per_week +
                       op.framework_adherence * op.framework_overhead_hours_per_week +
                       op.planning_hours_per_event * 7.0 / op.planning_interval_days;
    }
    if (speed != e.speed) {
      e.speed = speed;
      Reschedule(static_cast<int>(i));
    }
  }
  // Capacity accounting for the coming week (the last partial week is
  // prorated by the recorder's users through the horizon).
  const double weeks = std::min(1.0, kernel::ToDays(w_.horizon - now) / 7.0);
  tally_.overhead_hours += overhead_week * weeks;
  tally_.engineer_hours += hours_week * weeks;
  w_.ceremony_hours += ceremony_week * weeks;
}

void Delivery::OnAgentJoined(int agent) {
  if (w_.roster.agents[agent].role == Role::kEngineering) Activate(agent);
}

void Delivery::Activate(int agent) {
  const int index = engineer_of_agent_[agent];
  if (index < 0) return;
  EngineerState& e = engineers_[index];
  if (e.active) return;
  e.active = true;
  e.hired = w_.sim.Now();
  e.updated = w_.sim.Now();
  e.speed = Speed(e);
  ++active_count_;
  PullAll();
}

double Delivery::CommitmentEstimateDays(double est_effort) const {
  double load = est_effort;
  for (int id : backlog_.queue()) {
    const WorkItem& item = backlog_.item(id);
    if (item.committed) load += item.est_effort;
  }
  for (const EngineerState& e : engineers_) {
    for (int id : e.items) {
      const WorkItem& item = backlog_.item(id);
      if (item.committed) load += std::max(0.0, item.remaining);
    }
  }
  // Committed work goes first (earliest deadline first) on the whole team;
  // an item itself is worked by one engineer.
  const double speed = std::max(1e-3, team_speed());
  const double one = std::max(1e-3, speed / std::max(1, active_count_));
  return std::max(load / speed, est_effort / one);
}

std::optional<Delivery::WhyPath> Delivery::WhyPathOf(const WorkItem& item, int team,
                                                     int builder) const {
  if (item.source == ItemSource::kExogenous || item.source == ItemSource::kDebt ||
      item.source == ItemSource::kEngineering) {
    return std::nullopt;
  }
  const PreparedModelImpl& prep = w_.prep;
  const int market = w_.roster.market_vertex;
  WhyPath path;
  path.origin = item.origin >= 0 ? item.origin : market;
  // What the originator knows of the customer problem, times what survives
  // the path from the originator to the builders.
  path.fidelity =
      prep.measures.Fidelity(market, path.origin) * prep.FidelityToTeam(path.origin, team);
  path.latency =
      prep.measures.Latency(market, path.origin) + prep.measures.Latency(path.origin, builder);
  return path;
}

void Delivery::RecordWhyPath(const WhyPath& path) {
  Tally& tally = tally_;
  ++tally.why_paths;
  tally.why_fidelity_sum += path.fidelity;
  if (std::isfinite(path.latency) && path.fidelity > 0) {
    tally.why_latency_sum += path.latency;
  } else {
    ++tally.why_paths_broken;
  }
}

std::string Delivery::WhyPathText(const WhyPath& path) const {
  const std::string via = path.origin == w_.roster.market_vertex
                              ? std::string("directly")
                              : "via " + w_.roster.agents[path.origin].name;
  if (!std::isfinite(path.latency) || path.fidelity <= 0) {
    return " (no path carries the customer why from the market " + via + " to the builders)";
  }
  return " (the customer why travelled from the market " + via + " in " +
         std::to_string(path.latency).substr(0, 4) + " days, path fidelity " +
         std::to_string(path.fidelity).substr(0, 4) + ")";
}

double Delivery::InitialUnderstanding(const WorkItem& item, const std::optional<WhyPath>& path,
                                      int team, std::uint8_t* cause) const {
  *cause = 0;
  if (!path) return 1.0;
  const ModelConfig& cfg = w_.cfg;
  const PreparedModelImpl& prep = w_.prep;
  double u = 1.0 - (1.0 - path->fidelity) * (1.0 - prep.direct_channel[team]);
  if (cfg.mechanisms.ceremonies && cfg.organization.operating.ceremony_hours_per_week > 0) {
    u = 1.0 - (1.0 - u) * (1.0 - prep.ceremony_why_benefit);
  }
  // With beliefs, the why is what the team believes of the need vs the
  // truth (contact, relays and ceremonies are already in that belief).
  if (cfg.mechanisms.beliefs) u = w_.beliefs.WhyUnderstanding(team, item.dim);
  const double designers = w_.ActiveWithRole(Role::kDesign);
  if (designers > 0) {
    const double share = designers / (designers + std::max(1, active_count_) / 6.0);
    u += cfg.delivery.design_boost * share * (1.0 - u);
  }
  const double floor = cfg.organization.pm.underspecified_understanding;
  const double spec = floor + (1.0 - floor) * w_.product.SpecCoverage();
  const double buy_in =
      item.pm_ranked && !item.buy_in ? cfg.organization.pm.no_buy_in_understanding : 1.0;
  // The biggest of the three losses names the cause (trace only).
  const double losses[3] = {1.0 - u, 1.0 - spec, 1.0 - buy_in};
  double biggest = 0.01;
  for (int k = 0; k < 3; ++k) {
    if (losses[k] > biggest) {
      biggest = losses[k];
      *cause = static_cast<std::uint8_t>(k + 1);
    }
  }
  u *= spec * buy_in;
  // Only the non-obvious part of the why can be lost (market.problem_novelty).
  u = 1.0 - cfg.market.problem_novelty * (1.0 - std::clamp(u, 0.0, 1.0));
  return std::clamp(u, 0.0, 1.0);
}

bool Delivery::IntegrationConflict(EngineerState& e, int id) {
  const ModelConfig& cfg = w_.cfg;
  const double coupling = cfg.delivery.integration_coupling;
  const int others = in_progress_ - 1;
  if (!cfg.mechanisms.rework || coupling <= 0.0 || others <= 0) return false;
  const double caught = w_.prep.ceremony_coordination;
  const double p = (1.0 - std::exp(-coupling * others)) * (1.0 - caught);
  if (!kernel::Bernoulli(w_.rng.integration[e.team], p)) return false;
  const WorkItem& item = backlog_.item(id);
  const double extra = cfg.delivery.rework_effort_fraction * item.effort;
  backlog_.AddRework(id, extra, Backlog::ReworkCause::kIntegration, item.understanding);
  if (w_.trace.on()) {
    w_.trace.Emit(
        w_.sim.Now(), e.agent, "integration_rework", extra, others,
        "item " + std::to_string(id) + " conflicts with " + std::to_string(others) +
            " other items in progress and needs integration rework (coordination caught " +
            std::to_string(static_cast<int>(std::lround(100 * caught))) + "% of conflicts)");
  }
  return true;
}

void Delivery::Start(int index, int id) {
  EngineerState& e = engineers_[index];
  const kernel::SimTime now = w_.sim.Now();
  Advance(e, now);
  backlog_.MarkStarted(id, now, e.agent, e.team);
  const WorkItem& item = backlog_.item(id);
  const std::optional<WhyPath> why = WhyPathOf(item, e.team, e.agent);
  std::uint8_t why_loss = 0;
  const double understanding = InitialUnderstanding(item, why, e.team, &why_loss);
  backlog_.SetInitialUnderstanding(id, understanding, why_loss);
  if (why) RecordWhyPath(*why);
  if (w_.exceptions.on()) w_.messages.Send(*this, w_.exceptions, WorkStarted{id, e.agent}, 0);
  e.items.push_back(id);
  ++in_progress_;
  ++starts_;
  tally_.wip.Set(now, in_progress_);
  if (w_.trace.on() && item.source != ItemSource::kExogenous) {
    w_.trace.Emit(now, e.agent, "start", item.effort, item.understanding,
                  "starts item " + std::to_string(id) + (item.pm_ranked ? " (PM ranking)" : "") +
                      ", why-understanding " + std::to_string(item.understanding).substr(0, 4) +
                      (why ? WhyPathText(*why) : std::string()));
  }
  Reschedule(index);
}

bool Delivery::TryPull(int index) {
  EngineerState& e = engineers_[index];
  if (!e.active || w_.workforce.Vacant(e.agent)) return false;
  if (static_cast<int>(e.items.size()) >= w_.cfg.organization.operating.max_items_per_engineer)
    return false;
  if (in_progress_ >= WipLimit()) return false;
  const int id = backlog_.Pick(e.team);
  if (id < 0) return false;
  Start(index, id);
  if (w_.trace.on() && backlog_.last_jump_ahead() > 0) {
    const WorkItem& item = backlog_.item(id);
    const bool sales = item.source == ItemSource::kSalesRequest;
    w_.trace.Emit(
        w_.sim.Now(), e.agent, "roadmap_jump", backlog_.last_jump_ahead(),
        static_cast<double>(item.source),
        std::string(sales ? (item.committed ? "a committed sales request" : "a sales request")
                          : "a founder idea") +
            " (item " + std::to_string(id) + ") pulls " + w_.roster.agents[e.agent].name +
            " off the roadmap, ahead of " + std::to_string(backlog_.last_jump_ahead()) +
            " items the plan ranks higher");
  }
  return true;
}

void Delivery::PullAll() {
  if (pulling_) return;
  pulling_ = true;
  bool any = true;
  // Round-robin passes: each idle slot takes at most one item per pass.
  while (any) {
    any = false;
    for (std::size_t i = 0; i < engineers_.size(); ++i) {
      if (TryPull(static_cast<int>(i))) any = true;
    }
    if (backlog_.eligible() == 0) break;
  }
  pulling_ = false;
}

void Delivery::OnCompletion(int index) {
  EngineerState& e = engineers_[index];
  const kernel::SimTime now = w_.sim.Now();
  e.completion = {};
  Advance(e, now);
  const int id = e.completing;
  ORGSIM_CHECK(id >= 0, "completion without an item");
  backlog_.EndAttempt(id);
  if (w_.exceptions.Blocks(id)) {
    // The work is done but a decision is still out: the item stalls, and
    // the engineer's attention goes to the other items (exceptions.h).
    e.items.erase(std::find(e.items.begin(), e.items.end(), id));
    e.held.push_back(id);
    Reschedule(index);
    PullAll();
    return;
  }
  const WorkItem& item = backlog_.item(id);
  const ModelConfig& cfg = w_.cfg;
  const double p_rework = cfg.mechanisms.rework
                              ? cfg.delivery.rework_max_probability * (1.0 - item.understanding)
                              : 0.0;
  if (p_rework > 0 && kernel::Bernoulli(w_.rng.rework[e.team], p_rework)) {
    const double extra = cfg.delivery.rework_effort_fraction * item.effort;
    backlog_.AddRework(
        id, extra, Backlog::ReworkCause::kMisunderstood,
        item.understanding + cfg.delivery.rework_learning * (1.0 - item.understanding));
    if (w_.trace.on()) {
      static constexpr const char* kCause[] = {"", ", lost mostly between customers and builders",
                                               ", lost mostly in an under-specified ticket",
                                               ", lost mostly for want of buy-in"};
      w_.trace.Emit(
          now, e.agent, "rework", extra, item.understanding_start,
          "item " + std::to_string(id) +
              " needs rework (misunderstood why: the builders understood " +
              std::to_string(static_cast<int>(std::lround(100 * item.understanding_start))) +
              "% of it" + kCause[item.why_loss & 3] + ")");
    }
    Reschedule(index);
    return;
  }
  if (IntegrationConflict(e, id)) {
    Reschedule(index);
    return;
  }
  // Done: ship it.
  e.items.erase(std::find(e.items.begin(), e.items.end(), id));
  --in_progress_;
  tally_.wip.Set(now, in_progress_);
  backlog_.MarkDone(id, now);
  Tally& tally = tally_;
  ++tally.items_completed_all;
  tally.effort_done += item.effort + item.rework;
  tally.rework_done += item.rework;
  tally.integration_rework_done += item.integration_rework;
  if (item.dim >= 0) {  // customer-facing work only: debt has no "why" problem
    tally.understanding_weighted += item.understanding_start * item.effort;
    tally.understanding_weight += item.effort;
  }
  if (item.finished >= w_.warmup) {
    ++tally.items_completed;
    tally.cycle_sum_days += kernel::ToDays(item.finished - item.started);
    tally.lead_sum_days += kernel::ToDays(item.finished - item.created);
  }
  Release(id);
  Reschedule(index);
  PullAll();
}

void Delivery::Release(int id) {
  const WorkItem& item = backlog_.item(id);
  const ModelConfig& cfg = w_.cfg;
  Tally& tally = tally_;
  const kernel::SimTime now = w_.sim.Now();
  if (item.source == ItemSource::kDebt) {
    AddDebt(-cfg.work.debt_paydown);
    return;
  }
  if (item.dim < 0) return;
  ++tally.features_shipped;
  tally.feature_effort += item.effort + item.rework;
  if (cfg.mechanisms.tech_debt) AddDebt(cfg.work.debt_per_feature);
  // Product decides the launch and tells the market (ItemReleased).
  double delta = 0.0;
  if (cfg.mechanisms.market) {
    const double c = w_.market.capability()[item.dim];
    const double room = item.efficacy >= 0 ? 1.0 - c : c;
    delta = cfg.work.feature_impact * item.efficacy * item.generality * item.understanding * room;
  }
  w_.messages.Deliver(*this, w_.product, ItemReleased{id, delta});
  if (item.source == ItemSource::kSignalFix && item.signal_time >= 0) {
    ++tally.signal_fixes;
    tally.signal_fix_days_sum += kernel::ToDays(now - item.signal_time);
  }
}

int Delivery::EngineerOf(int id) const {
  const WorkItem& item = w_.backlog.item(id);
  if (item.state != WorkItem::State::kInProgress || item.engineer < 0) return -1;
  return engineer_of_agent_[item.engineer];
}

void Delivery::Receive(const Message& message) {
  if (message.As<WorkAvailable>() != nullptr) {
    PullAll();
  } else if (const ExceptionSettled* settled = message.As<ExceptionSettled>()) {
    const int index = EngineerOf(settled->item);
    if (index < 0) return;
    EngineerState& e = engineers_[index];
    auto held = std::find(e.held.begin(), e.held.end(), settled->item);
    if (held == e.held.end()) return;  // still working on it: nothing to resume
    e.held.erase(held);
    Advance(e, w_.sim.Now());
    e.items.push_back(settled->item);  // nothing remains: completes at once
    Reschedule(index);
  } else if (const AbandonWork* abandon = message.As<AbandonWork>()) {
    const int index = EngineerOf(abandon->item);
    if (index < 0) return;
    EngineerState& e = engineers_[index];
    Advance(e, w_.sim.Now());
    std::erase(e.items, abandon->item);
    std::erase(e.held, abandon->item);
    const kernel::SimTime started = w_.backlog.item(abandon->item).started;
    if (w_.sim.Now() >= w_.warmup)
      tally_.abandoned_spell_days += kernel::ToDays(w_.sim.Now() - started);
    --in_progress_;
    tally_.wip.Set(w_.sim.Now(), in_progress_);
    backlog_.Requeue(abandon->item);
    Reschedule(index);
    PullAll();
  }
}

void Delivery::RegisterHandlers(kernel::Simulation& sim) {
  completion_handler_ = sim.RegisterHandler(
      "delivery/completion", [this](kernel::EventPayload e) { OnCompletion(static_cast<int>(e)); });
}

void Delivery::OnPhase(const PhaseTick& tick) {
  if (tick.phase == Phase::kWeek) Weekly();
  if (tick.phase == Phase::kSprint) PullAll();
}

void Delivery::Finish(kernel::SimTime end) { tally_.wip.Advance(end); }

namespace {

// Items completed per day after warm-up, and their mean cycle time.
double ThroughputPerDay(const World& w) {
  return SafeDiv(static_cast<double>(w.delivery.tally().items_completed),
                 kernel::ToDays(w.horizon - w.warmup));
}
double CycleTimeDays(const World& w) {
  return SafeDiv(w.delivery.tally().cycle_sum_days,
                 static_cast<double>(w.delivery.tally().items_completed));
}

}  // namespace

std::vector<MetricDef> Delivery::Metrics() {
  return {
      DefineMetric<Delivery>(
          {"features_shipped", "items", "Released items that target a customer need",
           Better::kHigher, "Features shipped"},
          [](const Delivery& d, const World&) {
            return static_cast<double>(d.tally().features_shipped);
          }),
      DefineMetric<Delivery>(
          {"rework_fraction", "fraction", "Rework effort / all effort of completed items",
           Better::kLower, "Share of effort that was rework"},
          [](const Delivery& d, const World&) {
            return SafeDiv(d.tally().rework_done, d.tally().effort_done);
          }),
      DefineMetric<Delivery>({"integration_rework_fraction", "fraction",
                              "Integration-conflict rework effort / all effort of completed items "
                              "(part of rework_fraction)",
                              Better::kLower, "Share of effort on integration rework"},
                             [](const Delivery& d, const World&) {
                               return SafeDiv(d.tally().integration_rework_done,
                                              d.tally().effort_done);
                             }),
      DefineMetric<Delivery>({"engineer_why_understanding", "0-1",
                              "Effort-weighted builders' understanding of the why at start of "
                              "customer-facing work (1 if none)",
                              Better::kHigher, "Engineers understand the why"},
                             [](const Delivery& d, const World&) {
                               return SafeDiv(d.tally().understanding_weighted,
                                              d.tally().understanding_weight, 1.0);
                             }),
      DefineMetric<Delivery>({"cycle_time_mean_days", "days",
                              "Mean start-to-release time of items completed after warm-up",
                              Better::kLower, "Cycle time (start to release)"},
                             [](const Delivery&, const World& w) { return CycleTimeDays(w); }),
      DefineMetric<Delivery>(
          {"wip_mean", "items", "Time-average items in delivery after warm-up", Better::kNeither,
           "Work in progress"},
          [](const Delivery& d, const World& w) { return d.tally().wip.Mean(w.horizon); }),
      DefineMetric<Delivery>(
          {"throughput_per_day", "items/day", "Items completed per day after warm-up",
           Better::kHigher, "Items finished per day"},
          [](const Delivery&, const World& w) { return ThroughputPerDay(w); }),
      DefineMetric<Delivery>(
          {"lead_time_mean_days", "days", "Mean creation-to-release time (queueing sojourn)",
           Better::kLower, "Lead time (request to release)"},
          [](const Delivery& d, const World&) {
            return SafeDiv(d.tally().lead_sum_days, static_cast<double>(d.tally().items_completed));
          }),
      DefineMetric<Delivery>(
          {"littles_law_gap", "fraction",
           "|wip_mean - departure rate x time in delivery| / wip_mean (Little's law check; "
           "departures are releases and, with priority churn, abandonments)",
           Better::kLower, "Little's law check (gap)"},
          [](const Delivery& d, const World& w) {
            const double window = kernel::ToDays(w.horizon - w.warmup);
            const double abandoned = SafeDiv(d.tally().abandoned_spell_days, window);
            return SafeDiv(std::abs(d.tally().wip.Mean(w.horizon) -
                                    ThroughputPerDay(w) * CycleTimeDays(w) - abandoned),
                           d.tally().wip.Mean(w.horizon));
          }),
      DefineMetric<Delivery>({"items_completed", "items", "Items completed after warm-up",
                              Better::kHigher, "Items completed"},
                             [](const Delivery& d, const World&) {
                               return static_cast<double>(d.tally().items_completed);
                             }),
      DefineMetric<Delivery>(
          {"capacity_lost_fraction", "fraction", "Engineers' overhead hours / contract hours",
           Better::kLower, "Engineering time lost to overhead"},
          [](const Delivery& d, const World&) {
            return SafeDiv(d.tally().overhead_hours, d.tally().engineer_hours);
          }),
      DefineMetric<Delivery>({"tech_debt_end", "units", "Tech debt at the horizon", Better::kLower,
                              "Tech debt at the end"},
                             [](const Delivery& self, const World&) { return self.debt(); }),
      DefineMetric<Delivery>({"value_per_feature_day", "fit points/day",
                              "Customer value delivered per engineer-day spent on features (ROI)",
                              Better::kHigher, "Value per feature-day"},
                             [](const Delivery& d, const World& w) {
                               return SafeDiv(w.market.customer_value(), d.tally().feature_effort);
                             }),
      DefineMetric<Delivery>(
          {"why_path_latency_days", "days",
           "Mean fastest-path latency of the customer why of customer-facing "
           "items started, market -> "
           "originator -> builder (reachable paths)",
           Better::kLower, "Delay of the customer why to builders"},
          [](const Delivery& d, const World&) {
            return SafeDiv(d.tally().why_latency_sum,
                           static_cast<double>(d.tally().why_paths - d.tally().why_paths_broken));
          }),
      DefineMetric<Delivery>({"why_path_fidelity", "0-1",
                              "Mean graph fidelity of the customer why of customer-facing items "
                              "started, market -> originator "
                              "-> building team (0 when no path)",
                              Better::kHigher, "Accuracy of the customer why at builders"},
                             [](const Delivery& d, const World&) {
                               return SafeDiv(d.tally().why_fidelity_sum,
                                              static_cast<double>(d.tally().why_paths));
                             }),
      DefineMetric<Delivery>({"why_paths_broken", "fraction",
                              "Share of customer-facing items started whose why had no path from "
                              "the market to the builder",
                              Better::kLower, "Work started without the customer why"},
                             [](const Delivery& d, const World&) {
                               return SafeDiv(static_cast<double>(d.tally().why_paths_broken),
                                              static_cast<double>(d.tally().why_paths));
                             }),
  };
}

}  // namespace orgsim::model
