// Variance-based (Sobol) sensitivity indices from a Saltelli design.
//
// For each parameter i: the first-order index S_i (the share of output
// variance explained by x_i alone) with the Saltelli et al. (2010, Table 2
// (b)) estimator, and the total index ST_i (x_i with all its interactions)
// with Jansen's (1999) estimator:
//   V    = variance of all f(A_j) and f(B_j) together (denominator 2N - 1)
//   S_i  = (1/N) sum_j f(B_j) (f(AB_i,j) - f(A_j)) / V
//   ST_i = (1/2N) sum_j (f(A_j) - f(AB_i,j))^2 / V
// and, when the design has BA_i blocks, second-order indices (Saltelli
// 2002, eq. 12, as SALib computes them):
//   S_ij = (1/N) sum_j (f(BA_i,j) f(AB_k,j) - f(A_j) f(B_j)) / V - S_i - S_k
// Outputs are first centered on the mean of f(A) and f(B) (as SALib
// standardizes them): without it the S_i estimator's noise grows with the
// output's mean.
// Confidence intervals: a nonparametric bootstrap over the N base samples
// (rows j resampled with replacement, A, B and AB_i rows kept together),
// percentile intervals (type-7 quantiles), drawn from a kernel::RandomStream
// so they are reproducible.
//
//   SaltelliOutputs y = ...;          // f at every point of a SaltelliDesign
//   SobolResult s = SobolIndices(y, {.bootstrap_resamples = 500, .seed = 1});
//   s.indices[0].first_order, s.indices[0].first_order_low, s.indices[0].total, ...
//
// Validated on the Ishigami function (tests/experiment/sensitivity_test.cc).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/experiment/designs.h"

namespace orgsim::experiment {

// Model outputs at a Saltelli design's points, arranged by block.
struct SaltelliOutputs {
  std::vector<double> a;                // f(A_j), j = 0..N-1
  std::vector<double> b;                // f(B_j)
  std::vector<std::vector<double>> ab;  // ab[i][j] = f(AB_i,j)
  std::vector<std::vector<double>> ba;  // ba[i][j] = f(BA_i,j); empty unless second order
};

// Arranges per-point outputs (indexed like the design's points) by block.
// REQUIRES: design.kind() == kSaltelli; outputs.size() == design.size().
SaltelliOutputs ArrangeSaltelliOutputs(const Design& design, std::span<const double> outputs);

struct SobolOptions {
  std::uint32_t bootstrap_resamples = 500;  // 0 = no intervals
  double confidence = 0.95;
  std::uint64_t seed = 1;
};

struct SobolIndex {
  double first_order = 0;
  double first_order_low = 0;  // bootstrap percentile interval
  double first_order_high = 0;
  double first_order_se = 0;  // bootstrap standard deviation
  double total = 0;
  double total_low = 0;
  double total_high = 0;
  double total_se = 0;
};

// Second-order index of the parameter pair (i, k), i < k.
struct SecondOrderIndex {
  std::uint32_t i = 0;
  std::uint32_t k = 0;
  double value = 0;
  double low = 0;  // bootstrap percentile interval
  double high = 0;
};

struct SobolResult {
  std::vector<SobolIndex> indices;             // one per parameter
  std::vector<SecondOrderIndex> second_order;  // pairs (i < k); empty without BA blocks
};

// Sobol indices of every parameter (column of ab). Output variance 0 gives
// NaN indices. REQUIRES: a, b and every ab[i] (and ba[i]) have the same size
// N >= 2; ba empty or of the same width as ab.
SobolResult SobolIndices(const SaltelliOutputs& outputs, const SobolOptions& options = {});

}  // namespace orgsim::experiment
