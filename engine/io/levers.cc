#include "engine/io/levers.h"

#include <string>
#include <vector>

#include "engine/io/internal/field_path.h"
#include "engine/io/internal/field_rules.h"
#include "engine/io/internal/scenario_state.h"

namespace orgsim::io {

StatusOr<LeverInfo> DescribeLever(const LoadedScenario& scenario, std::size_t arm_index,
                                  const std::string& path) {
  static const std::vector<std::string> kRoots = {
      "horizon_days", "warmup_days", "organization", "market", "work",
      "delivery",     "sales",       "finance",      "pmf",    "mechanisms"};
  if (!scenario.state || arm_index >= scenario.state->arms.size()) {
    return InvalidArgumentError("arm index " + std::to_string(arm_index) + " is out of range");
  }
  const auto& model = scenario.state->arms[arm_index].model;
  StatusOr<internal::ParsedPath> parsed = internal::ParsePath(path);
  if (!parsed.ok()) return parsed.status();
  StatusOr<internal::ResolvedPath> found =
      internal::ResolvePath(model, *parsed, internal::PathTarget::kScalar, kRoots);
  if (!found.ok()) return found.status();
  const internal::ResolvedPath& resolved = *found;
  const auto* leaf = resolved.leaf();
  if (!internal::IsNumericField(leaf)) {
    return InvalidArgumentError(path + " is not a numeric or bool field");
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
