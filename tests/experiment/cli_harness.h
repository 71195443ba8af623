// Running the built `orgsim` binary from end-to-end tests: a command line in
// a folder, stdout and stderr captured to files (so stderr is not a
// terminal: no progress bar).
//
//   CliResult r = RunInFolder(dir, "/path/orgsim run x.textproto -q");
//   EXPECT_EQ(r.exit_code, 0) << r.err;
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/testing/files.h"

namespace orgsim::cli_test {

using ::orgsim::test::ReadFile;

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline CliResult RunInFolder(const std::filesystem::path& dir, const std::string& command_line) {
  const std::string out = (dir / "stdout.txt").string(), err = (dir / "stderr.txt").string();
  const std::string command =
      "cd " + dir.string() + " && " + command_line + " >" + out + " 2>" + err;
  const int status = std::system(command.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  return r;
}

// Polls `db` (a results database another process writes) until its `runs`
// table holds at least `at_least` rows or about 20 s pass; returns the count.
inline long WaitForStoredRuns(const std::string& db, long at_least) {
  long stored = 0;
  for (int i = 0; i < 20000 && stored < at_least; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    sqlite3* handle = nullptr;
    if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_stmt* st = nullptr;
      if (sqlite3_prepare_v2(handle, "SELECT count(*) FROM runs", -1, &st, nullptr) == SQLITE_OK &&
          sqlite3_step(st) == SQLITE_ROW) {
        stored = sqlite3_column_int64(st, 0);
      }
      sqlite3_finalize(st);
    }
    sqlite3_close(handle);
  }
  return stored;
}

// A fresh folder per test (removed after it), where commands run.
class FolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("orgsim_cli_" + std::string(info->name()) + "_" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

}  // namespace orgsim::cli_test
