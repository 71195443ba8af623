// Happens-before edges that ThreadSanitizer cannot see by itself.
//
// Debian's libtbb is not built with -fsanitize=thread, so TSan does not see
// the synchronisation inside TBB: a serial pipeline stage's mutual exclusion,
// the hand-off of a token from one stage to the next, the start and end of
// an arena's work. It would report those hand-offs as data races. The runner
// states exactly the edges TBB guarantees, on the objects handed over, so
// TSan still sees every other access (two runs touching shared state at the
// same time remain a reported race). Without TSan these compile to nothing.
//
//   HandOff(record);     // stage 1, last thing before returning the token
//   TakeOver(record);    // stage 2, first thing
#pragma once

#if defined(__SANITIZE_THREAD__)
#define ORGSIM_TSAN_ANNOTATIONS 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define ORGSIM_TSAN_ANNOTATIONS 1
#endif
#endif

#ifdef ORGSIM_TSAN_ANNOTATIONS
#include <sanitizer/tsan_interface.h>
#endif

namespace orgsim::experiment::internal {

// Everything this thread did so far happens before a later TakeOver(object).
inline void HandOff([[maybe_unused]] const void* object) {
#ifdef ORGSIM_TSAN_ANNOTATIONS
  __tsan_release(const_cast<void*>(object));
#endif
}

// Everything done before earlier HandOff(object) calls happens before what
// this thread does next.
inline void TakeOver([[maybe_unused]] const void* object) {
#ifdef ORGSIM_TSAN_ANNOTATIONS
  __tsan_acquire(const_cast<void*>(object));
#endif
}

}  // namespace orgsim::experiment::internal
