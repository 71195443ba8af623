// The writer lock of a results database: an flock(2) on the sidecar file
// `<db>-lock`, held by the one process that writes the database. The kernel
// drops it when that process exits, however it exits (kill -9 included), so
// it is never left stale; a clean close also removes the sidecar.
//
//   auto lock = WriterLock::Acquire("results/x.db");   // refused if held
//   if (!lock.ok()) return lock.status();
#pragma once

#include <memory>
#include <string>

#include "engine/base/status.h"

namespace orgsim::io {

class WriterLock {
 public:
  // IoError, naming the holder's pid, when another process (or another
  // store in this process) writes `db_path`, or when the sidecar cannot be
  // created.
  static StatusOr<std::unique_ptr<WriterLock>> Acquire(const std::string& db_path);
  ~WriterLock();
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

  // The sidecar's path for a database.
  static std::string SidecarPath(const std::string& db_path);

 private:
  WriterLock(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_ = -1;
};

}  // namespace orgsim::io
