// Source positions of parsed scenario messages, and a sink for diagnostics
// (internal).
//
// A Node is a message together with the locations the parser recorded for
// it, so a check can say "this field, at 12:5, is wrong":
//
//   LocationTree tree = LocationTree::FromParse(scenario, parse_info, &file);
//   Node root{&scenario, &tree, {1, 1}};
//   Node org = root.Child("organization");
//   sink.Error(org.At("team", 2), "duplicate team name \"eng\"");
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/io/diagnostics.h"

namespace orgsim::io::internal {

// A file of a scenario's base chain (`base:`), as diagnostics name it.
struct SourceFile {
  std::string path;
  // "FILE:LINE" of each `base:` that included this file, innermost first.
  std::vector<std::string> included_from;

  // "\nincluded from FILE:LINE" per entry, to end a message with.
  std::string IncludedFrom() const;
};

// A 1-based line and column, in `file` (null: the file being checked).
struct Position {
  int line = 1;
  int column = 1;
  const SourceFile* file = nullptr;
};

// Where each field of a parsed message was written, by field and element,
// with the nested messages' trees. Unlike protobuf's ParseInfoTree it can be
// merged along with its message, so a scenario merged over its base still
// knows which file (and line) each field came from.
class LocationTree {
 public:
  // The locations `tree` recorded for `message`, tagged with `file`.
  static LocationTree FromParse(const google::protobuf::Message& message,
                                const google::protobuf::TextFormat::ParseInfoTree& tree,
                                const SourceFile* file);

  // Where `field` (element `index`; -1 when singular) was written, or null.
  const Position* Find(const google::protobuf::FieldDescriptor* field, int index) const;
  // The tree of the nested message in `field`, or null.
  const LocationTree* Nested(const google::protobuf::FieldDescriptor* field, int index) const;

  // For merging (merge.h): the entry of `field`/`index`, created when missing
  // (`index` may be one past the last element); the whole list of `field`
  // replaced by (moved from) `from`'s.
  Position& PositionAt(const google::protobuf::FieldDescriptor* field, int index);
  LocationTree& NestedAt(const google::protobuf::FieldDescriptor* field, int index);
  void ReplaceField(const google::protobuf::FieldDescriptor* field, LocationTree& from);

 private:
  struct Entry {
    Position position{0, 0, nullptr};  // line 0: not recorded
    std::unique_ptr<LocationTree> nested;
  };
  Entry& At(const google::protobuf::FieldDescriptor* field, int index);
  const Entry* Get(const google::protobuf::FieldDescriptor* field, int index) const;

  // Singular fields use element 0.
  std::map<const google::protobuf::FieldDescriptor*, std::vector<Entry>> fields_;
};

// A message of a parsed file and where it is.
struct Node {
  const google::protobuf::Message* message = nullptr;
  // Locations of the message's fields; null for messages not parsed from a
  // file (then every position falls back to `position`).
  const LocationTree* tree = nullptr;
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

  // Reported in `position.file` when set, else in this sink's file.
  void Error(Position position, std::string message);
  void Warning(Position position, std::string message);
  // A diagnostic already located (counted when it is an error).
  void Add(Diagnostic diagnostic);

  const std::string& file() const { return file_; }
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }
  std::size_t error_count() const { return errors_; }

 private:
  std::string file_;
  std::vector<Diagnostic> diagnostics_;
  std::size_t errors_ = 0;
};

}  // namespace orgsim::io::internal
