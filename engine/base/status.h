// Status and StatusOr<T>: how orgsim reports a failure the user can cause.
//
// A Status is either OK or an error code with a message written for the
// person who caused it ("scenario.textproto: no such file"). Functions that
// can fail on input, on the disk or on the state of a results database
// return a Status (nothing to return) or a StatusOr<T> (a T, or the Status
// saying why there is none); callers test ok() and pass the error up or
// report it. Nothing here allocates unless there is an error message.
//
//   StatusOr<std::unique_ptr<io::ResultsStore>> store = io::ResultsStore::OpenReadOnly(path);
//   if (!store.ok()) {
//     std::cerr << store.status().ToString() << "\n";  // "I/O error: ..."
//     return 1;
//   }
//   ORGSIM_RETURN_IF_ERROR((*store)->Verify());  // in a function returning Status
//
// Status versus checks. A Status is for what can go wrong in a correct
// program: a bad scenario value, a missing file, a full disk, another
// scenario's database. A broken invariant is a bug and is not a Status:
// ORGSIM_CHECK throws kernel::InvariantError (engine/kernel/check.h), which
// the experiment runner records as a failed run.
//
// Codes. A small subset of Abseil's canonical codes, each chosen as the most
// specific that applies; callers branch on code() (the workshop maps it to
// an HTTP status, the CLI to an exit code), never on the message text.
//
// Anchors: leveldb/include/leveldb/status.h (size and shape) and
// absl/status/status.h and statusor.h (spelling), so a later move to
// absl::Status is mechanical. Both types are values: cheap to move, safe to
// copy, and not thread-safe to mutate from two threads (as std::string).
//
// This is the bottom layer (engine/base, target orgsim::base): it depends on
// the C++ standard library only, and every other layer may use it.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace orgsim {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // badly formed input: a scenario value, a flag, a shard spec
  kNotFound,            // a file, table, scenario or key that should exist does not
  kFailedPrecondition,  // the arguments are fine, the state is wrong (another scenario's DB)
  kAlreadyExists,       // a duplicate (merging a run that is already there)
  kIoError,             // disk full, unwritable path, unreadable file
  kDataLoss,            // a damaged database (quick_check or a row checksum failed)
  kCancelled,           // stopped on request (SIGINT, the workshop's cancel)
  kInternal,            // a bug that was caught without a crash
};

class [[nodiscard]] Status {
 public:
  // OK.
  Status() = default;
  // REQUIRES: code != kOk or message is empty.
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  // What happened, for a person; empty when OK.
  const std::string& message() const { return message_; }

  // "<code name>: <message>", e.g. "I/O error: disk full", or "OK".
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// One factory per code, as in Abseil: return NotFoundError("no such run").
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
inline Status DataLossError(std::string m) { return Status(StatusCode::kDataLoss, std::move(m)); }
inline Status CancelledError(std::string m) { return Status(StatusCode::kCancelled, std::move(m)); }
inline Status InternalError(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }

// Thrown by StatusOr when it is misused: built from an OK Status, or its
// value read while it holds an error. Both are bugs in the caller (it must
// test ok() first), so this is a std::logic_error, like
// absl::BadStatusOrAccess; the experiment runner records it as a failed run.
class BadStatusOrAccess : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// A value of type T, or the (non-OK) Status saying why there is none.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  // REQUIRES: !status.ok() (throws BadStatusOrAccess otherwise).
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    if (status_.ok()) throw BadStatusOrAccess("StatusOr built from an OK status without a value");
  }
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design

  bool ok() const { return status_.ok(); }
  // OK when there is a value.
  const Status& status() const { return status_; }

  // REQUIRES: ok() (throws BadStatusOrAccess with the error otherwise).
  T& value() & {
    CheckHasValue();
    return *value_;
  }
  const T& value() const& {
    CheckHasValue();
    return *value_;
  }
  T&& value() && {
    CheckHasValue();
    return std::move(*value_);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  void CheckHasValue() const {
    if (!ok()) throw BadStatusOrAccess("value() on an error: " + status_.ToString());
  }

  Status status_;
  std::optional<T> value_;
};

}  // namespace orgsim

// Returns from the enclosing function (which returns a Status or a
// StatusOr) if `expr`, a Status, is not OK.
#define ORGSIM_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::orgsim::Status orgsim_status_ = (expr);        \
    if (!orgsim_status_.ok()) return orgsim_status_; \
  } while (false)
