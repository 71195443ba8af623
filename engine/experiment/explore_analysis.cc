#include "engine/experiment/explore_analysis.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "engine/experiment/statistics.h"
#include "engine/kernel/check.h"

namespace orgsim::experiment {

PointEffect PairedEffect(std::span<const double> a, std::span<const double> b) {
  ORGSIM_CHECK(a.size() == b.size(), "paired effect of " << a.size() << " and " << b.size());
  PointEffect e;
  e.pairs = a.size();
  if (a.empty()) {
    e.mean_diff = e.ci_low = e.ci_high = 0.0;
    return e;
  }
  const PairedComparison c = ComparePaired(a, b);
  e.mean_diff = c.mean_diff;
  e.ci_low = std::isfinite(c.ci_low) ? c.ci_low : c.mean_diff;
  e.ci_high = std::isfinite(c.ci_high) ? c.ci_high : c.mean_diff;
  if (a.size() < 2) {
    e.p_value = 1.0;
  } else if (std::isfinite(c.t_pvalue)) {
    e.p_value = c.t_pvalue;
  } else {
    // sd(A - B) = 0: every replication differs by the same amount.
    e.p_value = c.mean_diff != 0.0 ? 0.0 : 1.0;
  }
  return e;
}

ExploreComparison AnalyzeComparison(const ExploreSpace& space, std::vector<PointEffect> effects,
                                    const ExploreAnalysisOptions& options) {
  ORGSIM_CHECK(effects.size() == space.points(),
               effects.size() << " effects for " << space.points() << " points");
  ExploreComparison out;
  out.effects = std::move(effects);
  out.shares = ShareOfWins(out.effects, options.higher_is_better, options.alpha);
  const std::vector<Verdict>& verdicts = out.shares.benjamini_hochberg.verdicts;
  std::vector<bool> b_wins(verdicts.size());
  std::vector<bool> fails(verdicts.size());
  for (std::size_t p = 0; p < verdicts.size(); ++p) {
    b_wins[p] = verdicts[p] == Verdict::kBBetter;
    fails[p] = verdicts[p] != Verdict::kABetter;
  }
  const std::size_t d = space.dimensions();
  out.b_wins = FindPrimBox(space.values, d, b_wins, space.low, space.high, options.prim);
  out.claim_fails = FindPrimBox(space.values, d, fails, space.low, space.high, options.prim);

  std::vector<double> mean_effect;
  for (const PointEffect& e : out.effects) mean_effect.push_back(e.mean_diff);
  const std::vector<MainEffect> main = GivenDataMainEffects(space.values, d, mean_effect);
  for (std::size_t i = 0; i < main.size(); ++i) out.sensitivity.push_back({i, main[i]});
  std::stable_sort(out.sensitivity.begin(), out.sensitivity.end(),
                   [](const SensitivityEntry& a, const SensitivityEntry& b) {
                     return a.effect.first_order > b.effect.first_order;
                   });
  return out;
}

}  // namespace orgsim::experiment
