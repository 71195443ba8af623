// The findings document (engine/report/findings.h) from synthetic findings:
// outcomes and manipulation checks in separate tables, the identity flag on
// an outcome whose effect is the same in every replication or has
// |d_z| > 10, and metric directions read from the metric catalog.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "engine/model/run.h"
#include "engine/report/findings.h"

namespace orgsim::report {
namespace {

constexpr char kFlag[] = "probably an identity of the lever — check";

experiment::PairedComparison Stats(double diff, double sd) {
  experiment::PairedComparison c;
  c.n = 100;
  c.mean_b = 10;
  c.mean_a = 10 + diff;
  c.mean_diff = diff;
  c.sd_diff = sd;
  const double half = sd == 0 ? 0 : 1.984 * sd / 10;
  c.ci_low = diff - half;
  c.ci_high = diff + half;
  c.cohens_dz = sd == 0 ? std::numeric_limits<double>::quiet_NaN() : diff / sd;
  c.prob_superiority = diff > 0 ? 1 : 0;
  return c;
}

TEST(ProbablyIdentity, ZeroWidthIntervalOnANonzeroDifference) {
  EXPECT_TRUE(ProbablyIdentity(Stats(3, 0)));
  // No response at all is not an identity: the metric does not move.
  EXPECT_FALSE(ProbablyIdentity(Stats(0, 0)));
}

TEST(ProbablyIdentity, EffectSizeAboveTen) {
  EXPECT_TRUE(ProbablyIdentity(Stats(10.5, 1)));
  EXPECT_TRUE(ProbablyIdentity(Stats(-35, 1)));
  EXPECT_FALSE(ProbablyIdentity(Stats(10, 1)));  // |d_z| = 10 is not above 10
  EXPECT_FALSE(ProbablyIdentity(Stats(0.5, 1)));
}

TEST(ProbablyIdentity, TooFewPairsAreNeverFlagged) {
  experiment::PairedComparison c = Stats(3, 0);
  c.n = 1;
  EXPECT_FALSE(ProbablyIdentity(c));
}

ScenarioFindings Synthetic() {
  ScenarioFindings f;
  f.label = "C4";
  f.name = "c04_synthetic";
  f.description = "synthetic";
  f.path = "c04_synthetic.textproto";
  f.design = "arms";
  f.baseline = "b";
  f.replications = 100;
  f.claim = "a claim";
  f.lever = "a lever";
  f.observable = "metrics";
  f.missing = "a mechanism the model lacks";
  const auto add = [&f](const std::string& metric, MetricRole role,
                        experiment::PairedComparison stats) {
    f.metrics.push_back(metric);
    f.roles.push_back(role);
    f.units.push_back("u");
    EffectGroup group;
    group.title = "a − b";
    Effect effect;
    effect.metric = metric;
    effect.comparison = "a − b";
    effect.stats = stats;
    group.effects.push_back(effect);
    f.groups.push_back({group});
  };
  add("lead_time_mean_days", MetricRole::kOutcome, Stats(-2, 4));  // emergent
  add("profit_total", MetricRole::kOutcome, Stats(5, 0));          // an identity
  add("rework_fraction", MetricRole::kOutcome, Stats(0.3, 0.01));  // d_z 30
  add("capacity_lost_fraction", MetricRole::kManipulationCheck, Stats(0.25, 0.002));
  return f;
}

// The markdown line of `metric`'s row.
std::string Row(const std::string& md, const std::string& metric) {
  const std::size_t at = md.find("| `" + metric + "` (u) |");
  if (at == std::string::npos) return "";
  return md.substr(at, md.find('\n', at) - at);
}

TEST(FindingsMarkdown, OutcomesAndManipulationChecksAreSeparateTables) {
  const std::string md = FindingsMarkdown(
      {Synthetic()}, {.command = "orgsim findings", .replications = 100, .results_dir = "r"});
  const std::size_t outcomes = md.find("**Outcomes**");
  const std::size_t checks = md.find("**Manipulation checks**");
  ASSERT_NE(outcomes, std::string::npos);
  ASSERT_NE(checks, std::string::npos);
  ASSERT_LT(outcomes, checks);
  for (const char* metric : {"lead_time_mean_days", "profit_total", "rework_fraction"}) {
    const std::size_t at = md.find("| `" + std::string(metric) + "` (u) |");
    EXPECT_GT(at, outcomes) << metric;
    EXPECT_LT(at, checks) << metric;
  }
  EXPECT_GT(md.find("| `capacity_lost_fraction` (u) |"), checks);
  EXPECT_EQ(md.find("**Other metrics**"), std::string::npos);
  EXPECT_NE(md.find("- **Not testable in this model yet:** a mechanism the model lacks"),
            std::string::npos);
}

TEST(FindingsMarkdown, FlagsOutcomesThatLookLikeIdentitiesButNotManipulationChecks) {
  const std::string md = FindingsMarkdown(
      {Synthetic()}, {.command = "orgsim findings", .replications = 100, .results_dir = "r"});
  EXPECT_EQ(Row(md, "lead_time_mean_days").find(kFlag), std::string::npos);
  EXPECT_NE(Row(md, "profit_total").find(kFlag), std::string::npos) << Row(md, "profit_total");
  EXPECT_NE(Row(md, "rework_fraction").find(kFlag), std::string::npos);
  // d_z = 125 on a manipulation check is what a restated lever looks like.
  const std::string check = Row(md, "capacity_lost_fraction");
  ASSERT_FALSE(check.empty());
  EXPECT_EQ(check.find(kFlag), std::string::npos) << check;
  // The summary's primary metric is the first outcome.
  EXPECT_NE(md.find("| C4 | `lead_time_mean_days` | a − b |"), std::string::npos);
}

TEST(FindingsMarkdown, UndeclaredMetricsKeepOneTable) {
  ScenarioFindings f = Synthetic();
  for (MetricRole& role : f.roles) role = MetricRole::kUndeclared;
  const std::string md = FindingsMarkdown(
      {f}, {.command = "orgsim findings", .replications = 100, .results_dir = "r"});
  EXPECT_EQ(md.find("**Outcomes**"), std::string::npos);
  EXPECT_EQ(md.find("**Manipulation checks**"), std::string::npos);
  EXPECT_NE(Row(md, "capacity_lost_fraction").find(kFlag), std::string::npos)
      << "an undeclared metric is checked like an outcome";
}

TEST(BetterDirection, IsTheCatalogsDirection) {
  for (const model::MetricInfo& info : model::MetricCatalog()) {
    const int expected = info.better == model::Better::kHigher  ? 1
                         : info.better == model::Better::kLower ? -1
                                                                : 0;
    EXPECT_EQ(BetterDirection(std::string(info.name)), expected) << info.name;
  }
  EXPECT_EQ(BetterDirection("not_a_metric"), 0);
}

TEST(SurvivalMarkdown, GivesTheShareTheMedianAndTheHazardRatio) {
  // Freireich et al. (1963) remission data (tests/experiment/survival_test.cc):
  // placebo vs 6-MP, Cox (Efron) HR 4.817.
  std::vector<double> mp_t = {6,  6,  6,  6,  7,  9,  10, 10, 11, 13, 16,
                              17, 19, 20, 22, 23, 25, 32, 32, 34, 35};
  std::vector<double> mp_e = {1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0};
  std::vector<double> pl_t = {1, 1, 2,  2,  3,  4,  4,  5,  5,  8, 8,
                              8, 8, 11, 11, 12, 12, 15, 17, 22, 23};
  std::vector<double> pl_e(21, 1);
  const auto mp = SurvivalSample(mp_t, mp_e);
  const auto pl = SurvivalSample(pl_t, pl_e);
  SurvivalSection section;
  section.time_metric = "time_to_pmf_days";
  section.event_metric = "pmf_reached";
  section.cells.push_back(MakeSurvivalCell("placebo", "", pl));
  section.cells.push_back(MakeSurvivalCell("six_mp", "", mp));
  section.contrasts.push_back(MakeSurvivalContrast("placebo − six_mp", "", pl, mp));
  EXPECT_EQ(section.cells[1].reached, 9u);
  const std::string md = SurvivalMarkdown(section);
  EXPECT_NE(md.find("| six_mp | — | 21 | 0.43 ["), std::string::npos) << md;
  EXPECT_NE(md.find("| 23 |"), std::string::npos) << "KM median of 6-MP";
  EXPECT_NE(md.find("| placebo − six_mp | — | 4.817 ["), std::string::npos) << md;
  EXPECT_NE(md.find("A reaches the event sooner"), std::string::npos);
  const std::string html = SurvivalHtml(section, "s");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("Kaplan–Meier"), std::string::npos);
}

TEST(SurvivalSample, ANaNRunIsLeftOutAndOnlyOneIsAnEvent) {
  const auto sample = SurvivalSample({5, std::nan(""), 7, 730}, {1, 1, 0, 0.5});
  ASSERT_EQ(sample.size(), 3u);
  EXPECT_TRUE(sample[0].event);
  EXPECT_FALSE(sample[1].event);
  EXPECT_FALSE(sample[2].event);
}

}  // namespace
}  // namespace orgsim::report
