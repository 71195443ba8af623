// ORGSIM_CHECK: always-on invariant checks.
//
// A failed check is a bug (or a model invariant that would silently corrupt
// results): it throws orgsim::kernel::InvariantError with file:line and the
// message, so the experiment runner can record the run as failed instead of
// losing the batch. Checks do not depend on NDEBUG.
//
//   ORGSIM_CHECK(delay >= 0, "negative delay " << delay);
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace orgsim::kernel {

// Thrown by ORGSIM_CHECK when an invariant does not hold.
class InvariantError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

namespace internal {
[[noreturn]] void FailCheck(const char* file, int line, const char* condition,
                            const std::string& message);
}  // namespace internal

}  // namespace orgsim::kernel

#define ORGSIM_CHECK(condition, message_stream)                             \
  do {                                                                      \
    if (!(condition)) [[unlikely]] {                                        \
      std::ostringstream orgsim_check_message_;                             \
      orgsim_check_message_ << message_stream;                              \
      ::orgsim::kernel::internal::FailCheck(__FILE__, __LINE__, #condition, \
                                            orgsim_check_message_.str());   \
    }                                                                       \
  } while (false)
