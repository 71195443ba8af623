// Sobol indices validated on the Ishigami function (Ishigami & Homma 1990),
// whose indices are known analytically (Sobol' & Levitan 1999; Saltelli et
// al. 2008, "Global Sensitivity Analysis: The Primer", §4.9):
//   f(x) = sin x1 + a sin^2 x2 + b x3^4 sin x1,  x_i ~ U(-pi, pi)
//   V  = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2
//   V1 = (1 + b pi^4/5)^2 / 2,  V2 = a^2/8,  V3 = 0,
//   V13 = b^2 pi^8 (1/18 - 1/50)
// With a = 7, b = 0.1: S1 = 0.3139, S2 = 0.4424, S3 = 0, ST1 = 0.5576,
// ST2 = 0.4424, ST3 = 0.2437.
#include "engine/experiment/sensitivity.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "engine/experiment/designs.h"

namespace orgsim::experiment {
namespace {

constexpr double kPi = std::numbers::pi;

double Ishigami(std::span<const double> x, double a = 7, double b = 0.1) {
  return std::sin(x[0]) + a * std::sin(x[1]) * std::sin(x[1]) +
         b * std::pow(x[2], 4) * std::sin(x[0]);
}

struct Truth {
  double s[3];
  double st[3];
};

Truth IshigamiTruth(double a = 7, double b = 0.1) {
  const double pi4 = std::pow(kPi, 4), pi8 = std::pow(kPi, 8);
  const double v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
  const double v1 = 0.5 * std::pow(1 + b * pi4 / 5, 2);
  const double v2 = a * a / 8;
  const double v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
  return Truth{{v1 / v, v2 / v, 0.0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

TEST(IshigamiTruth, MatchesPublishedValues) {
  const Truth t = IshigamiTruth();
  EXPECT_NEAR(t.s[0], 0.3139, 1e-4);
  EXPECT_NEAR(t.s[1], 0.4424, 1e-4);
  EXPECT_NEAR(t.st[0], 0.5576, 1e-4);
  EXPECT_NEAR(t.st[2], 0.2437, 1e-4);
}

TEST(SobolIndices, RecoverIshigamiIndices) {
  std::vector<ParameterRange> params;
  for (const char* name : {"x1", "x2", "x3"}) {
    params.push_back({.name = name, .low = -kPi, .high = kPi});
  }
  const Design design = SaltelliDesign(params, 1 << 13, 2024);
  std::vector<double> y(design.size());
  for (std::size_t p = 0; p < design.size(); ++p) y[p] = Ishigami(design.values(p));
  const std::vector<SobolIndex> s =
      SobolIndices(ArrangeSaltelliOutputs(design, y), {.bootstrap_resamples = 200, .seed = 5})
          .indices;
  ASSERT_EQ(s.size(), 3u);
  const Truth truth = IshigamiTruth();
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    // Tolerance: 5 bootstrap standard errors (each is ~0.01 at N = 8192), so
    // the fixed-seed test is far from its edge and still tight.
    EXPECT_LT(s[i].first_order_se, 0.03);
    EXPECT_LT(s[i].total_se, 0.03);
    EXPECT_NEAR(s[i].first_order, truth.s[i], 5 * s[i].first_order_se + 1e-3);
    EXPECT_NEAR(s[i].total, truth.st[i], 5 * s[i].total_se + 1e-3);
    EXPECT_LE(s[i].first_order_low, s[i].first_order);
    EXPECT_GE(s[i].first_order_high, s[i].first_order);
    EXPECT_LE(s[i].total_low, s[i].total);
    EXPECT_GE(s[i].total_high, s[i].total);
  }
}

TEST(SobolIndices, AdditiveLinearModelHasEqualFirstAndTotalIndices) {
  // f = 2 x1 + x2 with independent U(0, 1): V1 = 4/12, V2 = 1/12, no
  // interactions -> S = ST = (0.8, 0.2).
  const Design design = SaltelliDesign({{.name = "x1"}, {.name = "x2"}}, 4096, 9);
  std::vector<double> y(design.size());
  for (std::size_t p = 0; p < design.size(); ++p) {
    y[p] = 2 * design.values(p)[0] + design.values(p)[1];
  }
  const auto s =
      SobolIndices(ArrangeSaltelliOutputs(design, y), {.bootstrap_resamples = 100}).indices;
  EXPECT_NEAR(s[0].first_order, 0.8, 5 * s[0].first_order_se + 1e-3);
  EXPECT_NEAR(s[1].first_order, 0.2, 5 * s[1].first_order_se + 1e-3);
  EXPECT_NEAR(s[0].total, 0.8, 5 * s[0].total_se + 1e-3);
  EXPECT_NEAR(s[1].total, 0.2, 5 * s[1].total_se + 1e-3);
}

TEST(SobolIndices, ALargeOutputMeanDoesNotSwampTheFirstOrderIndices) {
  // f = 1e6 + 2 x1 + x2: same indices as without the offset (0.8, 0.2);
  // the uncentered estimator's noise would scale with the 1e6.
  const Design design = SaltelliDesign({{.name = "x1"}, {.name = "x2"}}, 256, 9);
  std::vector<double> y(design.size());
  for (std::size_t p = 0; p < design.size(); ++p) {
    y[p] = 1e6 + 2 * design.values(p)[0] + design.values(p)[1];
  }
  const auto s =
      SobolIndices(ArrangeSaltelliOutputs(design, y), {.bootstrap_resamples = 100}).indices;
  EXPECT_NEAR(s[0].first_order, 0.8, 0.1);
  EXPECT_NEAR(s[1].first_order, 0.2, 0.1);
  EXPECT_LT(s[0].first_order_high - s[0].first_order_low, 0.5);
}

TEST(SobolIndices, ConstantOutputHasUndefinedIndices) {
  const Design design = SaltelliDesign({{.name = "x"}}, 8, 1);
  const std::vector<double> y(design.size(), 3.0);
  const auto s = SobolIndices(ArrangeSaltelliOutputs(design, y)).indices;
  EXPECT_TRUE(std::isnan(s[0].first_order));
  EXPECT_TRUE(std::isnan(s[0].total_low));
}

TEST(SobolIndices, AreReproducible) {
  const Design design = SaltelliDesign({{.name = "x1"}, {.name = "x2"}}, 64, 3);
  std::vector<double> y(design.size());
  for (std::size_t p = 0; p < design.size(); ++p) {
    y[p] = design.values(p)[0] * design.values(p)[1];
  }
  const auto s1 = SobolIndices(ArrangeSaltelliOutputs(design, y), {.seed = 4}).indices;
  const auto s2 = SobolIndices(ArrangeSaltelliOutputs(design, y), {.seed = 4}).indices;
  EXPECT_EQ(s1[0].first_order_low, s2[0].first_order_low);
  EXPECT_EQ(s1[1].total_high, s2[1].total_high);
}

TEST(SobolIndices, IshigamiSecondOrderIsTheX1X3Interaction) {
  // Only x1 and x3 interact: S13 = V13 / V = 0.2437, S12 = S23 = 0.
  std::vector<ParameterRange> params;
  for (const char* name : {"x1", "x2", "x3"}) {
    params.push_back({.name = name, .low = -kPi, .high = kPi});
  }
  const Design design = SaltelliDesign(params, 1 << 13, 77, SobolOrder::kSecondOrder);
  ASSERT_EQ(design.size(), (1u << 13) * 8u);
  ASSERT_TRUE(design.saltelli_second_order());
  std::vector<double> y(design.size());
  for (std::size_t p = 0; p < design.size(); ++p) y[p] = Ishigami(design.values(p));
  const SobolResult r =
      SobolIndices(ArrangeSaltelliOutputs(design, y), {.bootstrap_resamples = 100, .seed = 2});
  ASSERT_EQ(r.second_order.size(), 3u);
  const Truth truth = IshigamiTruth();
  // Pairs in order (0,1), (0,2), (1,2). The second-order estimator is
  // noisier than the first-order one; the tolerance is the bootstrap
  // interval's width, widened.
  const double expected[3] = {0.0, truth.st[2], 0.0};
  for (int p = 0; p < 3; ++p) {
    SCOPED_TRACE(p);
    const double half_width = (r.second_order[p].high - r.second_order[p].low) / 2;
    EXPECT_LT(half_width, 0.08);
    EXPECT_NEAR(r.second_order[p].value, expected[p], 2.5 * half_width);
  }
  // First-order and total indices are unaffected by the extra blocks.
  EXPECT_NEAR(r.indices[0].first_order, truth.s[0], 5 * r.indices[0].first_order_se + 1e-3);
}

}  // namespace
}  // namespace orgsim::experiment
