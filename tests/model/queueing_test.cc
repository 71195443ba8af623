// Degenerate configurations reproduce textbook results.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/model/presets.h"
#include "engine/model/run.h"

namespace orgsim::model {
namespace {

// Erlang C mean sojourn time of M/M/c.
double ErlangCSojourn(int c, double lambda, double mu) {
  const double a = lambda / mu, rho = a / c;
  double sum = 0, term = 1;
  for (int k = 0; k < c; ++k) {
    if (k > 0) term *= a / k;
    sum += term;
  }
  const double last = term * a / c / (1 - rho);  // a^c / c! / (1 - rho)
  const double p_wait = last / (sum + last);
  return p_wait / (c * mu - lambda) + 1 / mu;
}

struct Sample {
  double mean = 0, se = 0;
};

Sample LeadTimes(const ModelConfig& c, int reps) {
  const PreparedModel m(c);
  std::vector<double> v;
  for (int r = 0; r < reps; ++r) {
    v.push_back(RunReplication(m, {.seed = 11, .replication = static_cast<std::uint32_t>(r)})
                    .Metric("lead_time_mean_days"));
  }
  Sample s;
  for (double x : v) s.mean += x / reps;
  double var = 0;
  for (double x : v) var += (x - s.mean) * (x - s.mean) / (reps - 1);
  s.se = std::sqrt(var / reps);
  return s;
}

TEST(Queueing, MmcReproducesErlangC) {
  for (int c : {1, 3}) {
    const double mu = 1.0, lambda = 0.8 * c * mu;
    const ModelConfig cfg = QueueingConfig({.servers = c,
                                            .arrival_rate_per_day = lambda,
                                            .effort_mean_days = 1 / mu,
                                            .horizon_days = 6000,
                                            .warmup_days = 500});
    const Sample s = LeadTimes(cfg, 12);
    const double expected = ErlangCSojourn(c, lambda, mu);
    // Replication means are independent: 5 standard errors, plus 1% for the
    // tick rounding and the finite window.
    EXPECT_NEAR(s.mean, expected, 5 * s.se + 0.01 * expected) << "c=" << c;
  }
}

TEST(Queueing, Mg1ReproducesPollaczekKhinchine) {
  const double lambda = 0.7, mean = 1.0, cv = 1.5;
  const ModelConfig cfg = QueueingConfig({.servers = 1,
                                          .arrival_rate_per_day = lambda,
                                          .effort_mean_days = mean,
                                          .distribution = EffortDistribution::kLognormal,
                                          .effort_cv = cv,
                                          .horizon_days = 8000,
                                          .warmup_days = 500});
  const Sample s = LeadTimes(cfg, 12);
  const double rho = lambda * mean, es2 = mean * mean * (1 + cv * cv);
  const double expected = mean + lambda * es2 / (2 * (1 - rho));
  EXPECT_NEAR(s.mean, expected, 5 * s.se + 0.01 * expected);
}

TEST(Queueing, BassDiffusionWithFixedFitAndNoChurn) {
  const BassSpec spec{.potential_customers = 5000, .p = 0.03, .q = 0.38, .horizon_days = 1825};
  const ModelConfig cfg = BassConfig(spec);
  const PreparedModel m(cfg);
  const int reps = 10;
  double mean = 0;
  std::vector<double> v;
  for (int r = 0; r < reps; ++r) {
    v.push_back(RunReplication(m, {.seed = 3, .replication = static_cast<std::uint32_t>(r)})
                    .Metric("customers_end"));
    mean += v.back() / reps;
  }
  double var = 0;
  for (double x : v) var += (x - mean) * (x - mean) / (reps - 1);
  const double t = spec.horizon_days / 365.0, pq = spec.p + spec.q;
  const double f = (1 - std::exp(-pq * t)) / (1 + spec.q / spec.p * std::exp(-pq * t));
  const double expected = spec.potential_customers * f;
  // Stochastic Bass has mean close to the deterministic curve for large m;
  // allow 5 standard errors plus 3% for that mean-field gap.
  EXPECT_NEAR(mean, expected, 5 * std::sqrt(var / reps) + 0.03 * expected);
}

}  // namespace
}  // namespace orgsim::model
