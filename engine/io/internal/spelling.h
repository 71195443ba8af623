// "Did you mean" suggestions for misspelt names in scenario files (internal;
// the distance itself is engine/io/spelling.h, shared with the command line).
//
//   ClosestNames("peple_sense", {"people_sense", "mandate"})  // {"people_sense"}
//   FieldSuggestion(Pm::descriptor(), "peple_sense")  // `; did you mean "people_sense"?`
#pragma once

#include <google/protobuf/descriptor.h>

#include <string>
#include <string_view>
#include <vector>

#include "engine/io/spelling.h"

namespace orgsim::io::internal {

using ::orgsim::io::ClosestNames;
using ::orgsim::io::EditDistance;

// `; did you mean "a"?` or `; did you mean "a" or "b"?`; "" without names.
std::string DidYouMean(const std::vector<std::string>& names);

// What to say after "TYPE has no field NAME": the closest field names, or,
// when none is close, `; its fields are: a, b, c`.
std::string FieldSuggestion(const google::protobuf::Descriptor* type, std::string_view name);

}  // namespace orgsim::io::internal
