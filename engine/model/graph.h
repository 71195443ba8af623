// The communication graph: who talks to whom, how fast, how faithfully.
//
// Vertices are the agents of the Roster plus one market vertex (all
// customers). Edges are undirected with a latency (days) and a fidelity (the
// share of information that survives the hop, in (0, 1]). The graph is a
// Boost.Graph adjacency_list, built once per configuration; all measures are
// computed once (GraphMeasures) and never per event:
//   * fastest paths: Dijkstra on latency;
//   * most reliable paths: Dijkstra on −log(fidelity), so a path's fidelity
//     is the product of its edges' fidelities;
//   * Brandes betweenness centrality (hop count, normalised to [0, 1]) — the
//     PM's "glue" (C7);
//   * connected components with every product vertex removed, and how much
//     longer the paths between functions get without them.
//
//   Roster roster = BuildRoster(config);
//   CommGraph graph = BuildCommGraph(config, roster);
//   GraphMeasures m = MeasureGraph(graph, roster);
//   double f = m.Fidelity(roster.market_vertex, some_engineer);
//   std::string dot = WriteGraphDot(config);  // `orgsim graph --format dot`
#pragma once

#include <string>
#include <vector>

#include "engine/model/config.h"
#include "engine/model/org.h"

namespace orgsim::model {

struct CommEdge {
  int from = 0;
  int to = 0;
  double latency_days = 0.0;
  double fidelity = 1.0;
};

// The edge list (deduplicated: at most one edge per vertex pair, the first
// one generated wins). The Boost graph is built from it where needed.
struct CommGraph {
  int vertices = 0;
  std::vector<CommEdge> edges;
};

// Builds the graph for `config`'s generator. Random generators draw from a
// stream keyed by graph.generator_seed, so the graph is part of the design
// (identical in every replication). Throws InvariantError for unknown
// endpoints in explicit edges or an unreadable GraphML file.
CommGraph BuildCommGraph(const ModelConfig& config, const Roster& roster);

// Measures computed once per configuration.
struct GraphMeasures {
  int vertices = 0;
  std::vector<double> betweenness;  // per vertex, normalised to [0, 1]
  // All-pairs tables, row-major [from * vertices + to].
  std::vector<float> latency;   // fastest path latency (days); +inf if none
  std::vector<float> fidelity;  // most reliable path fidelity; 0 if none
  std::vector<int> hops;        // fewest hops; -1 if none

  double pm_betweenness = 0.0;  // mean over product vertices (0 if none)
  int components = 0;           // connected components (market included)
  int components_without_pm = 0;
  // Between function anchors (team anchors of every non-product team, plus
  // the market): mean fastest latency with all vertices, mean with product
  // vertices removed (reachable pairs only), and the share of pairs that
  // become unreachable without product.
  double anchor_latency_mean = 0.0;
  double anchor_latency_mean_without_pm = 0.0;
  double anchor_pairs_disconnected_without_pm = 0.0;
  // Market → engineers: mean over engineers of fastest latency and of most
  // reliable fidelity (C9: layers and hops between engineers and customers).
  double market_to_engineers_latency = 0.0;
  double market_to_engineers_fidelity = 0.0;
  double market_to_engineers_hops = 0.0;

  double Latency(int from, int to) const { return latency[from * vertices + to]; }
  double Fidelity(int from, int to) const { return fidelity[from * vertices + to]; }
  int Hops(int from, int to) const { return hops[from * vertices + to]; }
};

GraphMeasures MeasureGraph(const CommGraph& graph, const Roster& roster);

// Graphviz DOT / GraphML text of the configuration's graph with the measures
// above as vertex attributes (team, role, betweenness, latency and fidelity
// from the market) and edge attributes (latency_days, fidelity).
std::string WriteGraphDot(const ModelConfig& config);
std::string WriteGraphMl(const ModelConfig& config);

}  // namespace orgsim::model
