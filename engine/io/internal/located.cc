#include "engine/io/internal/located.h"

#include "engine/kernel/check.h"

namespace orgsim::io::internal {

using google::protobuf::FieldDescriptor;

const FieldDescriptor* Node::Field(std::string_view field_name) const {
  const FieldDescriptor* field =
      message->GetDescriptor()->FindFieldByName(std::string(field_name));
  ORGSIM_CHECK(field != nullptr, message->GetDescriptor()->full_name()
                                     << " has no field " << field_name);
  return field;
}

Position Node::At(const FieldDescriptor* field, int index) const {
  if (tree == nullptr) return position;
  // ParseInfoTree insists on index -1 for singular and >= 0 for repeated.
  if (field->is_repeated() != (index >= 0)) return position;
  google::protobuf::TextFormat::ParseLocation location = tree->GetLocation(field, index);
  if (location.line < 0) return position;
  return {location.line + 1, location.column + 1};
}

Position Node::At(std::string_view field_name, int index) const {
  return At(Field(field_name), index);
}

Node Node::Child(const FieldDescriptor* field, int index) const {
  const google::protobuf::Reflection* reflection = message->GetReflection();
  Node child;
  child.message = index < 0 ? &reflection->GetMessage(*message, field)
                            : &reflection->GetRepeatedMessage(*message, field, index);
  child.tree = (tree != nullptr && field->is_repeated() == (index >= 0))
                   ? tree->GetTreeForNested(field, index)
                   : nullptr;
  child.position = At(field, index);
  return child;
}

Node Node::Child(std::string_view field_name, int index) const {
  return Child(Field(field_name), index);
}

void DiagnosticSink::Error(Position position, std::string message) {
  ++errors_;
  diagnostics_.push_back({.file = file_, .line = position.line, .column = position.column,
                          .severity = Severity::kError, .message = std::move(message)});
}

void DiagnosticSink::Warning(Position position, std::string message) {
  diagnostics_.push_back({.file = file_, .line = position.line, .column = position.column,
                          .severity = Severity::kWarning, .message = std::move(message)});
}

}  // namespace orgsim::io::internal
