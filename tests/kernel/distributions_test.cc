// Tests for engine/kernel/distributions.h.
//
// Statistical checks use fixed keys and tolerances derived from the sample
// size, so they are deterministic (never flaky) yet meaningful:
//   * moments: the sample mean within 5 standard errors sqrt(var / n), the
//     sample variance within 5 standard errors sqrt((mu4 - var^2) / n);
//   * continuous laws: Kolmogorov–Smirnov against the exact CDF, rejecting at
//     alpha = 1e-6;
//   * discrete laws: Pearson chi-square on bins with expected count >= 5,
//     rejecting when the p-value is below 1e-6.
// The PowerCheck tests show that these harnesses do reject slightly wrong
// laws at this sample size.
#include "engine/kernel/distributions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numbers>
#include <vector>

#include "engine/kernel/check.h"
#include "engine/kernel/rng.h"

namespace orgsim::kernel {
namespace {

constexpr int kSamples = 100000;
constexpr double kStandardErrors = 5.0;
constexpr double kAlpha = 1e-6;

StreamKey Key(std::string_view name) {
  return {.seed = 20240601, .design_point = 0, .replication = 0, .stream = StreamIdFromName(name)};
}

// ---------------------------------------------------------------------------
// Special functions for exact CDFs (test-only; std::lgamma is fine here).

// Regularized lower incomplete gamma P(a, x) and upper Q(a, x) = 1 - P:
// power series for x < a + 1, Lentz continued fraction otherwise.
double GammaSeriesP(double a, double x) {
  double term = 1.0 / a;
  double sum = term;
  for (int n = 1; n < 10000; ++n) {
    term *= x / (a + n);
    sum += term;
    if (std::fabs(term) < std::fabs(sum) * 1e-16) break;
  }
  return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

double GammaContinuedFractionQ(double a, double x) {
  constexpr double kTiny = 1e-300;
  double b = x + 1.0 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i < 10000; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < 1e-15) break;
  }
  return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

double RegularizedGammaP(double a, double x) {
  if (x <= 0.0) return 0.0;
  return x < a + 1.0 ? GammaSeriesP(a, x) : 1.0 - GammaContinuedFractionQ(a, x);
}

double RegularizedGammaQ(double a, double x) {
  if (x <= 0.0) return 1.0;
  return x < a + 1.0 ? 1.0 - GammaSeriesP(a, x) : GammaContinuedFractionQ(a, x);
}

// Continued fraction for the regularized incomplete beta (modified Lentz).
double BetaContinuedFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  const double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m < 10000; ++m) {
    const int m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < 1e-15) break;
  }
  return h;
}

double RegularizedBeta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  if (x < (a + 1.0) / (a + b + 2.0)) {
    return std::exp(log_front) * BetaContinuedFraction(a, b, x) / a;
  }
  return 1.0 - std::exp(log_front) * BetaContinuedFraction(b, a, 1.0 - x) / b;
}

double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

TEST(SpecialFunctionsTest, MatchClosedForms) {
  // Gamma(1) is Exp(1); chi-square with 2 dof likewise; Beta(1, 1) uniform;
  // Beta(2, 1) has CDF x^2; P(1/2, x^2/2) = erf(x / sqrt 2).
  for (double x : {0.01, 0.5, 1.0, 2.0, 7.0, 30.0}) {
    EXPECT_NEAR(RegularizedGammaP(1.0, x), -std::expm1(-x), 1e-14);
    EXPECT_NEAR(RegularizedGammaQ(1.0, x), std::exp(-x), 1e-14 * std::exp(-x) + 1e-300);
    EXPECT_NEAR(RegularizedGammaP(0.5, x * x / 2), std::erf(x / std::numbers::sqrt2), 1e-13);
  }
  for (double x : {0.001, 0.2, 0.5, 0.9, 0.999}) {
    EXPECT_NEAR(RegularizedBeta(1.0, 1.0, x), x, 1e-14);
    EXPECT_NEAR(RegularizedBeta(2.0, 1.0, x), x * x, 1e-14);
    EXPECT_NEAR(RegularizedBeta(0.5, 0.5, x), 2.0 / std::numbers::pi * std::asin(std::sqrt(x)),
                1e-12);
  }
}

// ---------------------------------------------------------------------------
// Statistical harnesses.

struct Moments {
  double mean;
  double variance;
  double fourth_central;  // mu4, for the standard error of the variance
};

void ExpectMoments(const std::vector<double>& xs, const Moments& law) {
  const double n = static_cast<double>(xs.size());
  double sum = 0.0;
  for (double x : xs) sum += x;
  const double mean = sum / n;
  double ss = 0.0;
  for (double x : xs) ss += (x - mean) * (x - mean);
  const double variance = ss / (n - 1.0);
  EXPECT_NEAR(mean, law.mean, kStandardErrors * std::sqrt(law.variance / n)) << "sample mean";
  // Exact variance of the unbiased sample variance (positive even for
  // two-point laws, where mu4 = var^2).
  const double var_se =
      std::sqrt((law.fourth_central - law.variance * law.variance * (n - 3) / (n - 1)) / n);
  EXPECT_NEAR(variance, law.variance, kStandardErrors * var_se) << "sample variance";
}

// Kolmogorov–Smirnov statistic sqrt(n) * D_n of the samples against cdf.
double KolmogorovSmirnov(std::vector<double> xs, const std::function<double(double)>& cdf) {
  std::sort(xs.begin(), xs.end());
  const double n = static_cast<double>(xs.size());
  double d = 0.0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double f = cdf(xs[i]);
    d = std::max({d, (i + 1) / n - f, f - i / n});
  }
  return d * std::sqrt(n);
}

// sqrt(n) * D_n exceeds this with probability ~alpha (Kolmogorov's limit law,
// P(K > t) <= 2 exp(-2 t^2)).
double KsCritical() { return std::sqrt(-0.5 * std::log(kAlpha / 2.0)); }

void ExpectKsFits(const std::vector<double>& xs, const std::function<double(double)>& cdf) {
  EXPECT_LT(KolmogorovSmirnov(xs, cdf), KsCritical());
}

// Pearson chi-square p-value of integer samples against pmf(k), k >= 0.
// Bins are consecutive k values merged until each expects >= 5 samples; the
// last bin takes the whole upper tail.
double ChiSquarePValue(const std::vector<std::uint64_t>& ks,
                       const std::function<double(std::uint64_t)>& pmf) {
  const double n = static_cast<double>(ks.size());
  const std::uint64_t max_k = *std::max_element(ks.begin(), ks.end());
  std::vector<double> observed_by_k(max_k + 1, 0.0);
  for (std::uint64_t k : ks) observed_by_k[k] += 1.0;
  std::vector<double> observed, expected;
  double bin_obs = 0.0, bin_exp = 0.0, cumulative = 0.0;
  for (std::uint64_t k = 0;; ++k) {
    const double p = pmf(k);
    bin_exp += n * p;
    cumulative += p;
    if (k <= max_k) bin_obs += observed_by_k[k];
    if (bin_exp >= 5.0) {
      observed.push_back(bin_obs);
      expected.push_back(bin_exp);
      bin_obs = bin_exp = 0.0;
    }
    // Stop when the remaining tail expects < 5 and holds no more samples.
    if (n * (1.0 - cumulative) < 5.0 && k >= max_k) break;
    if (k > 4 * max_k + 1000) break;  // guards against a pmf summing below 1
  }
  // Fold the leftover partial bin and the unbinned tail into the last bin.
  observed.back() += bin_obs;
  expected.back() += bin_exp + n * std::max(0.0, 1.0 - cumulative);
  double stat = 0.0;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    const double diff = observed[i] - expected[i];
    stat += diff * diff / expected[i];
  }
  const double dof = static_cast<double>(observed.size()) - 1.0;
  EXPECT_GE(dof, 1.0);
  return RegularizedGammaQ(dof / 2.0, stat / 2.0);
}

template <typename Draw>
std::vector<double> Sample(RandomStream& rng, Draw draw) {
  std::vector<double> xs(kSamples);
  for (double& x : xs) x = draw(rng);
  return xs;
}

template <typename Draw>
std::vector<std::uint64_t> SampleCounts(RandomStream& rng, Draw draw) {
  std::vector<std::uint64_t> ks(kSamples);
  for (auto& k : ks) k = draw(rng);
  return ks;
}

std::vector<double> ToDouble(const std::vector<std::uint64_t>& ks) {
  return {ks.begin(), ks.end()};
}

double PoissonPmf(double mean, std::uint64_t k) {
  if (mean == 0.0) return k == 0 ? 1.0 : 0.0;
  const double kd = static_cast<double>(k);
  return std::exp(kd * std::log(mean) - mean - std::lgamma(kd + 1.0));
}

// ---------------------------------------------------------------------------
// The harnesses have power: they reject slightly wrong laws at n = 1e5.

TEST(PowerCheckTest, KolmogorovSmirnovRejectsAFivePercentScaleError) {
  RandomStream rng(Key("power/ks"));
  const auto xs = Sample(rng, [](RandomStream& r) { return Exponential(r, 1.0); });
  EXPECT_GT(KolmogorovSmirnov(xs, [](double x) { return -std::expm1(-x / 1.05); }), KsCritical());
}

TEST(PowerCheckTest, ChiSquareRejectsAThreePercentMeanError) {
  RandomStream rng(Key("power/chi2"));
  const auto ks = SampleCounts(rng, [](RandomStream& r) { return Poisson(r, 3.5); });
  EXPECT_LT(ChiSquarePValue(ks, [](std::uint64_t k) { return PoissonPmf(3.6, k); }), kAlpha);
}

// ---------------------------------------------------------------------------
// Uniform

TEST(UniformTest, MomentsAndFit) {
  RandomStream rng(Key("uniform"));
  const double a = -2.0, b = 5.0, w = b - a;
  const auto xs = Sample(rng, [&](RandomStream& r) { return Uniform(r, a, b); });
  for (double x : xs) {
    ASSERT_GE(x, a);
    ASSERT_LT(x, b);
  }
  ExpectMoments(xs, {(a + b) / 2, w * w / 12, w * w * w * w / 80});
  ExpectKsFits(xs, [&](double x) { return (x - a) / w; });
}

TEST(UniformTest, IsAffineInNextUniformAndDrawsOneWord) {
  RandomStream rng(Key("uniform/affine"));
  RandomStream twin = rng;
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(Uniform(rng, 3.0, 11.0), 3.0 + 8.0 * twin.NextUniform());
  }
  EXPECT_EQ(rng.draws(), 1000u);
}

TEST(UniformTest, DegenerateIntervalReturnsLow) {
  RandomStream rng(Key("uniform/degenerate"));
  for (int i = 0; i < 100; ++i) EXPECT_EQ(Uniform(rng, 2.5, 2.5), 2.5);
  EXPECT_EQ(rng.draws(), 100u);
}

// Golden values: Uniform, UniformInt, Bernoulli and Categorical use no libm,
// so they are pinned bit-exactly (computed by an independent Python
// implementation of Philox4x64-10 and of the documented formulas; key as in
// rng_test.cc).
StreamKey GoldenKey() {
  return {
      .seed = 42, .design_point = 3, .replication = 7, .stream = StreamIdFromName("orgsim/golden")};
}

TEST(GoldenTest, LibmFreeDistributions) {
  {
    RandomStream rng(GoldenKey());
    std::vector<std::uint64_t> got;
    for (int i = 0; i < 6; ++i) got.push_back(UniformInt(rng, 1000));
    EXPECT_EQ(got, (std::vector<std::uint64_t>{40, 324, 662, 152, 608, 260}));
  }
  {
    RandomStream rng(GoldenKey());
    const std::vector<double> weights = {1.0, 2.0, 3.0, 4.0};
    std::vector<std::size_t> got;
    for (int i = 0; i < 8; ++i) got.push_back(Categorical(rng, weights));
    EXPECT_EQ(got, (std::vector<std::size_t>{0, 2, 3, 1, 3, 1, 3, 1}));
  }
  {
    RandomStream rng(GoldenKey());
    std::vector<int> got;
    for (int i = 0; i < 12; ++i) got.push_back(Bernoulli(rng, 0.3) ? 1 : 0);
    EXPECT_EQ(got, (std::vector<int>{1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0}));
  }
}

// ---------------------------------------------------------------------------
// UniformInt

void ExpectUniformIntFits(std::uint64_t n, std::string_view stream) {
  RandomStream rng(Key(stream));
  const auto ks = SampleCounts(rng, [&](RandomStream& r) { return UniformInt(r, n); });
  for (auto k : ks) ASSERT_LT(k, n);
  const double nd = static_cast<double>(n);
  ExpectMoments(ToDouble(ks),
                {(nd - 1) / 2, (nd * nd - 1) / 12, (nd * nd - 1) * (3 * nd * nd - 7) / 240});
  EXPECT_GT(ChiSquarePValue(ks, [&](std::uint64_t k) { return k < n ? 1.0 / nd : 0.0; }), kAlpha);
}

TEST(UniformIntTest, FitsForSmallAndNonPowerOfTwoN) {
  ExpectUniformIntFits(2, "uniform_int/2");
  ExpectUniformIntFits(7, "uniform_int/7");
  ExpectUniformIntFits(10, "uniform_int/10");
  ExpectUniformIntFits(1000, "uniform_int/1000");
}

TEST(UniformIntTest, OneAlwaysGivesZero) {
  RandomStream rng(Key("uniform_int/1"));
  for (int i = 0; i < 100; ++i) EXPECT_EQ(UniformInt(rng, 1), 0u);
  EXPECT_EQ(rng.draws(), 100u);
}

TEST(UniformIntTest, HugeNIsUnbiasedThanksToRejection) {
  // n = 3 * 2^62: without rejection the top third [2^63, 3 * 2^62) would be
  // drawn with probability 1/4 instead of 1/3. Lemire rejects a quarter of
  // the words here, so draws() exceeds the sample count.
  constexpr std::uint64_t n = 3ULL << 62;
  RandomStream rng(Key("uniform_int/huge"));
  const auto ks = SampleCounts(rng, [&](RandomStream& r) { return UniformInt(r, n) >> 62; });
  EXPECT_GT(ChiSquarePValue(ks, [](std::uint64_t k) { return k < 3 ? 1.0 / 3 : 0.0; }), kAlpha);
  const double extra = static_cast<double>(rng.draws() - kSamples) / kSamples;
  // Expected extra words per sample: (1/4) / (3/4) = 1/3.
  // Rejections per sample are geometric: mean 1/3, variance 4/9.
  EXPECT_NEAR(extra, 1.0 / 3.0, kStandardErrors * std::sqrt(4.0 / 9.0 / kSamples));
}

// ---------------------------------------------------------------------------
// Exponential

TEST(ExponentialTest, MomentsAndFit) {
  for (double mean : {0.25, 1.0, 40.0}) {
    RandomStream rng(Key("exponential"));
    const auto xs = Sample(rng, [&](RandomStream& r) { return Exponential(r, mean); });
    for (double x : xs) ASSERT_GT(x, 0.0);
    const double m2 = mean * mean;
    ExpectMoments(xs, {mean, m2, 9 * m2 * m2});
    ExpectKsFits(xs, [&](double x) { return -std::expm1(-x / mean); });
  }
}

TEST(ExponentialTest, IsMinusMeanLogOpenUniformAndDrawsOneWord) {
  RandomStream rng(Key("exponential/formula"));
  RandomStream twin = rng;
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(Exponential(rng, 2.5), -2.5 * std::log(twin.NextOpenUniform()));
  }
  EXPECT_EQ(rng.draws(), 1000u);
}

// ---------------------------------------------------------------------------
// Normal, LogNormal

TEST(NormalTest, MomentsAndFit) {
  RandomStream rng(Key("normal"));
  const double mu = -3.0, sigma = 2.0;
  const auto xs = Sample(rng, [&](RandomStream& r) { return Normal(r, mu, sigma); });
  const double s2 = sigma * sigma;
  ExpectMoments(xs, {mu, s2, 3 * s2 * s2});
  ExpectKsFits(xs, [&](double x) { return NormalCdf((x - mu) / sigma); });
}

TEST(NormalTest, IsBoxMullerFirstVariateAndDrawsTwoWords) {
  RandomStream rng(Key("normal/formula"));
  RandomStream twin = rng;
  for (int i = 0; i < 1000; ++i) {
    const double u1 = twin.NextOpenUniform();
    const double u2 = twin.NextUniform();
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    EXPECT_EQ(Normal(rng, 1.0, 0.5), 1.0 + 0.5 * z);
  }
  EXPECT_EQ(rng.draws(), 2000u);
}

TEST(NormalTest, ZeroStddevReturnsTheMean) {
  RandomStream rng(Key("normal/zero"));
  EXPECT_EQ(Normal(rng, 4.0, 0.0), 4.0);
  EXPECT_EQ(rng.draws(), 2u);
}

Moments LogNormalMoments(double mu, double sigma) {
  const double w = std::exp(sigma * sigma);
  const double mean = std::exp(mu + sigma * sigma / 2);
  const double variance = (w - 1) * mean * mean;
  const double excess_kurtosis = w * w * w * w + 2 * w * w * w + 3 * w * w - 6;
  return {mean, variance, (excess_kurtosis + 3) * variance * variance};
}

TEST(LogNormalTest, MomentsAndFit) {
  RandomStream rng(Key("lognormal"));
  const double mu = 1.0, sigma = 0.5;
  const auto xs = Sample(rng, [&](RandomStream& r) { return LogNormal(r, mu, sigma); });
  for (double x : xs) ASSERT_GT(x, 0.0);
  ExpectMoments(xs, LogNormalMoments(mu, sigma));
  ExpectKsFits(xs, [&](double x) { return NormalCdf((std::log(x) - mu) / sigma); });
  RandomStream a(Key("lognormal/twin")), b(Key("lognormal/twin"));
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(LogNormal(a, mu, sigma), std::exp(Normal(b, mu, sigma)));
  }
  EXPECT_EQ(a.draws(), 200u);
}

TEST(LogNormalTest, FromMomentsHitsTheRequestedMoments) {
  RandomStream rng(Key("lognormal/moments"));
  const double mean = 8.0, stddev = 3.0;
  const auto xs =
      Sample(rng, [&](RandomStream& r) { return LogNormalFromMoments(r, mean, stddev); });
  const double sigma2 = std::log1p(stddev * stddev / (mean * mean));
  const double mu = std::log(mean) - sigma2 / 2;
  const Moments law = LogNormalMoments(mu, std::sqrt(sigma2));
  EXPECT_NEAR(law.mean, mean, 1e-12);
  EXPECT_NEAR(law.variance, stddev * stddev, 1e-10);
  ExpectMoments(xs, law);
  ExpectKsFits(xs, [&](double x) { return NormalCdf((std::log(x) - mu) / std::sqrt(sigma2)); });
  EXPECT_EQ(rng.draws(), 2u * kSamples);
}

// ---------------------------------------------------------------------------
// Bernoulli

TEST(BernoulliTest, FrequencyFits) {
  for (double p : {0.02, 0.3, 0.5, 0.97}) {
    RandomStream rng(Key("bernoulli"));
    const auto ks = SampleCounts(
        rng, [&](RandomStream& r) { return static_cast<std::uint64_t>(Bernoulli(r, p)); });
    ExpectMoments(ToDouble(ks), {p, p * (1 - p), p * (1 - p) * (1 - 3 * p + 3 * p * p)});
    EXPECT_GT(
        ChiSquarePValue(ks, [&](std::uint64_t k) { return k == 0 ? 1 - p : (k == 1 ? p : 0.0); }),
        kAlpha);
    EXPECT_EQ(rng.draws(), static_cast<std::uint64_t>(kSamples));
  }
}

TEST(BernoulliTest, ZeroAndOneAreCertainAndStillDrawOneWord) {
  RandomStream rng(Key("bernoulli/edges"));
  for (int i = 0; i < 10000; ++i) {
    ASSERT_FALSE(Bernoulli(rng, 0.0));
    ASSERT_TRUE(Bernoulli(rng, 1.0));
  }
  EXPECT_EQ(rng.draws(), 20000u);
}

// ---------------------------------------------------------------------------
// Poisson

void ExpectPoissonFits(double mean, std::string_view stream) {
  SCOPED_TRACE(mean);
  RandomStream rng(Key(stream));
  const auto ks = SampleCounts(rng, [&](RandomStream& r) { return Poisson(r, mean); });
  ExpectMoments(ToDouble(ks), {mean, mean, mean * (1 + 3 * mean)});
  EXPECT_GT(ChiSquarePValue(ks, [&](std::uint64_t k) { return PoissonPmf(mean, k); }), kAlpha);
  if (mean < 10) {
    EXPECT_EQ(rng.draws(), static_cast<std::uint64_t>(kSamples));
  }
}

TEST(PoissonTest, InversionRegimeFits) {
  ExpectPoissonFits(0.05, "poisson/0.05");
  ExpectPoissonFits(1.0, "poisson/1");
  ExpectPoissonFits(3.5, "poisson/3.5");
  ExpectPoissonFits(9.99, "poisson/9.99");
}

TEST(PoissonTest, PtrsRegimeFits) {
  ExpectPoissonFits(10.0, "poisson/10");
  ExpectPoissonFits(47.3, "poisson/47.3");
  ExpectPoissonFits(1000.0, "poisson/1000");
  ExpectPoissonFits(1e6, "poisson/1e6");
}

TEST(PoissonTest, PtrsDrawsTwoWordsPerAttemptWithHormannsRejectionConstant) {
  // Attempts per variate are geometric with mean alpha = 1.1239 +
  // 1.1328 / (b - 3.4), b = 0.931 + 2.53 sqrt(mean) (Hörmann's hat-to-pmf
  // ratio); two words each.
  constexpr int kVariates = 20000;
  for (double mean : {10.0, 30.0, 1000.0}) {
    SCOPED_TRACE(mean);
    RandomStream rng(Key("poisson/acceptance"));
    for (int i = 0; i < kVariates; ++i) Poisson(rng, mean);
    const double b = 0.931 + 2.53 * std::sqrt(mean);
    const double alpha = 1.1239 + 1.1328 / (b - 3.4);
    const double words_per_variate = double(rng.draws()) / kVariates;
    EXPECT_NEAR(words_per_variate, 2 * alpha,
                kStandardErrors * 2 * std::sqrt(alpha * (alpha - 1) / kVariates));
  }
}

TEST(PoissonTest, ZeroMeanIsZero) {
  RandomStream rng(Key("poisson/zero"));
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(Poisson(rng, 0.0), 0u);
  EXPECT_EQ(rng.draws(), 1000u);
}

// ---------------------------------------------------------------------------
// Gamma

void ExpectGammaFits(double shape, double scale, std::string_view stream) {
  SCOPED_TRACE(shape);
  RandomStream rng(Key(stream));
  const auto xs = Sample(rng, [&](RandomStream& r) { return Gamma(r, shape, scale); });
  for (double x : xs) ASSERT_GE(x, 0.0);
  const double variance = shape * scale * scale;
  ExpectMoments(xs, {shape * scale, variance, (3 + 6 / shape) * variance * variance});
  ExpectKsFits(xs, [&](double x) { return RegularizedGammaP(shape, x / scale); });
}

TEST(GammaTest, ShapeAtLeastOneFits) {
  ExpectGammaFits(1.0, 2.0, "gamma/1");
  ExpectGammaFits(2.5, 0.4, "gamma/2.5");
  ExpectGammaFits(40.0, 1.0, "gamma/40");
}

TEST(GammaTest, ShapeBelowOneFits) {
  ExpectGammaFits(0.7, 1.0, "gamma/0.7");
  ExpectGammaFits(0.2, 3.0, "gamma/0.2");
}

TEST(GammaTest, TinyShapeStaysFiniteAndNonNegative) {
  RandomStream rng(Key("gamma/tiny"));
  for (int i = 0; i < 10000; ++i) {
    const double x = Gamma(rng, 0.01, 1.0);
    ASSERT_TRUE(std::isfinite(x));
    ASSERT_GE(x, 0.0);
  }
}

// ---------------------------------------------------------------------------
// Beta

Moments BetaMoments(double a, double b) {
  const double s = a + b;
  const double mean = a / s;
  const double variance = a * b / (s * s * (s + 1));
  const double excess =
      6 * ((a - b) * (a - b) * (s + 1) - a * b * (s + 2)) / (a * b * (s + 2) * (s + 3));
  return {mean, variance, (excess + 3) * variance * variance};
}

void ExpectBetaFits(double a, double b, std::string_view stream) {
  SCOPED_TRACE(testing::Message() << "Beta(" << a << ", " << b << ")");
  RandomStream rng(Key(stream));
  const auto xs = Sample(rng, [&](RandomStream& r) { return Beta(r, a, b); });
  for (double x : xs) {
    ASSERT_GE(x, 0.0);
    ASSERT_LE(x, 1.0);
  }
  ExpectMoments(xs, BetaMoments(a, b));
  ExpectKsFits(xs, [&](double x) { return RegularizedBeta(a, b, x); });
}

TEST(BetaTest, Fits) {
  ExpectBetaFits(2.0, 5.0, "beta/2/5");
  ExpectBetaFits(0.5, 0.5, "beta/0.5/0.5");
  ExpectBetaFits(0.3, 4.0, "beta/0.3/4");
  ExpectBetaFits(30.0, 20.0, "beta/30/20");
}

TEST(BetaTest, TinyShapesGiveNoNaN) {
  // Both gammas underflow to 0 for shapes this small; the log-space ratio
  // still yields a value in [0, 1], near 0 or 1 with mean a / (a + b).
  RandomStream rng(Key("beta/tiny"));
  const double a = 0.005, b = 0.005;
  std::vector<double> xs;
  for (int i = 0; i < 20000; ++i) {
    const double x = Beta(rng, a, b);
    ASSERT_FALSE(std::isnan(x));
    ASSERT_GE(x, 0.0);
    ASSERT_LE(x, 1.0);
    xs.push_back(x);
  }
  double mean = 0;
  for (double x : xs) mean += x;
  mean /= xs.size();
  const Moments law = BetaMoments(a, b);
  EXPECT_NEAR(mean, law.mean, kStandardErrors * std::sqrt(law.variance / xs.size()));
}

// ---------------------------------------------------------------------------
// Categorical

TEST(CategoricalTest, FrequenciesFitAndZeroWeightsAreNeverChosen) {
  const std::vector<double> weights = {0.0, 1.0, 0.0, 2.5, 3.0, 0.0, 0.5, 0.0};
  double total = 0;
  for (double w : weights) total += w;
  RandomStream rng(Key("categorical"));
  const auto ks = SampleCounts(
      rng, [&](RandomStream& r) { return static_cast<std::uint64_t>(Categorical(r, weights)); });
  for (auto k : ks) ASSERT_GT(weights[k], 0.0) << "picked zero-weight index " << k;
  // Chi-square over the positive-weight indices only.
  const std::vector<std::size_t> positive = {1, 3, 4, 6};
  std::vector<std::uint64_t> ranks;
  for (auto k : ks) {
    ranks.push_back(std::find(positive.begin(), positive.end(), k) - positive.begin());
  }
  EXPECT_GT(ChiSquarePValue(ranks,
                            [&](std::uint64_t r) {
                              return r < positive.size() ? weights[positive[r]] / total : 0.0;
                            }),
            kAlpha);
  EXPECT_EQ(rng.draws(), static_cast<std::uint64_t>(kSamples));
}

TEST(CategoricalTest, SingleAndEdgeWeights) {
  RandomStream rng(Key("categorical/edges"));
  const std::vector<double> one = {0.7};
  const std::vector<double> last_only = {0.0, 0.0, 0.0, 1e-300};
  const std::vector<double> first_only = {5.0, 0.0, 0.0};
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(Categorical(rng, one), 0u);
    ASSERT_EQ(Categorical(rng, last_only), 3u);
    ASSERT_EQ(Categorical(rng, first_only), 0u);
  }
}

// ---------------------------------------------------------------------------
// Determinism and contracts

TEST(DeterminismTest, SameKeySameVariatesBitForBit) {
  auto run = [] {
    RandomStream rng(Key("determinism"));
    std::vector<double> out;
    const std::vector<double> weights = {1, 2, 3};
    for (int i = 0; i < 200; ++i) {
      out.push_back(Uniform(rng, 0, 1));
      out.push_back(static_cast<double>(UniformInt(rng, 17)));
      out.push_back(Exponential(rng, 2));
      out.push_back(Normal(rng, 0, 1));
      out.push_back(LogNormal(rng, 0, 1));
      out.push_back(Bernoulli(rng, 0.4));
      out.push_back(static_cast<double>(Poisson(rng, 4)));
      out.push_back(static_cast<double>(Poisson(rng, 400)));
      out.push_back(Gamma(rng, 0.5, 1));
      out.push_back(Gamma(rng, 3, 1));
      out.push_back(Beta(rng, 2, 3));
      out.push_back(static_cast<double>(Categorical(rng, weights)));
    }
    out.push_back(static_cast<double>(rng.draws()));
    return out;
  };
  EXPECT_EQ(run(), run());
}

TEST(ContractTest, RequiresViolationsThrowInvariantError) {
  RandomStream rng(Key("contracts"));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_THROW(Uniform(rng, 2.0, 1.0), InvariantError);
  EXPECT_THROW(Uniform(rng, 0.0, inf), InvariantError);
  EXPECT_THROW(Uniform(rng, nan, 1.0), InvariantError);
  EXPECT_THROW(UniformInt(rng, 0), InvariantError);
  EXPECT_THROW(Exponential(rng, 0.0), InvariantError);
  EXPECT_THROW(Exponential(rng, -1.0), InvariantError);
  EXPECT_THROW(Exponential(rng, nan), InvariantError);
  EXPECT_THROW(Normal(rng, 0.0, -1.0), InvariantError);
  EXPECT_THROW(LogNormal(rng, 0.0, -0.1), InvariantError);
  EXPECT_THROW(LogNormalFromMoments(rng, 0.0, 1.0), InvariantError);
  EXPECT_THROW(LogNormalFromMoments(rng, 1.0, -1.0), InvariantError);
  EXPECT_THROW(Bernoulli(rng, -0.1), InvariantError);
  EXPECT_THROW(Bernoulli(rng, 1.1), InvariantError);
  EXPECT_THROW(Bernoulli(rng, nan), InvariantError);
  EXPECT_THROW(Poisson(rng, -1.0), InvariantError);
  EXPECT_THROW(Poisson(rng, nan), InvariantError);
  EXPECT_THROW(Poisson(rng, 1e300), InvariantError);
  EXPECT_THROW(Gamma(rng, 0.0, 1.0), InvariantError);
  EXPECT_THROW(Gamma(rng, 1.0, 0.0), InvariantError);
  EXPECT_THROW(Gamma(rng, -2.0, 1.0), InvariantError);
  EXPECT_THROW(Beta(rng, 0.0, 1.0), InvariantError);
  EXPECT_THROW(Beta(rng, 1.0, -1.0), InvariantError);
  EXPECT_THROW(Categorical(rng, std::span<const double>{}), InvariantError);
  const std::vector<double> zeros = {0.0, 0.0};
  const std::vector<double> negative = {1.0, -1.0};
  const std::vector<double> with_nan = {1.0, nan};
  const std::vector<double> with_inf = {1.0, inf};
  EXPECT_THROW(Categorical(rng, zeros), InvariantError);
  EXPECT_THROW(Categorical(rng, negative), InvariantError);
  EXPECT_THROW(Categorical(rng, with_nan), InvariantError);
  EXPECT_THROW(Categorical(rng, with_inf), InvariantError);
  // A failed check draws nothing.
  EXPECT_EQ(rng.draws(), 0u);
}

}  // namespace
}  // namespace orgsim::kernel
