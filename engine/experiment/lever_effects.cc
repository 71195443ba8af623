#include "engine/experiment/lever_effects.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "engine/experiment/statistics.h"

namespace orgsim::experiment {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Inverts the symmetric matrix `a` (n x n, row-major) in place by
// Gauss-Jordan with partial pivoting; false when it is singular.
bool Invert(std::vector<double>& a, std::size_t n) {
  std::vector<double> inv(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) inv[i * n + i] = 1.0;
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < n; ++r) {
      if (std::fabs(a[r * n + c]) > std::fabs(a[pivot * n + c])) pivot = r;
    }
    if (std::fabs(a[pivot * n + c]) < 1e-12) return false;
    for (std::size_t k = 0; k < n; ++k) {
      std::swap(a[c * n + k], a[pivot * n + k]);
      std::swap(inv[c * n + k], inv[pivot * n + k]);
    }
    const double d = a[c * n + c];
    for (std::size_t k = 0; k < n; ++k) {
      a[c * n + k] /= d;
      inv[c * n + k] /= d;
    }
    for (std::size_t r = 0; r < n; ++r) {
      if (r == c) continue;
      const double f = a[r * n + c];
      for (std::size_t k = 0; k < n; ++k) {
        a[r * n + k] -= f * a[c * n + k];
        inv[r * n + k] -= f * inv[c * n + k];
      }
    }
  }
  a = std::move(inv);
  return true;
}

}  // namespace

std::vector<LeverEffect> LeverEffects(const ExperimentReport& report, std::size_t arm,
                                      std::size_t metric) {
  const std::size_t k = report.parameters.size();
  std::vector<LeverEffect> effects(k);
  for (auto& e : effects) {
    e.low = std::numeric_limits<double>::infinity();
    e.high = -std::numeric_limits<double>::infinity();
  }
  // Rows x = (1, scaled parameters), y = the point's mean. Parameters are
  // scaled to [0, 1] over their swept range so the slope is the effect.
  std::vector<std::vector<double>> xs;
  std::vector<double> ys;
  for (const PointReport& point : report.points) {
    if (arm >= point.arms.size() || metric >= point.arms[arm].metrics.size()) continue;
    const Summary& s = point.arms[arm].metrics[metric];
    if (s.n == 0 || !std::isfinite(s.mean)) continue;
    for (std::size_t i = 0; i < k; ++i) {
      effects[i].low = std::min(effects[i].low, point.parameter_values[i]);
      effects[i].high = std::max(effects[i].high, point.parameter_values[i]);
    }
    std::vector<double> x(point.parameter_values.begin(), point.parameter_values.end());
    xs.push_back(std::move(x));
    ys.push_back(s.mean);
  }
  const std::size_t n = ys.size();
  const std::size_t p = k + 1;
  auto undefined = [&effects, n] {
    for (auto& e : effects) {
      e.effect = e.ci_low = e.ci_high = kNaN;
      e.points = n;
    }
    return effects;
  };
  if (n < p + 1) return undefined();
  for (std::size_t i = 0; i < k; ++i) {
    if (!(effects[i].high > effects[i].low)) return undefined();
  }
  std::vector<double> xtx(p * p, 0.0), xty(p, 0.0);
  std::vector<double> row(p);
  for (std::size_t r = 0; r < n; ++r) {
    row[0] = 1.0;
    for (std::size_t i = 0; i < k; ++i) {
      row[i + 1] = (xs[r][i] - effects[i].low) / (effects[i].high - effects[i].low);
    }
    for (std::size_t a = 0; a < p; ++a) {
      xty[a] += row[a] * ys[r];
      for (std::size_t b = 0; b < p; ++b) xtx[a * p + b] += row[a] * row[b];
    }
    xs[r] = row;
  }
  if (!Invert(xtx, p)) return undefined();
  // A metric that never moves (censored at the horizon everywhere) has no
  // effect, exactly; the fit would give rounding noise instead.
  if (std::all_of(ys.begin(), ys.end(), [&ys](double y) { return y == ys.front(); })) {
    for (auto& e : effects) {
      e.effect = e.ci_low = e.ci_high = 0.0;
      e.points = n;
    }
    return effects;
  }
  std::vector<double> beta(p, 0.0);
  for (std::size_t a = 0; a < p; ++a) {
    for (std::size_t b = 0; b < p; ++b) beta[a] += xtx[a * p + b] * xty[b];
  }
  double rss = 0.0;
  for (std::size_t r = 0; r < n; ++r) {
    double fitted = 0.0;
    for (std::size_t a = 0; a < p; ++a) fitted += beta[a] * xs[r][a];
    rss += (ys[r] - fitted) * (ys[r] - fitted);
  }
  const double dof = static_cast<double>(n - p);
  const double sigma2 = rss / dof;
  const double t = StudentTQuantile(0.975, dof);
  for (std::size_t i = 0; i < k; ++i) {
    const double se = std::sqrt(std::max(0.0, sigma2 * xtx[(i + 1) * p + (i + 1)]));
    effects[i].effect = beta[i + 1];
    effects[i].ci_low = beta[i + 1] - t * se;
    effects[i].ci_high = beta[i + 1] + t * se;
    effects[i].points = n;
  }
  return effects;
}

}  // namespace orgsim::experiment
