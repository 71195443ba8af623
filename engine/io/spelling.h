// Which valid names a misspelt one is closest to, for "did you mean"
// messages: scenario fields and enum values (engine/io/internal/spelling.h),
// subcommands, flags and flag values (tools/orgsim/choices.h).
//
//   ClosestNames("peple_sense", {"people_sense", "mandate"})  // {"people_sense"}
//   ClosestNames("profit", {"profit_total", "cash_end"})      // {"profit_total"}
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace orgsim::io {

// Levenshtein distance (insertions, deletions, substitutions), ignoring case.
std::size_t EditDistance(std::string_view a, std::string_view b);

// The candidates nearest to `name` (ties kept, in the candidates' order),
// or, when even the nearest is too far to be a plausible misspelling (more
// than a third of the name's letters, at most 3, changed), those that start
// with `name` (a shortened name); case is ignored.
std::vector<std::string> ClosestNames(std::string_view name,
                                      const std::vector<std::string>& candidates);

}  // namespace orgsim::io
