#include "engine/io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <streambuf>
#include <string>
#include <vector>

namespace orgsim::io {
namespace {

// An unbuffered-to-the-caller, buffered-to-the-fd streambuf that remembers
// the first errno and can refuse bytes past a cap (the full-disk seam).
class FdBuf : public std::streambuf {
 public:
  FdBuf(int fd, std::uint64_t max_bytes) : fd_(fd), max_bytes_(max_bytes), buffer_(1 << 16) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (sync() != 0) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override {
    const char* p = pbase();
    std::size_t left = static_cast<std::size_t>(pptr() - pbase());
    while (left > 0 && error_ == 0) {
      std::size_t chunk = left;
      if (max_bytes_ > 0) {
        const std::uint64_t room = max_bytes_ > written_ ? max_bytes_ - written_ : 0;
        if (room == 0) {
          error_ = ENOSPC;
          break;
        }
        if (chunk > room) chunk = static_cast<std::size_t>(room);
      }
      const ssize_t n = ::write(fd_, p, chunk);
      if (n < 0) {
        if (errno == EINTR) continue;
        error_ = errno;
        break;
      }
      p += n;
      left -= static_cast<std::size_t>(n);
      written_ += static_cast<std::uint64_t>(n);
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return error_ == 0 ? 0 : -1;
  }

 private:
  int fd_;
  std::uint64_t max_bytes_;
  std::uint64_t written_ = 0;
  int error_ = 0;
  std::vector<char> buffer_;
};

Status WriteToFd(int fd, const std::string& path, const std::function<Status(std::ostream&)>& write,
                 std::uint64_t max_bytes, bool sync) {
  FdBuf buf(fd, max_bytes);
  std::ostream out(&buf);
  Status status = write(out);
  out.flush();
  if (buf.error() != 0) {
    return IoError("cannot write " + path + ": " + std::strerror(buf.error()));
  }
  if (!status.ok()) return status;
  if (!out) return IoError("cannot write " + path);
  if (sync && fsync(fd) != 0) return IoError("cannot write " + path + ": " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace

std::string TemporaryPathFor(const std::string& path) {
  const std::filesystem::path p(path);
  std::string name = ".";  // appended piecewise: GCC 12 warns (-Wrestrict) on the + chain
  name.append(p.filename().string());
  name.append(".tmp-");
  name.append(std::to_string(getpid()));
  return (p.parent_path() / name).string();
}

Status WriteFileAtomically(const std::string& path,
                           const std::function<Status(std::ostream&)>& write,
                           const AtomicWriteOptions& options) {
  struct stat st {};
  if (stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) return IoError("cannot write " + path + ": it is a folder");
    const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return IoError("cannot write " + path + ": " + std::strerror(errno));
    Status status = WriteToFd(fd, path, write, options.max_bytes, /*sync=*/false);
    close(fd);
    return status;
  }
  const std::string tmp = TemporaryPathFor(path);
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return IoError("cannot write " + path + ": " + std::strerror(errno));
  Status status = WriteToFd(fd, path, write, options.max_bytes, /*sync=*/true);
  if (close(fd) != 0 && status.ok()) {
    status = IoError("cannot write " + path + ": " + std::strerror(errno));
  }
  if (status.ok() && std::rename(tmp.c_str(), path.c_str()) != 0) {
    status = IoError("cannot write " + path + ": " + std::strerror(errno));
  }
  if (!status.ok()) std::remove(tmp.c_str());
  return status;
}

}  // namespace orgsim::io
