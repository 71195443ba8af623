// The roster: every agent the organization will ever have, grouped in teams.
//
// Built once per configuration from OrganizationConfig. Each team gets
// max(initial_headcount, final_headcount) agents (later hires are agents
// that start inactive and are activated by the hiring process), so the
// communication graph and its measures are fixed for a configuration. Each
// engineering team with people also gets a chain of
// operating.layers_between_engineers_and_customers intermediaries
// (Role::kDelivery) in a synthesized team "<team>.layers".
//
//   Roster roster = BuildRoster(config);
//   for (const Agent& a : roster.agents) std::cout << a.name << "\n";
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/model/config.h"

namespace orgsim::model {

struct Agent {
  int id = 0;    // graph vertex index, dense from 0
  int team = 0;  // index into Roster::teams
  Role role = Role::kEngineering;
  int member = 0;                // index within the team; member 0 is the lead
  std::string name;              // "<team>/<member>"
  bool initially_active = true;  // false: a planned later hire
};

struct TeamInfo {
  std::string name;
  Role role = Role::kEngineering;
  int config_index = -1;  // index in OrganizationConfig::teams; -1 = layers
  int initial = 0;        // active agents at t = 0
  int planned_final = 0;  // planned active agents at the horizon
  double salary_per_year = 0.0;
  double hours_per_day = 8.0;
  int parent = -1;          // team the lead reports to (-1: top)
  int served_team = -1;     // for a layers team: the engineering team it fronts
  int layers_team = -1;     // for an engineering team: its layers team or -1
  std::vector<int> agents;  // agent ids, member order
  // The vertex through which the team connects to other teams: the lead, or
  // the outermost layer for an engineering team with layers. -1 if empty.
  int anchor = -1;
};

struct Roster {
  std::vector<Agent> agents;
  std::vector<TeamInfo> teams;
  // The market (all customers) is one extra vertex after the agents.
  int market_vertex = 0;
  int vertex_count() const { return market_vertex + 1; }

  // Index of a team by name, or -1.
  int FindTeam(std::string_view name) const;
  // Agent ids of every agent with `role`.
  std::vector<int> AgentsWithRole(Role role) const;
};

// REQUIRES: team names unique; reports_to names exist (validated by
// CheckConfig, config_rules.h).
Roster BuildRoster(const ModelConfig& config);

// "engineering", "product", ...: stable lower-case role names for output.
std::string_view RoleName(Role role);

}  // namespace orgsim::model
