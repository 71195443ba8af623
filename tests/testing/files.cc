#include "tests/testing/files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>

namespace orgsim::test {

std::filesystem::path SourceDir() { return ORGSIM_TESTING_SOURCE_DIR; }

std::string SourcePath(std::string_view relative) { return (SourceDir() / relative).string(); }

std::filesystem::path BinaryDir() { return ORGSIM_TESTING_BINARY_DIR; }

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TempDir::TempDir(std::string_view tag) {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::path(::testing::TempDir()) /
          ("orgsim_" + std::string(tag) + "_" + std::to_string(::getpid()) + "_" +
           std::to_string(counter.fetch_add(1)));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::Path(std::string_view name) const { return (path_ / name).string(); }

}  // namespace orgsim::test
