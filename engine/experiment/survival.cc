#include "engine/experiment/survival.h"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>

namespace orgsim::experiment {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double NormalQuantile(double p) { return boost::math::quantile(boost::math::normal(), p); }

// Per distinct event time of the pooled samples: at risk and events in A
// and in B.
struct RiskRow {
  double n_a = 0, n_b = 0, d_a = 0, d_b = 0;
};

std::vector<RiskRow> RiskTable(std::span<const SurvivalTime> a, std::span<const SurvivalTime> b) {
  struct Tagged {
    double time;
    bool event;
    bool in_a;
  };
  std::vector<Tagged> all;
  for (const SurvivalTime& s : a) all.push_back({s.time, s.event, true});
  for (const SurvivalTime& s : b) all.push_back({s.time, s.event, false});
  std::sort(all.begin(), all.end(),
            [](const Tagged& x, const Tagged& y) { return x.time < y.time; });
  double n_a = static_cast<double>(a.size());
  double n_b = static_cast<double>(b.size());
  std::vector<RiskRow> rows;
  for (std::size_t i = 0; i < all.size();) {
    RiskRow row;
    row.n_a = n_a;
    row.n_b = n_b;
    std::size_t j = i;
    for (; j < all.size() && all[j].time == all[i].time; ++j) {
      if (all[j].event) (all[j].in_a ? row.d_a : row.d_b) += 1;
      (all[j].in_a ? n_a : n_b) -= 1;  // leaves the risk set after t
    }
    if (row.d_a + row.d_b > 0) rows.push_back(row);
    i = j;
  }
  return rows;
}

// Log partial likelihood, score and information at beta.
struct Derivatives {
  double loglik = 0, score = 0, information = 0;
};

Derivatives PartialLikelihood(const std::vector<RiskRow>& rows, double beta, Ties ties) {
  Derivatives out;
  const double r = std::exp(beta);
  for (const RiskRow& row : rows) {
    const double d = row.d_a + row.d_b;
    out.loglik += row.d_a * beta;
    out.score += row.d_a;
    // Efron: the tied events leave the risk set in d equal fractions.
    const int parts = ties == Ties::kEfron ? static_cast<int>(d) : 1;
    for (int k = 0; k < parts; ++k) {
      const double f = ties == Ties::kEfron ? static_cast<double>(k) / d : 0.0;
      const double weight = ties == Ties::kEfron ? 1.0 : d;
      const double s1 = (row.n_a - f * row.d_a) * r;   // sum of x e^{beta x}
      const double s0 = (row.n_b - f * row.d_b) + s1;  // sum of e^{beta x}
      const double p = s1 / s0;
      out.loglik -= weight * std::log(s0);
      out.score -= weight * p;
      out.information += weight * p * (1 - p);
    }
  }
  return out;
}

}  // namespace

KaplanMeierCurve KaplanMeier(std::span<const SurvivalTime> sample, double confidence) {
  KaplanMeierCurve curve;
  curve.n = sample.size();
  curve.median = kNaN;
  std::vector<SurvivalTime> sorted(sample.begin(), sample.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const SurvivalTime& x, const SurvivalTime& y) { return x.time < y.time; });
  if (!sorted.empty()) curve.last_time = sorted.back().time;
  const double z = NormalQuantile(1 - (1 - confidence) / 2);
  double survival = 1;
  double greenwood = 0;  // sum d / (n (n - d))
  std::size_t at_risk = sorted.size();
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    std::size_t events = 0;
    for (; j < sorted.size() && sorted[j].time == sorted[i].time; ++j) {
      if (sorted[j].event) ++events;
    }
    if (events > 0) {
      const double n = static_cast<double>(at_risk);
      const double d = static_cast<double>(events);
      survival *= 1 - d / n;
      if (n > d) greenwood += d / (n * (n - d));
      KaplanMeierStep step;
      step.time = sorted[i].time;
      step.at_risk = at_risk;
      step.events = events;
      step.survival = survival;
      step.std_error = survival > 0 ? survival * std::sqrt(greenwood) : kNaN;
      if (survival > 0 && survival < 1 && greenwood > 0) {
        // log(-log S) has se sqrt(greenwood) / |log S|.
        const double spread = z * std::sqrt(greenwood) / std::fabs(std::log(survival));
        step.ci_low = std::pow(survival, std::exp(spread));
        step.ci_high = std::pow(survival, std::exp(-spread));
      } else {
        step.ci_low = step.ci_high = survival;
      }
      curve.events += events;
      curve.steps.push_back(step);
      if (std::isnan(curve.median) && survival <= 0.5) curve.median = sorted[i].time;
    }
    at_risk -= j - i;
    i = j;
  }
  return curve;
}

double SurvivalAt(const KaplanMeierCurve& curve, double t) {
  double s = 1;
  for (const KaplanMeierStep& step : curve.steps) {
    if (step.time > t) break;
    s = step.survival;
  }
  return s;
}

HazardRatio CoxHazardRatio(std::span<const SurvivalTime> a, std::span<const SurvivalTime> b,
                           Ties ties, double confidence) {
  HazardRatio hr;
  hr.beta = hr.std_error = hr.ratio = hr.ci_low = hr.ci_high = hr.p_value = kNaN;
  const auto events = [](std::span<const SurvivalTime> s) {
    return std::count_if(s.begin(), s.end(), [](const SurvivalTime& x) { return x.event; });
  };
  // With no events in one sample the likelihood increases without bound
  // as beta -> -inf or +inf: there is no estimate.
  if (events(a) == 0 || events(b) == 0) return hr;
  const std::vector<RiskRow> rows = RiskTable(a, b);
  double beta = 0;
  Derivatives at = PartialLikelihood(rows, beta, ties);
  for (int iteration = 1; iteration <= 50; ++iteration) {
    hr.iterations = iteration;
    if (!(at.information > 0)) return hr;
    double step = at.score / at.information;
    // Step halving keeps every iterate an ascent (the log partial
    // likelihood is concave, so this only guards against overshoot).
    Derivatives next = PartialLikelihood(rows, beta + step, ties);
    for (int halving = 0; halving < 30 && next.loglik < at.loglik; ++halving) {
      step /= 2;
      next = PartialLikelihood(rows, beta + step, ties);
    }
    beta += step;
    at = next;
    if (std::fabs(step) < 1e-10 * (1 + std::fabs(beta))) break;
  }
  if (!(at.information > 0) || !std::isfinite(beta)) return hr;
  const double z = NormalQuantile(1 - (1 - confidence) / 2);
  hr.estimable = true;
  hr.beta = beta;
  hr.std_error = 1 / std::sqrt(at.information);
  hr.ratio = std::exp(beta);
  hr.ci_low = std::exp(beta - z * hr.std_error);
  hr.ci_high = std::exp(beta + z * hr.std_error);
  const double wald = beta / hr.std_error;
  hr.p_value =
      2 * boost::math::cdf(boost::math::complement(boost::math::normal(), std::fabs(wald)));
  return hr;
}

LogRank LogRankTest(std::span<const SurvivalTime> a, std::span<const SurvivalTime> b) {
  LogRank lr;
  for (const RiskRow& row : RiskTable(a, b)) {
    const double n = row.n_a + row.n_b;
    const double d = row.d_a + row.d_b;
    lr.observed_a += row.d_a;
    lr.observed_b += row.d_b;
    lr.expected_a += d * row.n_a / n;
    lr.expected_b += d * row.n_b / n;
    if (n > 1) lr.variance += d * (row.n_a / n) * (row.n_b / n) * (n - d) / (n - 1);
  }
  if (lr.variance > 0) {
    const double u = lr.observed_a - lr.expected_a;
    lr.chi_square = u * u / lr.variance;
    lr.p_value =
        boost::math::cdf(boost::math::complement(boost::math::chi_squared(1), lr.chi_square));
  } else {
    lr.chi_square = lr.p_value = kNaN;
  }
  return lr;
}

Proportion WilsonInterval(std::size_t successes, std::size_t n, double confidence) {
  if (n == 0) return {kNaN, kNaN, kNaN};
  const double z = NormalQuantile(1 - (1 - confidence) / 2);
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(successes) / nn;
  const double denominator = 1 + z * z / nn;
  const double centre = (p + z * z / (2 * nn)) / denominator;
  const double half = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / denominator;
  return {p, std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

}  // namespace orgsim::experiment
