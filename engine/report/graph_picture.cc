#include "engine/report/graph_picture.h"

#include <algorithm>
#include <map>
#include <string>

#include "engine/model/graph.h"
#include "engine/model/org.h"
#include "engine/report/svg.h"

namespace orgsim::report {

GraphChart CommunicationGraphChart(const model::ModelConfig& config, const std::string& arm_name,
                                   const std::string& id) {
  const model::Roster roster = model::BuildRoster(config);
  const model::CommGraph graph = model::BuildCommGraph(config, roster);
  const model::GraphMeasures measures = model::MeasureGraph(graph, roster);

  GraphChart chart;
  chart.frame.id = id;
  chart.frame.title = "Communication graph — " + arm_name;
  chart.frame.data = {{"arm", arm_name},
                      {"pm-betweenness", DataNumber(measures.pm_betweenness)},
                      {"components-without-pm", std::to_string(measures.components_without_pm)}};
  // pm_betweenness is the mean over every product role (planned hires
  // included); the header says so when there is more than one, so it never
  // contradicts the value on a node.
  const long product_roles =
      std::count_if(roster.agents.begin(), roster.agents.end(),
                    [](const auto& a) { return a.role == model::Role::kProduct; });
  const std::string betweenness =
      product_roles <= 1 ? "PM betweenness " + ShortNumber(measures.pm_betweenness, 3)
                         : "mean betweenness of the " + std::to_string(product_roles) +
                               " product roles " + ShortNumber(measures.pm_betweenness, 3);
  chart.frame.subtitle =
      std::to_string(roster.agents.size()) + " agents, " + std::to_string(graph.edges.size()) +
      " links · " + betweenness +
      " · components without PM: " + std::to_string(measures.components_without_pm);
  // Legend: the roles present, in role order; the market last.
  std::map<int, int> role_group;
  for (const auto& agent : roster.agents) role_group[static_cast<int>(agent.role)] = 0;
  // Colours follow the role, so a role has the same colour in every arm.
  for (auto& [role, group] : role_group) {
    group = static_cast<int>(chart.groups.size());
    chart.groups.emplace_back(model::RoleName(static_cast<model::Role>(role)));
    chart.group_colors.emplace_back(PaletteColor(static_cast<std::size_t>(role)));
  }
  const int market_group = static_cast<int>(chart.groups.size());
  chart.groups.emplace_back("market");
  chart.group_colors.emplace_back("#000000");
  for (const auto& agent : roster.agents) {
    GraphNode node;
    node.name = agent.name;
    node.group = role_group[static_cast<int>(agent.role)];
    node.cluster = agent.team;
    node.value = agent.id < static_cast<int>(measures.betweenness.size())
                     ? measures.betweenness[agent.id]
                     : 0.0;
    node.highlight = agent.role == model::Role::kProduct;
    chart.nodes.push_back(node);
  }
  GraphNode market;
  market.name = "market";
  market.group = market_group;
  market.cluster = static_cast<int>(roster.teams.size());
  market.value = roster.market_vertex < static_cast<int>(measures.betweenness.size())
                     ? measures.betweenness[roster.market_vertex]
                     : 0.0;
  chart.nodes.push_back(market);
  for (const auto& e : graph.edges) chart.edges.push_back({e.from, e.to});
  return chart;
}

}  // namespace orgsim::report
