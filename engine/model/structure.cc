#include "engine/model/structure.h"

#include "engine/model/world.h"

namespace orgsim::model {

std::vector<MetricDef> Structure::Metrics() {
  return {
      DefineMetric<Structure>(
          {"pm_betweenness", "0-1", "Mean normalised betweenness centrality of product vertices",
           Better::kNeither, "PM as a bridge between teams"},
          [](const Structure&, const World& w) { return w.prep.measures.pm_betweenness; }),
      DefineMetric<Structure>({"events", "events", "Events processed by the kernel",
                               Better::kNeither, "Simulation events"},
                              [](const Structure&, const World& w) {
                                return static_cast<double>(w.sim.events_processed());
                              }),
      DefineMetric<Structure>({"info_latency_days", "days",
                               "Mean fastest-path latency from the market to engineers "
                               "(structural: graph table, not traffic)",
                               Better::kLower, "Delay of market news to engineers"},
                              [](const Structure&, const World& w) {
                                return w.prep.measures.market_to_engineers_latency;
                              }),
      DefineMetric<Structure>({"info_fidelity", "0-1",
                               "Mean most-reliable-path fidelity from the market to engineers "
                               "(structural: graph table, not traffic)",
                               Better::kHigher, "Accuracy of market news to engineers"},
                              [](const Structure&, const World& w) {
                                return w.prep.measures.market_to_engineers_fidelity;
                              }),
      DefineMetric<Structure>({"info_hops", "hops", "Mean hops from the market to engineers",
                               Better::kLower, "Hand-offs from market to engineers"},
                              [](const Structure&, const World& w) {
                                return w.prep.measures.market_to_engineers_hops;
                              }),
      DefineMetric<Structure>({"components_without_pm", "components",
                               "Connected components with product vertices removed",
                               Better::kNeither, "Team clusters left without the PM"},
                              [](const Structure&, const World& w) {
                                return static_cast<double>(w.prep.measures.components_without_pm);
                              }),
      DefineMetric<Structure>(
          {"pairs_disconnected_without_pm", "fraction",
           "Share of function-anchor pairs disconnected without product vertices", Better::kNeither,
           "Teams cut off without the PM"},
          [](const Structure&, const World& w) {
            return w.prep.measures.anchor_pairs_disconnected_without_pm;
          }),
      DefineMetric<Structure>(
          {"anchor_latency_days", "days", "Mean latency between function anchors", Better::kNeither,
           "Delay between functions"},
          [](const Structure&, const World& w) { return w.prep.measures.anchor_latency_mean; }),
      DefineMetric<Structure>(
          {"anchor_latency_without_pm_days", "days",
           "Mean latency between function anchors without product vertices (reachable pairs)",
           Better::kNeither, "Delay between functions without the PM"},
          [](const Structure&, const World& w) {
            return w.prep.measures.anchor_latency_mean_without_pm;
          }),
  };
}
}  // namespace orgsim::model
