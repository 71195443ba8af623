// The stylized facts (engine/validation/stylized_facts.h): a well-formed
// table, and a report whose verdicts follow from its own medians. Never which
// design is typical.
#include "engine/validation/stylized_facts.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "engine/model/run.h"
#include "tests/testing/files.h"

namespace orgsim::validation {
namespace {

bool InCatalog(const std::string& name) {
  for (const model::MetricInfo& info : model::MetricCatalog()) {
    if (info.name == name) return true;
  }
  return false;
}

TEST(StylizedFacts, AtLeastFifteenFactsEachWithARangeAndASource) {
  const auto facts = StylizedFacts();
  EXPECT_GE(facts.size(), 15u);
  std::set<std::string> ids;
  for (const StylizedFact& f : facts) {
    EXPECT_TRUE(ids.insert(f.id).second) << "duplicate id " << f.id;
    EXPECT_LT(f.low, f.high) << f.id;
    EXPECT_FALSE(f.statement.empty()) << f.id;
    EXPECT_FALSE(f.metric.empty()) << f.id;
    EXPECT_GT(f.sources.size(), 20u) << f.id << ": cite where the range comes from";
    if (f.value != FactValue::kMetric) {
      EXPECT_FALSE(f.other.empty()) << f.id;
    }
  }
}

TEST(StylizedFacts, VerdictsFollowTheMediansAndUnmeasuredFactsNeverPass) {
  const FactsReport report = RunStylizedFacts(
      {.root = test::SourceDir().string(), .replications = 4, .threads = 2, .seed = 7});
  ASSERT_TRUE(report.errors.empty()) << report.errors.front();
  ASSERT_GE(report.subjects.size(), 2u);
  EXPECT_EQ(report.subjects.front(), "base company");
  ASSERT_EQ(report.results.size(), StylizedFacts().size());
  std::size_t passed = 0;
  for (const FactResult& r : report.results) {
    const StylizedFact& f = *r.fact;
    const bool measured =
        InCatalog(f.metric) && (f.value == FactValue::kMetric || InCatalog(f.other));
    EXPECT_EQ(r.measured, measured) << f.id;
    ASSERT_EQ(r.medians.size(), report.subjects.size()) << f.id;
    if (!measured) {
      EXPECT_FALSE(r.pass) << f.id;
      for (double m : r.medians) EXPECT_TRUE(std::isnan(m)) << f.id;
      continue;
    }
    const double base = r.medians.front();
    EXPECT_EQ(r.pass, std::isfinite(base) && base >= f.low && base <= f.high) << f.id;
    passed += r.pass ? 1 : 0;
  }
  EXPECT_EQ(report.Passed(), passed);
  const std::string md = FactsMarkdown(report);
  EXPECT_NE(md.find("## Stylized facts"), std::string::npos);
  EXPECT_NE(md.find("| fact | metric | published range | base company |"), std::string::npos);
  for (const StylizedFact& f : StylizedFacts()) {
    EXPECT_NE(md.find(f.sources), std::string::npos) << f.id << ": sources listed";
  }
}

}  // namespace
}  // namespace orgsim::validation
