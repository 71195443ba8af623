#include "tools/orgsim/choices.h"

#include <algorithm>
#include <utility>

namespace orgsim::cli {
namespace {

std::size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string NearestName(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 0;
  for (const std::string& c : candidates) {
    const std::size_t d = EditDistance(word, c);
    // A prefix counts as close ("profit" for "profit_total").
    const bool prefix = word.size() >= 3 && c.rfind(word, 0) == 0;
    const std::size_t limit = std::max<std::size_t>(1, std::max(word.size(), c.size()) / 3);
    if ((d <= limit || prefix) && (best.empty() || d < best_distance)) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string UnknownValueMessage(const std::string& what, const std::string& value,
                                const std::vector<std::string>& valid) {
  std::string message = "unknown " + what + " \"" + value + "\"";
  const std::string near = NearestName(value, valid);
  if (!near.empty()) message += "; did you mean \"" + near + "\"?";
  std::string list;
  for (std::size_t i = 0; i < valid.size() && i < 20; ++i) {
    list += (i == 0 ? "" : ", ") + valid[i];
  }
  if (valid.size() > 20) list += ", ... (" + std::to_string(valid.size()) + " in all)";
  return message + " (valid: " + list + ")";
}

CLI::Validator OneOf(const std::string& what, std::vector<std::string> valid) {
  std::string description;
  for (const auto& v : valid) description += (description.empty() ? "" : "|") + v;
  return CLI::Validator(
      [what, valid = std::move(valid)](std::string& value) -> std::string {
        if (std::find(valid.begin(), valid.end(), value) != valid.end()) return "";
        return UnknownValueMessage(what, value, valid);
      },
      "{" + description + "}");
}

}  // namespace orgsim::cli
