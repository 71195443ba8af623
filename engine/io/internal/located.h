// Source positions of parsed scenario messages, and a sink for diagnostics
// (internal).
//
// A Node is a message together with the ParseInfoTree the parser recorded for
// it, so a check can say "this field, at 12:5, is wrong":
//
//   Node root{&scenario, &tree, {1, 1}};
//   Node org = root.Child("organization");
//   sink.Error(org.At("team", 2), "duplicate team name \"eng\"");
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>

#include "engine/io/diagnostics.h"

namespace orgsim::io::internal {

// A 1-based line and column.
struct Position {
  int line = 1;
  int column = 1;
};

// A message of a parsed file and where it is.
struct Node {
  const google::protobuf::Message* message = nullptr;
  // Locations of the message's fields; null for messages not parsed from the
  // file (then every position falls back to `position`).
  const google::protobuf::TextFormat::ParseInfoTree* tree = nullptr;
  // Where the field holding this message starts (1:1 for the root).
  Position position;

  // Where `field` (element `index` when repeated, -1 when singular) was
  // written; this node's own position when it was not written.
  Position At(const google::protobuf::FieldDescriptor* field, int index = -1) const;
  Position At(std::string_view field_name, int index = -1) const;

  // The nested message in `field` (element `index` when repeated).
  Node Child(const google::protobuf::FieldDescriptor* field, int index = -1) const;
  Node Child(std::string_view field_name, int index = -1) const;

  const google::protobuf::FieldDescriptor* Field(std::string_view field_name) const;
};

// Collects diagnostics for one file.
class DiagnosticSink {
 public:
  explicit DiagnosticSink(std::string file) : file_(std::move(file)) {}

  void Error(Position position, std::string message);
  void Warning(Position position, std::string message);

  const std::string& file() const { return file_; }
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }
  std::size_t error_count() const { return errors_; }

 private:
  std::string file_;
  std::vector<Diagnostic> diagnostics_;
  std::size_t errors_ = 0;
};

}  // namespace orgsim::io::internal
