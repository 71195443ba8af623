#include "engine/io/internal/located.h"

#include <utility>
#include <vector>

#include "engine/kernel/check.h"

namespace orgsim::io::internal {

using google::protobuf::FieldDescriptor;

const FieldDescriptor* Node::Field(std::string_view field_name) const {
  const FieldDescriptor* field = message->GetDescriptor()->FindFieldByName(std::string(field_name));
  ORGSIM_CHECK(field != nullptr, message->GetDescriptor()->full_name()
                                     << " has no field " << field_name);
  return field;
}

LocationTree LocationTree::FromParse(const google::protobuf::Message& message,
                                     const google::protobuf::TextFormat::ParseInfoTree& tree,
                                     const SourceFile* file) {
  LocationTree out;
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const int size = field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < size; ++i) {
      const int index = field->is_repeated() ? i : -1;
      Entry& entry = out.At(field, index);
      google::protobuf::TextFormat::ParseLocation location = tree.GetLocation(field, index);
      if (location.line >= 0) entry.position = {location.line + 1, location.column + 1, file};
      if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
      const google::protobuf::TextFormat::ParseInfoTree* nested =
          tree.GetTreeForNested(field, index);
      if (nested == nullptr) continue;
      const google::protobuf::Message& child =
          index < 0 ? reflection->GetMessage(message, field)
                    : reflection->GetRepeatedMessage(message, field, index);
      entry.nested = std::make_unique<LocationTree>(FromParse(child, *nested, file));
    }
  }
  return out;
}

LocationTree::Entry& LocationTree::At(const FieldDescriptor* field, int index) {
  std::vector<Entry>& entries = fields_[field];
  const std::size_t slot = index < 0 ? 0 : static_cast<std::size_t>(index);
  if (entries.size() <= slot) entries.resize(slot + 1);
  return entries[slot];
}

const LocationTree::Entry* LocationTree::Get(const FieldDescriptor* field, int index) const {
  auto it = fields_.find(field);
  const std::size_t slot = index < 0 ? 0 : static_cast<std::size_t>(index);
  if (it == fields_.end() || it->second.size() <= slot) return nullptr;
  return &it->second[slot];
}

const Position* LocationTree::Find(const FieldDescriptor* field, int index) const {
  const Entry* entry = Get(field, index);
  return entry != nullptr && entry->position.line > 0 ? &entry->position : nullptr;
}

const LocationTree* LocationTree::Nested(const FieldDescriptor* field, int index) const {
  const Entry* entry = Get(field, index);
  return entry != nullptr ? entry->nested.get() : nullptr;
}

Position& LocationTree::PositionAt(const FieldDescriptor* field, int index) {
  return At(field, index).position;
}

LocationTree& LocationTree::NestedAt(const FieldDescriptor* field, int index) {
  Entry& entry = At(field, index);
  if (entry.nested == nullptr) entry.nested = std::make_unique<LocationTree>();
  return *entry.nested;
}

void LocationTree::ReplaceField(const FieldDescriptor* field, LocationTree& from) {
  auto it = from.fields_.find(field);
  if (it == from.fields_.end()) {
    fields_.erase(field);
  } else {
    fields_[field] = std::move(it->second);
  }
}

Position Node::At(const FieldDescriptor* field, int index) const {
  if (tree == nullptr) return position;
  // As ParseInfoTree: index -1 for singular fields and >= 0 for repeated.
  if (field->is_repeated() != (index >= 0)) return position;
  const Position* found = tree->Find(field, index);
  return found != nullptr ? *found : position;
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
                   ? tree->Nested(field, index)
                   : nullptr;
  child.position = At(field, index);
  return child;
}

Node Node::Child(std::string_view field_name, int index) const {
  return Child(Field(field_name), index);
}

std::string SourceFile::IncludedFrom() const {
  std::string out;
  for (const std::string& from : included_from) out += "\nincluded from " + from;
  return out;
}

namespace {

Diagnostic Located(const std::string& sink_file, Position position, Severity severity,
                   std::string message) {
  if (position.file != nullptr) message += position.file->IncludedFrom();
  return {.file = position.file != nullptr ? position.file->path : sink_file,
          .line = position.line,
          .column = position.column,
          .severity = severity,
          .message = std::move(message)};
}

}  // namespace

void DiagnosticSink::Error(Position position, std::string message) {
  Add(Located(file_, position, Severity::kError, std::move(message)));
}

void DiagnosticSink::Warning(Position position, std::string message) {
  Add(Located(file_, position, Severity::kWarning, std::move(message)));
}

void DiagnosticSink::Add(Diagnostic diagnostic) {
  if (diagnostic.severity == Severity::kError) ++errors_;
  diagnostics_.push_back(std::move(diagnostic));
}

}  // namespace orgsim::io::internal
