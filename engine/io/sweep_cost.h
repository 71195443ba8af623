// The cost check of a sweep: one run of every design point x compared arm is
// estimated (model::EstimateRunCost, arithmetic on the configuration) before
// anything runs, so a sweep whose range reaches a huge arrival rate or
// horizon is refused like an arm over the limits, unless `--allow-large`.
//
//   std::vector<Diagnostic> refused = SweepCostDiagnostics(scenario);
//   if (!refused.empty()) { std::cerr << FormatDiagnostics(refused); return 2; }
#pragma once

#include <vector>

#include "engine/experiment/designs.h"
#include "engine/io/diagnostics.h"
#include "engine/io/scenario_loader.h"

namespace orgsim::io {

// Errors at experiment.sweep (FILE:LINE:COL) naming the first design points x
// arms whose run is estimated above the limits per run, and how many more
// are; empty when every one is within them (or the design has no parameters).
std::vector<Diagnostic> SweepCostDiagnostics(const LoadedScenario& scenario,
                                             const experiment::Design& design);

// The same for the scenario's own sweep design (none: empty).
std::vector<Diagnostic> SweepCostDiagnostics(const LoadedScenario& scenario);

}  // namespace orgsim::io
