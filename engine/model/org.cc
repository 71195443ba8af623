#include "engine/model/org.h"

#include <algorithm>

#include "engine/kernel/check.h"

namespace orgsim::model {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kEngineering:
      return "engineering";
    case Role::kProduct:
      return "product";
    case Role::kSales:
      return "sales";
    case Role::kMarketing:
      return "marketing";
    case Role::kCustomerSuccess:
      return "customer_success";
    case Role::kDesign:
      return "design";
    case Role::kExecutive:
      return "executive";
    case Role::kDelivery:
      return "delivery";
  }
  return "unknown";
}

int Roster::FindTeam(std::string_view name) const {
  for (std::size_t i = 0; i < teams.size(); ++i) {
    if (teams[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::vector<int> Roster::AgentsWithRole(Role role) const {
  std::vector<int> ids;
  for (const Agent& a : agents) {
    if (a.role == role) ids.push_back(a.id);
  }
  return ids;
}

namespace {

void AddAgents(Roster& roster, int team_index, int count, int active) {
  TeamInfo& team = roster.teams[team_index];
  for (int m = 0; m < count; ++m) {
    Agent a;
    a.id = static_cast<int>(roster.agents.size());
    a.team = team_index;
    a.role = team.role;
    a.member = m;
    a.name = team.name + "/" + std::to_string(m);
    a.initially_active = m < active;
    team.agents.push_back(a.id);
    roster.agents.push_back(std::move(a));
  }
}

}  // namespace

Roster BuildRoster(const ModelConfig& config) {
  const OrganizationConfig& org = config.organization;
  Roster roster;
  // Configured teams first, in configuration order (stable vertex ids).
  for (std::size_t i = 0; i < org.teams.size(); ++i) {
    const TeamConfig& tc = org.teams[i];
    TeamInfo team;
    team.name = tc.name;
    team.role = tc.role;
    team.config_index = static_cast<int>(i);
    team.initial = tc.initial_headcount;
    team.planned_final = tc.final_headcount < 0 ? tc.initial_headcount : tc.final_headcount;
    if (!config.mechanisms.hiring) team.planned_final = team.initial;
    team.salary_per_year = tc.salary_per_year;
    team.hours_per_day = tc.hours_per_day;
    roster.teams.push_back(std::move(team));
  }
  for (std::size_t i = 0; i < org.teams.size(); ++i) {
    const std::string& parent = org.teams[i].reports_to;
    if (!parent.empty()) {
      roster.teams[i].parent = roster.FindTeam(parent);
      ORGSIM_CHECK(roster.teams[i].parent >= 0,
                   "team " << org.teams[i].name << " reports_to unknown team " << parent);
    }
  }
  const std::size_t configured = roster.teams.size();
  for (std::size_t i = 0; i < configured; ++i) {
    TeamInfo& team = roster.teams[i];
    AddAgents(roster, static_cast<int>(i), std::max(team.initial, team.planned_final),
              team.initial);
  }
  // Intermediary layers in front of every engineering team with people.
  const int layers = org.operating.layers_between_engineers_and_customers;
  if (layers > 0) {
    for (std::size_t i = 0; i < configured; ++i) {
      if (roster.teams[i].role != Role::kEngineering || roster.teams[i].agents.empty()) {
        continue;
      }
      TeamInfo lt;
      lt.name = roster.teams[i].name + ".layers";
      lt.role = Role::kDelivery;
      lt.initial = layers;
      lt.planned_final = layers;
      lt.salary_per_year = org.operating.layer_salary_per_year;
      lt.hours_per_day = roster.teams[i].hours_per_day;
      lt.parent = roster.teams[i].parent;
      lt.served_team = static_cast<int>(i);
      roster.teams.push_back(std::move(lt));
      const int lt_index = static_cast<int>(roster.teams.size()) - 1;
      roster.teams[i].layers_team = lt_index;
      AddAgents(roster, lt_index, layers, layers);
    }
  }
  for (TeamInfo& team : roster.teams) {
    if (team.agents.empty()) continue;
    team.anchor = team.agents.front();
  }
  for (TeamInfo& team : roster.teams) {
    if (team.layers_team >= 0) {
      team.anchor = roster.teams[team.layers_team].agents.back();
    }
  }
  roster.market_vertex = static_cast<int>(roster.agents.size());
  return roster;
}

}  // namespace orgsim::model
