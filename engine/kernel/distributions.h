// Random variates drawn from a RandomStream.
//
// orgsim's own implementations, so a given stream yields the same variates
// with every compiler and standard library (std:: distributions are
// implementation-defined). Each function documents its algorithm; the number
// of words drawn per variate is part of the contract for the fixed-draw ones
// and documented where it varies (rejection samplers).
//
//   RandomStream rng(key);
//   double effort_days = LogNormal(rng, /*mu=*/1.0, /*sigma=*/0.5);
//   bool churned = Bernoulli(rng, 0.02);
#pragma once

#include <cstdint>
#include <span>

#include "engine/kernel/rng.h"

namespace orgsim::kernel {

// Uniform on [low, high): low + (high - low) * u for u = NextUniform(); when
// rounding would give high itself, the largest double below high. Returns low
// when low == high. One word. REQUIRES: low <= high, high - low finite.
double Uniform(RandomStream& rng, double low, double high);

// Uniform integer on [0, n). REQUIRES: n > 0. Unbiased (Lemire's method,
// "Fast random integer generation in an interval", 2019: the high word of
// x * n, rejecting the low word when it is below 2^64 mod n). One word, plus
// one more per rejection (each with probability < n / 2^64).
std::uint64_t UniformInt(RandomStream& rng, std::uint64_t n);

// Exponential with the given mean (inversion): -mean * log(u) for
// u = NextOpenUniform(), so never 0 or infinite. One word.
// REQUIRES: mean > 0.
double Exponential(RandomStream& rng, double mean);

// Normal(mean, stddev). Box–Muller; draws two words per variate (the second
// normal is discarded so that each call consumes a fixed number of words):
// sqrt(-2 log u1) * cos(2 pi u2) with u1 = NextOpenUniform() first, then
// u2 = NextUniform(). REQUIRES: stddev >= 0.
double Normal(RandomStream& rng, double mean, double stddev);

// exp(Normal(mu, sigma)). Two words. REQUIRES: sigma >= 0.
double LogNormal(RandomStream& rng, double mu, double sigma);

// LogNormal parameterised by its own mean and standard deviation:
// sigma^2 = log(1 + (stddev / mean)^2), mu = log(mean) - sigma^2 / 2.
// Two words. REQUIRES: mean > 0, stddev >= 0.
double LogNormalFromMoments(RandomStream& rng, double mean, double stddev);

// true with probability p: NextUniform() < p. Always exactly one word, also
// for p = 0 (always false) and p = 1 (always true). REQUIRES: 0 <= p <= 1.
bool Bernoulli(RandomStream& rng, double p);

// Poisson(mean). Inversion for mean < 10 (sequential search from 0; exactly
// one word; Poisson(0) is 0), PTRS (Hörmann 1993, "The transformed rejection
// method for generating Poisson random variables") above: two words per
// attempt; the expected number of attempts is Hörmann's
// alpha = 1.1239 + 1.1328 / (b - 3.4), b = 0.931 + 2.53 sqrt(mean): 1.33 at
// mean 10, 1.14 at 1000, 1.12 in the limit. REQUIRES: 0 <= mean <= 2^52.
std::uint64_t Poisson(RandomStream& rng, double mean);

// Gamma(shape, scale). Marsaglia–Tsang (2000); shape < 1 via the boost
// U^(1/shape) trick. REQUIRES: shape > 0, scale > 0.
// Each Marsaglia–Tsang attempt draws a Normal (two words) and, unless the
// normal is rejected outright, one NextOpenUniform; acceptance is above 0.95.
// For shape < 1, a Gamma(shape + 1) variate is drawn first, then one
// NextOpenUniform U. Very small shapes can underflow to 0.
double Gamma(RandomStream& rng, double shape, double scale);

// Beta(a, b) as X/(X+Y) of two gammas, X ~ Gamma(a, 1) drawn before
// Y ~ Gamma(b, 1). Evaluated in log space (1 / (1 + exp(log Y - log X))) so
// that small shapes, whose gammas underflow, still give a value in [0, 1]
// instead of 0/0. REQUIRES: a > 0, b > 0.
double Beta(RandomStream& rng, double a, double b);

// Index i with probability weights[i] / sum(weights), by inversion over the
// cumulative weights in index order: the first i with u * sum < w[0] + ... +
// w[i], u = NextUniform(); a zero weight is never chosen. One word, O(n).
// REQUIRES: weights non-empty, all finite and >= 0, sum > 0 and finite.
std::size_t Categorical(RandomStream& rng, std::span<const double> weights);

}  // namespace orgsim::kernel
