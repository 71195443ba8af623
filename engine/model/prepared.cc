#include "engine/model/prepared.h"

#include <cmath>
#include <limits>

#include "engine/kernel/check.h"
#include "engine/model/config_rules.h"
#include "engine/model/run.h"

namespace orgsim::model {

PreparedModelImpl::PreparedModelImpl(const ModelConfig& cfg) : config(cfg) {
  const Status valid = CheckConfig(config);
  ORGSIM_CHECK(valid.ok(), valid.message());
  roster = BuildRoster(config);
  graph = BuildCommGraph(config, roster);
  measures = MeasureGraph(graph, roster);
  schedule = ResolveSchedule(config);
  problem_dimensions = config.market.problem_dimensions;
  segments = static_cast<int>(config.market.segments.size());

  const int vertices = roster.vertex_count();
  const std::size_t teams = roster.teams.size();
  fidelity_to_team.assign(static_cast<std::size_t>(vertices) * teams, 0.0f);
  latency_to_team.assign(static_cast<std::size_t>(vertices) * teams,
                         std::numeric_limits<float>::infinity());
  for (int v = 0; v < vertices; ++v) {
    for (std::size_t t = 0; t < teams; ++t) {
      const TeamInfo& team = roster.teams[t];
      if (team.agents.empty()) continue;
      double sum = 0.0;
      for (int a : team.agents) sum += measures.Fidelity(v, a);
      fidelity_to_team[v * teams + t] = static_cast<float>(sum / team.agents.size());
      latency_to_team[v * teams + t] = static_cast<float>(measures.Latency(v, team.anchor));
    }
  }

  const OperatingModelConfig& op = config.organization.operating;
  direct_channel.assign(teams, 0.0);
  for (std::size_t t = 0; t < teams; ++t) {
    if (roster.teams[t].role != Role::kEngineering) continue;
    if (op.layers_between_engineers_and_customers == 0 && op.engineer_customer_hours_per_week > 0) {
      // Four hours a week of direct contact is taken as full exposure (guess).
      direct_channel[t] = config.organization.graph.market_fidelity *
                          std::min(1.0, op.engineer_customer_hours_per_week / 4.0);
    }
  }

  const double ceremony_hours = config.mechanisms.ceremonies ? op.ceremony_hours_per_week : 0.0;
  ceremony_why_benefit =
      op.ceremony_max_benefit * (1.0 - std::exp(-ceremony_hours / op.ceremony_half_benefit_hours));
  ceremony_coordination = op.ceremony_coordination_max *
                          (1.0 - std::exp(-ceremony_hours / op.ceremony_coordination_half_hours));

  const std::vector<int> pms = roster.AgentsWithRole(Role::kProduct);
  nearest_pm.assign(vertices, -1);
  nearest_pm_latency.assign(vertices, std::numeric_limits<float>::infinity());
  nearest_pm_fidelity.assign(vertices, 0.0f);
  for (int v = 0; v < vertices; ++v) {
    for (int pm : pms) {
      const double lat = measures.Latency(v, pm);
      if (std::isfinite(lat) && lat < nearest_pm_latency[v]) {
        nearest_pm[v] = pm;
        nearest_pm_latency[v] = static_cast<float>(lat);
        nearest_pm_fidelity[v] = static_cast<float>(measures.Fidelity(v, pm));
      }
    }
  }
  cross_team_contacts.assign(roster.agents.size(), 0);
  for (const CommEdge& e : graph.edges) {
    if (e.from == roster.market_vertex || e.to == roster.market_vertex) continue;
    if (roster.agents[e.from].team == roster.agents[e.to].team) continue;
    ++cross_team_contacts[e.from];
    ++cross_team_contacts[e.to];
  }
  for (const TeamInfo& team : roster.teams) {
    if (team.role == Role::kExecutive && !team.agents.empty()) {
      executive_lead = team.agents.front();
      break;
    }
  }
}

}  // namespace orgsim::model
