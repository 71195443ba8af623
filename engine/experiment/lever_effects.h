// The effect of each swept lever over its range, from a sweep's per-point
// means: an ordinary least-squares fit of mean(metric) on every parameter at
// once, effect = slope x (highest - lowest value swept), with a Student-t 95%
// CI from the fit's standard errors. It summarises any design (grid, Latin
// hypercube, Saltelli) in one line per lever; a lever whose effect is not
// linear shows a small effect here and a large Sobol index.
//
//   auto effects = LeverEffects(report, /*arm=*/0, /*metric=*/0);
//   effects[i].effect, effects[i].ci_low, effects[i].ci_high   // NaN when undefined
#pragma once

#include <cstddef>
#include <vector>

#include "engine/experiment/report.h"

namespace orgsim::experiment {

struct LeverEffect {
  double low = 0;     // lowest value swept
  double high = 0;    // highest value swept
  double effect = 0;  // fitted change of the mean from low to high
  double ci_low = 0;
  double ci_high = 0;
  std::size_t points = 0;  // design points in the fit
};

// One per report.parameters; NaN fields when the fit is undefined (fewer
// points than parameters + 2, or a lever that takes a single value).
std::vector<LeverEffect> LeverEffects(const ExperimentReport& report, std::size_t arm,
                                      std::size_t metric);

}  // namespace orgsim::experiment
