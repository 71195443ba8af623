#include "engine/model/workforce.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include "engine/kernel/distributions.h"
#include "engine/model/world.h"

namespace orgsim::model {
namespace {

constexpr double kDaysPerYear = 365.0;
constexpr double kMaxDrain = 0.9;  // surfaced rework never stops a team entirely
constexpr double kMaxMentorLoss = 0.9;

std::string Fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

Workforce::Workforce(World& world) : w_(world) {}

bool Workforce::active() const { return w_.cfg.mechanisms.workforce; }

double Workforce::RampProductivity(double days, double ramp_up_days) {
  if (ramp_up_days <= 0) return 1.0;
  return std::clamp(days / ramp_up_days, 0.25, 1.0);
}

void Workforce::RegisterHandlers(kernel::Simulation& sim) {
  leave_handler_ = sim.RegisterHandler(
      "workforce/leave", [this](kernel::EventPayload seat) { OnLeave(static_cast<int>(seat)); });
  replace_handler_ = sim.RegisterHandler("workforce/replace", [this](kernel::EventPayload seat) {
    OnReplace(static_cast<int>(seat));
  });
  w_.messages.Declare<OverruledObjection>();
}

void Workforce::Init() {
  seat_of_agent_.assign(w_.roster.agents.size(), -1);
  teams_.assign(w_.roster.teams.size(), TeamState{});
  for (const Agent& a : w_.roster.agents) {
    if (a.role != Role::kEngineering) continue;
    Seat s;
    s.agent = a.id;
    s.team = a.team;
    s.state = a.initially_active ? Seat::State::kFilled : Seat::State::kPlanned;
    seat_of_agent_[a.id] = static_cast<int>(seats_.size());
    seats_.push_back(s);
  }
  if (!active()) return;
  for (std::size_t i = 0; i < seats_.size(); ++i) {
    Seat& s = seats_[i];
    if (s.state != Seat::State::kFilled) continue;
    ++teams_[s.team].seats;
    ++filled_;
    DrawThreshold(s);
    Refresh(static_cast<int>(i));
  }
}

bool Workforce::Ramping(const Seat& s) const {
  return s.joined >= 0 && kernel::ToDays(w_.sim.Now() - s.joined) < w_.cfg.delivery.ramp_up_days;
}

double Workforce::Ramp(const Seat& s) const {
  if (s.joined < 0) return 1.0;
  return RampProductivity(kernel::ToDays(w_.sim.Now() - s.joined), w_.cfg.delivery.ramp_up_days);
}

double Workforce::CapacityFactor(int agent) const {
  const int index =
      agent >= 0 && agent < static_cast<int>(seat_of_agent_.size()) ? seat_of_agent_[agent] : -1;
  if (index < 0) return 1.0;
  const Seat& s = seats_[index];
  if (s.state == Seat::State::kVacant) return 0.0;
  // A planned hire delivery activates before this module hears of it
  // (OnAgentJoined runs in list order) starts at the bottom of the ramp.
  const double ramp = s.state == Seat::State::kPlanned
                          ? RampProductivity(0.0, w_.cfg.delivery.ramp_up_days)
                          : Ramp(s);
  const double mentoring =
      1.0 - std::min(kMaxMentorLoss, w_.cfg.organization.workforce.mentor_share * s.mentees);
  return ramp * mentoring * (1.0 + overtime_) * (1.0 - teams_[s.team].drain);
}

int Workforce::MenteesOf(int agent) const {
  if (agent < 0 || agent >= static_cast<int>(seat_of_agent_.size())) return 0;
  const int index = seat_of_agent_[agent];
  return index >= 0 ? seats_[index].mentees : 0;
}

bool Workforce::Vacant(int agent) const {
  if (!active() || agent < 0 || agent >= static_cast<int>(seat_of_agent_.size())) return false;
  const int index = seat_of_agent_[agent];
  return index >= 0 && seats_[index].state == Seat::State::kVacant;
}

double Workforce::DefectChurnFactor() const {
  if (!active()) return 1.0;
  return 1.0 + w_.cfg.organization.workforce.defect_churn_gain * recent_defects_ /
                   std::max(1, w_.market.active_accounts());
}

void Workforce::AddOverruledObjection(int team) {
  if (team < 0 || team >= static_cast<int>(teams_.size())) return;
  teams_[team].objections += 1.0;
}

void Workforce::Receive(const Message& message) {
  if (const WrongGuess* g = message.As<WrongGuess>()) {
    if (g->team >= 0 && g->team < static_cast<int>(teams_.size())) ++teams_[g->team].wrong_guesses;
    return;
  }
  if (const OverruledObjection* o = message.As<OverruledObjection>()) {
    AddOverruledObjection(o->team);
  }
}

double Workforce::ErrorRate(int agent) const {
  const WorkforceConfig& wc = w_.cfg.organization.workforce;
  const int index = seat_of_agent_[agent];
  const double ramp = index >= 0 ? Ramp(seats_[index]) : 1.0;
  return wc.errors_per_engineer_day * (1.0 + wc.pressure_error_gain * pressure_) *
         (1.0 + wc.novice_error_gain * (1.0 - ramp));
}

double Workforce::HazardPerDay(int agent) const {
  const WorkforceConfig& wc = w_.cfg.organization.workforce;
  const int index = seat_of_agent_[agent];
  if (index < 0) return 0.0;
  const TeamState& t = teams_[seats_[index].team];
  const double objections_per_member = t.objections / std::max(1, t.seats);
  return wc.attrition_per_year / kDaysPerYear *
         (1.0 + wc.pressure_attrition_gain * sustained_pressure_) *
         (1.0 + wc.objection_attrition_gain * objections_per_member);
}

void Workforce::DrawThreshold(Seat& s) {
  s.mass_left = kernel::Exponential(w_.rng.workforce, 1.0);
  s.rate = 0.0;
  s.since = w_.sim.Now();
}

void Workforce::Refresh(int index) {
  Seat& s = seats_[index];
  const kernel::SimTime now = w_.sim.Now();
  s.mass_left -= s.rate * kernel::ToDays(now - s.since);
  s.since = now;
  if (s.leave_event.valid()) w_.sim.Cancel(s.leave_event);
  s.leave_event = {};
  s.rate = HazardPerDay(s.agent);
  const kernel::SimTime week = kernel::Days(7);
  const kernel::SimTime until = (now / week + 1) * week;
  if (s.rate > 0 && s.mass_left <= s.rate * kernel::ToDays(until - now)) {
    const double days = std::max(0.0, s.mass_left / s.rate);
    s.leave_event = w_.sim.Schedule(kernel::Days(days), leave_handler_,
                                    static_cast<kernel::EventPayload>(index));
  }
}

void Workforce::AccrueExposure() {
  const kernel::SimTime now = w_.sim.Now();
  exposure_days_ += filled_ * kernel::ToDays(now - exposure_at_);
  exposure_at_ = now;
}

void Workforce::AssignMentor(int index) {
  Seat& hire = seats_[index];
  int best = -1;
  for (std::size_t i = 0; i < seats_.size(); ++i) {
    const Seat& m = seats_[i];
    if (static_cast<int>(i) == index || m.team != hire.team) continue;
    if (m.state != Seat::State::kFilled || Ramping(m)) continue;
    if (best < 0 || m.mentees < seats_[best].mentees) best = static_cast<int>(i);
  }
  hire.mentor = best;
  if (best >= 0) ++seats_[best].mentees;
}

void Workforce::ReleaseMentor(int index) {
  Seat& s = seats_[index];
  if (s.mentor >= 0) --seats_[s.mentor].mentees;
  s.mentor = -1;
}

void Workforce::Join(int index) {
  Seat& s = seats_[index];
  AccrueExposure();
  s.state = Seat::State::kFilled;
  s.joined = w_.sim.Now();
  s.ramp_traced = false;
  ++teams_[s.team].seats;
  ++filled_;
  AssignMentor(index);
  DrawThreshold(s);
  Refresh(index);
}

void Workforce::OnAgentJoined(int agent) {
  if (!active() || agent < 0 || agent >= static_cast<int>(seat_of_agent_.size())) return;
  const int index = seat_of_agent_[agent];
  if (index >= 0 && seats_[index].state == Seat::State::kPlanned) Join(index);
}

void Workforce::OnLeave(int index) {
  Seat& s = seats_[index];
  s.leave_event = {};
  if (s.state != Seat::State::kFilled) return;
  AccrueExposure();
  const double hazard_year = s.rate * kDaysPerYear;
  const double tenure_days = s.joined >= 0 ? kernel::ToDays(w_.sim.Now() - s.joined) : -1.0;
  s.state = Seat::State::kVacant;
  --teams_[s.team].seats;
  --filled_;
  ++leavers_;
  ReleaseMentor(index);
  for (std::size_t i = 0; i < seats_.size(); ++i) {
    if (seats_[i].mentor == index) {  // the leaver's mentees get another mentor
      seats_[i].mentor = -1;
      AssignMentor(static_cast<int>(i));
    }
  }
  s.mentees = 0;
  w_.sim.Schedule(kernel::Days(w_.cfg.organization.workforce.replacement_days), replace_handler_,
                  static_cast<kernel::EventPayload>(index));
  if (w_.trace.on()) {
    const TeamState& t = teams_[s.team];
    w_.trace.Emit(w_.sim.Now(), s.agent, "engineer_left", hazard_year, tenure_days,
                  w_.roster.agents[s.agent].name + " left (attrition hazard " +
                      Fixed(hazard_year * 100.0, 1) + "%/year: sustained schedule pressure " +
                      Fixed(sustained_pressure_, 2) + ", " + Fixed(t.objections, 1) +
                      " overruled objections remembered in the team); replaced in " +
                      Fixed(w_.cfg.organization.workforce.replacement_days, 0) +
                      " days, work in progress waits");
  }
}

void Workforce::OnReplace(int index) {
  if (seats_[index].state != Seat::State::kVacant) return;
  ++replacements_;
  Join(index);
}

void Workforce::UpdatePressure() {
  const Backlog& backlog = w_.backlog;
  const Delivery& delivery = w_.delivery;
  // Normal-hours capacity: this week's speeds without the overtime in them.
  const double normal = 1.0 / (1.0 + overtime_);
  const double capacity = delivery.team_speed() * normal;
  const double one = capacity / std::max(1, filled_);  // one engineer's, on average
  const double now = w_.NowDays();
  // Committed work whose date is still ahead (a date already passed has
  // decided its deal): (deadline day, effort left). An item is also worked
  // by one engineer: its own ratio is effort left / (its rate x days left).
  std::vector<std::pair<double, double>> due;
  double ratio = 0.0;
  auto item_ratio = [&](double deadline, double effort, double rate) {
    const double days = std::max(7.0, deadline - now);
    ratio = std::max(ratio, rate > 0 ? effort / (rate * days) : 1e9);
  };
  for (int id : backlog.queue()) {
    const WorkItem& item = backlog.item(id);
    if (!item.committed || item.state != WorkItem::State::kQueued) continue;
    if (!std::isfinite(item.deadline_day) || item.deadline_day <= now) continue;
    due.emplace_back(item.deadline_day, item.est_effort);
    item_ratio(item.deadline_day, item.est_effort, one);
  }
  for (const EngineerState& e : delivery.engineers()) {
    for (int id : e.items) {
      const WorkItem& item = backlog.item(id);
      if (!item.committed || !std::isfinite(item.deadline_day) || item.deadline_day <= now)
        continue;
      const double left = std::max(0.0, item.remaining);
      due.emplace_back(item.deadline_day, left);
      item_ratio(item.deadline_day, left, e.item_rate * normal);
    }
  }
  std::sort(due.begin(), due.end());
  double cumulative = 0.0;
  for (const auto& [deadline, effort] : due) {
    cumulative += effort;
    const double days = std::max(7.0, deadline - now);
    ratio = std::max(ratio, capacity > 0 ? cumulative / (capacity * days) : 1e9);
  }
  ratio_ = ratio;
  pressure_ = ratio > 1.0 ? 1.0 - 1.0 / ratio : 0.0;
  overtime_ = std::clamp(ratio - 1.0, 0.0, w_.cfg.organization.workforce.max_overtime);
  const double alpha = 1.0 - std::exp(-7.0 / w_.cfg.organization.workforce.pressure_memory_days);
  sustained_pressure_ += alpha * (pressure_ - sustained_pressure_);
}

void Workforce::Errors(double week_fraction) {
  const WorkforceConfig& wc = w_.cfg.organization.workforce;
  std::vector<double> expected(teams_.size(), 0.0);
  for (const EngineerState& e : w_.delivery.engineers()) {
    if (!e.active || e.items.empty() || Vacant(e.agent)) continue;
    expected[e.team] += e.speed * 7.0 * week_fraction * ErrorRate(e.agent);
  }
  const double surfacing = 1.0 - std::exp(-7.0 * week_fraction / wc.discovery_delay_days);
  recent_defects_ *= std::exp(-7.0 * week_fraction / wc.discovery_delay_days);
  for (std::size_t t = 0; t < teams_.size(); ++t) {
    TeamState& team = teams_[t];
    const std::uint64_t errors =
        (expected[t] > 0 ? kernel::Poisson(w_.rng.workforce, expected[t]) : 0) + team.wrong_guesses;
    team.wrong_guesses = 0;
    std::int64_t escaped = 0;
    for (std::uint64_t i = 0; i < errors; ++i) {
      if (kernel::Bernoulli(w_.rng.workforce, wc.escape_probability)) ++escaped;
    }
    const double found = static_cast<double>(errors) - static_cast<double>(escaped);
    team.latent_rework += found * wc.rework_days_per_error +
                          static_cast<double>(escaped) * wc.support_days_per_defect;
    defects_escaped_ += escaped;
    recent_defects_ += static_cast<double>(escaped);
    if (escaped > 0 && w_.trace.on()) {
      int agent = -1;
      for (const Seat& s : seats_) {
        if (s.team == static_cast<int>(t)) {
          agent = s.agent;
          break;
        }
      }
      w_.trace.Emit(w_.sim.Now(), agent, "defect_escaped", static_cast<double>(escaped), pressure_,
                    std::to_string(escaped) + " defect(s) from team " + w_.roster.teams[t].name +
                        " will reach customers (schedule pressure " + Fixed(pressure_, 2) +
                        ", overtime " + Fixed(overtime_ * 100.0, 0) +
                        "%): support effort later, churn hazard x" + Fixed(DefectChurnFactor(), 3) +
                        " now");
    }
    // Latent rework surfaces (first-order delay) and takes the team's hours.
    const double capacity = team.seats * w_.cfg.delivery.work_days_per_week * week_fraction;
    team.drain = 0.0;
    if (capacity > 0) {
      const double surfaced = team.latent_rework * surfacing;
      team.latent_rework -= surfaced;
      rework_surfaced_ += surfaced;
      team.drain = std::min(kMaxDrain, surfaced / capacity);
    }
  }
}

void Workforce::OnPhase(const PhaseTick& tick) {
  if (tick.phase != Phase::kWeek || !active()) return;
  const kernel::SimTime now = w_.sim.Now();
  if (now >= w_.horizon) return;
  AccrueExposure();
  const double week_fraction = std::min(1.0, kernel::ToDays(w_.horizon - now) / 7.0);
  for (Seat& s : seats_) {
    if (s.state != Seat::State::kFilled || s.ramp_traced || Ramping(s)) continue;
    s.ramp_traced = true;
    const int mentor = s.mentor;
    ReleaseMentor(static_cast<int>(&s - seats_.data()));
    if (w_.trace.on()) {
      w_.trace.Emit(now, s.agent, "hire_ramped", kernel::ToDays(now - s.joined),
                    mentor >= 0 ? seats_[mentor].agent : -1,
                    w_.roster.agents[s.agent].name + " is fully productive after " +
                        Fixed(kernel::ToDays(now - s.joined), 0) + " days" +
                        (mentor >= 0 ? "; " + w_.roster.agents[seats_[mentor].agent].name +
                                           " no longer mentors"
                                     : std::string()));
    }
  }
  UpdatePressure();
  const double forget = std::exp(-7.0 / w_.cfg.organization.workforce.pressure_memory_days);
  for (TeamState& t : teams_) t.objections *= forget;
  Errors(week_fraction);
  const double mentor_share = w_.cfg.organization.workforce.mentor_share;
  for (const Seat& s : seats_) {
    if (s.state != Seat::State::kFilled) continue;
    seat_weeks_ += week_fraction;
    overtime_seat_weeks_ += overtime_ * week_fraction;
    const double kept = Ramp(s) * (1.0 - std::min(kMaxMentorLoss, mentor_share * s.mentees));
    lost_seat_weeks_ += (1.0 - kept) * week_fraction;
  }
  for (std::size_t i = 0; i < seats_.size(); ++i) {
    if (seats_[i].state == Seat::State::kFilled) Refresh(static_cast<int>(i));
  }
}

void Workforce::Finish(kernel::SimTime end) {
  (void)end;
  if (active()) AccrueExposure();
}

std::vector<MetricDef> Workforce::Metrics() {
  return {
      DefineMetric<Workforce>(
          {"attrition_annual", "1/year",
           "Engineers who left / filled engineer-years (mechanisms.workforce; 0 when off)",
           Better::kLower, "Engineer attrition per year"},
          [](const Workforce& f, const World&) {
            return SafeDiv(static_cast<double>(f.leavers_), f.exposure_years());
          }),
      DefineMetric<Workforce>(
          {"defects_escaped", "defects",
           "Errors that escaped to customers as defects (mechanisms.workforce)", Better::kLower,
           "Defects that reached customers"},
          [](const Workforce& f, const World&) { return static_cast<double>(f.defects_escaped_); }),
      DefineMetric<Workforce>(
          {"overtime_fraction", "fraction",
           "Mean extra hours under schedule pressure / contract hours, over filled seat-weeks",
           Better::kLower, "Overtime share of hours"},
          [](const Workforce& f, const World&) {
            return SafeDiv(f.overtime_seat_weeks_, f.seat_weeks_);
          }),
      DefineMetric<Workforce>({"ramp_capacity_lost_fraction", "fraction",
                               "Capacity lost to ramp-up and mentoring / filled seat-weeks",
                               Better::kLower, "Capacity lost to onboarding"},
                              [](const Workforce& f, const World&) {
                                return SafeDiv(f.lost_seat_weeks_, f.seat_weeks_);
                              }),
  };
}

}  // namespace orgsim::model
