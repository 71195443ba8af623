#include "engine/model/intray.h"

#include <string>

#include "engine/model/world.h"

namespace orgsim::model {

InTray::InTray(World& world) : w_(world) {}

bool InTray::on() const { return w_.cfg.mechanisms.intray; }

void InTray::RegisterHandlers(kernel::Simulation& sim) {
  if (!on()) return;  // without in-trays the run has no "intray/done" kind
  w_.messages.Declare<PlanReachesTeam>();
  w_.messages.Declare<ProblemSignal>();
  w_.messages.Declare<PlanDecision>();
  if (w_.cfg.mechanisms.exceptions) w_.messages.Declare<ExceptionRaised>();
  const AttentionConfig& a = w_.cfg.organization.attention;
  trays_ =
      std::make_unique<AttentionQueues>(sim, w_.rng.intray, a.rule, a.mix_priority_share, kKinds);
  holder_.assign(w_.roster.agents.size(), -1);
  joined_day_.assign(w_.roster.agents.size(), 0.0);
}

void InTray::OnAgentJoined(int agent) {
  if (on()) joined_day_[agent] = w_.NowDays();
}

double InTray::AttentionHoursPerWeek(int agent) const {
  const AttentionConfig& a = w_.cfg.organization.attention;
  switch (w_.roster.agents[agent].role) {
    case Role::kProduct:
      return a.pm_hours_per_week;
    case Role::kExecutive:
      return a.executive_hours_per_week;
    default:
      return a.lead_hours_per_week;
  }
}

int InTray::HolderOf(int agent) {
  if (holder_[agent] < 0) {
    holder_[agent] = trays_->AddHolder(AttentionHoursPerWeek(agent) / 7.0);
    holder_agent_.push_back(agent);
  }
  return holder_[agent];
}

void InTray::Post(int agent, int kind, double mean_hours, kernel::SimTime /*sent*/,
                  std::function<void()> forward) {
  const kernel::SimTime arrived = w_.sim.Now();
  std::function<void()> effect = std::move(forward);
  if (w_.trace.on()) {
    effect = [this, agent, kind, arrived, inner = std::move(effect)] {
      const double days = kernel::ToDays(w_.sim.Now() - arrived);
      if (days >= 1.0) {
        w_.trace.Emit(w_.sim.Now(), agent, "intray_wait", days, kind,
                      std::string(kind == kDecision ? "the planning decision"
                                  : kind == kPlan   ? "a plan"
                                  : kind == kSignal ? "a problem signal"
                                                    : "an exception") +
                          " waited " + std::to_string(days).substr(0, 4) + " days in " +
                          w_.roster.agents[agent].name + "'s in-tray");
      }
      inner();
    };
  }
  trays_->Post(HolderOf(agent), kind, mean_hours, std::move(effect));
}

void InTray::Receive(const Message& message) {
  const MessageHeader& header = message.header();
  const Route route{header.from_agent, header.to_agent};
  if (const ProblemSignal* signal = message.As<ProblemSignal>()) {
    const ProblemSignal body = *signal;
    Post(header.to_agent, kSignal, w_.cfg.organization.pm.signal_triage_hours, header.sent,
         [this, body, route] { w_.messages.Send(*this, w_.product, body, 0, route); });
  } else if (message.As<PlanDecision>() != nullptr) {
    Post(header.to_agent, kDecision, w_.cfg.organization.attention.decision_hours, header.sent,
         [this, route] { w_.messages.Send(*this, w_.product, PlanDecision{}, 0, route); });
  } else if (const PlanReachesTeam* plan = message.As<PlanReachesTeam>()) {
    const PlanReachesTeam body = *plan;
    Post(header.to_agent, kPlan, w_.cfg.organization.attention.plan_reading_hours, header.sent,
         [this, body, route] { w_.messages.Send(*this, w_.product, body, 0, route); });
  } else if (const ExceptionRaised* exception = message.As<ExceptionRaised>()) {
    const ExceptionRaised body = *exception;
    Post(header.to_agent, kException, w_.cfg.organization.exceptions.handling_hours, header.sent,
         [this, body, route] { w_.messages.Send(*this, w_.exceptions, body, 0, route); });
  }
}

double InTray::PmHoursFinished() const {
  if (!trays_) return 0.0;
  double finished = 0.0;
  for (int h = 0; h < trays_->holders(); ++h) {
    if (w_.roster.agents[holder_agent_[h]].role == Role::kProduct)
      finished += trays_->HoursFinished(h);
  }
  return finished;
}

void InTray::Finish(kernel::SimTime end) {
  if (!trays_) return;
  double pm_wait_sum = 0, pm_count = 0, plan_wait_sum = 0, plan_count = 0;
  for (int h = 0; h < trays_->holders(); ++h) {
    const bool pm = w_.roster.agents[holder_agent_[h]].role == Role::kProduct;
    for (int k = 0; k < kKinds; ++k) {
      const double sum = trays_->stats(h, k).wait_days_sum + trays_->WaitingDaysSum(h, k, end);
      const double count = static_cast<double>(trays_->stats(h, k).started + trays_->Waiting(h, k));
      if (pm) {
        pm_wait_sum += sum;
        pm_count += count;
      }
      if (k == kDecision || k == kPlan) {
        plan_wait_sum += sum;
        plan_count += count;
      }
    }
    if (pm) pm_hours_spent_ += trays_->HoursSpent(h, end);
  }
  // Attention available: every active PM's hours, whether or not anything
  // reached its in-tray.
  const double end_day = kernel::ToDays(end);
  for (int a : w_.RoleAgents(Role::kProduct)) {
    if (!w_.agent_active[a]) continue;
    pm_hours_available_ += AttentionHoursPerWeek(a) / 7.0 * std::max(0.0, end_day - joined_day_[a]);
  }
  pm_wait_ = SafeDiv(pm_wait_sum, pm_count);
  decision_wait_ = SafeDiv(plan_wait_sum, plan_count);
  pm_utilization_ = SafeDiv(pm_hours_spent_, pm_hours_available_);
}

std::vector<MetricDef> InTray::Metrics() {
  return {
      DefineMetric<InTray>(
          {"pm_queue_wait_days", "days",
           "Mean time a message addressed to a PM waited in the PM's in-tray before being handled "
           "(still waiting at the horizon: the wait so far); 0 without in-trays or PMs",
           Better::kLower, "Days a message waits in a PM's in-tray"},
          [](const InTray& t, const World&) { return t.PmQueueWaitDays(); }),
      DefineMetric<InTray>(
          {"decision_wait_days", "days",
           "Mean time a decision waited in an in-tray: the planning decision in its issuer's, "
           "each published plan in its team lead's before being read and relayed; 0 without "
           "in-trays",
           Better::kLower, "Days a decision waits in an in-tray"},
          [](const InTray& t, const World&) { return t.DecisionWaitDays(); }),
      DefineMetric<InTray>(
          {"pm_utilization", "fraction",
           "PM in-tray hours spent / PM attention hours available (attention.pm_hours_per_week "
           "while active); 0 without in-trays or PMs",
           Better::kNeither, "Share of PM in-tray attention in use"},
          [](const InTray& t, const World&) { return t.PmUtilization(); }),
  };
}

}  // namespace orgsim::model
