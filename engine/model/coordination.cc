#include "engine/model/coordination.h"

#include <algorithm>
#include <cmath>

#include "engine/model/world.h"

namespace orgsim::model {

Coordination::Coordination(World& world) : w_(world) {}

bool Coordination::active() const { return w_.cfg.mechanisms.coordination; }

double Coordination::OverheadHours(int team_size, double coupled_teams, double ceremony_hours,
                                   double liaisons) const {
  const CoordinationConfig& c = w_.cfg.organization.coordination;
  const double half = w_.cfg.organization.operating.ceremony_half_benefit_hours;
  const double in_team =
      c.pair_hours_per_week * std::max(0, team_size - 1) *
      (1.0 - c.ceremony_max_reduction * (1.0 - std::exp(-ceremony_hours / half)));
  const double cross = c.team_hours_per_week * coupled_teams *
                       (1.0 - c.liaison_max_reduction * (1.0 - std::exp(-liaisons)));
  return in_team + cross;
}

double Coordination::OverheadHoursPerWeek(int team) const {
  if (!active() || w_.roster.teams[team].role != Role::kEngineering) return 0.0;
  const OperatingModelConfig& op = w_.cfg.organization.operating;
  int engineering_teams = 0, business_teams = 0;
  for (std::size_t t = 0; t < w_.roster.teams.size(); ++t) {
    if (w_.ActiveInTeam(static_cast<int>(t)) == 0) continue;
    const Role role = w_.roster.teams[t].role;
    if (role == Role::kEngineering) ++engineering_teams;
    if (role == Role::kSales || role == Role::kMarketing || role == Role::kCustomerSuccess)
      ++business_teams;
  }
  const bool pm = w_.ActiveWithRole(Role::kProduct) > 0;
  const int layers = op.layers_between_engineers_and_customers;
  double coupled = w_.cfg.organization.coordination.coupling * std::max(0, engineering_teams - 1);
  if (layers == 0 && !pm) coupled += business_teams;
  const double ceremony = w_.cfg.mechanisms.ceremonies ? op.ceremony_hours_per_week : 0.0;
  return OverheadHours(w_.ActiveInTeam(team), coupled, ceremony, layers + (pm ? 1.0 : 0.0));
}

void Coordination::OnPhase(const PhaseTick& tick) {
  if (tick.phase != Phase::kWeek || !active()) return;
  const double weeks = std::min(1.0, kernel::ToDays(w_.horizon - w_.sim.Now()) / 7.0);
  for (std::size_t t = 0; t < w_.roster.teams.size(); ++t) {
    if (w_.roster.teams[t].role != Role::kEngineering) continue;
    const int n = w_.ActiveInTeam(static_cast<int>(t));
    if (n == 0) continue;
    overhead_hours_ += n * OverheadHoursPerWeek(static_cast<int>(t)) * weeks;
    contract_hours_ += n * w_.delivery.EngineerHoursPerWeek(static_cast<int>(t)) * weeks;
  }
}

std::vector<MetricDef> Coordination::Metrics() {
  return {DefineMetric<Coordination>(
      {"coordination_overhead_fraction", "fraction",
       "Engineers' coordination hours (channels with teammates and coupled teams, "
       "mechanisms.coordination) / their contract hours",
       Better::kLower, "Time lost to coordination"},
      [](const Coordination& m, const World&) { return m.overhead_fraction(); })};
}

}  // namespace orgsim::model
