// The share of an uncertainty space where one arm beats another.
//
// At each explored point the paired replications give the mean difference
// A - B with its Student-t CI and two-sided paired t-test p-value
// (ComparePaired). A point's verdict is "A better", "B better" or "tie",
// read in the metric's better direction (a lower-is-better metric counts
// A - B < 0 as A better).
//
// Multiplicity: testing every point at 5% would call about 5% of the
// points of a true tie a win for someone. The verdicts are therefore given
// three ways:
//  * raw: the point's own 95% CI excludes 0 (p < 0.05), no correction;
//  * Holm (1979): step-down family-wise control at 5% across the points
//    (no false win anywhere with probability >= 95%; conservative);
//  * Benjamini–Hochberg (1995): false discovery rate at 5% across the
//    points (at most 5% of the declared wins are expected to be false);
//    valid under the positive dependence the common random numbers create
//    between points (Benjamini & Yekutieli 2001, PRDS).
// The share reported as "the" share is Benjamini–Hochberg's; raw and Holm
// are shown beside it.
//
//   std::vector<PointEffect> effects = ...;  // one per point
//   WinShares s = ShareOfWins(effects, /*higher_is_better=*/true);
//   s.benjamini_hochberg.a_better, s.raw.b_better, ...
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace orgsim::experiment {

// The paired effect A - B at one point.
struct PointEffect {
  std::uint64_t pairs = 0;
  double mean_diff = 0.0;
  double ci_low = 0.0;  // 95% Student-t CI of mean(A - B)
  double ci_high = 0.0;
  double p_value = 1.0;  // two-sided paired t-test
};

enum class Verdict { kTie, kABetter, kBBetter };

// "A better", "B better", "tie".
const char* VerdictName(Verdict verdict);

// Adjusted p-values, aligned with `p` (each capped at 1).
std::vector<double> HolmAdjusted(std::span<const double> p);
std::vector<double> BenjaminiHochbergAdjusted(std::span<const double> p);

struct WinShare {
  std::size_t a_better = 0;  // points
  std::size_t b_better = 0;
  std::size_t tie = 0;
  std::vector<Verdict> verdicts;  // per point

  std::size_t points() const { return a_better + b_better + tie; }
  double share(std::size_t count) const {
    return points() == 0 ? 0.0 : static_cast<double>(count) / points();
  }
};

struct WinShares {
  WinShare raw;
  WinShare holm;
  WinShare benjamini_hochberg;
};

// Verdicts of `effects` at level `alpha`. A point with no pairs is a tie.
WinShares ShareOfWins(std::span<const PointEffect> effects, bool higher_is_better,
                      double alpha = 0.05);

}  // namespace orgsim::experiment
