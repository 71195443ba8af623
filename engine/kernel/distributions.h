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

// Uniform on [low, high). REQUIRES: low <= high.
double Uniform(RandomStream& rng, double low, double high);

// Uniform integer on [0, n). REQUIRES: n > 0. Unbiased (Lemire's method).
std::uint64_t UniformInt(RandomStream& rng, std::uint64_t n);

// Exponential with the given mean (inversion). REQUIRES: mean > 0.
double Exponential(RandomStream& rng, double mean);

// Normal(mean, stddev). Box–Muller; draws two words per variate (the second
// normal is discarded so that each call consumes a fixed number of words).
double Normal(RandomStream& rng, double mean, double stddev);

// exp(Normal(mu, sigma)). REQUIRES: sigma >= 0.
double LogNormal(RandomStream& rng, double mu, double sigma);

// LogNormal parameterised by its own mean and standard deviation.
double LogNormalFromMoments(RandomStream& rng, double mean, double stddev);

// true with probability p. REQUIRES: 0 <= p <= 1.
bool Bernoulli(RandomStream& rng, double p);

// Poisson(mean). Inversion for mean < 10, PTRS (Hörmann 1993) above.
std::uint64_t Poisson(RandomStream& rng, double mean);

// Gamma(shape, scale). Marsaglia–Tsang (2000); shape < 1 via the boost
// U^(1/shape) trick. REQUIRES: shape > 0, scale > 0.
double Gamma(RandomStream& rng, double shape, double scale);

// Beta(a, b) as X/(X+Y) of two gammas. REQUIRES: a > 0, b > 0.
double Beta(RandomStream& rng, double a, double b);

// Index i with probability weights[i] / sum(weights), by inversion over the
// cumulative weights in index order. REQUIRES: weights non-empty,
// all >= 0, sum > 0.
std::size_t Categorical(RandomStream& rng, std::span<const double> weights);

}  // namespace orgsim::kernel
