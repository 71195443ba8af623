// SchedulableLever: a lever that a lever schedule may change within a run.
//
// The table of every such lever is generated from the schema
// (ModelConfigSchedulableLevers() in the generated config header): every
// single number, bool or enum of the model sections reached without
// passing through a list, except the fields marked (run_constant) in
// proto/orgsim/scenario.proto, which the model reads only when a run starts.
// That option is the one place that decides what can be scheduled.
//
//   for (const SchedulableLever& lever : ModelConfigSchedulableLevers()) {
//     lever.set(config, lever.get(config) + 1);  // path: "organization.pm.mandate"
//   }
#pragma once

#include <span>
#include <string_view>

namespace orgsim::model {

struct ModelConfig;

enum class LeverKind { kNumber, kInteger, kBool, kEnum };

// One enumerator of an enum lever: its schema name and number.
struct EnumChoice {
  std::string_view name;  // e.g. "ROADMAP_OUTCOME_DRIVEN"
  int number;
};

// For any generated root struct (the toy schemas of the codegen tests too);
// the model's is SchedulableLever.
template <typename Config>
struct BasicSchedulableLever {
  std::string_view path;  // from the config root, e.g. "organization.pm.mandate"
  LeverKind kind;
  std::span<const EnumChoice> choices;  // enum levers: every enumerator; else empty
  // The value as a double (an enum's number, a bool's 0/1).
  double (*get)(const Config& config);
  // Sets the value from a double: integers rounded, bools != 0, enums by
  // number (callers check the range and the enumerator first).
  void (*set)(Config& config, double value);
};

using SchedulableLever = BasicSchedulableLever<ModelConfig>;

}  // namespace orgsim::model
