// A token-level pass over a text-format file that finds unclosed braces and
// the message type each token sits in (internal).
//
// protobuf's parser reports a missing "}" where it first gets confused: at
// the end of the file, or mid-file at a field that belongs to an enclosing
// message ("Organization has no field named set"). BraceScan tracks the
// blocks itself, so the loader can say which "{" was never closed. Only when
// the file has more openers than closers, a block counts as unclosed when
//   - a "}" that starts its line lines up with an outer block's line (the
//     blocks in between are unclosed),
//   - a field name belongs to an enclosing block's type but not to the
//     current one (the blocks in between are unclosed), or
//   - it is still open at the end of the file.
// Positions are 0-based, tabs advancing to a multiple of 8, as protobuf's.
//
//   BraceScan scan(text, orgsim::v1::Scenario::descriptor());
//   for (const BraceScan::Unclosed& u : scan.unclosed()) ...
#pragma once

#include <google/protobuf/descriptor.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orgsim::io::internal {

struct TextPoint {
  int line = 0;
  int column = 0;
  friend bool operator<(const TextPoint& a, const TextPoint& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  }
  friend bool operator==(const TextPoint&, const TextPoint&) = default;
};

class BraceScan {
 public:
  struct Unclosed {
    TextPoint opened;  // the block's field name (or its "{" in a list)
    char brace = '{';
    std::string field;   // the field the block is the value of
    TextPoint detected;  // where the scan concluded it was not closed
  };

  BraceScan(std::string_view text, const google::protobuf::Descriptor* root);

  // The unclosed blocks, in the order they were detected (at most as many
  // as the file has more openers than closers).
  const std::vector<Unclosed>& unclosed() const { return unclosed_; }

  // The start of the last token before `before` whose text is `text`.
  std::optional<TextPoint> LastTokenBefore(TextPoint before, std::string_view text) const;

  // The message type the token at `point` sits in (null when unknown).
  const google::protobuf::Descriptor* TypeAt(TextPoint point) const;

 private:
  struct Token {
    TextPoint at;
    std::string text;
    bool identifier = false;
    const google::protobuf::Descriptor* type = nullptr;  // the enclosing block's
  };
  std::vector<Token> tokens_;
  std::vector<Unclosed> unclosed_;
};

}  // namespace orgsim::io::internal
