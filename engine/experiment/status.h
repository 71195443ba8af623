// Status and StatusOr<T>: expected failures of the experiment layer and the
// results store (I/O errors, bad arguments, a database from another scenario).
//
// LevelDB-sized, with Abseil's spelling, so a later move to absl::Status is
// mechanical. Invariant violations are not Statuses: they throw
// kernel::InvariantError (engine/kernel/check.h).
//
//   StatusOr<std::unique_ptr<ResultsStore>> store = ResultsStore::Open(path);
//   if (!store.ok()) {
//     std::cerr << store.status().ToString() << "\n";
//     return 1;
//   }
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "engine/kernel/check.h"

namespace orgsim::experiment {

// The small set of error codes the layer uses (Abseil's "most specific code").
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // badly formed input (flags, shard spec, designs)
  kNotFound,            // a file, table or key that should exist does not
  kFailedPrecondition,  // arguments fine, state wrong (another scenario's DB)
  kAlreadyExists,       // duplicates (merge)
  kIoError,             // disk full, unwritable path, unreadable file
  kDataLoss,            // a damaged database (quick_check or a row checksum failed)
  kCancelled,           // stopped on request (SIGINT)
  kInternal,            // a bug
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "IO error: message" (or "OK").
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgumentError(std::string m) {
  return Status(StatusCode::kInvalidArgument, std::move(m));
}
inline Status NotFoundError(std::string m) { return Status(StatusCode::kNotFound, std::move(m)); }
inline Status FailedPreconditionError(std::string m) {
  return Status(StatusCode::kFailedPrecondition, std::move(m));
}
inline Status AlreadyExistsError(std::string m) {
  return Status(StatusCode::kAlreadyExists, std::move(m));
}
inline Status IoError(std::string m) { return Status(StatusCode::kIoError, std::move(m)); }
inline Status DataLossError(std::string m) {
  return Status(StatusCode::kDataLoss, std::move(m));
}
inline Status CancelledError(std::string m) {
  return Status(StatusCode::kCancelled, std::move(m));
}
inline Status InternalError(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }

// A value or the Status saying why there is none.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  // REQUIRES: !status.ok().
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    ORGSIM_CHECK(!status_.ok(), "StatusOr built from an OK status without a value");
  }
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok().
  T& value() & {
    ORGSIM_CHECK(ok(), "value() on an error: " << status_.ToString());
    return *value_;
  }
  const T& value() const& {
    ORGSIM_CHECK(ok(), "value() on an error: " << status_.ToString());
    return *value_;
  }
  T&& value() && {
    ORGSIM_CHECK(ok(), "value() on an error: " << status_.ToString());
    return std::move(*value_);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace orgsim::experiment

// Returns from the enclosing function if `expr` (a Status) is not OK.
#define ORGSIM_RETURN_IF_ERROR(expr)                          \
  do {                                                        \
    ::orgsim::experiment::Status orgsim_status_ = (expr);     \
    if (!orgsim_status_.ok()) return orgsim_status_;          \
  } while (false)
