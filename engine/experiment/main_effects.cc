#include "engine/experiment/main_effects.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/kernel/check.h"

namespace orgsim::experiment {
namespace {

// Average ranks (ties share the mean of their ranks), 1-based.
std::vector<double> Ranks(std::span<const double> v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> ranks(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double rank = (static_cast<double>(i + j) / 2.0) + 1.0;
    for (std::size_t k = i; k <= j; ++k) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

double Pearson(std::span<const double> a, std::span<const double> b) {
  const double n = static_cast<double>(a.size());
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
  const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

}  // namespace

std::vector<MainEffect> GivenDataMainEffects(std::span<const double> x, std::size_t dimensions,
                                             std::span<const double> y) {
  const std::size_t n = y.size();
  ORGSIM_CHECK(x.size() == n * dimensions,
               "main effects: " << x.size() << " values for " << n << " points x " << dimensions);
  std::vector<MainEffect> effects(dimensions);
  if (n < 4) return effects;
  const double mean = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(n);
  double variance = 0;
  for (double v : y) variance += (v - mean) * (v - mean);
  variance /= static_cast<double>(n);
  if (!(variance > 0)) return effects;
  const auto classes = static_cast<std::size_t>(
      std::clamp(std::round(std::sqrt(static_cast<double>(n))), 2.0, 32.0));
  const std::vector<double> y_ranks = Ranks(y);
  for (std::size_t i = 0; i < dimensions; ++i) {
    std::vector<double> column(n);
    for (std::size_t p = 0; p < n; ++p) column[p] = x[p * dimensions + i];
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return column[a] < column[b]; });
    double between = 0;
    for (std::size_t m = 0; m < classes; ++m) {
      const std::size_t begin = m * n / classes;
      const std::size_t end = (m + 1) * n / classes;
      if (end == begin) continue;
      double sum = 0;
      for (std::size_t k = begin; k < end; ++k) sum += y[order[k]];
      const double class_mean = sum / static_cast<double>(end - begin);
      between += static_cast<double>(end - begin) * (class_mean - mean) * (class_mean - mean);
    }
    effects[i].first_order = std::clamp(between / static_cast<double>(n) / variance, 0.0, 1.0);
    effects[i].rank_correlation = Pearson(Ranks(column), y_ranks);
    effects[i].noise_floor = static_cast<double>(classes - 1) / static_cast<double>(n - 1);
  }
  return effects;
}

}  // namespace orgsim::experiment
