// Checks of the communication graph the model would build (internal): every
// agent must be able to reach someone, a GraphML file must parse, and a
// graph split into islands is worth a warning.
//
// Uses the model's own builders (engine/model/org.h, graph.h), so the
// check sees exactly the graph a run would use.
//
//   std::vector<GraphProblem> problems = CheckCommunicationGraph(config);
#pragma once

#include <exception>
#include <string>
#include <vector>

#include "engine/io/diagnostics.h"
#include "engine/model/config.h"

namespace orgsim::io::internal {

// Largest graph the model measures: vertices × (vertices + 2 × edges), the
// work of the shortest-path search from every vertex (model::MeasureGraph).
inline constexpr double kMaxGraphMeasureWork = 1e8;

struct GraphProblem {
  Severity severity = Severity::kError;
  // Index in OrganizationConfig::teams of the team the problem is about; -1
  // for the graph as a whole (e.g. an unreadable GraphML file).
  int team = -1;
  std::string message;
};

// Builds the roster and communication graph of `config` and reports
// a graph too large to measure (error, kMaxGraphMeasureWork), isolated
// agents (errors), an isolated market vertex while the market
// mechanism is on (error), builder failures such as a malformed GraphML file
// (errors), and several connected components (warning).
// REQUIRES: model::CheckConfig(config) is OK.
std::vector<GraphProblem> CheckCommunicationGraph(const model::ModelConfig& config);

// The message of an exception from the model without ORGSIM_CHECK's
// "FILE:LINE: check failed: CONDITION: " prefix (source paths do not belong
// in a user's diagnostics).
std::string ModelErrorMessage(const std::exception& error);

}  // namespace orgsim::io::internal
