#include "engine/io/internal/text_parse.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <utility>

namespace orgsim::io::internal {
namespace {

// Collects the parser's 0-based (line, column) errors as 1-based diagnostics.
// Protobuf's column counts a tab as advancing to the next multiple of 8, as
// most editors display it, so the column is kept as reported.
class DiagnosticCollector : public google::protobuf::io::ErrorCollector {
 public:
  DiagnosticCollector(const std::string& file, std::vector<Diagnostic>* out)
      : file_(file), out_(out) {}

  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    Add(line, column, Severity::kError, message);
  }
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override {
    Add(line, column, Severity::kWarning, message);
  }

 private:
  void Add(int line, int column, Severity severity, std::string message) {
    // The tokenizer names the end of input as an empty token ("got: ").
    if (message.size() >= 5 && message.compare(message.size() - 5, 5, "got: ") == 0) {
      message += "end of file";
    }
    // The parser reports -1 for "no position" (e.g. a missing required field
    // at end of input); report those at the start of the file.
    out_->push_back({.file = file_,
                     .line = line < 0 ? 1 : line + 1,
                     .column = column < 0 ? 1 : column + 1,
                     .severity = severity,
                     .message = std::move(message)});
  }

  const std::string& file_;
  std::vector<Diagnostic>* out_;
};

}  // namespace

bool ParseTextProto(std::string_view text, const std::string& file,
                    google::protobuf::Message* message,
                    google::protobuf::TextFormat::ParseInfoTree* tree,
                    std::vector<Diagnostic>* diagnostics) {
  DiagnosticCollector collector(file, diagnostics);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  if (tree != nullptr) parser.WriteLocationsTo(tree);
  // Nesting deeper than any real scenario is a malformed (or hostile) file;
  // the limit also bounds the parser's recursion.
  parser.SetRecursionLimit(64);
  google::protobuf::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  std::size_t before = diagnostics->size();
  bool ok = parser.Parse(&input, message);
  if (!ok && diagnostics->size() == before) {
    diagnostics->push_back({.file = file, .line = 1, .column = 1,
                            .severity = Severity::kError,
                            .message = "cannot parse the file as a text-format Scenario"});
  }
  return ok;
}

}  // namespace orgsim::io::internal
