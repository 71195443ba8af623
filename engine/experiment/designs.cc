#include "engine/experiment/designs.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>

#include "engine/kernel/check.h"
#include "engine/kernel/distributions.h"
#include "engine/kernel/rng.h"

namespace orgsim::experiment {
namespace {

kernel::RandomStream DesignStream(std::uint64_t seed, const std::string& name) {
  return kernel::RandomStream(kernel::StreamKey{
      .seed = seed, .design_point = 0, .replication = 0, .stream = kernel::StreamIdFromName(name)});
}

// Maps u in [0, 1) onto the parameter's range; integers get equal-width
// bins for each of low, low+1, ..., high.
double MapUnit(const ParameterRange& p, double u) {
  if (p.triangular && p.high > p.low) {
    // Inverse CDF of the triangular distribution (low, mode, high).
    const double width = p.high - p.low;
    const double split = (p.mode - p.low) / width;
    const double value = u < split ? p.low + std::sqrt(u * width * (p.mode - p.low))
                                   : p.high - std::sqrt((1.0 - u) * width * (p.high - p.mode));
    const double clamped = std::clamp(value, p.low, p.high);
    return p.integer ? std::clamp(std::round(clamped), std::ceil(p.low), std::floor(p.high))
                     : clamped;
  }
  if (p.log_scale) {
    const double value = std::exp(std::log(p.low) + u * (std::log(p.high) - std::log(p.low)));
    if (!p.integer) return std::clamp(value, p.low, p.high);
    return std::clamp(std::round(value), std::ceil(p.low), std::floor(p.high));
  }
  if (p.integer) {
    const double lo = std::ceil(p.low);
    const double hi = std::floor(p.high);
    const double value = lo + std::floor(u * (hi - lo + 1.0));
    return std::min(value, hi);
  }
  return p.low + u * (p.high - p.low);
}

void CheckRanges(const std::vector<ParameterRange>& parameters) {
  for (const ParameterRange& p : parameters) {
    ORGSIM_CHECK(p.low <= p.high,
                 "parameter " << p.name << ": low " << p.low << " > high " << p.high);
    ORGSIM_CHECK(!p.triangular || (p.low <= p.mode && p.mode <= p.high),
                 "triangular parameter " << p.name << " needs its mode in [low, high]");
    ORGSIM_CHECK(!p.log_scale || p.low > 0,
                 "log-scale parameter " << p.name << " needs low > 0, got " << p.low);
    if (p.integer) {
      ORGSIM_CHECK(std::ceil(p.low) <= std::floor(p.high), "integer parameter "
                                                               << p.name << " has no integer in ["
                                                               << p.low << ", " << p.high << "]");
    }
  }
}

}  // namespace

const char* DesignKindName(DesignKind kind) {
  switch (kind) {
    case DesignKind::kSinglePoint:
      return "single";
    case DesignKind::kGrid:
      return "grid";
    case DesignKind::kLatinHypercube:
      return "lhs";
    case DesignKind::kSaltelli:
      return "saltelli";
    case DesignKind::kExplore:
      return "explore";
  }
  return "unknown";
}

const char* SaltelliBlockName(SaltelliRole::Block block) {
  switch (block) {
    case SaltelliRole::Block::kA:
      return "A";
    case SaltelliRole::Block::kB:
      return "B";
    case SaltelliRole::Block::kAB:
      return "AB";
    case SaltelliRole::Block::kBA:
      return "BA";
  }
  return "?";
}

Design::Design(DesignKind kind, std::vector<ParameterRange> parameters, std::vector<double> values,
               std::vector<SaltelliRole> roles)
    : kind_(kind),
      parameters_(std::move(parameters)),
      values_(std::move(values)),
      roles_(std::move(roles)) {
  if (parameters_.empty()) {
    size_ = 1;
    return;
  }
  ORGSIM_CHECK(values_.size() % parameters_.size() == 0,
               values_.size() << " values for " << parameters_.size() << " parameters");
  size_ = values_.size() / parameters_.size();
  ORGSIM_CHECK(kind_ != DesignKind::kSaltelli || roles_.size() == size_,
               "Saltelli design needs one role per point");
  for (const SaltelliRole& role : roles_) {
    second_order_ = second_order_ || role.block == SaltelliRole::Block::kBA;
  }
}

std::span<const double> Design::values(std::size_t point) const {
  ORGSIM_CHECK(point < size_, "design point " << point << " of " << size_);
  if (parameters_.empty()) return {};
  return std::span<const double>(values_).subspan(point * parameters_.size(), parameters_.size());
}

const SaltelliRole& Design::role(std::size_t point) const {
  ORGSIM_CHECK(kind_ == DesignKind::kSaltelli, "role() of a non-Saltelli design");
  ORGSIM_CHECK(point < size_, "design point " << point << " of " << size_);
  return roles_[point];
}

std::uint32_t Design::saltelli_samples() const {
  if (kind_ != DesignKind::kSaltelli) return 0;
  const std::size_t per_sample = (second_order_ ? 2 : 1) * parameters_.size() + 2;
  return static_cast<std::uint32_t>(size_ / per_sample);
}

Design GridDesign(std::vector<ParameterRange> parameters) {
  std::size_t total = 1;
  for (const ParameterRange& p : parameters) {
    ORGSIM_CHECK(!p.values.empty(), "grid parameter " << p.name << " has no values");
    total *= p.values.size();
  }
  const std::size_t d = parameters.size();
  std::vector<double> values;
  values.reserve(total * d);
  std::vector<std::size_t> index(d, 0);
  for (std::size_t point = 0; point < total; ++point) {
    for (std::size_t i = 0; i < d; ++i) values.push_back(parameters[i].values[index[i]]);
    // Odometer increment, last parameter fastest.
    for (std::size_t i = d; i-- > 0;) {
      if (++index[i] < parameters[i].values.size()) break;
      index[i] = 0;
    }
  }
  return Design(DesignKind::kGrid, std::move(parameters), std::move(values));
}

namespace {

// Row-major points x parameters values of a Latin hypercube, one stream per
// dimension named stream_prefix + index: adding a parameter leaves the
// others' columns unchanged.
std::vector<double> LatinHypercubeValues(const std::vector<ParameterRange>& parameters,
                                         std::uint32_t points, std::uint64_t seed,
                                         const std::string& stream_prefix) {
  ORGSIM_CHECK(points >= 1, "Latin hypercube needs at least one point");
  CheckRanges(parameters);
  const std::size_t d = parameters.size();
  std::vector<double> values(static_cast<std::size_t>(points) * d);
  for (std::size_t i = 0; i < d; ++i) {
    kernel::RandomStream rng = DesignStream(seed, stream_prefix + std::to_string(i));
    std::vector<std::uint32_t> strata(points);
    std::iota(strata.begin(), strata.end(), 0u);
    // Fisher–Yates with the kernel's unbiased UniformInt.
    for (std::uint32_t k = points; k > 1; --k) {
      const auto j = static_cast<std::uint32_t>(kernel::UniformInt(rng, k));
      std::swap(strata[k - 1], strata[j]);
    }
    for (std::uint32_t row = 0; row < points; ++row) {
      const double u =
          (static_cast<double>(strata[row]) + rng.NextUniform()) / static_cast<double>(points);
      values[row * d + i] = MapUnit(parameters[i], u);
    }
  }
  return values;
}

}  // namespace

Design LatinHypercubeDesign(std::vector<ParameterRange> parameters, std::uint32_t points,
                            std::uint64_t seed) {
  std::vector<double> values = LatinHypercubeValues(parameters, points, seed, "design/lhs/");
  return Design(DesignKind::kLatinHypercube, std::move(parameters), std::move(values));
}

Design ExploreDesign(std::vector<ParameterRange> parameters, std::uint32_t points,
                     std::uint64_t seed) {
  std::vector<double> values = LatinHypercubeValues(parameters, points, seed, "design/explore/");
  return Design(DesignKind::kExplore, std::move(parameters), std::move(values));
}

Design SaltelliDesign(std::vector<ParameterRange> parameters, std::uint32_t samples,
                      std::uint64_t seed, SobolOrder order) {
  ORGSIM_CHECK(samples >= 2, "Saltelli design needs at least 2 base samples");
  ORGSIM_CHECK(!parameters.empty(), "Saltelli design needs at least one parameter");
  CheckRanges(parameters);
  const std::size_t d = parameters.size();
  kernel::RandomStream rng_a = DesignStream(seed, "design/saltelli/A");
  kernel::RandomStream rng_b = DesignStream(seed, "design/saltelli/B");
  std::vector<double> values;
  values.reserve(static_cast<std::size_t>(samples) * (d + 2) * d);
  std::vector<SaltelliRole> roles;
  roles.reserve(static_cast<std::size_t>(samples) * (d + 2));
  std::vector<double> a(d), b(d);
  for (std::uint32_t j = 0; j < samples; ++j) {
    for (std::size_t i = 0; i < d; ++i) a[i] = MapUnit(parameters[i], rng_a.NextUniform());
    for (std::size_t i = 0; i < d; ++i) b[i] = MapUnit(parameters[i], rng_b.NextUniform());
    values.insert(values.end(), a.begin(), a.end());
    roles.push_back({SaltelliRole::Block::kA, j, 0});
    values.insert(values.end(), b.begin(), b.end());
    roles.push_back({SaltelliRole::Block::kB, j, 0});
    for (std::size_t column = 0; column < d; ++column) {
      for (std::size_t i = 0; i < d; ++i) values.push_back(i == column ? b[i] : a[i]);
      roles.push_back({SaltelliRole::Block::kAB, j, static_cast<std::uint32_t>(column)});
    }
    if (order == SobolOrder::kSecondOrder) {
      for (std::size_t column = 0; column < d; ++column) {
        for (std::size_t i = 0; i < d; ++i) values.push_back(i == column ? a[i] : b[i]);
        roles.push_back({SaltelliRole::Block::kBA, j, static_cast<std::uint32_t>(column)});
      }
    }
  }
  return Design(DesignKind::kSaltelli, std::move(parameters), std::move(values), std::move(roles));
}

}  // namespace orgsim::experiment
