#include "engine/experiment/lever_effects.h"

#include <gtest/gtest.h>

#include <cmath>

#include "engine/experiment/report.h"

namespace orgsim::experiment {
namespace {

// A 3 x 3 grid whose arm means follow mean = 5 + 2 a - 4 b (+ noise).
ExperimentReport GridReport(double noise) {
  ExperimentReport report;
  report.parameters = {"a", "b"};
  report.arm_names = {"x"};
  report.metrics = {{"m", ""}};
  // Noise not aligned with either lever, so it does not fit into a slope.
  const double wiggle[] = {0.3, -0.5, 0.2, 0.4, -0.1, -0.6, 0.5, -0.2, 0.0};
  int i = 0;
  for (double a : {0.0, 0.5, 1.0}) {
    for (double b : {10.0, 15.0, 20.0}) {
      PointReport point;
      point.parameter_values = {a, b};
      ArmReport arm;
      Summary s;
      s.n = 10;
      s.mean = 5 + 2 * a - 4 * b + noise * wiggle[i++];
      arm.metrics = {s};
      point.arms = {arm};
      report.points.push_back(point);
    }
  }
  return report;
}

TEST(LeverEffects, ExactLinearMeansGiveTheSlopeTimesTheRangeWithAZeroWidthCi) {
  const auto effects = LeverEffects(GridReport(0.0), 0, 0);
  ASSERT_EQ(effects.size(), 2u);
  EXPECT_NEAR(effects[0].effect, 2.0, 1e-9);    // 2 x (1 - 0)
  EXPECT_NEAR(effects[1].effect, -40.0, 1e-9);  // -4 x (20 - 10)
  EXPECT_NEAR(effects[1].ci_high - effects[1].ci_low, 0.0, 1e-6);
  EXPECT_EQ(effects[0].low, 0.0);
  EXPECT_EQ(effects[0].high, 1.0);
  EXPECT_EQ(effects[0].points, 9u);
}

TEST(LeverEffects, NoisyMeansGiveACiAroundTheEffect) {
  const auto effects = LeverEffects(GridReport(0.5), 0, 0);
  EXPECT_LT(effects[1].ci_low, effects[1].effect);
  EXPECT_GT(effects[1].ci_high, effects[1].effect);
  EXPECT_LT(effects[1].ci_low, -40.0 + 2.0);
  EXPECT_GT(effects[1].ci_high, -40.0 - 2.0);
}

TEST(LeverEffects, TooFewPointsAreUndefinedNotMadeUp) {
  ExperimentReport report = GridReport(0.0);
  report.points.resize(3);  // 3 points, 2 levers + intercept: no degrees of freedom
  const auto effects = LeverEffects(report, 0, 0);
  EXPECT_TRUE(std::isnan(effects[0].effect));
  EXPECT_TRUE(std::isnan(effects[1].ci_low));
}

TEST(LeverEffects, AMetricThatNeverMovesHasExactlyNoEffect) {
  ExperimentReport report = GridReport(0.0);
  for (PointReport& point : report.points) point.arms[0].metrics[0].mean = 730;
  for (const LeverEffect& e : LeverEffects(report, 0, 0)) {
    EXPECT_EQ(e.effect, 0.0);
    EXPECT_EQ(e.ci_low, 0.0);
    EXPECT_EQ(e.ci_high, 0.0);
  }
}

TEST(SobolNoise, TotalIndexAboveOneByMoreThanItsHalfCiIsFlagged) {
  SobolIndex inflated;
  inflated.total = 1.2;
  inflated.total_low = 1.1;
  inflated.total_high = 1.3;
  EXPECT_TRUE(SobolNoiseInflated(inflated));
  SobolIndex plausible;
  plausible.total = 1.01;
  plausible.total_low = 0.96;
  plausible.total_high = 1.06;
  EXPECT_FALSE(SobolNoiseInflated(plausible));
}

}  // namespace
}  // namespace orgsim::experiment
