// PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999), for
// scenario discovery (Bryant & Lempert 2010): an axis-aligned box of the
// uncertainty space where the cases of interest (e.g. "the baseline arm
// wins") are concentrated.
//
// Follows EMA Workbench's `prim` module (Kwakkel 2017) for its choices:
//  * Peeling: from the box of the uncertainties' ranges, every dimension
//    offers two candidate peels, its lower and its upper peel_alpha
//    quantile of the points still inside (the quantile taken between two
//    distinct order statistics, so a peel removes at least one point). The
//    candidate with the best "lenient 1" objective wins:
//      (mean_new - mean_old) / |n_old - n_new|
//    ties broken in favour of the box with fewer restricted dimensions,
//    then the lower dimension index, lower edge first (deterministic). A
//    peel is taken while its objective is > 0 and the box keeps at least
//    mass_min of all points. Every box on the way is the peeling
//    trajectory: coverage falls and density rises along it.
//  * Choice on the coverage/density trade-off: the densest box of the
//    trajectory (the first of equally dense ones, so the one with the most
//    coverage), which is where EMA's find_box stops unless a peel on the
//    way was denser than its end. The whole trajectory is returned, so a
//    reader can pick a box with more coverage and less density.
//    meets_threshold says whether the box reaches `threshold` (EMA's
//    default 0.8), below which EMA would return no box.
//  * Pasting: the chosen box's restricted dimensions are widened again, one
//    paste_alpha quantile of the points just outside an edge at a time,
//    while that raises the density (objective > 0, mass grows).
// Cases of interest count as y = 1, others 0. Boxes are closed: low <= x <=
// high. One box is searched (EMA's first find_box); the covering step that
// searches further boxes after removing the first box's points is not done.
//
//   std::vector<double> x = ...;   // n points x d dimensions, row-major
//   std::vector<bool> y = ...;     // n cases of interest
//   PrimResult r = FindPrimBox(x, d, y, lows, highs, {});
//   for (const PrimLimit& lim : r.box.restricted) Print(lim.dimension, lim.low, lim.high);
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace orgsim::experiment {

struct PrimOptions {
  double peel_alpha = 0.05;   // share of the box's points one peel removes
  double paste_alpha = 0.05;  // share of the points next to an edge one paste adds
  double mass_min = 0.05;     // smallest share of all points a box may hold
  double threshold = 0.8;     // density a box should reach to count as found
};

// One restricted dimension of a box and its bounds.
struct PrimLimit {
  std::size_t dimension = 0;
  double low = 0.0;
  double high = 0.0;
};

struct PrimBox {
  std::vector<double> low;  // per dimension
  std::vector<double> high;
  std::size_t points = 0;  // points inside
  std::size_t cases = 0;   // cases of interest inside
  double coverage = 0.0;   // cases inside / all cases of interest
  double density = 0.0;    // cases inside / points inside
  double mass = 0.0;       // points inside / all points
  // Dimensions whose bounds are narrower than the initial box, in order.
  std::vector<PrimLimit> restricted;
};

// One box of the peeling trajectory.
struct PrimStep {
  double coverage = 0.0;
  double density = 0.0;
  double mass = 0.0;
  std::size_t restricted_dimensions = 0;
};

struct PrimResult {
  std::size_t points = 0;             // n
  std::size_t cases_of_interest = 0;  // sum of y
  std::vector<PrimStep> trajectory;   // the peeling trajectory, initial box first
  std::size_t chosen_step = 0;        // index into trajectory before pasting
  PrimBox box;                        // the chosen box after pasting
  bool meets_threshold = false;       // box.density >= options.threshold
};

// Finds a PRIM box for `y` over the points `x` (row-major, `dimensions`
// columns) starting from the box [initial_low, initial_high]. With no case
// of interest the result is the initial box with coverage and density 0.
// REQUIRES: x.size() == y.size() * dimensions; initial bounds of size
// `dimensions`; 0 < peel_alpha, paste_alpha < 0.5; 0 < mass_min <= 1.
PrimResult FindPrimBox(std::span<const double> x, std::size_t dimensions,
                       const std::vector<bool>& y, std::span<const double> initial_low,
                       std::span<const double> initial_high, const PrimOptions& options = {});

}  // namespace orgsim::experiment
