// CheckConfig: is a ModelConfig one the model can run?
//
// Two kinds of rule, checked in this order:
//  * every lever's own range, exactly as the schema declares it ((min),
//    (max) and friends in proto/orgsim/scenario.proto; the generated
//    ModelConfigRanges() table, field_range.h), so any value a scenario
//    file may hold is a value the model accepts (tests/io/range_drift_test);
//  * the rules between fields, which only this file states: warm-up shorter
//    than the horizon, unique team and segment names, reports_to naming a
//    team, at least one engineer, need weights matching problem_dimensions,
//    idea outcome probabilities summing to at most 1.
//
//   ModelConfig config = HeadlineCompany();
//   config.organization.pm.people_sense = 1.4;
//   Status s = CheckConfig(config);
//   // s.code() == kInvalidArgument,
//   // s.message() == "organization.pm.people_sense = 1.4 not in [0, 1]"
//
// The first broken rule is reported; the message names the field path and
// the value, and its wording is pinned by the golden diagnostics
// (tests/io/testdata), which print it after "the model rejects ...".
//
// Who calls it: whoever holds a configuration built from user input (the
// scenario loader, PreparedModel::Create); PreparedModel's constructor also
// checks, and throws InvariantError, for callers that build configurations
// in code and treat a bad one as a bug. Thread-safe; reads `config` only.
#pragma once

#include "engine/base/status.h"
#include "engine/model/config.h"

namespace orgsim::model {

// OK, or InvalidArgument naming the first rule `config` breaks.
Status CheckConfig(const ModelConfig& config);

}  // namespace orgsim::model
