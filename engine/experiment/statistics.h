// Descriptive and comparative statistics over replications.
//
// One-sample summaries (mean, sd, Student-t confidence interval, quantiles)
// and paired comparisons of two arms run with common random numbers (mean
// difference with CI, Cohen's d_z, probability of superiority, paired t-test,
// Wilcoxon signed-rank test, and the variance reduction CRN bought).
//
//   Summary s = Summarize(values);                 // s.mean, s.ci_low, s.median
//   PairedComparison c = ComparePaired(arm, base);  // c.mean_diff, c.t_pvalue
//
// Every statistic exists in two forms with one implementation:
//  * span functions (Summarize, ComparePaired) for data in memory;
//  * streaming builders (SortedSummaryBuilder, PairedComparisonBuilder) fed
//    in a canonical sort order, so a summary over millions of stored rows
//    reads them from the database in that order and holds O(1) memory.
// Feeding in a canonical order (by value; by |difference| for pairs) also
// makes every floating-point sum independent of how the rows were produced
// (thread count, shards, resume), so summaries are bit-for-bit reproducible.
//
// Definitions (the conventions of R's stats package, so results can be
// checked there):
//  * sd: sample standard deviation (denominator n - 1).
//  * Quantiles: Hyndman & Fan (1996) type 7, R's default and numpy's
//    "linear": h = (n - 1) p, Q(p) = x[floor h] + (h - floor h)(x[floor h + 1]
//    - x[floor h]) over the sorted sample (0-based).
//  * CI: mean ± t_{1-(1-c)/2, n-1} · sd / sqrt(n) (Student t; the quantile is
//    Boost.Math's students_t).
//  * Paired difference d_i = a_i - b_i; Cohen's d_z = mean(d) / sd(d)
//    (Cohen 1988, §2.3.5; Lakens 2013).
//  * Probability of superiority for dependent samples (Grissom & Kim 2012):
//    P(A > B) = (#{d_i > 0} + ½ #{d_i = 0}) / n.
//  * Paired t-test: t = mean(d) / (sd(d)/sqrt(n)), df = n - 1, two-sided.
//  * Wilcoxon signed-rank (two-sided), as R's wilcox.test(paired = TRUE):
//    zero differences are dropped; ranks of |d| with average ranks for ties;
//    V = sum of ranks of positive d. Exact null distribution when the number
//    of non-zero differences is < 50 and there are no ties and no zeros;
//    otherwise the normal approximation with tie correction of the variance
//    (sum(t³ - t)/48) and continuity correction (0.5 towards the mean).
//  * Variance reduction of CRN: var(A - B) from the paired sample against
//    var(A) + var(B), the variance of the difference had the arms been
//    sampled independently with the same marginals.
// Undefined quantities (an sd from n < 2, a t statistic from sd(d) = 0) are
// NaN, never an arbitrary number.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace orgsim::experiment {

// The quantile of Student's t distribution with `dof` degrees of freedom:
// P(T <= q) = p. REQUIRES: 0 < p < 1, dof > 0.
double StudentTQuantile(double p, double dof);

// Two-sided p-value of a t statistic: P(|T| >= |t|). REQUIRES: dof > 0.
double StudentTTwoSidedPValue(double t, double dof);

// Type-7 quantile of an ascending sample. REQUIRES: sorted ascending,
// non-empty, 0 <= p <= 1.
double QuantileSorted(std::span<const double> sorted, double p);

// Summary of one sample.
struct Summary {
  std::uint64_t n = 0;
  double mean = 0;
  double sd = 0;      // NaN when n < 2
  double se = 0;      // sd / sqrt(n)
  double ci_low = 0;  // Student-t interval of the mean at `confidence`
  double ci_high = 0;
  double median = 0;
  double q25 = 0;  // type-7 quartiles
  double q75 = 0;
  double min = 0;
  double max = 0;
};

// Summarizes `values` (any order). Empty input gives n = 0 and NaN fields.
// REQUIRES: 0 < confidence < 1.
Summary Summarize(std::span<const double> values, double confidence = 0.95);

// Streaming Summarize for values arriving in ascending order; memory O(1).
//
//   SortedSummaryBuilder b(n);
//   for (double v : ascending) b.Add(v);
//   Summary s = b.Finish();
class SortedSummaryBuilder {
 public:
  // REQUIRES: `n` is the number of values that will be added.
  explicit SortedSummaryBuilder(std::uint64_t n, double confidence = 0.95);

  // REQUIRES: value >= the previous value; fewer than n values added so far.
  void Add(double value);

  // REQUIRES: exactly n values were added.
  Summary Finish() const;

 private:
  std::uint64_t n_;
  double confidence_;
  std::uint64_t added_ = 0;
  double mean_ = 0;  // Welford's running mean and sum of squared deviations
  double m2_ = 0;
  double previous_ = 0;
  // Type-7 quantiles need x[floor h] and x[floor h + 1]; with n known the
  // positions are known up front, so they are captured as they stream past.
  struct QuantileProbe {
    double p;
    std::uint64_t lo;
    double frac;
    double lo_value = 0;
    double hi_value = 0;
  };
  QuantileProbe probes_[3];  // 0.25, 0.5, 0.75
  double min_ = 0;
  double max_ = 0;
};

// How the Wilcoxon p-value was obtained.
enum class WilcoxonMethod { kNone, kExact, kNormalApproximation };

// Paired comparison of arm A against arm B (d = A - B).
struct PairedComparison {
  std::uint64_t n = 0;  // pairs
  double mean_a = 0;
  double mean_b = 0;
  double mean_diff = 0;  // mean(d)
  double sd_diff = 0;    // sd(d)
  double ci_low = 0;     // Student-t CI of mean(d)
  double ci_high = 0;
  double cohens_dz = 0;         // mean(d) / sd(d)
  double prob_superiority = 0;  // P(A > B), ties count half
  double t_statistic = 0;
  double t_pvalue = 0;           // two-sided paired t-test
  double wilcoxon_v = 0;         // sum of ranks of positive differences
  std::uint64_t wilcoxon_n = 0;  // non-zero differences
  double wilcoxon_pvalue = 0;    // two-sided
  WilcoxonMethod wilcoxon_method = WilcoxonMethod::kNone;
  double var_a = 0;  // sample variances over the pairs
  double var_b = 0;
  double var_diff = 0;  // var(A - B) under CRN (paired)
  // var(A) + var(B): var(A - B) had the arms been sampled independently.
  double var_independent = 0;
  // 1 - var_diff / var_independent: the share of the variance of the
  // difference that common random numbers removed (negative if CRN hurt).
  double variance_reduction = 0;
};

// Compares paired samples. REQUIRES: a.size() == b.size(); 0 < confidence < 1.
PairedComparison ComparePaired(std::span<const double> a, std::span<const double> b,
                               double confidence = 0.95);

// The canonical order PairedComparisonBuilder needs: ascending |a - b|, then
// a - b, then a, then b (a total order, so sums are reproducible).
bool PairedCanonicalLess(double a1, double b1, double a2, double b2);

// Streaming ComparePaired for pairs arriving in PairedCanonicalLess order;
// memory O(1) (plus at most 49 ranks, for the exact Wilcoxon distribution).
class PairedComparisonBuilder {
 public:
  // REQUIRES: `n` is the number of pairs that will be added.
  explicit PairedComparisonBuilder(std::uint64_t n, double confidence = 0.95);

  // REQUIRES: (a, b) does not precede the previous pair in canonical order.
  void Add(double a, double b);

  // REQUIRES: exactly n pairs were added.
  PairedComparison Finish();

 private:
  void CloseTieGroup();

  std::uint64_t n_;
  double confidence_;
  std::uint64_t added_ = 0;
  // Welford accumulators for a, b and d, and the co-moment of (a, b).
  double mean_a_ = 0, mean_b_ = 0, mean_d_ = 0;
  double m2_a_ = 0, m2_b_ = 0, m2_d_ = 0;
  std::uint64_t positive_ = 0, zero_ = 0;
  // Signed-rank state: ranks are assigned per tie group of |d| (zeros
  // excluded); the group's average rank is known once the group closes.
  double group_abs_ = -1;
  std::uint64_t group_size_ = 0;
  std::uint64_t group_positive_ = 0;
  std::uint64_t ranked_ = 0;   // non-zero differences ranked so far
  double v_ = 0;               // sum of positive ranks
  double tie_correction_ = 0;  // sum over tie groups of t^3 - t
  bool has_ties_ = false;
  double last_a_ = 0, last_b_ = 0;
};

// Exact two-sided p-value of the Wilcoxon signed-rank statistic V for n
// non-zero, untied differences (R's psignrank-based rule).
// REQUIRES: 1 <= n <= 1000.
double WilcoxonExactPValue(double v, std::uint64_t n);

}  // namespace orgsim::experiment
