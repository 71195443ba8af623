// Conversion between the scenario schema (proto/orgsim/scenario.proto) and
// the model's plain C++ configuration (engine/model/config.h) (internal).
//
// The structs are generated from the schema, and so are the field-by-field
// copies (engine/io/internal/config_convert.h in the build tree); a field
// path means the same in both. tests/io/convert_test.cc checks the result:
// proto defaults equal config defaults and every proto field reaches the
// config and back.
//
//   model::ModelConfig config = ToModelConfig(merged_arm, "scenarios/");
//   v1::Scenario sections = FromModelConfig(config);  // every field set
#pragma once

#include <string>

#include "engine/model/config.h"
#include "proto/orgsim/scenario.pb.h"

namespace orgsim::io::internal {

// The model sections of `scenario` (horizon_days, warmup_days,
// organization, market, work, delivery, sales, finance, pmf, mechanisms) as
// a ModelConfig. Unset fields take their schema defaults. A relative
// graph.graphml_path is resolved against `base_dir` (the scenario file's
// folder; empty = the current directory).
model::ModelConfig ToModelConfig(const orgsim::v1::Scenario& scenario, const std::string& base_dir);

// The inverse: a Scenario whose model sections have every field set
// explicitly to the value in `config` (name, seed, arms, ... stay unset).
orgsim::v1::Scenario FromModelConfig(const model::ModelConfig& config);

}  // namespace orgsim::io::internal
