#include "engine/experiment/statistics.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "engine/kernel/check.h"

namespace orgsim::experiment {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double NormalCdf(double z) {
  return boost::math::cdf(boost::math::normal_distribution<double>(0.0, 1.0), z);
}

double NormalUpperTail(double z) {
  return boost::math::cdf(
      boost::math::complement(boost::math::normal_distribution<double>(0.0, 1.0), z));
}

// Half-width of the Student-t interval of a mean.
double TInterval(double sd, std::uint64_t n, double confidence) {
  if (n < 2 || !std::isfinite(sd)) return kNaN;
  const double q = StudentTQuantile(1.0 - (1.0 - confidence) / 2.0, static_cast<double>(n - 1));
  return q * sd / std::sqrt(static_cast<double>(n));
}

}  // namespace

double StudentTQuantile(double p, double dof) {
  ORGSIM_CHECK(p > 0.0 && p < 1.0, "t quantile probability " << p << " outside (0, 1)");
  ORGSIM_CHECK(dof > 0.0, "t quantile needs dof > 0, got " << dof);
  return boost::math::quantile(boost::math::students_t_distribution<double>(dof), p);
}

double StudentTTwoSidedPValue(double t, double dof) {
  ORGSIM_CHECK(dof > 0.0, "t p-value needs dof > 0, got " << dof);
  if (std::isnan(t)) return kNaN;
  if (std::isinf(t)) return 0.0;
  const boost::math::students_t_distribution<double> dist(dof);
  return std::min(1.0, 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(t))));
}

double QuantileSorted(std::span<const double> sorted, double p) {
  ORGSIM_CHECK(!sorted.empty(), "quantile of an empty sample");
  ORGSIM_CHECK(p >= 0.0 && p <= 1.0, "quantile probability " << p << " outside [0, 1]");
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const double frac = h - static_cast<double>(lo);
  if (lo + 1 >= sorted.size()) return sorted[lo];
  return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

// ---------------------------------------------------------------------------
// One-sample summaries.

SortedSummaryBuilder::SortedSummaryBuilder(std::uint64_t n, double confidence)
    : n_(n), confidence_(confidence) {
  ORGSIM_CHECK(confidence > 0.0 && confidence < 1.0, "confidence " << confidence);
  const double ps[3] = {0.25, 0.5, 0.75};
  for (int i = 0; i < 3; ++i) {
    const double h = n == 0 ? 0.0 : static_cast<double>(n - 1) * ps[i];
    const auto lo = static_cast<std::uint64_t>(std::floor(h));
    probes_[i] = QuantileProbe{.p = ps[i], .lo = lo, .frac = h - static_cast<double>(lo)};
  }
}

void SortedSummaryBuilder::Add(double value) {
  ORGSIM_CHECK(added_ < n_, "more than the announced " << n_ << " values");
  ORGSIM_CHECK(added_ == 0 || value >= previous_,
               "values not ascending: " << value << " after " << previous_);
  const std::uint64_t index = added_;
  ++added_;
  const double delta = value - mean_;
  mean_ += delta / static_cast<double>(added_);
  m2_ += delta * (value - mean_);
  for (QuantileProbe& probe : probes_) {
    if (index == probe.lo) probe.lo_value = value;
    if (index == probe.lo + 1) probe.hi_value = value;
  }
  if (index == 0) min_ = value;
  max_ = value;
  previous_ = value;
}

Summary SortedSummaryBuilder::Finish() const {
  ORGSIM_CHECK(added_ == n_, "announced " << n_ << " values, got " << added_);
  Summary s;
  s.n = n_;
  if (n_ == 0) {
    s.mean = s.sd = s.se = s.ci_low = s.ci_high = kNaN;
    s.median = s.q25 = s.q75 = s.min = s.max = kNaN;
    return s;
  }
  s.mean = mean_;
  s.sd = n_ < 2 ? kNaN : std::sqrt(m2_ / static_cast<double>(n_ - 1));
  s.se = s.sd / std::sqrt(static_cast<double>(n_));
  const double half = TInterval(s.sd, n_, confidence_);
  s.ci_low = s.mean - half;
  s.ci_high = s.mean + half;
  double q[3];
  for (int i = 0; i < 3; ++i) {
    const QuantileProbe& probe = probes_[i];
    q[i] = probe.lo + 1 >= n_ ? probe.lo_value
                              : probe.lo_value + probe.frac * (probe.hi_value - probe.lo_value);
  }
  s.q25 = q[0];
  s.median = q[1];
  s.q75 = q[2];
  s.min = min_;
  s.max = max_;
  return s;
}

Summary Summarize(std::span<const double> values, double confidence) {
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  SortedSummaryBuilder builder(sorted.size(), confidence);
  for (double v : sorted) builder.Add(v);
  return builder.Finish();
}

// ---------------------------------------------------------------------------
// Paired comparisons.

bool PairedCanonicalLess(double a1, double b1, double a2, double b2) {
  const double d1 = a1 - b1;
  const double d2 = a2 - b2;
  const double abs1 = std::fabs(d1);
  const double abs2 = std::fabs(d2);
  if (abs1 != abs2) return abs1 < abs2;
  if (d1 != d2) return d1 < d2;
  if (a1 != a2) return a1 < a2;
  return b1 < b2;
}

double WilcoxonExactPValue(double v, std::uint64_t n) {
  ORGSIM_CHECK(n >= 1 && n <= 1000, "exact Wilcoxon for n = " << n);
  // counts[k] = number of subsets of {1..n} whose sum is k (the null
  // distribution of V times 2^n). Doubles hold the counts exactly while
  // 2^n < 2^53, i.e. n < 53; above that the relative error is ~1e-16.
  const std::uint64_t max_sum = n * (n + 1) / 2;
  std::vector<double> counts(max_sum + 1, 0.0);
  counts[0] = 1.0;
  for (std::uint64_t i = 1; i <= n; ++i) {
    const std::uint64_t top = i * (i + 1) / 2;
    for (std::uint64_t k = top; k >= i; --k) counts[k] += counts[k - i];
  }
  const double total = std::ldexp(1.0, static_cast<int>(n));
  // R: p <- if (V > n(n+1)/4) P(V >= v) else P(V <= v); min(2p, 1).
  const double center = static_cast<double>(n) * static_cast<double>(n + 1) / 4.0;
  const auto k = static_cast<std::uint64_t>(std::llround(v));
  double tail = 0.0;
  if (v > center) {
    for (std::uint64_t j = k; j <= max_sum; ++j) tail += counts[j];
  } else {
    for (std::uint64_t j = 0; j <= std::min(k, max_sum); ++j) tail += counts[j];
  }
  return std::min(1.0, 2.0 * tail / total);
}

PairedComparisonBuilder::PairedComparisonBuilder(std::uint64_t n, double confidence)
    : n_(n), confidence_(confidence) {
  ORGSIM_CHECK(confidence > 0.0 && confidence < 1.0, "confidence " << confidence);
}

void PairedComparisonBuilder::CloseTieGroup() {
  if (group_size_ == 0) return;
  // The group occupies ranks ranked_ + 1 .. ranked_ + size; each member gets
  // their average.
  const double first = static_cast<double>(ranked_ + 1);
  const double last = static_cast<double>(ranked_ + group_size_);
  const double average_rank = (first + last) / 2.0;
  v_ += average_rank * static_cast<double>(group_positive_);
  if (group_size_ > 1) {
    const double t = static_cast<double>(group_size_);
    tie_correction_ += t * t * t - t;
    has_ties_ = true;
  }
  ranked_ += group_size_;
  group_size_ = 0;
  group_positive_ = 0;
}

void PairedComparisonBuilder::Add(double a, double b) {
  ORGSIM_CHECK(added_ < n_, "more than the announced " << n_ << " pairs");
  ORGSIM_CHECK(added_ == 0 || !PairedCanonicalLess(a, b, last_a_, last_b_),
               "pairs not in canonical order: (" << a << ", " << b << ") after (" << last_a_ << ", "
                                                 << last_b_ << ")");
  last_a_ = a;
  last_b_ = b;
  ++added_;
  const double k = static_cast<double>(added_);
  const double d = a - b;
  const double delta_a = a - mean_a_;
  mean_a_ += delta_a / k;
  m2_a_ += delta_a * (a - mean_a_);
  const double delta_b = b - mean_b_;
  mean_b_ += delta_b / k;
  m2_b_ += delta_b * (b - mean_b_);
  const double delta_d = d - mean_d_;
  mean_d_ += delta_d / k;
  m2_d_ += delta_d * (d - mean_d_);

  if (d == 0.0) {
    ++zero_;
    return;
  }
  if (d > 0.0) ++positive_;
  const double abs_d = std::fabs(d);
  if (group_size_ > 0 && abs_d != group_abs_) CloseTieGroup();
  group_abs_ = abs_d;
  ++group_size_;
  if (d > 0.0) ++group_positive_;
}

PairedComparison PairedComparisonBuilder::Finish() {
  ORGSIM_CHECK(added_ == n_, "announced " << n_ << " pairs, got " << added_);
  CloseTieGroup();
  PairedComparison c;
  c.n = n_;
  if (n_ == 0) {
    c.mean_a = c.mean_b = c.mean_diff = c.sd_diff = c.ci_low = c.ci_high = kNaN;
    c.cohens_dz = c.prob_superiority = c.t_statistic = c.t_pvalue = kNaN;
    c.wilcoxon_v = c.wilcoxon_pvalue = kNaN;
    c.var_a = c.var_b = c.var_diff = c.var_independent = c.variance_reduction = kNaN;
    return c;
  }
  const double n = static_cast<double>(n_);
  c.mean_a = mean_a_;
  c.mean_b = mean_b_;
  c.mean_diff = mean_d_;
  c.prob_superiority = (static_cast<double>(positive_) + 0.5 * static_cast<double>(zero_)) / n;
  if (n_ >= 2) {
    c.var_a = m2_a_ / (n - 1);
    c.var_b = m2_b_ / (n - 1);
    c.var_diff = m2_d_ / (n - 1);
  } else {
    c.var_a = c.var_b = c.var_diff = kNaN;
  }
  c.sd_diff = std::sqrt(c.var_diff);
  const double half = TInterval(c.sd_diff, n_, confidence_);
  c.ci_low = c.mean_diff - half;
  c.ci_high = c.mean_diff + half;
  c.var_independent = c.var_a + c.var_b;
  c.variance_reduction = c.var_independent > 0.0 ? 1.0 - c.var_diff / c.var_independent : kNaN;
  if (n_ >= 2 && c.sd_diff > 0.0) {
    c.cohens_dz = c.mean_diff / c.sd_diff;
    c.t_statistic = c.mean_diff / (c.sd_diff / std::sqrt(n));
    c.t_pvalue = StudentTTwoSidedPValue(c.t_statistic, n - 1);
  } else {
    // sd(d) = 0: the t statistic is undefined (R: "data are essentially
    // constant").
    c.cohens_dz = c.t_statistic = c.t_pvalue = kNaN;
  }

  c.wilcoxon_v = v_;
  c.wilcoxon_n = ranked_;
  if (ranked_ == 0) {
    c.wilcoxon_pvalue = kNaN;
    c.wilcoxon_method = WilcoxonMethod::kNone;
  } else if (ranked_ < 50 && !has_ties_ && zero_ == 0) {
    c.wilcoxon_pvalue = WilcoxonExactPValue(v_, ranked_);
    c.wilcoxon_method = WilcoxonMethod::kExact;
  } else {
    const double m = static_cast<double>(ranked_);
    const double z0 = v_ - m * (m + 1) / 4.0;
    const double sigma = std::sqrt(m * (m + 1) * (2 * m + 1) / 24.0 - tie_correction_ / 48.0);
    const double correction = z0 > 0 ? 0.5 : (z0 < 0 ? -0.5 : 0.0);
    const double z = (z0 - correction) / sigma;
    c.wilcoxon_pvalue = std::min(1.0, 2.0 * std::min(NormalCdf(z), NormalUpperTail(z)));
    c.wilcoxon_method = WilcoxonMethod::kNormalApproximation;
  }
  return c;
}

PairedComparison ComparePaired(std::span<const double> a, std::span<const double> b,
                               double confidence) {
  ORGSIM_CHECK(a.size() == b.size(),
               "paired samples of different sizes: " << a.size() << " vs " << b.size());
  std::vector<std::size_t> order(a.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
    return PairedCanonicalLess(a[i], b[i], a[j], b[j]);
  });
  PairedComparisonBuilder builder(a.size(), confidence);
  for (std::size_t i : order) builder.Add(a[i], b[i]);
  return builder.Finish();
}

}  // namespace orgsim::experiment
