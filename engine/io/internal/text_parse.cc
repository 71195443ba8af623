#include "engine/io/internal/text_parse.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <utility>

#include "engine/io/internal/brace_scan.h"
#include "engine/io/internal/field_path.h"
#include "engine/io/internal/spelling.h"

namespace orgsim::io::internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;

// What the parser said, 0-based as it says it.
struct ParserMessage {
  TextPoint at;
  bool error = true;
  std::string message;
};

// Collects the parser's errors and warnings. Protobuf's column counts a tab
// as advancing to the next multiple of 8, as most editors display it, so the
// column is kept as reported.
class Collector : public google::protobuf::io::ErrorCollector {
 public:
  explicit Collector(std::vector<ParserMessage>* out) : out_(out) {}

  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    out_->push_back({{line, column}, true, message});
  }
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override {
    out_->push_back({{line, column}, false, message});
  }

 private:
  std::vector<ParserMessage>* out_;
};

// `Pm has no field "peple_sense"; did you mean "people_sense"?`, or the
// message's fields when no name is close.
std::string UnknownField(const Descriptor* type, const std::string& name) {
  return type->name() + " has no field " + Quoted(name) + FieldSuggestion(type, name);
}

// The enum of field `field_name` in `type`, else the one enum that every
// field of that name in the schema has (null when unknown or ambiguous).
const EnumDescriptor* EnumOfField(const Descriptor* type, const Descriptor* root,
                                  const std::string& field_name) {
  if (type != nullptr) {
    const auto* field = type->FindFieldByName(field_name);
    if (field != nullptr && field->enum_type() != nullptr) return field->enum_type();
  }
  const EnumDescriptor* found = nullptr;
  const google::protobuf::FileDescriptor* file = root->file();
  std::vector<const Descriptor*> types;
  for (int i = 0; i < file->message_type_count(); ++i) types.push_back(file->message_type(i));
  for (const Descriptor* t : types) {
    const auto* field = t->FindFieldByName(field_name);
    if (field == nullptr || field->enum_type() == nullptr) continue;
    if (found != nullptr && found != field->enum_type()) return nullptr;
    found = field->enum_type();
  }
  return found;
}

std::string UnknownEnumValue(const EnumDescriptor* type, const std::string& field,
                             const std::string& value) {
  std::vector<std::string> names;
  std::string list;
  for (int i = 0; i < type->value_count(); ++i) {
    names.push_back(type->value(i)->name());
    list += (i > 0 ? ", " : "") + type->value(i)->name();
  }
  return field + " has no value " + Quoted(value) + DidYouMean(ClosestNames(value, names)) + " (" +
         type->name() + " values: " + list + ")";
}

// Matches the parser's fixed message `OPEN a MIDDLE b CLOSE` (the names
// between hold no quote), e.g. `Message type "A" has no field named "B".`.
bool MatchMessage(std::string_view message, std::string_view open, std::string_view middle,
                  std::string_view close, std::string* a, std::string* b) {
  if (message.size() < open.size() + middle.size() + close.size() ||
      message.substr(0, open.size()) != open ||
      message.substr(message.size() - close.size()) != close) {
    return false;
  }
  const std::string_view inner =
      message.substr(open.size(), message.size() - open.size() - close.size());
  const std::size_t split = inner.find(middle);
  if (split == std::string_view::npos) return false;
  *a = std::string(inner.substr(0, split));
  *b = std::string(inner.substr(split + middle.size()));
  return a->find('"') == std::string::npos && b->find('"') == std::string::npos;
}

// The parser's message rewritten to teach, at the offending token.
ParserMessage Explain(ParserMessage m, const BraceScan& scan, const Descriptor* root) {
  std::string first;
  std::string second;
  if (MatchMessage(m.message, "Message type \"", "\" has no field named \"", "\".", &first,
                   &second)) {
    const Descriptor* type = root->file()->pool()->FindMessageTypeByName(first);
    if (type == nullptr) return m;
    // The parser points at the token after the name; point at the name.
    if (std::optional<TextPoint> at = scan.LastTokenBefore(m.at, second)) m.at = *at;
    m.message = UnknownField(type, second);
    m.error = true;  // unknown fields are parsed past (to report them all) but are errors
    return m;
  }
  if (MatchMessage(m.message, "Unknown enumeration value of \"", "\" for field \"", "\".", &first,
                   &second)) {
    std::optional<TextPoint> at = scan.LastTokenBefore(m.at, first);
    if (at) m.at = *at;
    const Descriptor* message_type = at ? scan.TypeAt(*at) : nullptr;
    const EnumDescriptor* type = EnumOfField(message_type, root, second);
    const std::string field =
        message_type != nullptr && message_type->FindFieldByName(second) != nullptr
            ? message_type->name() + "." + second
            : second;
    if (type != nullptr) m.message = UnknownEnumValue(type, field, first);
  }
  return m;
}

}  // namespace

bool ParseTextProto(std::string_view text, const std::string& file,
                    google::protobuf::Message* message,
                    google::protobuf::TextFormat::ParseInfoTree* tree,
                    std::vector<Diagnostic>* diagnostics) {
  std::vector<ParserMessage> messages;
  Collector collector(&messages);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  if (tree != nullptr) parser.WriteLocationsTo(tree);
  // Nesting deeper than any real scenario is a malformed (or hostile) file;
  // the limit also bounds the parser's recursion.
  parser.SetRecursionLimit(64);
  // Unknown fields become warnings that the parser skips, so every misspelt
  // name of a file is reported in one pass (as errors, below).
  parser.AllowUnknownField(true);
  google::protobuf::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  bool ok = parser.Parse(&input, message);

  const Descriptor* root = message->GetDescriptor();
  std::vector<ParserMessage> out;
  if (!messages.empty()) {
    const BraceScan scan(text, root);
    // A missing "}" confuses the parser from where the block should have
    // ended: report the brace instead of what followed.
    std::optional<TextPoint> confused;
    for (const BraceScan::Unclosed& u : scan.unclosed()) {
      if (!confused || u.detected < *confused) confused = u.detected;
    }
    for (ParserMessage& m : messages) {
      ParserMessage explained = Explain(std::move(m), scan, root);
      if (confused && !(explained.at < *confused)) continue;
      out.push_back(std::move(explained));
    }
    for (const BraceScan::Unclosed& u : scan.unclosed()) {
      out.push_back({u.detected, true,
                     std::string("unclosed \"") + u.brace + "\" opened at " +
                         std::to_string(u.opened.line + 1) + ":" +
                         std::to_string(u.opened.column + 1) +
                         (u.field.empty() ? "" : " by " + Quoted(u.field))});
    }
  }
  bool any_error = false;
  for (ParserMessage& m : out) {
    any_error = any_error || m.error;
    // The tokenizer names the end of input as an empty token ("got: ").
    if (m.message.size() >= 5 && m.message.compare(m.message.size() - 5, 5, "got: ") == 0) {
      m.message += "end of file";
    }
    // The parser reports -1 for "no position" (e.g. a missing required field
    // at end of input); report those at the start of the file.
    diagnostics->push_back({.file = file,
                            .line = m.at.line < 0 ? 1 : m.at.line + 1,
                            .column = m.at.column < 0 ? 1 : m.at.column + 1,
                            .severity = m.error ? Severity::kError : Severity::kWarning,
                            .message = std::move(m.message)});
  }
  if (!ok && !any_error) {
    diagnostics->push_back({.file = file,
                            .line = 1,
                            .column = 1,
                            .severity = Severity::kError,
                            .message = "cannot parse the file as a text-format Scenario"});
  }
  return ok && !any_error;
}

}  // namespace orgsim::io::internal
