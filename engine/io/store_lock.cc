#include "engine/io/store_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace orgsim::io {
namespace {

std::string Holder(int fd) {
  char buffer[64] = {};
  const ssize_t n = pread(fd, buffer, sizeof(buffer) - 1, 0);
  std::string pid = n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "";
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() ? "" : " (pid " + pid + ")";
}

}  // namespace

std::string WriterLock::SidecarPath(const std::string& db_path) { return db_path + "-lock"; }

StatusOr<std::unique_ptr<WriterLock>> WriterLock::Acquire(const std::string& db_path) {
  const std::string path = SidecarPath(db_path);
  // Retry when the sidecar was removed (a clean close) between open and flock.
  for (int attempt = 0; attempt < 10; ++attempt) {
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      return IoError("cannot create the writer lock " + path + ": " + std::strerror(errno));
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      const std::string holder = Holder(fd);
      close(fd);
      if (error == EWOULDBLOCK) {
        return IoError(db_path + " is being written by another orgsim process" + holder +
                       "; wait for it to finish, or write to another --db");
      }
      return IoError("cannot lock " + path + ": " + std::strerror(error));
    }
    struct stat held {
    }, named{};
    if (fstat(fd, &held) == 0 && stat(path.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
        held.st_dev == named.st_dev) {
      const std::string pid = std::to_string(getpid()) + "\n";
      if (ftruncate(fd, 0) == 0) (void)!pwrite(fd, pid.data(), pid.size(), 0);
      return std::unique_ptr<WriterLock>(new WriterLock(path, fd));
    }
    close(fd);
  }
  return IoError("cannot lock " + path + " (it keeps being replaced)");
}

WriterLock::~WriterLock() {
  // Unlink while still holding the lock, so no one locks a removed file.
  unlink(path_.c_str());
  close(fd_);
}

}  // namespace orgsim::io
