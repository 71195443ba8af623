#include "engine/experiment/sensitivity.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "engine/experiment/statistics.h"
#include "engine/kernel/check.h"
#include "engine/kernel/distributions.h"
#include "engine/kernel/rng.h"

namespace orgsim::experiment {
namespace {

struct Estimate {
  std::vector<double> first;
  std::vector<double> total;
};

// The estimators over the rows listed in `rows` (a bootstrap resample or
// 0..N-1), summed in row order.
Estimate EstimateIndices(const SaltelliOutputs& y, std::span<const std::uint32_t> rows) {
  const std::size_t d = y.ab.size();
  const double n = static_cast<double>(rows.size());
  // Variance of f(A) and f(B) pooled (two-pass for accuracy).
  double mean = 0;
  for (std::uint32_t j : rows) mean += y.a[j] + y.b[j];
  mean /= 2 * n;
  double ss = 0;
  for (std::uint32_t j : rows) {
    ss += (y.a[j] - mean) * (y.a[j] - mean) + (y.b[j] - mean) * (y.b[j] - mean);
  }
  const double variance = ss / (2 * n - 1);
  Estimate e{std::vector<double>(d), std::vector<double>(d)};
  for (std::size_t i = 0; i < d; ++i) {
    double first = 0, total = 0;
    for (std::uint32_t j : rows) {
      const double ab = y.ab[i][j];
      first += y.b[j] * (ab - y.a[j]);
      total += (y.a[j] - ab) * (y.a[j] - ab);
    }
    if (variance > 0) {
      e.first[i] = first / n / variance;
      e.total[i] = total / (2 * n) / variance;
    } else {
      e.first[i] = e.total[i] = std::numeric_limits<double>::quiet_NaN();
    }
  }
  return e;
}

}  // namespace

SaltelliOutputs ArrangeSaltelliOutputs(const Design& design, std::span<const double> outputs) {
  ORGSIM_CHECK(design.kind() == DesignKind::kSaltelli, "not a Saltelli design");
  ORGSIM_CHECK(outputs.size() == design.size(),
               outputs.size() << " outputs for " << design.size() << " points");
  const std::uint32_t n = design.saltelli_samples();
  SaltelliOutputs y;
  y.a.assign(n, 0.0);
  y.b.assign(n, 0.0);
  y.ab.assign(design.parameters().size(), std::vector<double>(n, 0.0));
  for (std::size_t p = 0; p < design.size(); ++p) {
    const SaltelliRole& role = design.role(p);
    switch (role.block) {
      case SaltelliRole::Block::kA:
        y.a[role.sample] = outputs[p];
        break;
      case SaltelliRole::Block::kB:
        y.b[role.sample] = outputs[p];
        break;
      case SaltelliRole::Block::kAB:
        y.ab[role.column][role.sample] = outputs[p];
        break;
    }
  }
  return y;
}

std::vector<SobolIndex> SobolIndices(const SaltelliOutputs& y, const SobolOptions& options) {
  const std::size_t n = y.a.size();
  ORGSIM_CHECK(n >= 2, "Sobol indices need N >= 2 base samples, got " << n);
  ORGSIM_CHECK(y.b.size() == n, "f(B) has " << y.b.size() << " rows, f(A) " << n);
  for (const auto& column : y.ab) {
    ORGSIM_CHECK(column.size() == n, "f(AB_i) has " << column.size() << " rows, f(A) " << n);
  }
  const std::size_t d = y.ab.size();
  std::vector<std::uint32_t> rows(n);
  for (std::size_t j = 0; j < n; ++j) rows[j] = static_cast<std::uint32_t>(j);
  const Estimate point = EstimateIndices(y, rows);

  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::vector<SobolIndex> result(d);
  for (std::size_t i = 0; i < d; ++i) {
    result[i].first_order = point.first[i];
    result[i].total = point.total[i];
    result[i].first_order_low = result[i].first_order_high = result[i].first_order_se = kNaN;
    result[i].total_low = result[i].total_high = result[i].total_se = kNaN;
  }
  bool defined = true;
  for (const SobolIndex& s : result) defined = defined && !std::isnan(s.first_order);
  if (options.bootstrap_resamples == 0 || !defined) return result;

  kernel::RandomStream rng(kernel::StreamKey{
      .seed = options.seed, .stream = kernel::StreamIdFromName("sensitivity/bootstrap")});
  std::vector<std::vector<double>> first(d), total(d);
  for (std::uint32_t r = 0; r < options.bootstrap_resamples; ++r) {
    for (std::size_t j = 0; j < n; ++j) {
      rows[j] = static_cast<std::uint32_t>(kernel::UniformInt(rng, n));
    }
    const Estimate e = EstimateIndices(y, rows);
    for (std::size_t i = 0; i < d; ++i) {
      // A resample with zero output variance has no indices; it is skipped.
      if (!std::isnan(e.first[i])) first[i].push_back(e.first[i]);
      if (!std::isnan(e.total[i])) total[i].push_back(e.total[i]);
    }
  }
  const double tail = (1.0 - options.confidence) / 2.0;
  for (std::size_t i = 0; i < d; ++i) {
    if (first[i].empty() || total[i].empty()) continue;
    std::sort(first[i].begin(), first[i].end());
    std::sort(total[i].begin(), total[i].end());
    result[i].first_order_low = QuantileSorted(first[i], tail);
    result[i].first_order_high = QuantileSorted(first[i], 1.0 - tail);
    result[i].first_order_se = Summarize(first[i]).sd;
    result[i].total_low = QuantileSorted(total[i], tail);
    result[i].total_high = QuantileSorted(total[i], 1.0 - tail);
    result[i].total_se = Summarize(total[i]).sd;
  }
  return result;
}

}  // namespace orgsim::experiment
