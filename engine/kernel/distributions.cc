#include "engine/kernel/distributions.h"

#include <array>
#include <cmath>
#include <numbers>

#include "engine/kernel/check.h"

namespace orgsim::kernel {
namespace {

// Box–Muller's first normal from two words; the second normal is discarded so
// that every call consumes exactly two words (documented in the header).
double StandardNormal(RandomStream& rng) {
  const double u1 = rng.NextOpenUniform();  // (0, 1): log(u1) is finite
  const double u2 = rng.NextUniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

// Marsaglia & Tsang, "A simple method for generating gamma variables" (ACM
// TOMS 2000), for shape >= 1 and unit scale.
double MarsagliaTsang(RandomStream& rng, double shape) {
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    const double x = StandardNormal(rng);
    double v = 1.0 + c * x;
    if (v <= 0.0) continue;
    v = v * v * v;
    const double u = rng.NextOpenUniform();
    const double x2 = x * x;
    // Squeeze first: accepts ~98% without a log.
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
    if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return d * v;
  }
}

// log Gamma(shape, 1) variate. For shape < 1 the boost trick
// Gamma(shape) = Gamma(shape + 1) * U^(1/shape) is applied in log space so
// the result is finite even where the variate itself underflows.
double LogStandardGamma(RandomStream& rng, double shape) {
  if (shape >= 1.0) return std::log(MarsagliaTsang(rng, shape));
  const double g = MarsagliaTsang(rng, shape + 1.0);
  return std::log(g) + std::log(rng.NextOpenUniform()) / shape;
}

// log(k!) for an integer-valued k >= 0. Exact factorials (as uint64) up to
// 20!, Stirling's series for log Gamma(k + 1) above (absolute error below
// 1e-15 at k = 21). Our own instead of std::lgamma, which writes the global
// signgam in glibc (a data race between replications on different threads).
double LogFactorial(double k) {
  constexpr std::array<std::uint64_t, 21> kFactorials = [] {
    std::array<std::uint64_t, 21> f{};
    f[0] = 1;
    for (std::uint64_t i = 1; i < f.size(); ++i) f[i] = f[i - 1] * i;
    return f;
  }();
  if (k < static_cast<double>(kFactorials.size())) {
    return std::log(static_cast<double>(kFactorials[static_cast<std::size_t>(k)]));
  }
  const double x = k + 1.0;
  const double inv = 1.0 / x;
  const double inv2 = inv * inv;
  // 0.5 * log(2 pi)
  constexpr double kHalfLogTwoPi = 0.91893853320467274178;
  const double series =
      inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 * (1.0 / 1680.0))));
  return (x - 0.5) * std::log(x) - x + kHalfLogTwoPi + series;
}

// Poisson by sequential-search inversion; for small means (< 10), where the
// expected number of steps (mean + 1) is small. One word.
std::uint64_t PoissonInversion(RandomStream& rng, double mean) {
  const double u = rng.NextUniform();
  double p = std::exp(-mean);
  double cdf = p;
  std::uint64_t k = 0;
  while (u >= cdf) {
    ++k;
    p *= mean / static_cast<double>(k);
    const double next = cdf + p;
    // Far in the tail the cdf stops growing in double precision (u can exceed
    // the rounded total); the remaining mass is below 1e-16, so stop here.
    if (next == cdf) break;
    cdf = next;
  }
  return k;
}

// Hörmann's PTRS (transformed rejection with squeeze), for mean >= 10.
// Constants from W. Hörmann, "The transformed rejection method for
// generating Poisson random variables", Insurance: Mathematics and
// Economics 12 (1993).
std::uint64_t PoissonPtrs(RandomStream& rng, double mean) {
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double log_alpha = std::log(1.1239 + 1.1328 / (b - 3.4));
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = rng.NextUniform() - 0.5;
    const double v = rng.NextOpenUniform();
    const double us = 0.5 - std::fabs(u);
    if (us <= 0.0) continue;  // u = -0.5: k would be -inf
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::uint64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + log_alpha - std::log(a / (us * us) + b) <=
        -mean + k * loglam - LogFactorial(k)) {
      return static_cast<std::uint64_t>(k);
    }
  }
}

}  // namespace

double Uniform(RandomStream& rng, double low, double high) {
  ORGSIM_CHECK(low <= high && std::isfinite(high - low),
               "Uniform needs finite low <= high, got [" << low << ", " << high << ")");
  const double x = low + (high - low) * rng.NextUniform();
  // u < 1, but the sum can round up to high; keep the interval half-open.
  if (x >= high && low < high) return std::nextafter(high, low);
  return x;
}

std::uint64_t UniformInt(RandomStream& rng, std::uint64_t n) {
  ORGSIM_CHECK(n > 0, "UniformInt needs n > 0");
  __extension__ using Uint128 = unsigned __int128;
  Uint128 m = static_cast<Uint128>(rng.NextU64()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) [[unlikely]] {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    while (low < threshold) {
      m = static_cast<Uint128>(rng.NextU64()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

double Exponential(RandomStream& rng, double mean) {
  ORGSIM_CHECK(mean > 0.0, "Exponential needs mean > 0, got " << mean);
  return -mean * std::log(rng.NextOpenUniform());
}

double Normal(RandomStream& rng, double mean, double stddev) {
  ORGSIM_CHECK(stddev >= 0.0, "Normal needs stddev >= 0, got " << stddev);
  return mean + stddev * StandardNormal(rng);
}

double LogNormal(RandomStream& rng, double mu, double sigma) {
  ORGSIM_CHECK(sigma >= 0.0, "LogNormal needs sigma >= 0, got " << sigma);
  return std::exp(mu + sigma * StandardNormal(rng));
}

double LogNormalFromMoments(RandomStream& rng, double mean, double stddev) {
  ORGSIM_CHECK(mean > 0.0 && stddev >= 0.0,
               "LogNormalFromMoments needs mean > 0 and stddev >= 0, got mean "
                   << mean << ", stddev " << stddev);
  const double ratio = stddev / mean;
  const double sigma2 = std::log1p(ratio * ratio);
  return LogNormal(rng, std::log(mean) - 0.5 * sigma2, std::sqrt(sigma2));
}

bool Bernoulli(RandomStream& rng, double p) {
  ORGSIM_CHECK(p >= 0.0 && p <= 1.0, "Bernoulli needs 0 <= p <= 1, got " << p);
  return rng.NextUniform() < p;
}

std::uint64_t Poisson(RandomStream& rng, double mean) {
  ORGSIM_CHECK(mean >= 0.0 && mean <= 0x1.0p52, "Poisson needs 0 <= mean <= 2^52, got " << mean);
  if (mean < 10.0) return PoissonInversion(rng, mean);
  return PoissonPtrs(rng, mean);
}

double Gamma(RandomStream& rng, double shape, double scale) {
  ORGSIM_CHECK(
      shape > 0.0 && scale > 0.0 && std::isfinite(shape) && std::isfinite(scale),
      "Gamma needs finite shape > 0 and scale > 0, got shape " << shape << ", scale " << scale);
  if (shape >= 1.0) return scale * MarsagliaTsang(rng, shape);
  const double g = MarsagliaTsang(rng, shape + 1.0);
  return scale * g * std::exp(std::log(rng.NextOpenUniform()) / shape);
}

double Beta(RandomStream& rng, double a, double b) {
  ORGSIM_CHECK(a > 0.0 && b > 0.0 && std::isfinite(a) && std::isfinite(b),
               "Beta needs finite a > 0 and b > 0, got a " << a << ", b " << b);
  const double log_x = LogStandardGamma(rng, a);
  const double log_y = LogStandardGamma(rng, b);
  return 1.0 / (1.0 + std::exp(log_y - log_x));
}

std::size_t Categorical(RandomStream& rng, std::span<const double> weights) {
  ORGSIM_CHECK(!weights.empty(), "Categorical needs at least one weight");
  double total = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    ORGSIM_CHECK(
        weights[i] >= 0.0 && std::isfinite(weights[i]),
        "Categorical weight " << i << " is " << weights[i] << "; weights must be finite and >= 0");
    total += weights[i];
  }
  ORGSIM_CHECK(total > 0.0 && std::isfinite(total),
               "Categorical weights must have a finite positive sum, got " << total);
  // The cumulative sums below repeat the additions above in the same order,
  // so the last one equals total exactly and u * total < total ends the walk.
  const double target = rng.NextUniform() * total;
  double cumulative = 0.0;
  std::size_t last_positive = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    cumulative += weights[i];
    if (weights[i] > 0.0) {
      if (target < cumulative) return i;
      last_positive = i;
    }
  }
  return last_positive;  // unreachable in exact arithmetic; defensive
}

}  // namespace orgsim::kernel
