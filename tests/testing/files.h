// Files in tests: the repository and build folders, reading a file whole,
// and a private scratch folder per test.
//
//   std::string golden = test::ReadFile(test::SourceDir() / "tests/io/golden/x.txt");
//   test::TempDir dir("store");                  // .../orgsim_store_<pid>_<n>/
//   std::string db = dir.Path("results.db");     // removed with `dir`
//
// SourceDir() and BinaryDir() are fixed when the test library is built
// (CMake's PROJECT_SOURCE_DIR and PROJECT_BINARY_DIR), so a test binary finds
// the repository the same way whether ctest runs it or a person does, from
// any working directory.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace orgsim::test {

// The repository root (holds scenarios/, tests/, docs/).
std::filesystem::path SourceDir();
// SourceDir() / relative, as a string (for APIs that take one).
std::string SourcePath(std::string_view relative);
// The build folder (holds the `orgsim` binary).
std::filesystem::path BinaryDir();

// The whole file as bytes; empty when it cannot be read (the test's own
// comparison then fails and shows the path).
std::string ReadFile(const std::filesystem::path& path);

// A fresh, empty folder under ::testing::TempDir(), unique per process and
// per instance (ctest runs tests as parallel processes); removed with
// everything in it when the TempDir is destroyed.
class TempDir {
 public:
  explicit TempDir(std::string_view tag = "test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // path() / name, as a string.
  std::string Path(std::string_view name) const;

 private:
  std::filesystem::path path_;
};

}  // namespace orgsim::test
