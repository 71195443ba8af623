// InTray: bounded attention of the people messages are addressed to
// (mechanisms.intray; organization.attention; Virtual Design Team: Jin &
// Levitt 1996, Levitt et al. 1999).
//
// With the switch on, product sends three kinds of message to this module
// instead of to itself: the planning decision (PlanDecision, addressed to
// the issuer of plans: a PM or an executive), each published plan
// (PlanReachesTeam, addressed to the team's anchor, its lead) and each
// routed problem signal (ProblemSignal, addressed to its owner: the nearest
// PM, else the issuer); with mechanisms.exceptions, Exceptions sends each
// exception to every person on its way up (ExceptionRaised, handled for
// organization.exceptions.handling_hours, then handed back to Exceptions;
// kind kException, served last under kPriority). The message joins
// its addressee's in-tray (AttentionQueues, attention_queue.h) when it
// arrives; once the addressee has handled it, the in-tray forwards it
// unchanged to product, which acts on it then: the plan is published, a
// plan reaches its team, a signal's fix enters the backlog. Until then the
// message has no effect.
//
//   holder          attention (hours/week)         handling (mean hours)
//   a PM            attention.pm_hours_per_week     decision: attention.decision_hours
//   an executive    attention.executive_hours_...   plan: attention.plan_reading_hours
//   anyone else     attention.lead_hours_per_week   signal: pm.signal_triage_hours
//
// The attention rule (attention.rule) picks among waiting kinds: priority
// serves decision, plan, signal in that order.
//
// The hours a PM spends on the in-tray come out of that week's backlog
// administration (Product::Weekly takes the difference of PmHoursFinished) in
// place of the per-signal triage charge of the model without in-trays.
// Handling times and mix choices draw from "org/intray".
//
// Metrics: pm_queue_wait_days (mean wait of every message addressed to a
// PM, including those still waiting at the horizon with their wait so far),
// decision_wait_days (the same for decisions and plans, whoever holds them),
// pm_utilization (PM in-tray hours spent / PM attention hours available
// while the PM was active). Trace kind `intray_wait` when a message has
// waited a day or more.
#pragma once

#include <vector>

#include "engine/model/attention_queue.h"
#include "engine/model/mechanism.h"

namespace orgsim::model {

class InTray : public Mechanism {
 public:
  // Message kinds, in the order kPriority serves them.
  enum Kind { kDecision = 0, kPlan = 1, kSignal = 2, kException = 3, kKinds = 4 };

  explicit InTray(World& world);
  // With the switch on: declares PlanDecision, PlanReachesTeam and
  // ProblemSignal and registers "intray/done".
  void RegisterHandlers(kernel::Simulation& sim) override;
  // A decision, plan or signal reached its addressee: it joins the in-tray.
  void Receive(const Message& message) override;
  void OnAgentJoined(int agent) override;
  void Finish(kernel::SimTime end) override;
  // pm_queue_wait_days, decision_wait_days, pm_utilization.
  static std::vector<MetricDef> Metrics();

  bool on() const;
  // PM in-tray hours finished so far (all PMs together).
  double PmHoursFinished() const;

  // Accessors for the metrics (0 when nothing was handled).
  double PmQueueWaitDays() const { return pm_wait_; }
  double DecisionWaitDays() const { return decision_wait_; }
  double PmUtilization() const { return pm_utilization_; }
  double PmHoursSpent() const { return pm_hours_spent_; }
  double PmHoursAvailable() const { return pm_hours_available_; }

 private:
  int HolderOf(int agent);
  double AttentionHoursPerWeek(int agent) const;
  void Post(int agent, int kind, double mean_hours, kernel::SimTime sent,
            std::function<void()> forward);

  World& w_;
  std::unique_ptr<AttentionQueues> trays_;
  std::vector<int> holder_;         // by agent id, -1 none yet
  std::vector<int> holder_agent_;   // by holder
  std::vector<double> joined_day_;  // by agent id: when active (0 initially)
  double pm_wait_ = 0, decision_wait_ = 0, pm_utilization_ = 0;
  double pm_hours_spent_ = 0, pm_hours_available_ = 0;
};

}  // namespace orgsim::model
