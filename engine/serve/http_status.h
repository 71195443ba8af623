// HttpStatusOf: the HTTP status of a failure, chosen from its StatusCode and
// never from its wording (engine/base/status.h), so a reworded message can
// never turn a client's mistake (4xx) into a server fault (5xx).
#pragma once

#include "engine/base/status.h"

namespace orgsim::serve {

// 200 ok; 404 not found; 400 invalid argument, failed precondition, already
// exists; 409 cancelled; 500 I/O error, data loss, internal.
int HttpStatusOf(StatusCode code);

}  // namespace orgsim::serve
