// The pieces of `orgsim explore`, each on a case whose answer is known:
// the explore design's stratification and purity, PRIM on a function whose
// box is known, multiplicity corrections against hand-computed values, the
// win-share of a constructed set of points, given-data main effects, and
// the loader's checks of Scenario.uncertainties.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "engine/experiment/designs.h"
#include "engine/experiment/explore_analysis.h"
#include "engine/experiment/main_effects.h"
#include "engine/experiment/prim.h"
#include "engine/experiment/win_share.h"
#include "engine/io/experiment_setup.h"
#include "engine/io/scenario_loader.h"
#include "engine/kernel/rng.h"

namespace orgsim::experiment {
namespace {

// --- design ----------------------------------------------------------------

TEST(ExploreDesign, EveryStratumOfEveryUncertaintyIsUsedOnce) {
  const std::uint32_t n = 40;
  Design d = ExploreDesign({{.name = "a", .low = 0.1, .high = 0.5},
                            {.name = "b", .low = 0.01, .high = 1.0, .log_scale = true},
                            {.name = "c", .low = 0, .high = 2, .triangular = true, .mode = 0.5}},
                           n, 3);
  ASSERT_EQ(d.size(), n);
  EXPECT_EQ(d.kind(), DesignKind::kExplore);
  // The value's probability under each distribution, cut into n strata.
  auto cdf = [](std::size_t i, double v) {
    if (i == 0) return (v - 0.1) / 0.4;
    if (i == 1) return (std::log(v) - std::log(0.01)) / (std::log(1.0) - std::log(0.01));
    return v < 0.5 ? (v * v) / (2.0 * 0.5) : 1.0 - (2.0 - v) * (2.0 - v) / (2.0 * 1.5);
  };
  for (std::size_t i = 0; i < 3; ++i) {
    std::set<int> strata;
    for (std::size_t p = 0; p < n; ++p) {
      strata.insert(static_cast<int>(std::floor(cdf(i, d.values(p)[i]) * n)));
    }
    EXPECT_EQ(strata.size(), n) << "dimension " << i;
    EXPECT_EQ(*strata.begin(), 0);
    EXPECT_EQ(*strata.rbegin(), static_cast<int>(n) - 1);
  }
}

TEST(ExploreDesign, IsAPureFunctionOfSeedPointsAndDimensions) {
  const std::vector<ParameterRange> params = {{.name = "a", .low = 0, .high = 1},
                                              {.name = "b", .low = 5, .high = 12}};
  const Design one = ExploreDesign(params, 16, 9);
  const Design two = ExploreDesign(params, 16, 9);
  const Design other = ExploreDesign(params, 16, 10);
  bool differs = false;
  for (std::size_t p = 0; p < 16; ++p) {
    EXPECT_EQ(one.values(p)[0], two.values(p)[0]);
    EXPECT_EQ(one.values(p)[1], two.values(p)[1]);
    differs = differs || one.values(p)[0] != other.values(p)[0];
  }
  EXPECT_TRUE(differs);
  // Adding an uncertainty leaves the others' columns unchanged.
  std::vector<ParameterRange> more = params;
  more.push_back({.name = "c", .low = 0, .high = 1});
  const Design wider = ExploreDesign(more, 16, 9);
  for (std::size_t p = 0; p < 16; ++p) EXPECT_EQ(wider.values(p)[1], one.values(p)[1]);
}

TEST(ExploreDesign, SharesStreamsAcrossPointsUnlikeASweep) {
  EXPECT_EQ(StreamDesignPoint(DesignKind::kExplore, 17), 0u);
  EXPECT_EQ(StreamDesignPoint(DesignKind::kLatinHypercube, 17), 17u);
  EXPECT_STREQ(DesignKindName(DesignKind::kExplore), "explore");
}

// --- PRIM -----------------------------------------------------------------

// n points of a 3-d Latin hypercube on [0, 1]^3.
std::vector<double> UnitPoints(std::uint32_t n, std::uint64_t seed) {
  const Design d = LatinHypercubeDesign({{.name = "x0"}, {.name = "x1"}, {.name = "x2"}}, n, seed);
  std::vector<double> x;
  for (std::size_t p = 0; p < n; ++p) x.insert(x.end(), d.values(p).begin(), d.values(p).end());
  return x;
}

TEST(Prim, FindsTheBoxOfAKnownRule) {
  // Cases of interest: x0 > 0.6 and x1 < 0.3 (12% of the space); x2 is noise.
  const std::uint32_t n = 1000;
  const std::vector<double> x = UnitPoints(n, 5);
  std::vector<bool> y(n);
  for (std::size_t p = 0; p < n; ++p) y[p] = x[p * 3] > 0.6 && x[p * 3 + 1] < 0.3;
  const std::vector<double> low = {0, 0, 0}, high = {1, 1, 1};
  const PrimResult r = FindPrimBox(x, 3, y, low, high);
  ASSERT_EQ(r.box.restricted.size(), 2u);
  EXPECT_EQ(r.box.restricted[0].dimension, 0u);
  EXPECT_NEAR(r.box.restricted[0].low, 0.6, 0.03);
  EXPECT_EQ(r.box.restricted[0].high, 1.0);
  EXPECT_EQ(r.box.restricted[1].dimension, 1u);
  EXPECT_EQ(r.box.restricted[1].low, 0.0);
  EXPECT_NEAR(r.box.restricted[1].high, 0.3, 0.03);
  EXPECT_TRUE(r.meets_threshold);
  EXPECT_GE(r.box.density, 0.9);
  EXPECT_GE(r.box.coverage, 0.9);
  // The trajectory trades coverage for density: coverage never rises.
  for (std::size_t s = 1; s < r.trajectory.size(); ++s) {
    EXPECT_LE(r.trajectory[s].coverage, r.trajectory[s - 1].coverage);
  }
  EXPECT_EQ(r.trajectory.front().density, r.cases_of_interest / 1000.0);
}

TEST(Prim, PastingWidensAnOverPeeledEdgeAgain) {
  // One-sided rule x0 < 0.5: peeling from above overshoots by at most one
  // peel; the chosen box still ends at ~0.5, with x1, x2 free.
  const std::uint32_t n = 400;
  const std::vector<double> x = UnitPoints(n, 8);
  std::vector<bool> y(n);
  for (std::size_t p = 0; p < n; ++p) y[p] = x[p * 3] < 0.5;
  const std::vector<double> low = {0, 0, 0}, high = {1, 1, 1};
  const PrimResult r = FindPrimBox(x, 3, y, low, high);
  ASSERT_EQ(r.box.restricted.size(), 1u);
  EXPECT_EQ(r.box.restricted[0].dimension, 0u);
  EXPECT_NEAR(r.box.restricted[0].high, 0.5, 0.02);
  EXPECT_DOUBLE_EQ(r.box.density, 1.0);
  EXPECT_DOUBLE_EQ(r.box.coverage, 1.0);
}

TEST(Prim, WithoutCasesReportsTheWholeSpaceAndNoCoverage) {
  const std::vector<double> x = UnitPoints(50, 2);
  const std::vector<bool> y(50, false);
  const std::vector<double> low = {0, 0, 0}, high = {1, 1, 1};
  const PrimResult r = FindPrimBox(x, 3, y, low, high);
  EXPECT_EQ(r.cases_of_interest, 0u);
  EXPECT_TRUE(r.box.restricted.empty());
  EXPECT_FALSE(r.meets_threshold);
  EXPECT_EQ(r.box.coverage, 0.0);
  EXPECT_EQ(r.box.points, 50u);
}

TEST(Prim, NeverPeelsBelowTheMinimumMass) {
  const std::uint32_t n = 200;
  const std::vector<double> x = UnitPoints(n, 4);
  std::vector<bool> y(n, false);
  y[7] = true;  // one case: a box around it alone would hold 0.5% of the points
  const std::vector<double> low = {0, 0, 0}, high = {1, 1, 1};
  const PrimResult r = FindPrimBox(x, 3, y, low, high, {.mass_min = 0.05});
  for (const PrimStep& step : r.trajectory) EXPECT_GE(step.mass, 0.05);
  EXPECT_GE(r.box.mass, 0.05);
}

// --- multiplicity and win-share ------------------------------------------

TEST(Multiplicity, HolmAndBenjaminiHochbergMatchHandComputedValues) {
  // As R's p.adjust(c(0.01, 0.04, 0.03, 0.02, 0.05), "holm" / "BH").
  const std::vector<double> p = {0.01, 0.04, 0.03, 0.02, 0.05};
  const std::vector<double> holm = HolmAdjusted(p);
  const std::vector<double> expected_holm = {0.05, 0.09, 0.09, 0.08, 0.09};
  const std::vector<double> bh = BenjaminiHochbergAdjusted(p);
  for (std::size_t i = 0; i < p.size(); ++i) {
    EXPECT_NEAR(holm[i], expected_holm[i], 1e-12) << i;
    EXPECT_NEAR(bh[i], 0.05, 1e-12) << i;
  }
  // BH: 5/1 x 0.001 = 0.005; 5/2 x 0.2 = 0.5 capped by later 5/5 x 0.3 = 0.3 ...
  const std::vector<double> q =
      BenjaminiHochbergAdjusted(std::vector<double>{0.001, 0.2, 0.25, 0.28, 0.3});
  EXPECT_NEAR(q[0], 0.005, 1e-12);
  EXPECT_NEAR(q[1], 0.3, 1e-12);
  EXPECT_NEAR(q[4], 0.3, 1e-12);
}

// Replications of A and B at a point whose true difference is `shift`.
PointEffect Point(double shift, std::uint64_t seed) {
  kernel::RandomStream rng(
      kernel::StreamKey{.seed = seed, .design_point = 0, .replication = 0, .stream = 1});
  std::vector<double> a, b;
  for (int r = 0; r < 30; ++r) {
    const double common = 10 * rng.NextUniform();
    const double noise = rng.NextUniform() - 0.5;
    b.push_back(common);
    a.push_back(common + shift + (shift == 0 ? 0.0 : noise));
  }
  return PairedEffect(a, b);
}

TEST(WinShare, CountsAConstructedSpaceExactly) {
  // 4 points where A is 5 higher, 3 where it is 5 lower, 3 exact ties.
  std::vector<PointEffect> effects;
  for (int i = 0; i < 4; ++i) effects.push_back(Point(5, 100 + i));
  for (int i = 0; i < 3; ++i) effects.push_back(Point(-5, 200 + i));
  for (int i = 0; i < 3; ++i) effects.push_back(Point(0, 300 + i));
  const WinShares higher = ShareOfWins(effects, /*higher_is_better=*/true);
  for (const WinShare* s : {&higher.raw, &higher.holm, &higher.benjamini_hochberg}) {
    EXPECT_EQ(s->a_better, 4u);
    EXPECT_EQ(s->b_better, 3u);
    EXPECT_EQ(s->tie, 3u);
    EXPECT_DOUBLE_EQ(s->share(s->a_better), 0.4);
  }
  // For a lower-is-better metric the same differences favour B.
  const WinShares lower = ShareOfWins(effects, /*higher_is_better=*/false);
  EXPECT_EQ(lower.benjamini_hochberg.a_better, 3u);
  EXPECT_EQ(lower.benjamini_hochberg.b_better, 4u);
  EXPECT_EQ(lower.benjamini_hochberg.verdicts[0], Verdict::kBBetter);
}

TEST(WinShare, CorrectionsOnlyEverRemoveBorderlineWins) {
  // p-values built directly: one strong win and many borderline ones.
  std::vector<PointEffect> effects(
      20, PointEffect{.pairs = 30, .mean_diff = 1, .ci_low = 0.1, .ci_high = 2, .p_value = 0.04});
  effects[0].p_value = 1e-6;
  const WinShares s = ShareOfWins(effects, true);
  EXPECT_EQ(s.raw.a_better, 20u);
  EXPECT_EQ(s.holm.a_better, 1u);
  EXPECT_EQ(s.benjamini_hochberg.a_better, 20u);  // all p <= 0.04 x 20/20: BH keeps them
  EXPECT_LE(s.holm.a_better, s.benjamini_hochberg.a_better);
}

TEST(PairedEffect, ADeterministicDifferenceIsSignificantAndNoneIsATie) {
  const std::vector<double> a = {3, 4, 5}, b = {1, 2, 3};
  EXPECT_EQ(PairedEffect(a, b).p_value, 0.0);
  EXPECT_EQ(PairedEffect(a, b).mean_diff, 2.0);
  EXPECT_EQ(PairedEffect(a, a).p_value, 1.0);
  EXPECT_EQ(PairedEffect(std::vector<double>{1}, std::vector<double>{0}).p_value, 1.0);
}

// --- sensitivity -----------------------------------------------------------

TEST(MainEffects, RankTheInputTheOutputDependsOn) {
  const std::uint32_t n = 400;
  const std::vector<double> x = UnitPoints(n, 6);
  std::vector<double> y(n);
  for (std::size_t p = 0; p < n; ++p) y[p] = -4 * x[p * 3 + 1] + 0.5 * x[p * 3 + 2];
  const std::vector<MainEffect> e = GivenDataMainEffects(x, 3, y);
  // Var(-4 x1) = 16/12, Var(0.5 x2) = 0.25/12: S1 ~ 0.985, S2 ~ 0.015.
  EXPECT_NEAR(e[1].first_order, 16.0 / 16.25, 0.03);
  EXPECT_LT(e[0].first_order, 0.1);
  EXPECT_LT(e[1].rank_correlation, -0.95);
  EXPECT_GT(e[2].rank_correlation, 0.0);
  EXPECT_NEAR(e[0].noise_floor, 19.0 / 399.0, 1e-12);
}

TEST(AnalyzeComparison, PutsTheBoxWhereTheBaselineWins) {
  // The effect is +1 (A better) except where x0 < 0.3, where it is -1.
  const std::uint32_t n = 200;
  ExploreSpace space{.names = {"x0", "x1", "x2"},
                     .low = {0, 0, 0},
                     .high = {1, 1, 1},
                     .values = UnitPoints(n, 12)};
  std::vector<PointEffect> effects;
  for (std::size_t p = 0; p < n; ++p) {
    const double d = space.values[p * 3] < 0.3 ? -1.0 : 1.0;
    effects.push_back(
        {.pairs = 50, .mean_diff = d, .ci_low = d - 0.1, .ci_high = d + 0.1, .p_value = 1e-9});
  }
  const ExploreComparison c = AnalyzeComparison(space, effects);
  EXPECT_EQ(c.shares.benjamini_hochberg.b_better + c.shares.benjamini_hochberg.a_better, n);
  ASSERT_EQ(c.b_wins.box.restricted.size(), 1u);
  EXPECT_EQ(c.b_wins.box.restricted[0].dimension, 0u);
  EXPECT_NEAR(c.b_wins.box.restricted[0].high, 0.3, 0.02);
  EXPECT_DOUBLE_EQ(c.claim_fails.box.density, 1.0);
  EXPECT_EQ(c.sensitivity.front().dimension, 0u);
}

}  // namespace
}  // namespace orgsim::experiment

// --- the loader's checks ----------------------------------------------------

namespace orgsim::io {
namespace {

const char* kCompany = R"pb(
name: "u"
organization {
  teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 3 }
  teams { name: "sales" role: ROLE_SALES initial_headcount: 1 }
}
market { segments { name: "smb" potential_customers: 100 price_per_month: 100 } }
)pb";

LoadResult Load(const std::string& extra) {
  return LoadScenarioText(std::string(kCompany) + extra, "u.textproto", ".",
                          LoadOptions::Offline());
}

std::string Errors(const LoadResult& r) { return FormatDiagnostics(r.diagnostics); }

TEST(UncertaintyLoader, AcceptsADeclaredRangeAndKeepsItsDistribution) {
  const LoadResult r = Load(R"pb(
uncertainties { path: "market.launch_boost" low: 0.1 high: 0.5 }
uncertainties { path: "work.feature_impact" low: 0.01 high: 0.04 distribution: DISTRIBUTION_LOG_UNIFORM }
uncertainties { path: "market.problem_novelty" low: 0.5 high: 1 distribution: DISTRIBUTION_TRIANGULAR mode: 0.9 }
uncertainties { path: "organization.teams[eng].initial_headcount" low: 2 high: 6 }
)pb");
  ASSERT_TRUE(r.ok()) << Errors(r);
  ASSERT_EQ(r.scenario->uncertainties.size(), 4u);
  EXPECT_EQ(r.scenario->uncertainties[0].path, "market.launch_boost");
  EXPECT_EQ(r.scenario->uncertainties[1].distribution, UncertaintyDistribution::kLogUniform);
  EXPECT_EQ(r.scenario->uncertainties[2].mode, 0.9);
  EXPECT_TRUE(r.scenario->uncertainties[3].integer);
}

TEST(UncertaintyLoader, SuggestsTheFieldOfAMisspeltPath) {
  const LoadResult r =
      Load(R"pb(uncertainties { path: "market.lanch_boost" low: 0.1 high: 0.5 })pb");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(Errors(r).find("did you mean \"launch_boost\""), std::string::npos) << Errors(r);
}

TEST(UncertaintyLoader, RefusesRangesOutsideTheSchemaOrInverted) {
  LoadResult r = Load(R"pb(uncertainties { path: "market.problem_novelty" low: 0.5 high: 1.5 })pb");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(Errors(r).find("uncertainty high:"), std::string::npos) << Errors(r);
  r = Load(R"pb(uncertainties { path: "market.launch_boost" low: 0.5 high: 0.5 })pb");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(Errors(r).find("expected low < high"), std::string::npos) << Errors(r);
  r = Load(R"pb(uncertainties { path: "market.launch_boost" low: 0.1 })pb");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(Errors(r).find("needs low and high"), std::string::npos) << Errors(r);
}

TEST(UncertaintyLoader, ChecksDistributionsAndDuplicates) {
  LoadResult r = Load(
      R"pb(uncertainties { path: "market.launch_boost" low: 0 high: 0.5 distribution: DISTRIBUTION_LOG_UNIFORM })pb");
  EXPECT_NE(Errors(r).find("needs low > 0"), std::string::npos) << Errors(r);
  r = Load(
      R"pb(uncertainties { path: "market.launch_boost" low: 0.1 high: 0.5 distribution: DISTRIBUTION_TRIANGULAR })pb");
  EXPECT_NE(Errors(r).find("needs a mode"), std::string::npos) << Errors(r);
  r = Load(R"pb(uncertainties { path: "market.launch_boost" low: 0.1 high: 0.5 mode: 0.2 })pb");
  EXPECT_NE(Errors(r).find("mode is for DISTRIBUTION_TRIANGULAR only"), std::string::npos);
  r = Load(R"pb(uncertainties { path: "market.launch_boost" low: 0.1 high: 0.5 }
               uncertainties { path: "market.launch_boost" low: 0.2 high: 0.4 })pb");
  EXPECT_NE(Errors(r).find("is listed twice"), std::string::npos) << Errors(r);
  r = Load(R"pb(uncertainties { path: "organization.graph.generator" low: 0 high: 1 })pb");
  EXPECT_NE(Errors(r).find("not a numeric field"), std::string::npos) << Errors(r);
}

TEST(UncertaintyLoader, AnArmThatSetsAnUncertaintyMakesExploreRefuseIt) {
  const LoadResult r = Load(R"pb(
arms { name: "a" }
arms { name: "b" market { launch_boost: 0.9 } }
uncertainties { path: "market.launch_boost" low: 0.1 high: 0.5 }
uncertainties { path: "work.feature_impact" low: 0.01 high: 0.04 }
)pb");
  ASSERT_TRUE(r.ok()) << Errors(r);
  EXPECT_EQ(r.scenario->uncertainties[0].set_by_arms, std::vector<std::string>{"b (0.9)"});
  EXPECT_TRUE(r.scenario->uncertainties[1].set_by_arms.empty());
  auto setup = SetUpExperiment(*r.scenario, {.design = DesignChoice::kExplore,
                                             .seed = std::nullopt,
                                             .replications = std::nullopt,
                                             .series = SeriesChoice::kNone,
                                             .orgsim_version = "test",
                                             .explore_points = 4});
  ASSERT_FALSE(setup.ok());
  EXPECT_NE(setup.status().message().find("'market.launch_boost' is a lever of this comparison"),
            std::string::npos)
      << setup.status().message();
}

}  // namespace
}  // namespace orgsim::io
