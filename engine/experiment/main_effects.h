// Which uncertainty a result rests on: first-order (main-effect) Sobol
// indices estimated from given data, for designs that are not Saltelli
// samples (the Latin hypercube of `orgsim explore`).
//
// For each input i the points are sorted by x_i and cut into M classes of
// (nearly) equal count, M = round(sqrt(n)) clamped to [2, 32]; then
//   S_i = sum_m (n_m / n) (mean_m(y) - mean(y))^2 / var(y)
// (the correlation ratio eta^2 of y on the classes of x_i: Pearson 1905;
// as a Sobol main-effect estimator from given data, Plischke 2010; Strong &
// Oakley 2012). Under no effect its expectation is about (M - 1) / (n - 1),
// reported as noise_floor: an index near it is indistinguishable from
// none. Also Spearman's rank correlation of y with x_i, for the direction.
// The Saltelli machinery (sensitivity.h) needs its own A/B/AB design; this
// one reads any sample.
//
//   std::vector<MainEffect> e = GivenDataMainEffects(x, d, y);
//   e[i].first_order, e[i].rank_correlation
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace orgsim::experiment {

struct MainEffect {
  double first_order = 0.0;       // S_i in [0, 1]
  double rank_correlation = 0.0;  // Spearman rho of y with x_i
  double noise_floor = 0.0;       // (M - 1) / (n - 1)
};

// Main effects of each of the `dimensions` columns of `x` (row-major, one
// row per element of `y`). All zeros when y is constant or n < 4.
std::vector<MainEffect> GivenDataMainEffects(std::span<const double> x, std::size_t dimensions,
                                             std::span<const double> y);

}  // namespace orgsim::experiment
