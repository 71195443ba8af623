// Cross-field checks of a scenario's model sections (internal): what the
// per-field ranges in the schema cannot express — references between teams
// and edges, the engineering team the model requires, need-weight vectors
// that match the problem dimensions, the GraphML file, warmup < horizon.
//
//   ModelCheckContext context{.base_dir = "scenarios", .read_external_files = true};
//   CheckModelSections(Node{&scenario, &tree, {1, 1}}, context, sink);
//
// Every message names the element it is about (team "eng", edge 3), because
// for arms the checks run on the merged model, which has no source positions
// of its own: those diagnostics point at the arm and say "arm "x": ...".
#pragma once

#include <cstdint>
#include <string>

#include "engine/io/internal/located.h"

namespace orgsim::io::internal {

struct ModelCheckContext {
  // Folder that relative paths are resolved against.
  std::string base_dir;
  // Whether referenced files may be opened (off in the fuzzer).
  bool read_external_files = true;
  // Prepended to every message, e.g. "arm \"no_pm\": ".
  std::string prefix;
  // When set (a canonical folder), referenced files must lie inside it.
  std::string confine_dir;
};

// Checks the model sections of the Scenario at `root` (a Scenario message).
void CheckModelSections(const Node& root, const ModelCheckContext& context, DiagnosticSink& sink);

// Largest organization the loader accepts: the sum over teams of
// max(initial_headcount, final_headcount). Keeps validation and runs bounded
// (the model keeps all-pairs path tables, O(agents^2) memory).
inline constexpr int kMaxAgents = 5000;
inline constexpr int kMaxTeams = 1000;
// Largest expected edge count of a GRAPH_RANDOM graph.
inline constexpr double kMaxRandomEdges = 2e6;
// Largest GraphML file read (reading costs about 70 bytes of memory per byte).
inline constexpr std::uintmax_t kMaxGraphMlBytes = 8 << 20;

}  // namespace orgsim::io::internal
