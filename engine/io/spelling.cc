#include "engine/io/spelling.h"

#include <algorithm>
#include <cctype>
#include <limits>

namespace orgsim::io {

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      const std::size_t next = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = row[j];
      row[j] = next;
    }
  }
  return row[b.size()];
}

std::vector<std::string> ClosestNames(std::string_view name,
                                      const std::vector<std::string>& candidates) {
  const std::size_t limit = std::clamp<std::size_t>(name.size() / 3, 1, 3);
  std::size_t best = std::numeric_limits<std::size_t>::max();
  std::vector<std::string> out;
  for (const std::string& candidate : candidates) {
    const std::size_t d = EditDistance(name, candidate);
    if (d > limit || d > best) continue;
    if (d < best) out.clear();
    best = d;
    out.push_back(candidate);
  }
  if (!out.empty() || name.size() < 3) return out;
  // A shortened name ("ROADMAP_OUTCOME" for "ROADMAP_OUTCOME_DRIVEN").
  auto starts_with = [](std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && EditDistance(text.substr(0, prefix.size()), prefix) == 0;
  };
  for (const std::string& candidate : candidates) {
    if (starts_with(candidate, name)) out.push_back(candidate);
  }
  return out;
}

}  // namespace orgsim::io
