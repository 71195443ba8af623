// The picture of an organization's communication graph (C7: the PM as glue):
// agents clustered by team, coloured by role, sized by Brandes betweenness,
// the product vertices highlighted with their betweenness.
//
//   GraphChart chart = CommunicationGraphChart(arm.config, "product_led", "graph-product_led");
//   std::string svg = RenderGraph(chart);
#pragma once

#include <string>

#include "engine/model/config.h"
#include "engine/report/charts.h"

namespace orgsim::report {

// Builds the roster, graph and measures of `config` (model/graph.h). Throws
// kernel::InvariantError for an invalid configuration.
GraphChart CommunicationGraphChart(const model::ModelConfig& config, const std::string& arm_name,
                                   const std::string& id);

}  // namespace orgsim::report
