// "Did you mean" suggestions for misspelt names (internal).
//
//   ClosestNames("peple_sense", {"people_sense", "mandate"})  // {"people_sense"}
//   FieldSuggestion(Pm::descriptor(), "peple_sense")  // `; did you mean "people_sense"?`
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <google/protobuf/descriptor.h>

namespace orgsim::io::internal {

// Levenshtein distance (insertions, deletions, substitutions), ignoring case.
std::size_t EditDistance(std::string_view a, std::string_view b);

// The candidates nearest to `name` (ties kept, in the candidates' order),
// or, when even the nearest is too far to be a plausible misspelling (more
// than a third of the name's letters, at most 3, changed), those that start
// with `name` (a shortened name); case is ignored.
std::vector<std::string> ClosestNames(std::string_view name,
                                      const std::vector<std::string>& candidates);

// `; did you mean "a"?` or `; did you mean "a" or "b"?`; "" without names.
std::string DidYouMean(const std::vector<std::string>& names);

// What to say after "TYPE has no field NAME": the closest field names, or,
// when none is close, `; its fields are: a, b, c`.
std::string FieldSuggestion(const google::protobuf::Descriptor* type, std::string_view name);

}  // namespace orgsim::io::internal
