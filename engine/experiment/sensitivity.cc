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
  std::vector<double> second;  // pairs (i < k) in row-major order
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
  Estimate e{std::vector<double>(d), std::vector<double>(d), {}};
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
  if (!y.ba.empty()) {
    for (std::size_t i = 0; i < d; ++i) {
      for (std::size_t k = i + 1; k < d; ++k) {
        double sum = 0;
        for (std::uint32_t j : rows) sum += y.ba[i][j] * y.ab[k][j] - y.a[j] * y.b[j];
        e.second.push_back(variance > 0 ? sum / n / variance - e.first[i] - e.first[k]
                                        : std::numeric_limits<double>::quiet_NaN());
      }
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
  if (design.saltelli_second_order()) {
    y.ba.assign(design.parameters().size(), std::vector<double>(n, 0.0));
  }
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
      case SaltelliRole::Block::kBA:
        y.ba[role.column][role.sample] = outputs[p];
        break;
    }
  }
  return y;
}

SobolResult SobolIndices(const SaltelliOutputs& raw, const SobolOptions& options) {
  const std::size_t n = raw.a.size();
  ORGSIM_CHECK(n >= 2, "Sobol indices need N >= 2 base samples, got " << n);
  ORGSIM_CHECK(raw.b.size() == n, "f(B) has " << raw.b.size() << " rows, f(A) " << n);
  for (const auto& column : raw.ab) {
    ORGSIM_CHECK(column.size() == n, "f(AB_i) has " << column.size() << " rows, f(A) " << n);
  }
  const std::size_t d = raw.ab.size();
  ORGSIM_CHECK(raw.ba.empty() || raw.ba.size() == d,
               "f(BA) has " << raw.ba.size() << " columns, f(AB) " << d);
  for (const auto& column : raw.ba) {
    ORGSIM_CHECK(column.size() == n, "f(BA_i) has " << column.size() << " rows, f(A) " << n);
  }
  // Center the outputs on the mean of f(A) and f(B): the S_i estimator
  // sum f(B)(f(AB) - f(A)) has zero-mean noise proportional to the output's
  // mean otherwise, which swamps the signal when |mean| >> sd (as SALib
  // does by standardizing Y). Indices are invariant to the shift in
  // expectation, and V and ST do not depend on it at all.
  SaltelliOutputs y = raw;
  double center = 0;
  for (std::size_t j = 0; j < n; ++j) center += raw.a[j] + raw.b[j];
  center /= 2.0 * static_cast<double>(std::max<std::size_t>(n, 1));
  for (double& v : y.a) v -= center;
  for (double& v : y.b) v -= center;
  for (auto& column : y.ab) {
    for (double& v : column) v -= center;
  }
  for (auto& column : y.ba) {
    for (double& v : column) v -= center;
  }
  std::vector<std::uint32_t> rows(n);
  for (std::size_t j = 0; j < n; ++j) rows[j] = static_cast<std::uint32_t>(j);
  const Estimate point = EstimateIndices(y, rows);

  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  SobolResult out;
  std::vector<SobolIndex>& result = out.indices;
  result.resize(d);
  {
    std::size_t pair = 0;
    for (std::uint32_t i = 0; i < d && !y.ba.empty(); ++i) {
      for (std::uint32_t k = i + 1; k < d; ++k) {
        out.second_order.push_back({i, k, point.second[pair++], kNaN, kNaN});
      }
    }
  }
  for (std::size_t i = 0; i < d; ++i) {
    result[i].first_order = point.first[i];
    result[i].total = point.total[i];
    result[i].first_order_low = result[i].first_order_high = result[i].first_order_se = kNaN;
    result[i].total_low = result[i].total_high = result[i].total_se = kNaN;
  }
  bool defined = true;
  for (const SobolIndex& s : result) defined = defined && !std::isnan(s.first_order);
  if (options.bootstrap_resamples == 0 || !defined) return out;

  kernel::RandomStream rng(kernel::StreamKey{
      .seed = options.seed, .stream = kernel::StreamIdFromName("sensitivity/bootstrap")});
  std::vector<std::vector<double>> first(d), total(d), second(out.second_order.size());
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
    for (std::size_t p = 0; p < second.size(); ++p) {
      if (!std::isnan(e.second[p])) second[p].push_back(e.second[p]);
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
  for (std::size_t p = 0; p < second.size(); ++p) {
    if (second[p].empty()) continue;
    std::sort(second[p].begin(), second[p].end());
    out.second_order[p].low = QuantileSorted(second[p], tail);
    out.second_order[p].high = QuantileSorted(second[p], 1.0 - tail);
  }
  return out;
}

}  // namespace orgsim::experiment
