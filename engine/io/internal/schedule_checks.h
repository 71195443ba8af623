// Lever schedules in a scenario file: every entry's day and every change's
// lever and value checked where they are written (internal).
//
// A schedule may only name the levers of the model's schedulable-lever
// table (engine/model/schedulable_lever.h): a misspelt path gets "did you
// mean", a lever the model reads only when a run starts is named as such,
// a value is checked as an arm's `set` is (range, whole number, enumerator),
// and at_day must lie before the horizon.
//
//   CheckSchedule(arm_model, arm_node, ModelRoots(), sink);
#pragma once

#include <string>
#include <vector>

#include "engine/io/internal/located.h"
#include "proto/orgsim/scenario.pb.h"

namespace orgsim::io::internal {

// Checks model.schedule(), whose entries were written under `owner` (the
// arm or the scenario root holding the `schedule` field). Paths resolve in
// `model` from the fields named in `roots`.
void CheckSchedule(const orgsim::v1::Scenario& model, const Node& owner,
                   const std::vector<std::string>& roots, DiagnosticSink& sink);

}  // namespace orgsim::io::internal
