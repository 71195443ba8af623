#include "engine/model/cost.h"

#include <algorithm>

namespace orgsim::model {

RunCostEstimate EstimateRunCost(const ModelConfig& config) {
  const double days = std::max(0.0, config.horizon_days);
  const double weeks = days / 7;
  double agents = 1;  // the market vertex
  double engineering_teams = 0, engineers = 0, pm_agents = 0, executives = 0;
  for (const TeamConfig& team : config.organization.teams) {
    const double people = std::max(team.initial_headcount, team.final_headcount);
    agents += people;
    if (team.role == Role::kEngineering) {
      ++engineering_teams;
      engineers += people;
    }
    if (team.role == Role::kProduct) pm_agents += people;
    if (team.role == Role::kExecutive) executives += people;
  }
  const WorkConfig& work = config.work;
  const double ideas_per_week = (executives > 0 ? work.executive_ideas_per_week : 0) +
                                work.engineering_ideas_per_week * engineering_teams +
                                work.ideas_per_discovery_hour *
                                    config.organization.pm.customer_interaction_hours_per_week *
                                    pm_agents;
  const double items =
      work.initial_backlog + work.exogenous_arrival_rate_per_day * days + ideas_per_week * weeks;
  double potential = 0;
  for (const SegmentConfig& segment : config.market.segments)
    potential += segment.potential_customers;
  const double leads = config.mechanisms.market ? 2 * potential : 0;
  const OperatingModelConfig& op = config.organization.operating;
  const double periodic = weeks + days / std::max(1.0, op.sprint_length_days) +
                          days / std::max(1.0, op.planning_interval_days) + days / 30 +
                          weeks * engineering_teams;  // weekly work per team (adoption, signals)
  RunCostEstimate cost;
  cost.events = periodic + 3 * items + 3 * leads;
  constexpr double kBytesPerItem = 320, kBytesPerAccount = 400, kBytesPerPathEntry = 20;
  cost.bytes =
      items * kBytesPerItem + potential * kBytesPerAccount + agents * agents * kBytesPerPathEntry;
  const double capacity_per_day = 0.5 * engineers * (config.delivery.work_days_per_week / 7) /
                                  std::max(1e-6, work.effort_mean_days);
  const double growth_per_day = std::max(0.0, items / std::max(1.0, days) - capacity_per_day);
  cost.backlog_steps = items * growth_per_day * days / 2;
  return cost;
}

}  // namespace orgsim::model
