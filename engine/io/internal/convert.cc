#include "engine/io/internal/convert.h"

#include <filesystem>

#include "engine/io/internal/config_convert.h"  // generated from the schema

namespace orgsim::io::internal {

// The field-by-field copies are generated (tools/codegen); what is left by
// hand is what is not a copy: resolving the GraphML path.
model::ModelConfig ToModelConfig(const orgsim::v1::Scenario& scenario,
                                 const std::string& base_dir) {
  model::ModelConfig config;
  ToConfig(scenario, &config);
  std::string& graphml = config.organization.graph.graphml_path;
  if (!graphml.empty() && !base_dir.empty() && std::filesystem::path(graphml).is_relative()) {
    graphml = (std::filesystem::path(base_dir) / graphml).lexically_normal().string();
  }
  return config;
}

orgsim::v1::Scenario FromModelConfig(const model::ModelConfig& config) {
  orgsim::v1::Scenario scenario;
  FromConfig(config, &scenario);
  return scenario;
}

}  // namespace orgsim::io::internal
