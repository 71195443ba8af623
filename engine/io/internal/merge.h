// Overlay merge of arm designs over the base scenario (internal).
//
// protobuf's MergeFrom appends repeated fields, which would duplicate a team
// that an arm only meant to change. MergeOverlay implements the documented
// arm semantics instead (scenario.proto, message Arm):
//   - scalars set in the overlay replace the base value;
//   - singular messages merge recursively;
//   - repeated messages with a `name` field merge by name (same name: merged
//     into the base element; new name: appended);
//   - other repeated fields are replaced as a whole when the overlay has any
//     element.
//
//   orgsim::v1::Organization merged = base;
//   MergeOverlay(arm.organization(), &merged);
#pragma once

#include <google/protobuf/message.h>

#include "engine/io/internal/located.h"

namespace orgsim::io::internal {

// Merges `overlay` into `base` with the semantics above. When both location
// trees are given, `base_locations` is updated alongside (taking entries out
// of `overlay_locations`), so merged fields keep the file and line they were
// written at.
// REQUIRES: both are the same message type.
void MergeOverlay(const google::protobuf::Message& overlay, google::protobuf::Message* base,
                  LocationTree* overlay_locations = nullptr,
                  LocationTree* base_locations = nullptr);

}  // namespace orgsim::io::internal
