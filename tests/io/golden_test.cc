// One bad input per validation rule, with its exact diagnostics pinned.
//
// Each tests/io/bad/NAME.textproto breaks one rule (its first line says
// which); tests/io/golden/NAME.txt holds what the loader prints for it, or
// "ok" plus any warnings for files that are valid. Update after an intended
// change with
//   ORGSIM_UPDATE_GOLDEN=1 ctest --test-dir build -R Golden
// and review the diff.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/io/scenario_loader.h"
#include "tests/testing/files.h"

namespace orgsim::io {
namespace {

namespace fs = std::filesystem;

using test::ReadFile;
using test::SourceDir;

std::vector<std::string> BadInputs() {
  std::vector<std::string> names;
  for (const fs::directory_entry& e : fs::directory_iterator(SourceDir() / "tests/io/bad")) {
    if (e.path().extension() == ".textproto") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, DiagnosticsMatchTheGoldenFile) {
  // Paths relative to the repository root, so goldens do not depend on
  // where the repository is checked out.
  fs::current_path(SourceDir());
  const std::string input = "tests/io/bad/" + GetParam() + ".textproto";
  const fs::path golden = SourceDir() / "tests/io/golden" / (GetParam() + ".txt");
  LoadResult result = LoadScenarioFile(input);
  std::string actual = FormatDiagnostics(result.diagnostics);
  if (result.ok()) actual = "ok\n" + actual;

  const bool valid_by_design = GetParam().rfind("ok_", 0) == 0;
  EXPECT_EQ(result.ok(), valid_by_design)
      << input << (valid_by_design ? " should load (ok_ prefix)" : " should fail") << "\n"
      << actual;
  if (std::getenv("ORGSIM_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden, std::ios::binary) << actual;
    GTEST_SKIP() << "updated " << golden;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " is missing; run with ORGSIM_UPDATE_GOLDEN=1";
  EXPECT_EQ(actual, ReadFile(golden)) << "diagnostics of " << input << " changed";
}

INSTANTIATE_TEST_SUITE_P(BadInputs, Golden, ::testing::ValuesIn(BadInputs()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(GoldenFiles, EveryGoldenHasItsInput) {
  for (const fs::directory_entry& e : fs::directory_iterator(SourceDir() / "tests/io/golden")) {
    const fs::path input = SourceDir() / "tests/io/bad" / (e.path().stem().string() + ".textproto");
    EXPECT_TRUE(fs::exists(input)) << e.path() << " has no input " << input;
  }
}

}  // namespace
}  // namespace orgsim::io
