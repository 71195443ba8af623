#include "engine/model/graph.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/graphml.hpp>
#include <boost/property_map/dynamic_property_map.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <system_error>
#include <utility>

#include "engine/base/xml_escape.h"
#include "engine/kernel/check.h"
#include "engine/kernel/distributions.h"
#include "engine/kernel/rng.h"

namespace orgsim::model {
namespace {

struct EdgeProps {
  double latency = 0.0;
  double neg_log_fidelity = 0.0;
};
using BoostGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS,
                                         boost::no_property, EdgeProps>;

// Collects edges, keeping the first edge per unordered vertex pair.
class EdgeSet {
 public:
  explicit EdgeSet(CommGraph& graph) : graph_(graph) {}
  void Add(int a, int b, double latency, double fidelity) {
    if (a < 0 || b < 0 || a == b) return;
    auto key = std::minmax(a, b);
    if (!seen_.insert(key).second) return;
    graph_.edges.push_back(CommEdge{a, b, latency, fidelity});
  }

 private:
  CommGraph& graph_;
  std::set<std::pair<int, int>> seen_;
};

// Resolves "market", "team" (its anchor) or "team/member".
int ResolveEndpoint(const Roster& roster, const std::string& name) {
  if (name == "market") return roster.market_vertex;
  const auto slash = name.rfind('/');
  if (slash == std::string::npos) {
    const int t = roster.FindTeam(name);
    ORGSIM_CHECK(t >= 0, "graph edge endpoint names unknown team '" << name << "'");
    ORGSIM_CHECK(roster.teams[t].anchor >= 0, "graph edge endpoint '" << name << "' has no people");
    return roster.teams[t].anchor;
  }
  const int t = roster.FindTeam(name.substr(0, slash));
  ORGSIM_CHECK(t >= 0, "graph edge endpoint names unknown team in '" << name << "'");
  int member = -1;
  try {
    member = std::stoi(name.substr(slash + 1));
  } catch (...) {
    member = -1;
  }
  ORGSIM_CHECK(member >= 0 && member < static_cast<int>(roster.teams[t].agents.size()),
               "graph edge endpoint '" << name << "': no such member");
  return roster.teams[t].agents[member];
}

void AddStructuralEdges(const ModelConfig& config, const Roster& roster, EdgeSet& edges) {
  const GraphConfig& g = config.organization.graph;
  // Team stars: members to their lead.
  for (const TeamInfo& team : roster.teams) {
    if (team.role == Role::kDelivery) continue;  // layers form a chain below
    for (std::size_t m = 1; m < team.agents.size(); ++m) {
      edges.Add(team.agents[0], team.agents[m], g.intra_team_latency_days, g.intra_team_fidelity);
    }
  }
  // Layer chains: engineering lead - layer 0 - layer 1 - ... (C9).
  for (const TeamInfo& team : roster.teams) {
    if (team.layers_team < 0 || team.agents.empty()) continue;
    int prev = team.agents[0];
    for (int layer : roster.teams[team.layers_team].agents) {
      edges.Add(prev, layer, g.inter_team_latency_days, g.inter_team_fidelity);
      prev = layer;
    }
  }
}

void AddMarketEdges(const ModelConfig& config, const Roster& roster, EdgeSet& edges) {
  const GraphConfig& g = config.organization.graph;
  const OperatingModelConfig& op = config.organization.operating;
  for (const TeamInfo& team : roster.teams) {
    if (team.agents.empty()) continue;
    switch (team.role) {
      case Role::kSales:
      case Role::kCustomerSuccess:
        for (int a : team.agents)
          edges.Add(a, roster.market_vertex, g.market_latency_days, g.market_fidelity);
        break;
      case Role::kMarketing:
      case Role::kExecutive:
        edges.Add(team.agents[0], roster.market_vertex, g.market_latency_days, g.market_fidelity);
        break;
      case Role::kProduct:
        if (config.organization.pm.customer_interaction_hours_per_week > 0) {
          for (int a : team.agents)
            edges.Add(a, roster.market_vertex, g.market_latency_days, g.market_fidelity);
        }
        break;
      case Role::kEngineering:
        if (op.layers_between_engineers_and_customers == 0 &&
            op.engineer_customer_hours_per_week > 0) {
          for (int a : team.agents)
            edges.Add(a, roster.market_vertex, g.market_latency_days, g.market_fidelity);
        }
        break;
      case Role::kDesign:
      case Role::kDelivery:
        break;
    }
  }
}

void AddHierarchyEdges(const ModelConfig& config, const Roster& roster, EdgeSet& edges) {
  const GraphConfig& g = config.organization.graph;
  std::vector<int> top;
  for (std::size_t i = 0; i < roster.teams.size(); ++i) {
    const TeamInfo& team = roster.teams[i];
    if (team.role == Role::kDelivery || team.anchor < 0) continue;
    if (team.parent >= 0) {
      const TeamInfo& parent = roster.teams[team.parent];
      // Report to the parent's lead (member 0): a manager is a person, not
      // the outer layer of the parent's team.
      if (!parent.agents.empty()) {
        edges.Add(team.anchor, parent.agents[0], g.inter_team_latency_days, g.inter_team_fidelity);
      }
    } else {
      top.push_back(team.anchor);
    }
  }
  // Heads of top-level teams talk to each other.
  for (std::size_t i = 0; i < top.size(); ++i) {
    for (std::size_t j = i + 1; j < top.size(); ++j) {
      edges.Add(top[i], top[j], g.inter_team_latency_days, g.inter_team_fidelity);
    }
  }
}

void AddHubEdges(const ModelConfig& config, const Roster& roster, EdgeSet& edges) {
  const GraphConfig& g = config.organization.graph;
  for (const TeamInfo& pm_team : roster.teams) {
    if (pm_team.role != Role::kProduct) continue;
    for (int pm : pm_team.agents) {
      for (const TeamInfo& team : roster.teams) {
        if (team.role == Role::kProduct || team.role == Role::kDelivery || team.anchor < 0)
          continue;
        edges.Add(pm, team.anchor, g.inter_team_latency_days, g.inter_team_fidelity);
      }
    }
  }
}

void AddRandomEdges(const ModelConfig& config, const Roster& roster, EdgeSet& edges,
                    bool small_world) {
  const GraphConfig& g = config.organization.graph;
  kernel::RandomStream rng(kernel::StreamKey{
      .seed = g.generator_seed,
      .design_point = 0,
      .replication = 0,
      .stream = kernel::StreamIdFromName(small_world ? "graph/small_world" : "graph/random")});
  const int n = static_cast<int>(roster.agents.size());
  if (small_world) {
    if (n < 2) return;
    for (int a = 0; a < n; ++a) {
      for (int k = 0; k < g.small_world_shortcuts; ++k) {
        // Up to a few tries to find an agent of another team.
        for (int attempt = 0; attempt < 8; ++attempt) {
          const int b = static_cast<int>(kernel::UniformInt(rng, static_cast<std::uint64_t>(n)));
          if (roster.agents[b].team == roster.agents[a].team) continue;
          edges.Add(a, b, g.inter_team_latency_days, g.inter_team_fidelity);
          break;
        }
      }
    }
    return;
  }
  for (int a = 0; a < n; ++a) {
    for (int b = a + 1; b < n; ++b) {
      if (roster.agents[a].team == roster.agents[b].team) continue;
      if (kernel::Bernoulli(rng, g.random_edge_probability)) {
        edges.Add(a, b, g.inter_team_latency_days, g.inter_team_fidelity);
      }
    }
  }
}

void AddExplicitEdges(const ModelConfig& config, const Roster& roster, EdgeSet& edges) {
  const GraphConfig& g = config.organization.graph;
  for (const EdgeConfig& e : g.edges) {
    const int a = ResolveEndpoint(roster, e.from);
    const int b = ResolveEndpoint(roster, e.to);
    const bool market = a == roster.market_vertex || b == roster.market_vertex;
    const double lat = e.latency_days >= 0 ? e.latency_days
                       : market            ? g.market_latency_days
                                           : g.inter_team_latency_days;
    const double fid = e.fidelity >= 0 ? e.fidelity
                       : market        ? g.market_fidelity
                                       : g.inter_team_fidelity;
    edges.Add(a, b, lat, fid);
  }
}

// GraphML vertices name an endpoint (an agent "eng/3", a team "eng" or
// "market") in the attribute `name`, or else `team`; edges may carry
// `latency_days` in [0, 60] and `fidelity` in (0, 1], as explicit edges do
// (absent or -1: the graph's defaults).
struct GraphMlVertex {
  std::string name;
  std::string team;
};

void AddGraphMlEdges(const ModelConfig& config, const Roster& roster, EdgeSet& edges) {
  const GraphConfig& g = config.organization.graph;
  // Regular file first: opening a FIFO would block.
  std::error_code ec;
  ORGSIM_CHECK(std::filesystem::is_regular_file(g.graphml_path, ec),
               "GraphML file '" << g.graphml_path << "' is not a regular file");
  std::ifstream in(g.graphml_path);
  ORGSIM_CHECK(in.good(), "cannot open GraphML file '" << g.graphml_path << "'");
  constexpr double kUnset = -1;
  struct EdgeValues {
    double latency_days = kUnset;
    double fidelity = kUnset;
  };
  using G = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, GraphMlVertex,
                                  EdgeValues>;
  G file_graph;
  boost::dynamic_properties dp(boost::ignore_other_properties);
  dp.property("name", get(&GraphMlVertex::name, file_graph));
  dp.property("team", get(&GraphMlVertex::team, file_graph));
  dp.property("latency_days", get(&EdgeValues::latency_days, file_graph));
  dp.property("fidelity", get(&EdgeValues::fidelity, file_graph));
  try {
    boost::read_graphml(in, file_graph, dp);
  } catch (const std::exception& e) {
    ORGSIM_CHECK(false, "GraphML file '" << g.graphml_path << "': " << e.what());
  }
  auto endpoint = [&](G::vertex_descriptor v) {
    const GraphMlVertex& vertex = file_graph[v];
    return vertex.name.empty() ? vertex.team : vertex.name;
  };
  for (auto [it, end] = boost::edges(file_graph); it != end; ++it) {
    const std::string from = endpoint(source(*it, file_graph));
    const std::string to = endpoint(target(*it, file_graph));
    const int a = ResolveEndpoint(roster, from);
    const int b = ResolveEndpoint(roster, to);
    double lat = file_graph[*it].latency_days;
    double fid = file_graph[*it].fidelity;
    ORGSIM_CHECK(lat == kUnset || (lat >= 0 && lat <= 60),
                 "GraphML file '" << g.graphml_path << "': edge " << from << " - " << to
                                  << " latency_days " << lat
                                  << " is not in [0, 60] (or -1 for the default)");
    ORGSIM_CHECK(fid == kUnset || (fid > 0 && fid <= 1),
                 "GraphML file '" << g.graphml_path << "': edge " << from << " - " << to
                                  << " fidelity " << fid
                                  << " is not in (0, 1] (or -1 for the default)");
    const bool market = a == roster.market_vertex || b == roster.market_vertex;
    if (fid == kUnset) fid = market ? g.market_fidelity : g.inter_team_fidelity;
    if (lat == kUnset) lat = market ? g.market_latency_days : g.inter_team_latency_days;
    edges.Add(a, b, lat, fid);
  }
}

BoostGraph ToBoost(const CommGraph& graph) {
  BoostGraph bg(graph.vertices);
  for (const CommEdge& e : graph.edges) {
    boost::add_edge(e.from, e.to, EdgeProps{e.latency_days, -std::log(std::max(1e-12, e.fidelity))},
                    bg);
  }
  return bg;
}

// Keeps vertices not flagged as removed.
struct VertexFilter {
  const std::vector<char>* removed = nullptr;
  bool operator()(std::size_t v) const { return !(*removed)[v]; }
};

}  // namespace

CommGraph BuildCommGraph(const ModelConfig& config, const Roster& roster) {
  CommGraph graph;
  graph.vertices = roster.vertex_count();
  EdgeSet edges(graph);
  const GraphGenerator gen = config.organization.graph.generator;
  AddStructuralEdges(config, roster, edges);
  switch (gen) {
    case GraphGenerator::kHierarchy:
      AddHierarchyEdges(config, roster, edges);
      break;
    case GraphGenerator::kHubAndSpoke:
      AddHierarchyEdges(config, roster, edges);
      AddHubEdges(config, roster, edges);
      break;
    case GraphGenerator::kSmallWorld:
      AddHierarchyEdges(config, roster, edges);
      AddRandomEdges(config, roster, edges, /*small_world=*/true);
      break;
    case GraphGenerator::kRandom:
      AddRandomEdges(config, roster, edges, /*small_world=*/false);
      break;
    case GraphGenerator::kExplicit:
      break;
    case GraphGenerator::kGraphml:
      AddGraphMlEdges(config, roster, edges);
      break;
  }
  if (gen != GraphGenerator::kGraphml) AddMarketEdges(config, roster, edges);
  if (gen != GraphGenerator::kGraphml) AddExplicitEdges(config, roster, edges);
  return graph;
}

GraphMeasures MeasureGraph(const CommGraph& graph, const Roster& roster) {
  const int n = graph.vertices;
  GraphMeasures m;
  m.vertices = n;
  const BoostGraph bg = ToBoost(graph);
  constexpr float kInf = std::numeric_limits<float>::infinity();
  m.latency.assign(static_cast<std::size_t>(n) * n, kInf);
  m.fidelity.assign(static_cast<std::size_t>(n) * n, 0.0f);
  m.hops.assign(static_cast<std::size_t>(n) * n, -1);

  std::vector<double> dist(n);
  for (int s = 0; s < n; ++s) {
    boost::dijkstra_shortest_paths(bg, s,
                                   boost::weight_map(boost::get(&EdgeProps::latency, bg))
                                       .distance_map(boost::make_iterator_property_map(
                                           dist.begin(), boost::get(boost::vertex_index, bg))));
    for (int t = 0; t < n; ++t) {
      if (dist[t] < std::numeric_limits<double>::max() / 2) {
        m.latency[static_cast<std::size_t>(s) * n + t] = static_cast<float>(dist[t]);
      }
    }
    boost::dijkstra_shortest_paths(bg, s,
                                   boost::weight_map(boost::get(&EdgeProps::neg_log_fidelity, bg))
                                       .distance_map(boost::make_iterator_property_map(
                                           dist.begin(), boost::get(boost::vertex_index, bg))));
    for (int t = 0; t < n; ++t) {
      if (dist[t] < std::numeric_limits<double>::max() / 2) {
        m.fidelity[static_cast<std::size_t>(s) * n + t] = static_cast<float>(std::exp(-dist[t]));
      }
    }
    // Hop counts by breadth-first search.
    std::vector<int> hop(n, -1);
    hop[s] = 0;
    std::vector<int> frontier{s};
    while (!frontier.empty()) {
      std::vector<int> next;
      for (int v : frontier) {
        for (auto [it, end] = boost::adjacent_vertices(v, bg); it != end; ++it) {
          const int w = static_cast<int>(*it);
          if (hop[w] < 0) {
            hop[w] = hop[v] + 1;
            next.push_back(w);
          }
        }
      }
      frontier.swap(next);
    }
    std::copy(hop.begin(), hop.end(), m.hops.begin() + static_cast<std::ptrdiff_t>(s) * n);
  }

  // Brandes betweenness on hop counts (Boost counts each unordered pair once
  // for undirected graphs), normalised by the number of pairs not involving
  // the vertex, (n-1)(n-2)/2, so a star's centre scores 1.
  m.betweenness.assign(n, 0.0);
  if (n > 2) {
    std::vector<double> centrality(n, 0.0);
    boost::brandes_betweenness_centrality(
        bg, boost::centrality_map(boost::make_iterator_property_map(
                centrality.begin(), boost::get(boost::vertex_index, bg))));
    const double pairs = 0.5 * (n - 1.0) * (n - 2.0);
    for (int v = 0; v < n; ++v) m.betweenness[v] = centrality[v] / pairs;
  }

  std::vector<char> is_pm(n, 0);
  int pm_count = 0;
  for (const Agent& a : roster.agents) {
    if (a.role == Role::kProduct) {
      is_pm[a.id] = 1;
      m.pm_betweenness += m.betweenness[a.id];
      ++pm_count;
    }
  }
  if (pm_count > 0) m.pm_betweenness /= pm_count;

  std::vector<int> component(n);
  m.components = n == 0 ? 0
                        : static_cast<int>(boost::connected_components(
                              bg, boost::make_iterator_property_map(
                                      component.begin(), boost::get(boost::vertex_index, bg))));
  // Without the product vertices.
  VertexFilter filter{&is_pm};
  boost::filtered_graph<BoostGraph, boost::keep_all, VertexFilter> without(bg, boost::keep_all(),
                                                                           filter);
  std::vector<double> wdist(n);
  {
    // connected_components on a filtered graph still labels filtered-out
    // vertices through the index map; count labels of kept vertices only.
    std::vector<int> comp(n, -1);
    int count = 0;
    for (int v = 0; v < n; ++v) {
      if (is_pm[v] || comp[v] >= 0) continue;
      std::vector<int> stack{v};
      comp[v] = count;
      while (!stack.empty()) {
        const int u = stack.back();
        stack.pop_back();
        for (auto [it, end] = boost::adjacent_vertices(u, bg); it != end; ++it) {
          const int w = static_cast<int>(*it);
          if (!is_pm[w] && comp[w] < 0) {
            comp[w] = count;
            stack.push_back(w);
          }
        }
      }
      ++count;
    }
    m.components_without_pm = count;
  }

  // Anchors of functions (non-product teams) plus the market.
  std::vector<int> anchors;
  for (const TeamInfo& team : roster.teams) {
    if (team.anchor >= 0 && team.role != Role::kProduct && team.role != Role::kDelivery) {
      anchors.push_back(team.anchor);
    }
  }
  anchors.push_back(roster.market_vertex);
  double sum = 0, sum_without = 0;
  int pairs = 0, reach = 0, reach_without = 0, disconnected = 0;
  for (std::size_t i = 0; i < anchors.size(); ++i) {
    boost::dijkstra_shortest_paths(without, anchors[i],
                                   boost::weight_map(boost::get(&EdgeProps::latency, bg))
                                       .distance_map(boost::make_iterator_property_map(
                                           wdist.begin(), boost::get(boost::vertex_index, bg))));
    for (std::size_t j = i + 1; j < anchors.size(); ++j) {
      ++pairs;
      const double with = m.Latency(anchors[i], anchors[j]);
      if (std::isfinite(with)) {
        sum += with;
        ++reach;
      }
      const double w = wdist[anchors[j]];
      if (w < std::numeric_limits<double>::max() / 2) {
        sum_without += w;
        ++reach_without;
      } else {
        ++disconnected;
      }
    }
  }
  m.anchor_latency_mean = reach ? sum / reach : 0.0;
  m.anchor_latency_mean_without_pm = reach_without ? sum_without / reach_without : 0.0;
  m.anchor_pairs_disconnected_without_pm = pairs ? static_cast<double>(disconnected) / pairs : 0.0;

  double lat = 0, fid = 0, hops = 0;
  int engineers = 0;
  for (const Agent& a : roster.agents) {
    if (a.role != Role::kEngineering) continue;
    ++engineers;
    const double l = m.Latency(roster.market_vertex, a.id);
    lat += std::isfinite(l) ? l : 0.0;
    fid += m.Fidelity(roster.market_vertex, a.id);
    hops += std::max(0, m.Hops(roster.market_vertex, a.id));
  }
  if (engineers > 0) {
    m.market_to_engineers_latency = lat / engineers;
    m.market_to_engineers_fidelity = fid / engineers;
    m.market_to_engineers_hops = hops / engineers;
  }
  return m;
}

namespace {

std::string VertexName(const Roster& roster, int v) {
  return v == roster.market_vertex ? std::string("market") : roster.agents[v].name;
}

std::string VertexTeam(const Roster& roster, int v) {
  return v == roster.market_vertex ? std::string("market")
                                   : roster.teams[roster.agents[v].team].name;
}

std::string VertexRole(const Roster& roster, int v) {
  return v == roster.market_vertex ? std::string("market")
                                   : std::string(RoleName(roster.agents[v].role));
}

}  // namespace

std::string WriteGraphDot(const ModelConfig& config) {
  const Roster roster = BuildRoster(config);
  const CommGraph graph = BuildCommGraph(config, roster);
  const GraphMeasures m = MeasureGraph(graph, roster);
  std::ostringstream out;
  out.precision(6);
  out << "graph orgsim {\n";
  out << "  // pm_betweenness=" << m.pm_betweenness << " components=" << m.components
      << " components_without_pm=" << m.components_without_pm
      << " market_to_engineers_fidelity=" << m.market_to_engineers_fidelity << "\n";
  for (int v = 0; v < graph.vertices; ++v) {
    if (v < roster.market_vertex && !roster.agents[v].initially_active) continue;
    const double lat = m.Latency(roster.market_vertex, v);
    out << "  v" << v << " [label=\"" << VertexName(roster, v) << "\", team=\""
        << VertexTeam(roster, v) << "\", role=\"" << VertexRole(roster, v)
        << "\", betweenness=" << m.betweenness[v]
        << ", market_latency_days=" << (std::isfinite(lat) ? lat : -1.0)
        << ", market_fidelity=" << m.Fidelity(roster.market_vertex, v) << "];\n";
  }
  for (const CommEdge& e : graph.edges) {
    const bool hidden =
        (e.from < roster.market_vertex && !roster.agents[e.from].initially_active) ||
        (e.to < roster.market_vertex && !roster.agents[e.to].initially_active);
    if (hidden) continue;
    out << "  v" << e.from << " -- v" << e.to << " [latency_days=" << e.latency_days
        << ", fidelity=" << e.fidelity << "];\n";
  }
  out << "}\n";
  return out.str();
}

std::string WriteGraphMl(const ModelConfig& config) {
  const Roster roster = BuildRoster(config);
  const CommGraph graph = BuildCommGraph(config, roster);
  const GraphMeasures m = MeasureGraph(graph, roster);
  std::ostringstream out;
  out.precision(6);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
         "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n"
         "  <key id=\"team\" for=\"node\" attr.name=\"team\" attr.type=\"string\"/>\n"
         "  <key id=\"role\" for=\"node\" attr.name=\"role\" attr.type=\"string\"/>\n"
         "  <key id=\"active\" for=\"node\" attr.name=\"active_at_start\" attr.type=\"boolean\"/>\n"
         "  <key id=\"betweenness\" for=\"node\" attr.name=\"betweenness\" attr.type=\"double\"/>\n"
         "  <key id=\"market_latency\" for=\"node\" attr.name=\"market_latency_days\" "
         "attr.type=\"double\"/>\n"
         "  <key id=\"market_fidelity\" for=\"node\" attr.name=\"market_fidelity\" "
         "attr.type=\"double\"/>\n"
         "  <key id=\"latency_days\" for=\"edge\" attr.name=\"latency_days\" "
         "attr.type=\"double\"/>\n"
         "  <key id=\"fidelity\" for=\"edge\" attr.name=\"fidelity\" attr.type=\"double\"/>\n"
         "  <graph id=\"orgsim\" edgedefault=\"undirected\">\n";
  for (int v = 0; v < graph.vertices; ++v) {
    const double lat = m.Latency(roster.market_vertex, v);
    const bool active = v == roster.market_vertex || roster.agents[v].initially_active;
    out << "    <node id=\"n" << v << "\">"
        << "<data key=\"name\">" << XmlEscape(VertexName(roster, v)) << "</data>"
        << "<data key=\"team\">" << XmlEscape(VertexTeam(roster, v)) << "</data>"
        << "<data key=\"role\">" << VertexRole(roster, v) << "</data>"
        << "<data key=\"active\">" << (active ? "true" : "false") << "</data>"
        << "<data key=\"betweenness\">" << m.betweenness[v] << "</data>"
        << "<data key=\"market_latency\">" << (std::isfinite(lat) ? lat : -1.0) << "</data>"
        << "<data key=\"market_fidelity\">" << m.Fidelity(roster.market_vertex, v) << "</data>"
        << "</node>\n";
  }
  int id = 0;
  for (const CommEdge& e : graph.edges) {
    out << "    <edge id=\"e" << id++ << "\" source=\"n" << e.from << "\" target=\"n" << e.to
        << "\"><data key=\"latency_days\">" << e.latency_days << "</data><data key=\"fidelity\">"
        << e.fidelity << "</data></edge>\n";
  }
  out << "  </graph>\n</graphml>\n";
  return out.str();
}

}  // namespace orgsim::model
