// What `orgsim explore` concludes for one comparison (arm A against the
// baseline B, on one metric) over the explored uncertainty space.
//
// Inputs: the explore design's points (the uncertainties' values) and, at
// each point, the paired replications of A and B (common random numbers:
// replication r of both arms, at every point, shares its streams). Outputs:
//  * per point, the paired effect A - B (PairedEffect);
//  * the win-shares (win_share.h): raw, Holm and Benjamini–Hochberg;
//  * two PRIM boxes (prim.h) over the uncertainties, from the
//    Benjamini–Hochberg verdicts: where B is significantly better ("B
//    wins"), and where A is not significantly better ("the claim fails":
//    B wins or tie);
//  * the sensitivity of the per-point mean effect to each uncertainty
//    (main_effects.h), ranked by first-order index.
//
//   ExploreSpace space{.names = paths, .low = lows, .high = highs, .values = x};
//   ExploreComparison c = AnalyzeComparison(space, effects, {.higher_is_better = true});
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "engine/experiment/main_effects.h"
#include "engine/experiment/prim.h"
#include "engine/experiment/win_share.h"

namespace orgsim::experiment {

// The explored points: one column per uncertainty.
struct ExploreSpace {
  std::vector<std::string> names;  // uncertainty paths
  std::vector<double> low;         // the uncertainties' ranges (PRIM's initial box)
  std::vector<double> high;
  std::vector<double> values;  // points x names.size(), row-major

  std::size_t dimensions() const { return names.size(); }
  std::size_t points() const { return dimensions() == 0 ? 0 : values.size() / dimensions(); }
};

// The paired effect A - B of aligned replications at one point: mean, 95%
// Student-t CI and two-sided t-test p-value. When every difference is the
// same (sd 0) the p-value is 0 for a non-zero difference and 1 for none;
// fewer than two pairs give p = 1 (a tie).
PointEffect PairedEffect(std::span<const double> a, std::span<const double> b);

struct ExploreAnalysisOptions {
  bool higher_is_better = true;  // the metric's direction
  double alpha = 0.05;           // per-point test level and FWER/FDR level
  PrimOptions prim = {};
};

// An uncertainty's rank in the sensitivity of the effect.
struct SensitivityEntry {
  std::size_t dimension = 0;
  MainEffect effect;
};

struct ExploreComparison {
  std::vector<PointEffect> effects;  // per point
  WinShares shares;
  PrimResult b_wins;                          // cases: BH verdict "B better"
  PrimResult claim_fails;                     // cases: BH verdict not "A better"
  std::vector<SensitivityEntry> sensitivity;  // by first-order index, descending
};

// REQUIRES: effects.size() == space.points().
ExploreComparison AnalyzeComparison(const ExploreSpace& space, std::vector<PointEffect> effects,
                                    const ExploreAnalysisOptions& options = {});

}  // namespace orgsim::experiment
