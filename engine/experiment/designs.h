// Sweep designs: the design points an experiment evaluates.
//
// A Design is a list of points; each point gives one value per parameter.
// Three generators:
//  * GridDesign: the Cartesian product of each parameter's listed values,
//    the last parameter varying fastest (like nested for-loops).
//  * LatinHypercubeDesign: n points; each parameter's range is cut into n
//    equal strata and every stratum is used exactly once (McKay, Beckman &
//    Conover 1979), with a uniform position inside the stratum.
//  * SaltelliDesign: the sample for Sobol indices (Saltelli et al. 2010):
//    base matrices A and B (N rows of independent uniforms over the ranges)
//    and, for each parameter i, AB_i = A with column i taken from B. Points
//    are laid out sample by sample — A_j, B_j, AB_j^1, ..., AB_j^d for
//    j = 0..N-1 — so any prefix of the points (a partial sweep) holds
//    complete groups. With second-order indices requested, each group also
//    holds BA_j^1..BA_j^d (B with column i taken from A), so N * (2d + 2)
//    points. Evaluate with SobolIndices (sensitivity.h).
//  * ExploreDesign: the Latin hypercube of `orgsim explore` over a
//    scenario's uncertainties. Its replications share their random streams
//    across points as well as across arms (StreamDesignPoint): replication
//    r meets the same market luck at every point, so differences between
//    points are the uncertainties', not the draws'.
//  Ranges are sampled uniformly, uniformly in log(value) for log-scale
//  parameters, or through the inverse CDF of a triangular distribution;
//  integer parameters get equal-width bins for each whole number in
//  [low, high].
// Random designs draw from kernel::RandomStream keyed by the design's seed
// and stable stream names ("design/lhs/<i>", "design/saltelli/A", ...), so
// the points are a pure function of (spec, seed) on every machine.
//
//   std::vector<ParameterRange> params = {{.name = "organization.pm.people_sense",
//                                          .low = 0, .high = 1}};
//   Design d = LatinHypercubeDesign(params, /*points=*/64, /*seed=*/7);
//   for (std::size_t p = 0; p < d.size(); ++p) Use(d.values(p));
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace orgsim::experiment {

enum class DesignKind { kSinglePoint, kGrid, kLatinHypercube, kSaltelli, kExplore };

// "single", "grid", "lhs", "saltelli", "explore" (stored in the results
// database).
const char* DesignKindName(DesignKind kind);

// The design point a run's random streams are keyed with
// (kernel::StreamKey::design_point): `point` itself, except 0 for every
// point of an explore design (common random numbers across points).
inline std::uint32_t StreamDesignPoint(DesignKind kind, std::uint32_t point) {
  return kind == DesignKind::kExplore ? 0u : point;
}

// A swept parameter: a field path with either a list of values (grids) or a
// range (random designs).
struct ParameterRange {
  std::string name = {};  // field path, e.g. "organization.pm.mandate"
  double low = 0.0;       // range, inclusive (random designs)
  double high = 1.0;
  bool integer = false;             // round to integers in [low, high]
  bool log_scale = false;           // uniform in log(value); REQUIRES: low > 0
  bool triangular = false;          // triangular on [low, high] peaking at `mode`
  double mode = 0.0;                // REQUIRES (triangular): low <= mode <= high
  std::vector<double> values = {};  // grid values (GridDesign only)
};

// A Saltelli point's place in the A/B/AB_i structure.
struct SaltelliRole {
  enum class Block { kA, kB, kAB, kBA };
  Block block = Block::kA;
  std::uint32_t sample = 0;  // row j of the base matrices
  std::uint32_t column = 0;  // i for AB_i and BA_i (meaningless for A and B)
};

// "A", "B", "AB", "BA".
const char* SaltelliBlockName(SaltelliRole::Block block);

class Design {
 public:
  Design() = default;  // the single point of a run without a sweep
  Design(DesignKind kind, std::vector<ParameterRange> parameters, std::vector<double> values,
         std::vector<SaltelliRole> roles = {});

  DesignKind kind() const { return kind_; }
  const std::vector<ParameterRange>& parameters() const { return parameters_; }

  // Number of design points (1 for the single-point design).
  std::size_t size() const { return size_; }

  // Parameter values of `point`, aligned to parameters(). REQUIRES: point < size().
  std::span<const double> values(std::size_t point) const;

  // Saltelli structure of `point`. REQUIRES: kind() == kSaltelli.
  const SaltelliRole& role(std::size_t point) const;

  // Saltelli base sample size N (size() == N * (d + 2), or N * (2d + 2)
  // with second-order blocks). 0 for other kinds.
  std::uint32_t saltelli_samples() const;

  // Whether the Saltelli design holds the BA_i blocks for second-order indices.
  bool saltelli_second_order() const { return second_order_; }

 private:
  DesignKind kind_ = DesignKind::kSinglePoint;
  std::vector<ParameterRange> parameters_;
  std::vector<double> values_;  // row-major, size_ x parameters_.size()
  std::vector<SaltelliRole> roles_;
  std::size_t size_ = 1;
  bool second_order_ = false;
};

// Cartesian product of every parameter's `values`, last parameter fastest.
// REQUIRES: each parameter has at least one value.
Design GridDesign(std::vector<ParameterRange> parameters);

// `points` Latin-hypercube points over the parameters' ranges.
// REQUIRES: points >= 1; low <= high for each parameter.
Design LatinHypercubeDesign(std::vector<ParameterRange> parameters, std::uint32_t points,
                            std::uint64_t seed);

// `points` Latin-hypercube points over the parameters' ranges, as
// LatinHypercubeDesign but of kind kExplore and from its own streams
// ("design/explore/<i>"). REQUIRES: points >= 1; low <= high.
Design ExploreDesign(std::vector<ParameterRange> parameters, std::uint32_t points,
                     std::uint64_t seed);

enum class SobolOrder { kFirstAndTotal, kSecondOrder };

// Saltelli sample with base size `samples` (N): N * (d + 2) points, or
// N * (2d + 2) for kSecondOrder. REQUIRES: samples >= 2; at least one
// parameter; low <= high.
Design SaltelliDesign(std::vector<ParameterRange> parameters, std::uint32_t samples,
                      std::uint64_t seed, SobolOrder order = SobolOrder::kFirstAndTotal);

}  // namespace orgsim::experiment
