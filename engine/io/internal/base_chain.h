// A scenario file and its base files (`base:`), parsed and merged (internal).
//
// The base is loaded first (recursively), then the file's own fields are
// merged over it with the arm overlay semantics (merge.h). Locations travel
// with the merge, so a check on the merged scenario reports a field in the
// file that wrote it, followed by "included from FILE:LINE".
//
//   ScenarioChain chain;
//   if (!LoadChain(text, "s.textproto", "scenarios", true, "", &chain, &diags)) return;
//   Node root{&chain.merged, &chain.locations, {1, 1}};
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/io/diagnostics.h"
#include "engine/io/internal/located.h"
#include "proto/orgsim/scenario.pb.h"

namespace orgsim::io::internal {

struct ScenarioChain {
  // Every file of the chain, the given file first; positions point here.
  std::vector<std::unique_ptr<SourceFile>> files;
  // The file merged over its bases; `base` cleared.
  orgsim::v1::Scenario merged;
  LocationTree locations;
};

// Reads a scenario file into `text`; returns "" or why it cannot be read
// ("No such file or directory", "it is a directory", too large, ...).
std::string ReadScenarioFile(const std::string& path, std::string* text);

// Parses `text` (named `display_name` in diagnostics) and its base chain.
// Relative base paths resolve against the including file's folder
// (`base_dir` for `text`); a base's relative graphml_path is rewritten to
// stay relative to `base_dir`. Returns false after appending the syntax
// errors of any file of the chain, or a missing base or a cycle (reported at
// the `base:` that causes it). A non-empty `confine_dir` (canonical, as
// LoadOptions::confine_files_to) refuses a base that lies outside it.
bool LoadChain(std::string_view text, const std::string& display_name, const std::string& base_dir,
               bool read_external_files, const std::string& confine_dir, ScenarioChain* chain,
               std::vector<Diagnostic>* diagnostics);

}  // namespace orgsim::io::internal
