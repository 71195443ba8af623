#include "engine/experiment/prim.h"

#include <algorithm>
#include <cmath>

#include "engine/kernel/check.h"

namespace orgsim::experiment {
namespace {

struct Candidate {
  std::vector<double> low;
  std::vector<double> high;
  std::vector<std::size_t> inside;  // point indices
};

// The q-quantile of `values` placed between two distinct order statistics
// (as EMA Workbench's get_quantile): moving outwards from the type-7
// positions until the neighbours differ, then their midpoint. So a peel at
// it removes at least one point whenever the values are not all equal.
double SplitQuantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  const double position = static_cast<double>(n - 1) * q;
  std::size_t lo = static_cast<std::size_t>(std::floor(position));
  std::size_t hi = static_cast<std::size_t>(std::ceil(position));
  if (q > 0.5) {
    while (lo > 0 && values[lo] == values[hi]) --lo;
  } else {
    while (hi + 1 < n && values[lo] == values[hi]) ++hi;
  }
  return (values[lo] + values[hi]) / 2.0;
}

class Prim {
 public:
  Prim(std::span<const double> x, std::size_t d, const std::vector<bool>& y,
       std::span<const double> low, std::span<const double> high, const PrimOptions& options)
      : x_(x),
        d_(d),
        y_(y),
        init_low_(low.begin(), low.end()),
        init_high_(high.begin(), high.end()),
        options_(options) {
    for (bool v : y_) cases_ += v ? 1 : 0;
  }

  PrimResult Run() {
    PrimResult result;
    result.points = y_.size();
    result.cases_of_interest = cases_;
    Candidate box{init_low_, init_high_, {}};
    for (std::size_t i = 0; i < y_.size(); ++i) box.inside.push_back(i);
    std::vector<Candidate> trajectory = {box};
    if (cases_ > 0) {
      while (true) {
        Candidate next;
        if (!BestPeel(trajectory.back(), &next)) break;
        trajectory.push_back(std::move(next));
      }
    }
    for (const Candidate& c : trajectory) result.trajectory.push_back(Step(c));
    // The densest box of the trajectory (its end, as EMA's find_box returns,
    // unless a peel on the way was denser); the first of equally dense ones,
    // so the one with the most coverage.
    std::size_t chosen = 0;
    for (std::size_t s = 1; s < trajectory.size(); ++s) {
      if (result.trajectory[s].density > result.trajectory[chosen].density) chosen = s;
    }
    result.chosen_step = chosen;
    Candidate pasted = trajectory[chosen];
    if (cases_ > 0) {
      while (true) {
        Candidate next;
        if (!BestPaste(pasted, &next)) break;
        pasted = std::move(next);
      }
    }
    result.box = Box(pasted);
    result.meets_threshold = cases_ > 0 && result.box.density >= options_.threshold;
    return result;
  }

 private:
  double X(std::size_t point, std::size_t dim) const { return x_[point * d_ + dim]; }

  std::size_t Cases(const std::vector<std::size_t>& inside) const {
    std::size_t c = 0;
    for (std::size_t i : inside) c += y_[i] ? 1 : 0;
    return c;
  }

  double Mean(const std::vector<std::size_t>& inside) const {
    return inside.empty() ? 0.0 : static_cast<double>(Cases(inside)) / inside.size();
  }

  std::size_t Restricted(const Candidate& c) const {
    std::size_t r = 0;
    for (std::size_t j = 0; j < d_; ++j) {
      r += (c.low[j] > init_low_[j] || c.high[j] < init_high_[j]) ? 1 : 0;
    }
    return r;
  }

  // EMA's "lenient 1": gain in mean per point removed (or added).
  static double Objective(double mean_old, std::size_t n_old, double mean_new, std::size_t n_new) {
    if (mean_old == mean_new || n_old == n_new) return 0.0;
    const double change = static_cast<double>(n_old > n_new ? n_old - n_new : n_new - n_old);
    return (mean_new - mean_old) / change;
  }

  bool Inside(std::size_t point, const std::vector<double>& low,
              const std::vector<double>& high) const {
    for (std::size_t j = 0; j < d_; ++j) {
      const double v = X(point, j);
      if (v < low[j] || v > high[j]) return false;
    }
    return true;
  }

  // The best peel or paste of one step: highest objective, then fewer
  // restricted dimensions; earlier candidates win remaining ties.
  struct BestMove {
    bool have = false;
    double objective = 0.0;
    std::size_t restricted = 0;
    Candidate box;
  };

  void Consider(Candidate candidate, double objective, BestMove* best) const {
    const std::size_t restricted = Restricted(candidate);
    if (!best->have || objective > best->objective ||
        (objective == best->objective && restricted < best->restricted)) {
      *best = {true, objective, restricted, std::move(candidate)};
    }
  }

  bool BestPeel(const Candidate& box, Candidate* out) const {
    const double mean_old = Mean(box.inside);
    BestMove best;
    for (std::size_t j = 0; j < d_; ++j) {
      std::vector<double> column;
      column.reserve(box.inside.size());
      for (std::size_t i : box.inside) column.push_back(X(i, j));
      for (int edge = 0; edge < 2; ++edge) {
        const bool lower = edge == 0;
        const double cut =
            SplitQuantile(column, lower ? options_.peel_alpha : 1.0 - options_.peel_alpha);
        Candidate c{box.low, box.high, {}};
        for (std::size_t i : box.inside) {
          const double v = X(i, j);
          if (lower ? v >= cut : v <= cut) c.inside.push_back(i);
        }
        if (lower) {
          c.low[j] = std::max(c.low[j], cut);
        } else {
          c.high[j] = std::min(c.high[j], cut);
        }
        const double objective =
            Objective(mean_old, box.inside.size(), Mean(c.inside), c.inside.size());
        Consider(std::move(c), objective, &best);
      }
    }
    if (!best.have) return false;
    const double mass_new = static_cast<double>(best.box.inside.size()) / y_.size();
    if (mass_new >= options_.mass_min && best.box.inside.size() < box.inside.size() &&
        best.objective > 0) {
      *out = std::move(best.box);
      return true;
    }
    return false;
  }

  bool BestPaste(const Candidate& box, Candidate* out) const {
    const double mean_old = Mean(box.inside);
    BestMove best;
    for (std::size_t j = 0; j < d_; ++j) {
      if (!(box.low[j] > init_low_[j] || box.high[j] < init_high_[j])) continue;
      for (int edge = 0; edge < 2; ++edge) {
        const bool lower = edge == 0;
        // The slab between the edge and the initial box's bound, the other
        // dimensions as in the box.
        std::vector<double> slab_low = box.low;
        std::vector<double> slab_high = box.high;
        if (lower) {
          slab_low[j] = init_low_[j];
          slab_high[j] = box.low[j];
        } else {
          slab_low[j] = box.high[j];
          slab_high[j] = init_high_[j];
        }
        std::vector<double> slab;
        for (std::size_t i = 0; i < y_.size(); ++i) {
          if (Inside(i, slab_low, slab_high)) slab.push_back(X(i, j));
        }
        double edge_value = lower ? init_low_[j] : init_high_[j];
        if (!slab.empty()) {
          edge_value =
              SplitQuantile(slab, lower ? 1.0 - options_.paste_alpha : options_.paste_alpha);
        }
        Candidate c{box.low, box.high, {}};
        if (lower) {
          c.low[j] = std::min(c.low[j], edge_value);
        } else {
          c.high[j] = std::max(c.high[j], edge_value);
        }
        for (std::size_t i = 0; i < y_.size(); ++i) {
          if (Inside(i, c.low, c.high)) c.inside.push_back(i);
        }
        const double objective =
            Objective(mean_old, box.inside.size(), Mean(c.inside), c.inside.size());
        Consider(std::move(c), objective, &best);
      }
    }
    if (!best.have) return false;
    const double mass_new = static_cast<double>(best.box.inside.size()) / y_.size();
    if (mass_new >= options_.mass_min && best.box.inside.size() > box.inside.size() &&
        best.objective > 0 && Mean(best.box.inside) > mean_old) {
      *out = std::move(best.box);
      return true;
    }
    return false;
  }

  PrimStep Step(const Candidate& c) const {
    const std::size_t inside_cases = Cases(c.inside);
    return {.coverage = cases_ == 0 ? 0.0 : static_cast<double>(inside_cases) / cases_,
            .density = c.inside.empty() ? 0.0 : static_cast<double>(inside_cases) / c.inside.size(),
            .mass = y_.empty() ? 0.0 : static_cast<double>(c.inside.size()) / y_.size(),
            .restricted_dimensions = Restricted(c)};
  }

  PrimBox Box(const Candidate& c) const {
    PrimBox box;
    box.low = c.low;
    box.high = c.high;
    box.points = c.inside.size();
    box.cases = Cases(c.inside);
    const PrimStep step = Step(c);
    box.coverage = step.coverage;
    box.density = step.density;
    box.mass = step.mass;
    for (std::size_t j = 0; j < d_; ++j) {
      if (c.low[j] > init_low_[j] || c.high[j] < init_high_[j]) {
        box.restricted.push_back({.dimension = j, .low = c.low[j], .high = c.high[j]});
      }
    }
    return box;
  }

  std::span<const double> x_;
  std::size_t d_;
  const std::vector<bool>& y_;
  std::vector<double> init_low_;
  std::vector<double> init_high_;
  PrimOptions options_;
  std::size_t cases_ = 0;
};

}  // namespace

PrimResult FindPrimBox(std::span<const double> x, std::size_t dimensions,
                       const std::vector<bool>& y, std::span<const double> initial_low,
                       std::span<const double> initial_high, const PrimOptions& options) {
  ORGSIM_CHECK(x.size() == y.size() * dimensions,
               "PRIM: " << x.size() << " values for " << y.size() << " points x " << dimensions);
  ORGSIM_CHECK(initial_low.size() == dimensions && initial_high.size() == dimensions,
               "PRIM: initial box of the wrong dimension");
  ORGSIM_CHECK(options.peel_alpha > 0 && options.peel_alpha < 0.5 && options.paste_alpha > 0 &&
                   options.paste_alpha < 0.5 && options.mass_min > 0 && options.mass_min <= 1,
               "PRIM: alphas must lie in (0, 0.5) and mass_min in (0, 1]");
  return Prim(x, dimensions, y, initial_low, initial_high, options).Run();
}

}  // namespace orgsim::experiment
