// Rules every scenario message obeys, read from the schema itself
// (internal): numeric ranges from the (min)/(max) field options in
// proto/orgsim/options.proto, finiteness of floating-point values, and
// unique, well-formed names in named lists.
//
//   CheckFieldRules(Node{&scenario, &tree, {1, 1}}, sink);
//   std::string why = RangeViolation(field, 1.5);
//   // "people_sense is 1.5; expected a value in [0, 1]"
#pragma once

#include <google/protobuf/descriptor.h>

#include <string>

#include "engine/io/internal/located.h"

namespace orgsim::io::internal {

// Checks every field set in `node` and its nested messages: ranges,
// finite numbers, names. Each violation is reported where it was written.
void CheckFieldRules(const Node& node, DiagnosticSink& sink);

// Empty when `value` is allowed in `field` (its range and type), else a
// sentence saying what was expected.
std::string RangeViolation(const google::protobuf::FieldDescriptor* field, double value);

// The field's allowed range as text, e.g. "in [0, 1]", "> 0 (days)", "any
// number"; empty for non-numeric fields.
std::string RangeText(const google::protobuf::FieldDescriptor* field);

// The field's range as numbers (infinite where unbounded).
struct FieldRange {
  double min;
  double max;
  bool min_exclusive;
  bool max_exclusive;
};
FieldRange RangeOf(const google::protobuf::FieldDescriptor* field);

// The field's unit from its (unit) option, or empty.
std::string UnitOf(const google::protobuf::FieldDescriptor* field);

// True when `name` is a valid element or scenario name: 1 to 64 characters
// from [A-Za-z0-9_.-].
bool IsValidName(const std::string& name);

}  // namespace orgsim::io::internal
