// What a LoadedScenario keeps of the parsed file so that ConfigFor can apply
// sweep values by field path without re-reading anything (internal).
#pragma once

#include <string>
#include <vector>

#include "engine/io/internal/field_path.h"
#include "proto/orgsim/scenario.pb.h"

namespace orgsim::io::internal {

struct ArmState {
  // The arm's model sections after overlays, removes and `set` overrides.
  orgsim::v1::Scenario model;
  // The sweep parameters' paths resolved in `model`, aligned with
  // SweepSpec::params.
  std::vector<ResolvedPath> sweep_paths;
};

struct ScenarioState {
  // Folder that relative paths in the scenario are resolved against.
  std::string base_dir;
  // Whether the loader may read referenced files (GraphML).
  bool read_external_files = true;
  // Aligned with LoadedScenario::arms.
  std::vector<ArmState> arms;
};

}  // namespace orgsim::io::internal
