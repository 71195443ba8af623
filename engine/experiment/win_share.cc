#include "engine/experiment/win_share.h"

#include <algorithm>
#include <numeric>

namespace orgsim::experiment {
namespace {

// Indices of `p` by ascending p-value (stable: equal p keep point order).
std::vector<std::size_t> AscendingOrder(std::span<const double> p) {
  std::vector<std::size_t> order(p.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  return order;
}

WinShare Classify(std::span<const PointEffect> effects, std::span<const double> p,
                  bool higher_is_better, double alpha) {
  WinShare share;
  for (std::size_t i = 0; i < effects.size(); ++i) {
    Verdict v = Verdict::kTie;
    if (effects[i].pairs > 0 && p[i] < alpha && effects[i].mean_diff != 0) {
      const bool a_higher = effects[i].mean_diff > 0;
      v = a_higher == higher_is_better ? Verdict::kABetter : Verdict::kBBetter;
    }
    share.verdicts.push_back(v);
    if (v == Verdict::kABetter) ++share.a_better;
    if (v == Verdict::kBBetter) ++share.b_better;
    if (v == Verdict::kTie) ++share.tie;
  }
  return share;
}

}  // namespace

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kABetter:
      return "A better";
    case Verdict::kBBetter:
      return "B better";
    case Verdict::kTie:
      return "tie";
  }
  return "?";
}

std::vector<double> HolmAdjusted(std::span<const double> p) {
  const std::size_t m = p.size();
  std::vector<double> adjusted(m, 1.0);
  const std::vector<std::size_t> order = AscendingOrder(p);
  double running = 0.0;
  for (std::size_t k = 0; k < m; ++k) {
    running = std::max(running, std::min(1.0, static_cast<double>(m - k) * p[order[k]]));
    adjusted[order[k]] = running;
  }
  return adjusted;
}

std::vector<double> BenjaminiHochbergAdjusted(std::span<const double> p) {
  const std::size_t m = p.size();
  std::vector<double> adjusted(m, 1.0);
  const std::vector<std::size_t> order = AscendingOrder(p);
  double running = 1.0;
  for (std::size_t k = m; k-- > 0;) {
    running = std::min(running, static_cast<double>(m) / static_cast<double>(k + 1) * p[order[k]]);
    adjusted[order[k]] = std::min(1.0, running);
  }
  return adjusted;
}

WinShares ShareOfWins(std::span<const PointEffect> effects, bool higher_is_better, double alpha) {
  std::vector<double> p;
  p.reserve(effects.size());
  for (const PointEffect& e : effects) p.push_back(e.pairs > 0 ? e.p_value : 1.0);
  WinShares shares;
  shares.raw = Classify(effects, p, higher_is_better, alpha);
  shares.holm = Classify(effects, HolmAdjusted(p), higher_is_better, alpha);
  shares.benjamini_hochberg =
      Classify(effects, BenjaminiHochbergAdjusted(p), higher_is_better, alpha);
  return shares;
}

}  // namespace orgsim::experiment
