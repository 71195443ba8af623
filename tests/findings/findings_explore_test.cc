// Where each claim holds (engine/report/findings_explore.h): which arms a
// claim's explore compares, which uncertainties it varies, and that the
// "where it holds" rows are the explore database's own verdicts.
#include "engine/report/findings_explore.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "engine/io/scenario_loader.h"
#include "tests/testing/files.h"
#include "tests/testing/status_matchers.h"

namespace orgsim::report {
namespace {

const std::string kCompany = R"pb(
seed: 11
replications: 3
horizon_days: 120
organization {
  teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 4 }
  teams { name: "founders" role: ROLE_EXECUTIVE initial_headcount: 1 }
  teams { name: "sales" role: ROLE_SALES initial_headcount: 2 reports_to: "founders" }
  teams { name: "marketing" role: ROLE_MARKETING initial_headcount: 1 reports_to: "founders" }
  teams { name: "product" role: ROLE_PRODUCT initial_headcount: 1 }
}
market { segments { name: "smb" potential_customers: 300 price_per_month: 500 } }
uncertainties { path: "market.launch_boost" low: 0.1 high: 0.6 }
uncertainties { path: "work.feature_impact" low: 0.01 high: 0.04 }
uncertainties { path: "organization.pm.people_sense" low: 0.1 high: 0.9 }
)pb";

const std::string kArms = R"pb(
name: "arms"
arms { name: "project_mode" }
arms {
  name: "product_led"
  set { path: "organization.pm.business_ownership" value: 0.8 }
  set { path: "organization.pm.people_sense" value: 0.7 }
}
arms { name: "more_sense" set { path: "organization.pm.people_sense" value: 0.9 } }
experiment {
  baseline: "project_mode"
  outcomes: "profit_total"
  manipulation_checks: "customers_end"
}
)pb";

const std::string kSweep = R"pb(
name: "sweep"
experiment {
  outcomes: "profit_total"
  sweep {
    grid {}
    parameters { path: "organization.pm.people_sense" values: [0.2, 0.5, 0.8] }
    parameters { path: "organization.pm.mandate" values: [0.9, 0.1] }
  }
}
)pb";

io::LoadedScenario Load(const std::string& text) {
  io::LoadResult loaded = io::LoadScenarioText(text, "test.textproto", ".");
  EXPECT_TRUE(loaded.ok()) << io::FormatDiagnostics(loaded.diagnostics);
  return *loaded.scenario;
}

std::vector<std::string> Paths(const std::vector<io::Uncertainty>& uncertainties) {
  std::vector<std::string> out;
  for (const io::Uncertainty& u : uncertainties) out.push_back(u.path);
  return out;
}

TEST(ExploredArms, DeclaredArmsAreComparedWithTheBaselineFirst) {
  const auto explored = ExploredArmsOf(Load(kArms + kCompany));
  ASSERT_OK(explored);
  ASSERT_EQ(explored->arms.size(), 3u);
  EXPECT_EQ(explored->arms[0].name, "project_mode");
  EXPECT_EQ(explored->arms[1].name, "product_led");
  EXPECT_EQ(explored->arms[2].name, "more_sense");
  for (const io::ArmVariant& arm : explored->arms) EXPECT_TRUE(arm.overrides.empty());
  // people_sense is what the arms set differently: a lever, not a constant.
  EXPECT_EQ(Paths(explored->uncertainties),
            (std::vector<std::string>{"market.launch_boost", "work.feature_impact"}));
}

TEST(ExploredArms, ASweepBecomesEachLeverFromItsLowestToItsHighestValue) {
  const auto explored = ExploredArmsOf(Load(kSweep + kCompany));
  ASSERT_OK(explored);
  ASSERT_EQ(explored->arms.size(), 3u);
  const std::vector<std::pair<std::string, double>> lowest = {{"organization.pm.people_sense", 0.2},
                                                              {"organization.pm.mandate", 0.1}};
  EXPECT_EQ(explored->arms[0].overrides, lowest);
  EXPECT_EQ(explored->arms[0].name, "people_sense=0.2, mandate=0.1");
  EXPECT_EQ(explored->arms[1].overrides,
            (std::vector<std::pair<std::string, double>>{{"organization.pm.people_sense", 0.8},
                                                         {"organization.pm.mandate", 0.1}}));
  EXPECT_EQ(explored->arms[1].name, "people_sense=0.8");
  EXPECT_EQ(explored->arms[2].overrides,
            (std::vector<std::pair<std::string, double>>{{"organization.pm.people_sense", 0.2},
                                                         {"organization.pm.mandate", 0.9}}));
  EXPECT_EQ(Paths(explored->uncertainties),
            (std::vector<std::string>{"market.launch_boost", "work.feature_impact"}));
}

TEST(ExploredArms, OneArmAndNoSweepHasNothingToExplore) {
  EXPECT_THAT(ExploredArmsOf(Load("name: \"one\"\n" + kCompany)).status(),
              test::StatusIs(StatusCode::kFailedPrecondition));
}

TEST(ExploredArms, NoUncertaintyBesidesTheLeversHasNothingToExplore) {
  const std::string only_lever = R"pb(
name: "only_lever"
horizon_days: 120
organization {
  teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 4 }
  teams { name: "product" role: ROLE_PRODUCT initial_headcount: 1 }
}
market { segments { name: "smb" potential_customers: 300 price_per_month: 500 } }
experiment {
  sweep {
    grid {}
    parameters { path: "organization.pm.people_sense" values: [0.2, 0.8] }
  }
}
uncertainties { path: "organization.pm.people_sense" low: 0.1 high: 0.9 }
)pb";
  EXPECT_THAT(ExploredArmsOf(Load(only_lever)).status(),
              test::StatusIs(StatusCode::kFailedPrecondition));
}

class FindingsExplore : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    const std::string path = dir_.Path("scenario.textproto");
    std::ofstream(path) << text;
    return path;
  }
  test::TempDir dir_{"findings_explore"};
};

TEST_F(FindingsExplore, RowsAreTheExploreVerdictsOfEveryComparisonAndOutcome) {
  const std::string scenario = Write(kArms + kCompany);
  const std::string db = dir_.Path("x.explore.db");
  const FindingsExploreOptions options{.points = 5, .replications = 4, .threads = 2};
  const auto run = RunFindingsExplore(scenario, db, options);
  ASSERT_OK(run);
  EXPECT_EQ(run->completed, 5u * 4u * 3u);  // points x replications x arms
  EXPECT_EQ(run->failed, 0u);

  const auto report = AnalyzeFindingsExplore(db, {"profit_total", "customers_end"});
  ASSERT_OK(report);
  EXPECT_EQ(report->space.names,
            (std::vector<std::string>{"market.launch_boost", "work.feature_impact"}));
  const std::vector<WhereItHolds> rows = WhereItHoldsRows(*report);
  ASSERT_EQ(rows.size(), 4u);  // 2 comparisons x 2 metrics
  EXPECT_EQ(rows[0].comparison, "product_led − project_mode");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const experiment::WinShare& s = report->comparisons[i].analysis.shares.benjamini_hochberg;
    EXPECT_EQ(rows[i].points, 5u);
    EXPECT_EQ(rows[i].a_better + rows[i].b_better + rows[i].tie, 5u);
    EXPECT_EQ(rows[i].a_better, s.a_better);
    EXPECT_EQ(rows[i].b_better, s.b_better);
    EXPECT_EQ(rows[i].fails_where == "nowhere", s.a_better == 5u) << rows[i].fails_where;
  }
  const std::string md = WhereItHoldsMarkdown(*report);
  EXPECT_NE(md.find("5 Latin-hypercube points of 2 uncertainties"), std::string::npos) << md;
  EXPECT_NE(md.find("| product_led − project_mode | `profit_total` |"), std::string::npos);
}

TEST_F(FindingsExplore, ResumeRunsNothingTwiceAndThreadsDoNotChangeTheVerdicts) {
  const std::string scenario = Write(kSweep + kCompany);
  const std::string one = dir_.Path("one.db"), two = dir_.Path("two.db");
  ASSERT_OK(RunFindingsExplore(scenario, one, {.points = 4, .replications = 3, .threads = 1}));
  ASSERT_OK(RunFindingsExplore(scenario, two, {.points = 4, .replications = 3, .threads = 2}));
  const auto again = RunFindingsExplore(
      scenario, two, {.points = 4, .replications = 3, .threads = 2, .resume = true});
  ASSERT_OK(again);
  EXPECT_EQ(again->completed, 0u);
  EXPECT_EQ(again->skipped, 4u * 3u * 3u);
  const auto a = AnalyzeFindingsExplore(one, {"profit_total"});
  const auto b = AnalyzeFindingsExplore(two, {"profit_total"});
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(WhereItHoldsMarkdown(*a), WhereItHoldsMarkdown(*b));
}

TEST(ExploredMetrics, OutcomesFirstElseTheFirstMetricAndSurvivalWhereListed) {
  EXPECT_EQ(ExploredMetrics({"a", "b", "c"}, {true, false, true}),
            (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(ExploredMetrics({"profit_total", "survived"}, {false, false}),
            (std::vector<std::string>{"profit_total", "survived"}));
  EXPECT_EQ(ExploredMetrics({}, {}), std::vector<std::string>{});
}

}  // namespace
}  // namespace orgsim::report
