// Text-format parsing with compiler-style syntax diagnostics (internal).
//
// The one place that talks to protobuf's io::ErrorCollector, whose signature
// changes in protobuf 22 (RecordError with absl::string_view); keep it small.
//
//   orgsim::v1::Scenario scenario;
//   google::protobuf::TextFormat::ParseInfoTree tree;
//   std::vector<Diagnostic> diags;
//   if (!ParseTextProto(text, "x.textproto", &scenario, &tree, &diags)) { ... }
#pragma once

#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>

#include <string>
#include <string_view>
#include <vector>

#include "engine/io/diagnostics.h"

namespace orgsim::io::internal {

// Parses `text` into `message`, recording field locations into `tree` (may be
// null). Syntax errors and parser warnings are appended to `diagnostics`
// with 1-based line:column in `file`. Returns false on any syntax error.
bool ParseTextProto(std::string_view text, const std::string& file,
                    google::protobuf::Message* message,
                    google::protobuf::TextFormat::ParseInfoTree* tree,
                    std::vector<Diagnostic>* diagnostics);

}  // namespace orgsim::io::internal
