#include "engine/model/exceptions.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/kernel/distributions.h"
#include "engine/model/world.h"

namespace orgsim::model {

Exceptions::Exceptions(World& world) : w_(world) {}

bool Exceptions::on() const { return w_.cfg.mechanisms.exceptions; }

void Exceptions::RegisterHandlers(kernel::Simulation& sim) {
  if (!on()) return;  // without the switch the run has none of these kinds
  w_.messages.Declare<WorkStarted>();
  w_.messages.Declare<ExceptionRaised>();
  w_.messages.Declare<ExceptionSettled>();
  handled_ = sim.RegisterHandler("exceptions/handled",
                                 [this](kernel::EventPayload i) { Handled(static_cast<int>(i)); });
  patience_ = sim.RegisterHandler(
      "exceptions/patience", [this](kernel::EventPayload i) { PatienceOver(static_cast<int>(i)); });
  free_.assign(w_.roster.agents.size(), 0);
}

int Exceptions::AuthorityOf(int agent) const {
  const Agent& a = w_.roster.agents[agent];
  switch (a.role) {
    case Role::kExecutive:
      return kExecutive;
    case Role::kProduct:
      return kPm;
    case Role::kDelivery:
      return kLead;
    default:
      return a.member == 0 ? kLead : kEngineer;
  }
}

std::vector<int> Exceptions::ChainAbove(int agent) const {
  const Roster& roster = w_.roster;
  std::vector<int> chain;
  auto add = [&](int a) {
    if (a != agent && w_.agent_active[a]) chain.push_back(a);
  };
  const TeamInfo& own = roster.teams[roster.agents[agent].team];
  if (!own.agents.empty()) add(own.agents.front());
  if (own.layers_team >= 0) {
    for (int layer : roster.teams[own.layers_team].agents) add(layer);
  }
  // reports_to may not form a cycle (config rules); the bound is a guard.
  int team = own.parent;
  for (std::size_t guard = 0; team >= 0 && guard < roster.teams.size(); ++guard) {
    const TeamInfo& t = roster.teams[team];
    if (!t.agents.empty()) add(t.agents.front());
    team = t.parent;
  }
  return chain;
}

double Exceptions::ExpectedExceptions(double novelty, double understanding) const {
  const ExceptionsConfig& c = w_.cfg.organization.exceptions;
  return c.base_per_item + c.novelty_per_item * novelty +
         c.understanding_gap_per_item * (1.0 - std::clamp(understanding, 0.0, 1.0));
}

double Exceptions::HoursPerDay(int agent) const {
  const AttentionConfig& a = w_.cfg.organization.attention;
  switch (w_.roster.agents[agent].role) {
    case Role::kProduct:
      return a.pm_hours_per_week / 7.0;
    case Role::kExecutive:
      return a.executive_hours_per_week / 7.0;
    default:
      return a.lead_hours_per_week / 7.0;
  }
}

void Exceptions::Receive(const Message& message) {
  if (const WorkStarted* started = message.As<WorkStarted>()) {
    Raise(started->item, started->engineer);
  } else if (const ExceptionRaised* raised = message.As<ExceptionRaised>()) {
    Handled(raised->exception);  // handed back by the holder's in-tray
  }
}

void Exceptions::Raise(int item_id, int engineer) {
  ++starts_;
  const WorkItem& item = w_.backlog.item(item_id);
  const double novelty = item.dim >= 0 ? w_.cfg.market.problem_novelty : 0.0;
  const double lambda = ExpectedExceptions(novelty, item.understanding);
  if (lambda <= 0) return;
  kernel::RandomStream& rng = w_.rng.exceptions;
  const auto count = static_cast<int>(kernel::Poisson(rng, lambda));
  if (count == 0) return;
  const double q = w_.cfg.organization.exceptions.escalation_share;
  const std::vector<int> above = ChainAbove(engineer);
  if (open_.size() < w_.backlog.items().size()) open_.resize(w_.backlog.items().size(), 0);
  for (int k = 0; k < count; ++k) {
    Exception ex;
    ex.item = item_id;
    ex.raiser = engineer;
    ex.raised = w_.sim.Now();
    const double u = rng.NextUniform();
    ex.required = u < q * q ? kExecutive : u < q ? kPm : kLead;
    // Up to the first person with the authority; the top decides the rest.
    for (int a : above) {
      ex.chain.push_back(a);
      if (AuthorityOf(a) >= ex.required) break;
    }
    const int index = static_cast<int>(list_.size());
    if (ex.chain.empty() || AuthorityOf(engineer) >= ex.required) {
      // The raiser may decide it (a lead; nobody above): no wait.
      ex.chain.clear();
      ex.status = Status::kDecided;
      list_.push_back(std::move(ex));
      ++decided_;
      ++settled_;
      continue;
    }
    list_.push_back(std::move(ex));
    ++open_[item_id];
    w_.sim.Schedule(kernel::Days(w_.cfg.organization.exceptions.patience_days), patience_,
                    static_cast<kernel::EventPayload>(index));
    SendTo(index);
  }
}

void Exceptions::SendTo(int index) {
  Exception& ex = list_[index];
  const int from = ex.step == 0 ? ex.raiser : ex.chain[ex.step - 1];
  const int to = ex.chain[ex.step];
  double latency = w_.prep.measures.Latency(from, to);
  if (!std::isfinite(latency)) latency = 0.0;  // no path: asked in person
  if (w_.cfg.mechanisms.intray) {
    w_.messages.Send(*this, w_.intray, ExceptionRaised{index}, kernel::Days(latency),
                     Route{from, to});
    return;
  }
  // Without in-trays: the holder handles exceptions one at a time, first
  // come first served, each for handling_hours of attention.
  const kernel::SimTime arrival = w_.sim.Now() + kernel::Days(latency);
  const kernel::SimTime start = std::max(arrival, free_[to]);
  const double hours = w_.cfg.organization.exceptions.handling_hours;
  free_[to] = start + kernel::Days(hours / HoursPerDay(to));
  w_.sim.Schedule(free_[to] - w_.sim.Now(), handled_, static_cast<kernel::EventPayload>(index));
}

void Exceptions::Handled(int index) {
  Exception& ex = list_[index];
  if (ex.step + 1 < static_cast<int>(ex.chain.size())) {
    ++ex.step;  // beyond this holder's authority: up one level
    SendTo(index);
    return;
  }
  Decided(index);
}

void Exceptions::Decided(int index) {
  Exception& ex = list_[index];
  const double days = kernel::ToDays(w_.sim.Now() - ex.raised);
  const bool was_open = ex.status == Status::kOpen;
  if (was_open) {
    ex.status = Status::kDecided;
    ++decided_;
    ++settled_;
    wait_days_sum_ += days;
  }
  if (w_.trace.on()) {
    const int decider = ex.chain.back();
    w_.trace.Emit(
        w_.sim.Now(), decider, "exception_escalated", static_cast<double>(ex.chain.size()), days,
        "an exception on item " + std::to_string(ex.item) + " raised by " +
            w_.roster.agents[ex.raiser].name + " escalated " + std::to_string(ex.chain.size()) +
            (ex.chain.size() == 1 ? " level" : " levels") + " and was decided by " +
            w_.roster.agents[decider].name + " after " + std::to_string(days).substr(0, 4) +
            " days" + (was_open ? "" : " (too late: the engineer had gone on with a guess)"));
  }
  if (was_open) Settle(ex.item);
}

void Exceptions::PatienceOver(int index) {
  Exception& ex = list_[index];
  if (ex.status != Status::kOpen) return;
  ex.status = Status::kIgnored;
  ++ignored_;
  ++settled_;
  wait_days_sum_ += kernel::ToDays(w_.sim.Now() - ex.raised);
  const bool wrong =
      kernel::Bernoulli(w_.rng.exceptions, w_.cfg.organization.exceptions.guess_defect_probability);
  if (wrong) ++defects_;
  // The wrong guess is an error of the raiser's team (workforce.h: found
  // later as rework, or escaped to customers as a defect).
  if (wrong && w_.cfg.mechanisms.workforce) {
    w_.messages.Deliver(*this, w_.workforce, WrongGuess{w_.roster.agents[ex.raiser].team});
  }
  if (w_.trace.on()) {
    w_.trace.Emit(w_.sim.Now(), ex.raiser, "exception_ignored", ex.step + 1.0, wrong ? 1.0 : 0.0,
                  "an exception on item " + std::to_string(ex.item) + " waited " +
                      std::to_string(w_.cfg.organization.exceptions.patience_days).substr(0, 4) +
                      " days in " + w_.roster.agents[ex.chain[ex.step]].name +
                      "'s hands; the engineer goes on with a guess" +
                      (wrong ? " that is wrong (a defect)" : ""));
  }
  Settle(ex.item);
}

void Exceptions::Settle(int item) {
  if (--open_[item] > 0) return;
  w_.messages.Send(*this, w_.delivery, ExceptionSettled{item}, 0);
}

std::vector<MetricDef> Exceptions::Metrics() {
  return {
      DefineMetric<Exceptions>(
          {"exceptions_per_item", "exceptions/item",
           "Exceptions raised / items started (0 without mechanisms.exceptions)", Better::kLower,
           "Exceptions raised per item"},
          [](const Exceptions& x, const World&) {
            return SafeDiv(static_cast<double>(x.raised()), static_cast<double>(x.items_started()));
          }),
      DefineMetric<Exceptions>(
          {"exception_wait_days", "days",
           "Mean days from raising an exception to its decision, or to the engineer's guess when "
           "patience ran out (settled exceptions; decided by the raiser: 0)",
           Better::kLower, "Days an exception waits for a decision"},
          [](const Exceptions& x, const World&) {
            return SafeDiv(x.wait_days_sum_, static_cast<double>(x.settled_));
          }),
      DefineMetric<Exceptions>(
          {"exceptions_ignored_share", "fraction",
           "Exceptions not decided within exceptions.patience_days / exceptions settled",
           Better::kLower, "Share of exceptions ignored"},
          [](const Exceptions& x, const World&) {
            return SafeDiv(static_cast<double>(x.ignored_), static_cast<double>(x.settled_));
          }),
      DefineMetric<Exceptions>(
          {"exception_defects", "defects", "Defects from wrong guesses on ignored exceptions",
           Better::kLower, "Defects from ignored exceptions"},
          [](const Exceptions& x, const World&) { return static_cast<double>(x.defects()); }),
  };
}

}  // namespace orgsim::model
