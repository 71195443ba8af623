// Statistics checked against independently known values: R's stats package
// outputs on textbook datasets and hand computations shown in the comments.
#include "engine/experiment/statistics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/kernel/check.h"

namespace orgsim::experiment {
namespace {

// Student's sleep data (Cushny & Peebles 1905; R's `sleep` dataset): extra
// hours of sleep of 10 patients under drug 1 and drug 2.
const std::vector<double> kSleepDrug1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
const std::vector<double> kSleepDrug2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

// Hollander & Wolfe (1973, p. 29), the example of R's ?wilcox.test:
// Hamilton depression scale before (x) and after (y) a tranquilizer.
const std::vector<double> kDepressionX = {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
const std::vector<double> kDepressionY = {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};

TEST(StudentTQuantile, MatchesPublishedTables) {
  // R: qt(0.975, c(1, 9, 30)) = 12.706205, 2.262157, 2.042272.
  EXPECT_NEAR(StudentTQuantile(0.975, 1), 12.706205, 1e-6);
  EXPECT_NEAR(StudentTQuantile(0.975, 9), 2.262157, 1e-6);
  EXPECT_NEAR(StudentTQuantile(0.975, 30), 2.042272, 1e-6);
  // Symmetry.
  EXPECT_NEAR(StudentTQuantile(0.025, 9), -2.262157, 1e-6);
}

TEST(StudentTTwoSidedPValue, InvertsTheQuantile) {
  EXPECT_NEAR(StudentTTwoSidedPValue(2.262157, 9), 0.05, 1e-6);
  EXPECT_NEAR(StudentTTwoSidedPValue(-2.262157, 9), 0.05, 1e-6);
  EXPECT_DOUBLE_EQ(StudentTTwoSidedPValue(0.0, 5), 1.0);
}

TEST(QuantileSorted, IsHyndmanFanType7) {
  // R: quantile(c(1, 2, 3, 4, 10)) -> 1 2 3 4 10 at 0, .25, .5, .75, 1.
  const std::vector<double> x = {1, 2, 3, 4, 10};
  EXPECT_DOUBLE_EQ(QuantileSorted(x, 0.0), 1);
  EXPECT_DOUBLE_EQ(QuantileSorted(x, 0.25), 2);
  EXPECT_DOUBLE_EQ(QuantileSorted(x, 0.5), 3);
  EXPECT_DOUBLE_EQ(QuantileSorted(x, 0.75), 4);
  EXPECT_DOUBLE_EQ(QuantileSorted(x, 1.0), 10);
  // R: quantile(1:10, c(0.1, 0.25, 0.5)) -> 1.9, 3.25, 5.5 (h = 9p).
  const std::vector<double> y = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_DOUBLE_EQ(QuantileSorted(y, 0.1), 1.9);
  EXPECT_DOUBLE_EQ(QuantileSorted(y, 0.25), 3.25);
  EXPECT_DOUBLE_EQ(QuantileSorted(y, 0.5), 5.5);
}

TEST(Summarize, SleepDrug2MatchesR) {
  // R: mean(sleep$extra[11:20]) = 2.33, sd = 2.002249;
  // t.test(sleep$extra[11:20])$conf.int = 0.8976775 3.7623225;
  // quantile(..) 25% = 0.875, 50% = 1.75, 75% = 4.15 (type 7 over the sorted
  // -0.1 0.1 0.8 1.1 1.6 1.9 3.4 4.4 4.6 5.5: h = 2.25 -> 0.8 + 0.25 * 0.3).
  const Summary s = Summarize(kSleepDrug2);
  EXPECT_EQ(s.n, 10u);
  EXPECT_NEAR(s.mean, 2.33, 1e-12);
  EXPECT_NEAR(s.sd, 2.002249, 1e-6);
  EXPECT_NEAR(s.se, 2.002249 / std::sqrt(10.0), 1e-6);
  EXPECT_NEAR(s.ci_low, 0.8976775, 1e-6);
  EXPECT_NEAR(s.ci_high, 3.7623225, 1e-6);
  EXPECT_NEAR(s.q25, 0.875, 1e-12);
  EXPECT_NEAR(s.median, 1.75, 1e-12);
  EXPECT_NEAR(s.q75, 4.15, 1e-12);
  EXPECT_DOUBLE_EQ(s.min, -0.1);
  EXPECT_DOUBLE_EQ(s.max, 5.5);
}

TEST(Summarize, DegenerateSamplesGiveNaNNotNumbers) {
  const Summary empty = Summarize({});
  EXPECT_EQ(empty.n, 0u);
  EXPECT_TRUE(std::isnan(empty.mean));
  const std::vector<double> one = {4.0};
  const Summary single = Summarize(one);
  EXPECT_DOUBLE_EQ(single.mean, 4.0);
  EXPECT_DOUBLE_EQ(single.median, 4.0);
  EXPECT_TRUE(std::isnan(single.sd));
  EXPECT_TRUE(std::isnan(single.ci_low));
}

TEST(Summarize, DoesNotDependOnInputOrder) {
  std::vector<double> x = {3.1, -2.0, 7.25, 0.1, 0.2, 1e6, -1e-6, 0.3};
  const Summary a = Summarize(x);
  std::reverse(x.begin(), x.end());
  const Summary b = Summarize(x);
  EXPECT_EQ(a.mean, b.mean);  // bitwise: canonical order
  EXPECT_EQ(a.sd, b.sd);
}

TEST(SortedSummaryBuilder, RejectsUnsortedInput) {
  SortedSummaryBuilder b(2);
  b.Add(2.0);
  EXPECT_THROW(b.Add(1.0), kernel::InvariantError);
}

TEST(ComparePaired, SleepPairedTTestMatchesR) {
  // R: t.test(extra ~ group, data = sleep, paired = TRUE)
  //   t = -4.0621, df = 9, p-value = 0.002833
  //   95 percent CI: -2.4598858 -0.7001142; mean difference -1.58
  const PairedComparison c = ComparePaired(kSleepDrug1, kSleepDrug2);
  EXPECT_EQ(c.n, 10u);
  EXPECT_NEAR(c.mean_diff, -1.58, 1e-12);
  EXPECT_NEAR(c.t_statistic, -4.0621, 1e-4);
  EXPECT_NEAR(c.t_pvalue, 0.002833, 1e-6);
  EXPECT_NEAR(c.ci_low, -2.4598858, 1e-6);
  EXPECT_NEAR(c.ci_high, -0.7001142, 1e-6);
  // sd(d) = 1.229995 (R: sd(sleep$extra[1:10] - sleep$extra[11:20])), so
  // d_z = -1.58 / 1.229995 = -1.284558.
  EXPECT_NEAR(c.sd_diff, 1.229995, 1e-6);
  EXPECT_NEAR(c.cohens_dz, -1.284558, 1e-6);
  // Differences: -1.2 -2.4 -1.3 -1.3 0 -1.0 -1.8 -0.8 -4.6 -1.4: none
  // positive, one zero -> P(A > B) = 0.5 / 10.
  EXPECT_DOUBLE_EQ(c.prob_superiority, 0.05);
}

TEST(ComparePaired, SleepWilcoxonUsesNormalApproximationWithTiesAndZeros) {
  // R: wilcox.test(sleep$extra[1:10], sleep$extra[11:20], paired = TRUE)
  //   V = 0, p-value = 0.009091 (warnings: ties, zeroes -> normal approx).
  // By hand: 9 non-zero |d|, one tie pair (1.3) -> sigma^2 = 9*10*19/24 -
  // (8-2)/48 = 71.125; z = (0 - 22.5 + 0.5)/sqrt(71.125) = -2.6086.
  const PairedComparison c = ComparePaired(kSleepDrug1, kSleepDrug2);
  EXPECT_EQ(c.wilcoxon_method, WilcoxonMethod::kNormalApproximation);
  EXPECT_EQ(c.wilcoxon_n, 9u);
  EXPECT_DOUBLE_EQ(c.wilcoxon_v, 0.0);
  EXPECT_NEAR(c.wilcoxon_pvalue, 0.009091, 1e-6);
}

TEST(ComparePaired, DepressionWilcoxonIsExact) {
  // R: wilcox.test(x, y, paired = TRUE, alternative = "greater")
  //   V = 40, p-value = 0.01953 (= 10/512: subsets of 1..9 summing <= 5);
  // two-sided: 20/512 = 0.0390625.
  const PairedComparison c = ComparePaired(kDepressionX, kDepressionY);
  EXPECT_EQ(c.wilcoxon_method, WilcoxonMethod::kExact);
  EXPECT_DOUBLE_EQ(c.wilcoxon_v, 40.0);
  EXPECT_DOUBLE_EQ(c.wilcoxon_pvalue, 20.0 / 512.0);
  // 7 of 9 differences positive.
  EXPECT_DOUBLE_EQ(c.prob_superiority, 7.0 / 9.0);
}

TEST(WilcoxonExactPValue, SmallCasesByEnumeration) {
  // n = 3: the 8 subset sums are 0 1 2 3 3 4 5 6. P(V <= 0) = 1/8 -> p = 1/4.
  EXPECT_DOUBLE_EQ(WilcoxonExactPValue(0, 3), 0.25);
  EXPECT_DOUBLE_EQ(WilcoxonExactPValue(6, 3), 0.25);
  // V = 3 = n(n+1)/4 exactly: P(V <= 3) = 5/8 -> min(1, 5/4) = 1.
  EXPECT_DOUBLE_EQ(WilcoxonExactPValue(3, 3), 1.0);
}

TEST(ComparePaired, LargeSampleWilcoxonUsesNormalApproximation) {
  // d_i = i - 20.5 (i = 1..60): no zeros, n >= 50 -> normal approximation.
  // |d| = 0.5 .. 19.5 each occur twice (20 tie pairs); checked against the
  // formula written out here.
  std::vector<double> a, b;
  for (int i = 1; i <= 60; ++i) {
    a.push_back(i - 20.5);
    b.push_back(0.0);
  }
  const PairedComparison c = ComparePaired(a, b);
  EXPECT_EQ(c.wilcoxon_method, WilcoxonMethod::kNormalApproximation);
  // |d| = 0.5 .. 19.5 occur twice (ranks 2k-1, 2k -> average 2k - 0.5), one
  // positive and one negative each; |d| = 20.5 .. 39.5 once, positive, ranks
  // 41..60. V = sum_{k=1}^{20} (2k - 0.5) + sum_{r=41}^{60} r = 410 + 1010.
  EXPECT_DOUBLE_EQ(c.wilcoxon_v, 1420.0);
  const double n = 60;
  const double z0 = 1420.0 - n * (n + 1) / 4;
  const double sigma = std::sqrt(n * (n + 1) * (2 * n + 1) / 24 - 20 * (8 - 2) / 48.0);
  const double z = (z0 - 0.5) / sigma;
  const double expected = std::erfc(z / std::sqrt(2.0));  // 2 * (1 - Phi(z))
  EXPECT_NEAR(c.wilcoxon_pvalue, expected, 1e-12);
}

TEST(ComparePaired, VarianceReductionOfCommonRandomNumbers) {
  // b = a + small noise: var(a - b) is tiny compared with var(a) + var(b).
  const std::vector<double> a = {10, 20, 30, 40, 50};
  const std::vector<double> b = {11, 19, 31, 41, 49};
  const PairedComparison c = ComparePaired(a, b);
  // var(a) = 250, var(b) = 964.8 / 4 = 241.2 (by hand: mean 30.2),
  // d = -1 1 -1 -1 1 -> var(d) = (5 - 5*0.04)/4 = 1.2.
  EXPECT_NEAR(c.var_a, 250.0, 1e-9);
  EXPECT_NEAR(c.var_b, 241.2, 1e-9);
  EXPECT_NEAR(c.var_diff, 1.2, 1e-9);
  EXPECT_NEAR(c.var_independent, 491.2, 1e-9);
  EXPECT_NEAR(c.variance_reduction, 1.0 - 1.2 / 491.2, 1e-12);
}

TEST(ComparePaired, ConstantDifferenceHasUndefinedTTest) {
  const std::vector<double> a = {1, 2, 3};
  const std::vector<double> b = {0, 1, 2};
  const PairedComparison c = ComparePaired(a, b);
  EXPECT_DOUBLE_EQ(c.mean_diff, 1.0);
  EXPECT_TRUE(std::isnan(c.t_pvalue));
  EXPECT_TRUE(std::isnan(c.cohens_dz));
  EXPECT_DOUBLE_EQ(c.prob_superiority, 1.0);
}

TEST(ComparePaired, IsBitwiseIndependentOfPairOrder) {
  std::vector<double> a = {1.5, 2.25, -3.0, 4.125, 0.1, 0.3};
  std::vector<double> b = {1.0, 2.5, -2.0, 4.0, 0.2, 0.1};
  const PairedComparison x = ComparePaired(a, b);
  std::reverse(a.begin(), a.end());
  std::reverse(b.begin(), b.end());
  const PairedComparison y = ComparePaired(a, b);
  EXPECT_EQ(x.mean_diff, y.mean_diff);
  EXPECT_EQ(x.var_a, y.var_a);
  EXPECT_EQ(x.wilcoxon_pvalue, y.wilcoxon_pvalue);
}

}  // namespace
}  // namespace orgsim::experiment
