// The quick subset of `orgsim validate-model` (engine/validation/suite.h):
// every check passes, and the report says how it was made.
#include "engine/validation/suite.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "tests/testing/files.h"

namespace orgsim::validation {
namespace {

std::string SourceDir() { return test::SourceDir().string(); }

TEST(ValidationSuite, QuickSubsetPasses) {
  SuiteOptions options;
  options.quick = true;
  options.threads = 2;
  options.root = SourceDir();
  const SuiteReport report = RunSuite(options);
  EXPECT_TRUE(report.errors.empty()) << FormatText(report);
  EXPECT_EQ(report.Failed(), 0u) << FormatText(report);
  EXPECT_TRUE(report.AllPass());
  // Every group ran.
  for (const char* group :
       {"M/M/1", "M/M/c", "M/G/1", "Bass", "VDT", "Conservation", "Little", "PHOLD", "DeGroot"}) {
    bool found = false;
    for (const Check& c : report.checks) found = found || c.group == group;
    EXPECT_TRUE(found) << group;
  }
  EXPECT_GT(report.statistical_checks, 0u);
  EXPECT_DOUBLE_EQ(report.per_check_alpha, report.family_alpha / report.statistical_checks);
  const std::string markdown = FormatMarkdown(report, "orgsim validate-model --quick");
  EXPECT_NE(markdown.find("orgsim validate-model --quick"), std::string::npos);
  for (const ScenarioUsed& s : report.scenarios) {
    EXPECT_NE(markdown.find(s.sha256), std::string::npos) << s.path;
  }
}

TEST(ValidationSuite, MissingScenariosAreErrorsNotPasses) {
  SuiteOptions options;
  options.quick = true;
  options.threads = 1;
  options.root = "/nonexistent-orgsim-root";
  options.replications = 2;
  const SuiteReport report = RunSuite(options);
  EXPECT_FALSE(report.errors.empty());
  EXPECT_FALSE(report.AllPass());
}

}  // namespace
}  // namespace orgsim::validation
