// Tests of the shared test helpers themselves.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/testing/files.h"
#include "tests/testing/status_matchers.h"

namespace orgsim::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(Files, SourceDirIsTheRepositoryRoot) {
  EXPECT_TRUE(std::filesystem::exists(SourceDir() / "engine/base/status.h"));
  EXPECT_EQ(SourcePath("docs"), (SourceDir() / "docs").string());
}

TEST(Files, TempDirIsFreshAndRemovedWithItsFiles) {
  std::filesystem::path kept;
  {
    TempDir a("helpers");
    TempDir b("helpers");
    EXPECT_NE(a.path(), b.path());
    EXPECT_TRUE(std::filesystem::is_empty(a.path()));
    std::ofstream(a.Path("x.txt")) << "bytes\n";
    EXPECT_EQ(ReadFile(a.Path("x.txt")), "bytes\n");
    kept = a.path();
  }
  EXPECT_FALSE(std::filesystem::exists(kept));
}

TEST(Files, ReadFileOfAMissingFileIsEmpty) { EXPECT_EQ(ReadFile("/no/such/file"), ""); }

TEST(StatusMatchers, MatchStatusAndStatusOr) {
  EXPECT_OK(Status::Ok());
  EXPECT_OK(StatusOr<int>(3));
  EXPECT_THAT(NotFoundError("no run 7"), Not(IsOk()));
  EXPECT_THAT(NotFoundError("no run 7"), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(StatusOr<int>(IoError("disk full")),
              StatusIs(StatusCode::kIoError, HasSubstr("full")));
  EXPECT_THAT(IoError("disk full"), Not(StatusIs(StatusCode::kIoError, HasSubstr("empty"))));
  EXPECT_THAT(Status::Ok(), Not(StatusIs(StatusCode::kInternal)));
}

TEST(StatusMatchers, FailureExplainsWithTheStatusText) {
  ::testing::StringMatchResultListener listener;
  EXPECT_FALSE(::testing::ExplainMatchResult(IsOk(), DataLossError("row 3"), &listener));
  EXPECT_EQ(listener.str(), "damaged database: row 3");
}

}  // namespace
}  // namespace orgsim::test
