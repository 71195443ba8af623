// Workforce: ramp-up and mentoring, schedule pressure, overtime, errors and
// escaped defects, attrition and replacement (Abdel-Hamid & Madnick 1991,
// Software Project Dynamics). Levers: organization.workforce; switch:
// mechanisms.workforce. Off, the module changes nothing: CapacityFactor is
// never read, DefectChurnFactor is 1, nobody leaves.
//
// State per engineering seat (roster engineering agent): filled or vacant,
// when its current holder joined (ramp), its mentor or mentees, and the
// unconsumed Exp(1) attrition threshold of its holder. Per roster team: the
// latent rework not yet surfaced and the remembered overruled objections.
// Org-wide: schedule pressure and its exponential average.
//
// Process (weekly, after delivery has set the week's speeds, so every
// effect reaches delivery at the next weekly speed update):
//   pressure  r = max over committed dates d still ahead of (committed effort
//             due by d) / (normal-hours capacity × days to d), and over each
//             committed item of effort left / (its normal-hours rate × days to
//             its date) (one engineer works an item); p = max(0, 1 - 1/r).
//   overtime  o = min(max_overtime, r - 1) extra hours for every engineer.
//   errors    per team ~ Poisson(Σ work done × errors_per_engineer_day
//             × (1 + pressure_error_gain p) × (1 + novice_error_gain (1 - ramp)));
//             each escapes with escape_probability (a defect_escaped: support
//             effort later, and a churn factor); else it is latent rework.
//   rework    the team's latent effort surfaces as a first-order delay
//             (discovery_delay_days) and drains its capacity.
//   capacity  of a filled seat: ramp × (1 - mentor_share × mentees ramping)
//             × (1 + o) × (1 - rework drain of its team); vacant: 0.
//   attrition hazard per holder = attrition_per_year/365 × (1 +
//             pressure_attrition_gain × sustained p) × (1 + objection_attrition_gain
//             × remembered overruled objections per team member), piecewise
//             constant per week; the holder leaves when the integrated hazard
//             passes its Exp(1) threshold (exact time: "workforce/leave"), so
//             a constant hazard gives exponential tenure. The seat is vacant
//             for replacement_days ("workforce/replace"); the replacement
//             starts from the ramp with a new mentor. The leaver's work in
//             progress waits for the replacement (its hand-over is lost).
// Ramp: RampProductivity(days) = clamp(days / delivery.ramp_up_days, 0.25, 1),
// delivery's own ramp, which it replaces while the switch is on.
//
// Overruled objections (the authority mechanism): deliver or send an
// OverruledObjection message to this module; each is remembered with time
// constant pressure_memory_days.
//
// Random draws: stream "org/workforce" (thresholds, errors, escapes).
// Trace kinds: engineer_left, hire_ramped, defect_escaped.
// Metrics: attrition_annual, defects_escaped, overtime_fraction,
// ramp_capacity_lost_fraction (docs/results.md).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/kernel/simulation.h"
#include "engine/model/mechanism.h"

namespace orgsim::model {

struct World;

// An objection of a member of roster team `team` was overruled (sent by the
// authority mechanism; received by Workforce).
struct OverruledObjection {
  static constexpr std::string_view kEventKind = "workforce/overruled_objection";
  int team = -1;
};

// An engineer of roster team `team` went on with a wrong guess on an
// exception nobody decided in time (sent by Exceptions): one more error of
// that team's work, found later as rework or escaped as a defect like every
// other error (received by Workforce).
struct WrongGuess {
  static constexpr std::string_view kEventKind = "workforce/wrong_guess";
  int team = -1;
};

class Workforce : public Mechanism {
 public:
  explicit Workforce(World& world);

  // Registers "workforce/leave", "workforce/replace" and declares
  // OverruledObjection.
  void RegisterHandlers(kernel::Simulation& sim) override;
  // Seats of the initial engineers: filled, ramped, thresholds drawn.
  void Init() override;
  // kWeek: pressure, errors, rework, capacity factors, attrition hazards.
  void OnPhase(const PhaseTick& tick) override;
  // OverruledObjection.
  void Receive(const Message& message) override;
  // A planned engineer hire starts its ramp and gets a mentor.
  void OnAgentJoined(int agent) override;
  void Finish(kernel::SimTime end) override;
  static std::vector<MetricDef> Metrics();

  bool active() const;
  // Delivery's speed multiplier for engineer `agent` (replaces its ramp
  // while active()): 0 for a vacant seat.
  double CapacityFactor(int agent) const;
  // Whether engineer `agent`'s seat is empty (a leaver not yet replaced).
  bool Vacant(int agent) const;
  // Churn hazard factor of every account (retention): 1 when off.
  double DefectChurnFactor() const;
  // Escaped defects remembered (exponential average over
  // discovery_delay_days).
  double RecentEscapedDefects() const { return recent_defects_; }

  static double RampProductivity(double days, double ramp_up_days);

  double pressure() const { return pressure_; }
  double overtime() const { return overtime_; }
  double sustained_pressure() const { return sustained_pressure_; }
  double ErrorRate(int agent) const;  // errors per ideal day of work, now
  double HazardPerDay(int agent) const;
  double RememberedObjections(int team) const { return teams_[team].objections; }
  // Ramping hires engineer `agent` mentors now (0 for a non-engineer).
  int MenteesOf(int agent) const;
  std::int64_t leavers() const { return leavers_; }
  std::int64_t replacements() const { return replacements_; }
  std::int64_t defects_escaped() const { return defects_escaped_; }
  double rework_surfaced() const { return rework_surfaced_; }
  // Filled engineer-years so far (attrition exposure).
  double exposure_years() const { return exposure_days_ / 365.0; }

 private:
  // OverruledObjection: counts one overruled objection in roster team
  // `team` (out of range: ignored).
  void AddOverruledObjection(int team);
  struct Seat {
    int agent = -1;
    int team = -1;
    // kPlanned: a later hire not yet on board; kVacant: a leaver's seat
    // waiting for its replacement.
    enum class State : std::uint8_t { kPlanned, kFilled, kVacant };
    State state = State::kPlanned;
    kernel::SimTime joined = -1;  // -1: ramped from the start
    bool ramp_traced = true;      // hire_ramped emitted (or not a hire)
    int mentor = -1;              // seat index of the mentor while ramping
    int mentees = 0;              // ramping hires this seat mentors
    double mass_left = 0.0;       // Exp(1) attrition threshold not consumed
    double rate = 0.0;            // hazard per day since `since`
    kernel::SimTime since = 0;
    kernel::EventId leave_event;
  };
  struct TeamState {
    double latent_rework = 0.0;       // ideal days not surfaced
    double drain = 0.0;               // share of capacity on surfaced rework
    double objections = 0.0;          // remembered overruled objections
    std::uint64_t wrong_guesses = 0;  // errors from ignored exceptions, not yet drawn
    int seats = 0;                    // filled seats
  };

  bool Ramping(const Seat& s) const;
  double Ramp(const Seat& s) const;
  void Join(int seat);
  void AssignMentor(int seat);
  void ReleaseMentor(int seat);
  void DrawThreshold(Seat& s);
  // Consumes the seat's hazard to now, sets the new rate and schedules the
  // leave if the threshold is crossed before the next week boundary.
  void Refresh(int seat);
  void OnLeave(int seat);
  void OnReplace(int seat);
  // Schedule pressure, overtime and sustained pressure from the committed
  // work and this week's capacity.
  void UpdatePressure();
  // The coming week's errors (Poisson), escapes, and the latent rework that
  // surfaces as each team's capacity drain.
  void Errors(double week_fraction);
  void AccrueExposure();

  World& w_;
  kernel::HandlerId leave_handler_ = 0, replace_handler_ = 0;
  std::vector<Seat> seats_;
  std::vector<int> seat_of_agent_;  // agent id -> seat, -1
  std::vector<TeamState> teams_;
  double pressure_ = 0.0, ratio_ = 0.0, overtime_ = 0.0, sustained_pressure_ = 0.0;
  double recent_defects_ = 0.0;
  std::int64_t leavers_ = 0, replacements_ = 0, defects_escaped_ = 0;
  double rework_surfaced_ = 0.0;
  double exposure_days_ = 0.0;
  kernel::SimTime exposure_at_ = 0;
  int filled_ = 0;
  double overtime_seat_weeks_ = 0.0, lost_seat_weeks_ = 0.0, seat_weeks_ = 0.0;
};

}  // namespace orgsim::model
