#include "engine/io/internal/graph_checks.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <map>
#include <numeric>
#include <set>

#include "engine/model/graph.h"
#include "engine/model/org.h"

namespace orgsim::io::internal {
namespace {

// Union-find over graph vertices.
class Components {
 public:
  explicit Components(int n) : parent_(static_cast<std::size_t>(n)) {
    std::iota(parent_.begin(), parent_.end(), 0);
  }
  int Find(int v) {
    while (parent_[v] != v) {
      parent_[v] = parent_[parent_[v]];
      v = parent_[v];
    }
    return v;
  }
  void Join(int a, int b) { parent_[Find(a)] = Find(b); }

 private:
  std::vector<int> parent_;
};

std::string NameList(const std::vector<std::string>& names, std::size_t max_shown = 6) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < max_shown; ++i) {
    out += (i > 0 ? ", " : "") + names[i];
  }
  if (names.size() > max_shown) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out;
}

}  // namespace

std::string ModelErrorMessage(const std::exception& error) {
  const std::string what = error.what();
  const std::string marker = "check failed: ";
  std::size_t at = what.find(marker);
  if (at == std::string::npos) return what;
  std::size_t message = what.find(": ", at + marker.size());
  return message == std::string::npos ? what.substr(at + marker.size()) : what.substr(message + 2);
}

std::vector<GraphProblem> CheckCommunicationGraph(const model::ModelConfig& config) {
  std::vector<GraphProblem> problems;
  model::Roster roster;
  model::CommGraph graph;
  try {
    roster = model::BuildRoster(config);
    graph = model::BuildCommGraph(config, roster);
  } catch (const std::exception& e) {
    problems.push_back(
        {Severity::kError, -1, "cannot build the communication graph: " + ModelErrorMessage(e)});
    return problems;
  }
  const double vertices = graph.vertices, edges = static_cast<double>(graph.edges.size());
  const double measure_work = vertices * (vertices + 2 * edges);
  if (measure_work > kMaxGraphMeasureWork) {
    char text[160];
    std::snprintf(text, sizeof(text),
                  "%.0f vertices and %.0f edges: about %.2g steps, above the limit of %.2g",
                  vertices, edges, measure_work, kMaxGraphMeasureWork);
    problems.push_back(
        {Severity::kError, -1,
         std::string("the communication graph is too large to measure (a shortest-path search "
                     "from every vertex): ") +
             text +
             " (see \"Limits on what one run may cost\" in docs/model.md); use fewer "
             "agents or a sparser graph"});
    return problems;
  }
  std::vector<int> degree(static_cast<std::size_t>(graph.vertices), 0);
  Components components(graph.vertices);
  for (const model::CommEdge& e : graph.edges) {
    ++degree[e.from];
    ++degree[e.to];
    components.Join(e.from, e.to);
  }

  // Isolated agents, grouped by team (and reported at the configured team;
  // an intermediary layer at the engineering team it fronts).
  // (A lone agent has no one to reach: a one-engineer queue is fine.)
  std::map<int, std::vector<std::string>> isolated_by_team;
  for (const model::Agent& agent : roster.agents) {
    if (degree[agent.id] == 0 && roster.agents.size() > 1) {
      isolated_by_team[agent.team].push_back(agent.name);
    }
  }
  for (const auto& [team_index, agents] : isolated_by_team) {
    const model::TeamInfo& team = roster.teams[team_index];
    int config_team = team.config_index >= 0  ? team.config_index
                      : team.served_team >= 0 ? roster.teams[team.served_team].config_index
                                              : -1;
    problems.push_back(
        {Severity::kError, config_team,
         (agents.size() == 1 ? "agent " : "agents ") + NameList(agents) + " of team \"" +
             team.name + "\" cannot reach anyone: no edge of the communication graph touches " +
             (agents.size() == 1 ? "it" : "them") +
             " (connect the team with reports_to, an explicit edge, or another generator)"});
  }
  const bool market_on = config.mechanisms.market;
  if (market_on && degree[roster.market_vertex] == 0) {
    problems.push_back({Severity::kError, -1,
                        "the market vertex has no edge: no agent talks to customers (give sales, "
                        "product or customer success people, or add an edge to \"market\")"});
  }

  // Islands: several components among the connected vertices.
  std::map<int, std::vector<std::string>> teams_by_component;
  for (const model::TeamInfo& team : roster.teams) {
    for (int agent : team.agents) {
      if (degree[agent] == 0) continue;
      std::vector<std::string>& names = teams_by_component[components.Find(agent)];
      if (std::find(names.begin(), names.end(), team.name) == names.end()) {
        names.push_back(team.name);
      }
    }
  }
  if (market_on && degree[roster.market_vertex] > 0) {
    teams_by_component[components.Find(roster.market_vertex)].push_back("market");
  }
  if (teams_by_component.size() > 1) {
    std::string groups;
    for (const auto& [root, names] : teams_by_component) {
      groups += (groups.empty() ? "{" : ", {") + NameList(names) + "}";
    }
    problems.push_back({Severity::kWarning, -1,
                        "the communication graph falls apart into " +
                            std::to_string(teams_by_component.size()) +
                            " groups that cannot reach each other: " + groups});
  }
  return problems;
}

}  // namespace orgsim::io::internal
