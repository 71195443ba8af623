// Field paths: naming any lever of a scenario by a string, through protobuf
// reflection, so overrides and sweeps need no code per lever (internal).
//
// Syntax (documented in docs/scenario-format.md, "Field paths"):
//   path    := segment ("." segment)*
//   segment := field_name | field_name "[" key "]"
// A key selects an element of a repeated message field: by its `name` when
// the element type has a string field `name` (teams, segments, arms), else
// by 0-based index.
//
//   StatusOr<ParsedPath> parsed = ParsePath("organization.team[eng].headcount");
//   if (!parsed.ok()) ...  // parsed.status().message() says what is wrong
//   StatusOr<ResolvedPath> path = ResolvePath(scenario, *parsed, PathTarget::kScalar, {});
//   error = SetNumeric(&scenario_copy, path, 12);  // empty on success
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"

namespace orgsim::io::internal {

struct PathSegment {
  std::string field;
  bool has_key = false;
  std::string key;
};

struct ParsedPath {
  std::vector<PathSegment> segments;
};

// Parses the path syntax above; InvalidArgument with a sentence saying what
// is wrong ("unclosed '[' at character 16").
StatusOr<ParsedPath> ParsePath(std::string_view text);

// One step from a message to a field of it; index is -1 for a singular field
// and the element index for a repeated one.
struct PathStep {
  const google::protobuf::FieldDescriptor* field = nullptr;
  int index = -1;
};

struct ResolvedPath {
  std::vector<PathStep> steps;
  const google::protobuf::FieldDescriptor* leaf() const { return steps.back().field; }
};

// What a path must name.
enum class PathTarget {
  kScalar,   // a singular scalar field (number, bool, enum, string)
  kElement,  // an element of a repeated message field, e.g. team[eng]
};

// Resolves `path` against the message `root` (keys are looked up among the
// elements `root` has now). Only fields whose names are in `allowed_roots`
// may start the path (all fields when empty). The resolved steps stay valid
// for copies of `root` and for messages of the same shape.
// InvalidArgument says why not (unknown field, missing element, a message
// where a value is expected), with a spelling suggestion where there is one.
StatusOr<ResolvedPath> ResolvePath(const google::protobuf::Message& root, const ParsedPath& path,
                                   PathTarget target,
                                   const std::vector<std::string>& allowed_roots);

// True for field types a sweep can set from a double: floating point,
// integers and bool.
bool IsNumericField(const google::protobuf::FieldDescriptor* field);

// True for integer and bool fields (sweeps round to whole numbers for them).
bool IsIntegralField(const google::protobuf::FieldDescriptor* field);

// Sets the numeric (or bool) field at `path` to `value`, creating missing
// parent messages. Returns an empty string on success, else why not (value
// not a whole number for an integer field, out of the type's range, not 0/1
// for a bool, not a numeric field).
std::string SetNumeric(google::protobuf::Message* root, const ResolvedPath& path, double value);

// Sets the enum field at `path` to the enumerator named `name`. Returns an
// empty string on success, else why not.
std::string SetEnumByName(google::protobuf::Message* root, const ResolvedPath& path,
                          const std::string& name);

// The current value of the numeric or bool field at `path` (its default when
// unset). REQUIRES: IsNumericField(path.leaf()).
double GetNumeric(const google::protobuf::Message& root, const ResolvedPath& path);

// Deletes the repeated element named by `path` (PathTarget::kElement),
// keeping the order of the others.
void RemoveElement(google::protobuf::Message* root, const ResolvedPath& path);

// The string written for `path` ("organization.team[eng].headcount").
std::string PathToString(const ParsedPath& path);

// `s` in double quotes, for messages.
std::string Quoted(std::string_view s);

// The shortest decimal text that reads back as `value` ("0.1", "1e+07").
std::string NumberText(double value);

// The message type's field names, comma-separated, for "expected one of"
// messages.
std::string FieldNameList(const google::protobuf::Descriptor* type);

// The `name` field of a message type, or null when it has none (then its
// repeated elements are addressed by index).
const google::protobuf::FieldDescriptor* NameField(const google::protobuf::Descriptor* type);

}  // namespace orgsim::io::internal
