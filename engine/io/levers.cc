#include "engine/io/levers.h"

#include <string>
#include <vector>

#include "engine/io/internal/field_path.h"
#include "engine/io/internal/field_rules.h"
#include "engine/io/internal/scenario_state.h"

namespace orgsim::io {

std::optional<LeverInfo> DescribeLever(const LoadedScenario& scenario, std::size_t arm_index,
                                       const std::string& path, std::string* error) {
  static const std::vector<std::string> kRoots = {"horizon_days", "warmup_days", "organization", "market",
                                                  "work",         "delivery",    "sales",        "finance",
                                                  "pmf",          "mechanisms"};
  if (!scenario.state || arm_index >= scenario.state->arms.size()) {
    *error = "arm index " + std::to_string(arm_index) + " is out of range";
    return std::nullopt;
  }
  const auto& model = scenario.state->arms[arm_index].model;
  internal::ParsedPath parsed;
  if (!internal::ParsePath(path, &parsed, error)) return std::nullopt;
  internal::ResolvedPath resolved;
  if (!internal::ResolvePath(model, parsed, internal::PathTarget::kScalar, kRoots, &resolved, error)) {
    return std::nullopt;
  }
  const auto* leaf = resolved.leaf();
  if (!internal::IsNumericField(leaf)) {
    *error = path + " is not a numeric or bool field";
    return std::nullopt;
  }
  LeverInfo info;
  info.path = path;
  const auto range = internal::RangeOf(leaf);
  info.min = range.min;
  info.max = range.max;
  info.min_exclusive = range.min_exclusive;
  info.max_exclusive = range.max_exclusive;
  if (leaf->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_BOOL) {
    info.kind = "bool";
    info.min = 0;
    info.max = 1;
  } else {
    info.kind = internal::IsIntegralField(leaf) ? "integer" : "number";
  }
  info.unit = internal::UnitOf(leaf);
  info.value = internal::GetNumeric(model, resolved);
  return info;
}

}  // namespace orgsim::io
