#include "engine/io/internal/brace_scan.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>

namespace orgsim::io::internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::io::Tokenizer;

// The parser reports token errors itself; the scan only needs the tokens.
class IgnoreErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, google::protobuf::io::ColumnNumber, const std::string&) override {}
};

struct Block {
  TextPoint opened;
  char brace = '{';
  int indent = 0;  // column of the first token on the opener's line
  std::string field;
  const Descriptor* type = nullptr;
  std::string last_field;  // for "[{...}, {...}]" lists
};

const Descriptor* MessageFieldType(const Descriptor* type, const std::string& field) {
  if (type == nullptr) return nullptr;
  const FieldDescriptor* f = type->FindFieldByName(field);
  return f != nullptr ? f->message_type() : nullptr;
}

}  // namespace

BraceScan::BraceScan(std::string_view text, const Descriptor* root) {
  google::protobuf::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  IgnoreErrors errors;
  Tokenizer tokenizer(&input, &errors);
  tokenizer.set_comment_style(Tokenizer::SH_COMMENT_STYLE);
  tokenizer.set_require_space_after_number(false);
  tokenizer.set_allow_multiline_strings(true);
  std::vector<int> line_indent;  // first token column of each token's line
  int openers = 0;
  int closers = 0;
  while (tokenizer.Next()) {
    const Tokenizer::Token& t = tokenizer.current();
    const bool first_on_line = tokens_.empty() || tokens_.back().at.line != t.line;
    line_indent.push_back(first_on_line ? t.column : line_indent.back());
    tokens_.push_back({.at = {t.line, t.column},
                       .text = t.text,
                       .identifier = t.type == Tokenizer::TYPE_IDENTIFIER,
                       .type = nullptr});
    if (t.text == "{" || t.text == "<") ++openers;
    if (t.text == "}" || t.text == ">") ++closers;
  }
  const TextPoint end{tokenizer.current().line, tokenizer.current().column};
  const bool unbalanced = openers > closers;
  std::size_t budget = unbalanced ? static_cast<std::size_t>(openers - closers) : 0;

  std::vector<Block> stack;
  std::string root_last_field;
  auto type_of = [&](std::size_t depth) { return depth == 0 ? root : stack[depth - 1].type; };
  // Blocks above `depth` are unclosed, detected at `where`.
  auto close_down_to = [&](std::size_t depth, TextPoint where) {
    while (stack.size() > depth) {
      if (budget > 0) {
        --budget;
        unclosed_.push_back({.opened = stack.back().opened,
                             .brace = stack.back().brace,
                             .field = stack.back().field,
                             .detected = where});
      }
      stack.pop_back();
    }
  };
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    Token& token = tokens_[i];
    const std::string& s = token.text;
    const bool starts_line = i == 0 || tokens_[i - 1].at.line != token.at.line;
    std::string& last_field = stack.empty() ? root_last_field : stack.back().last_field;
    if (s == "{" || s == "<") {
      token.type = type_of(stack.size());
      // The block starts at its field name ("pm {", "pm: {"), else at "{"
      // (an element of a "[{...}, {...}]" list).
      std::string field = last_field;
      TextPoint opened = token.at;
      if (i >= 1 && tokens_[i - 1].identifier) {
        field = tokens_[i - 1].text;
        opened = tokens_[i - 1].at;
      }
      if (i >= 2 && tokens_[i - 1].text == ":" && tokens_[i - 2].identifier) {
        field = tokens_[i - 2].text;
        opened = tokens_[i - 2].at;
      }
      last_field = field;
      stack.push_back({.opened = opened,
                       .brace = s[0],
                       .indent = line_indent[i],
                       .field = field,
                       .type = MessageFieldType(type_of(stack.size()), field),
                       .last_field = ""});
      continue;
    }
    if (s == "}" || s == ">") {
      if (stack.empty()) continue;  // the parser reports a stray closer
      if (unbalanced && starts_line && token.at.column != stack.back().indent) {
        for (std::size_t k = stack.size() - 1; k-- > 0;) {
          if (stack[k].indent == token.at.column) {
            close_down_to(k + 1, token.at);
            break;
          }
        }
      }
      stack.pop_back();
      token.type = type_of(stack.size());
      continue;
    }
    const bool names_field =
        token.identifier && i + 1 < tokens_.size() &&
        (tokens_[i + 1].text == ":" || tokens_[i + 1].text == "{" || tokens_[i + 1].text == "<") &&
        (i == 0 || tokens_[i - 1].text != ":");
    if (names_field) {
      const Descriptor* here = type_of(stack.size());
      if (unbalanced && here != nullptr && here->FindFieldByName(s) == nullptr) {
        for (std::size_t depth = stack.size(); depth-- > 0;) {
          const Descriptor* outer = type_of(depth);
          if (outer != nullptr && outer->FindFieldByName(s) != nullptr) {
            close_down_to(depth, token.at);
            break;
          }
        }
      }
      std::string& level_field = stack.empty() ? root_last_field : stack.back().last_field;
      level_field = s;
    }
    token.type = type_of(stack.size());
  }
  std::reverse(stack.begin(), stack.end());  // innermost first at the end
  for (const Block& block : stack) {
    if (budget == 0) break;
    --budget;
    unclosed_.push_back(
        {.opened = block.opened, .brace = block.brace, .field = block.field, .detected = end});
  }
}

std::optional<TextPoint> BraceScan::LastTokenBefore(TextPoint before, std::string_view text) const {
  // Tokens are in file order: search back from the first one at `before`.
  auto it = std::lower_bound(tokens_.begin(), tokens_.end(), before,
                             [](const Token& t, const TextPoint& p) { return t.at < p; });
  while (it != tokens_.begin()) {
    --it;
    if (it->text == text) return it->at;
  }
  return std::nullopt;
}

const Descriptor* BraceScan::TypeAt(TextPoint point) const {
  auto it = std::lower_bound(tokens_.begin(), tokens_.end(), point,
                             [](const Token& t, const TextPoint& p) { return t.at < p; });
  return it != tokens_.end() && it->at == point ? it->type : nullptr;
}

}  // namespace orgsim::io::internal
