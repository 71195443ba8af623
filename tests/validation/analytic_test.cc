// The closed forms of engine/validation/analytic.h against textbook values
// and exact properties.
#include "engine/validation/analytic.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace orgsim::validation {
namespace {

TEST(ErlangC, TextbookValues) {
  // M/M/1: an arrival waits with probability rho.
  EXPECT_DOUBLE_EQ(ErlangC(1, 0.3), 0.3);
  // By hand from C = (a^c/c!)(c/(c-a)) / (sum_{k<c} a^k/k! + (a^c/c!)(c/(c-a))).
  EXPECT_NEAR(ErlangC(2, 1.0), 1.0 / 3.0, 1e-15);
  EXPECT_NEAR(ErlangC(3, 2.0), 4.0 / 9.0, 1e-15);
  EXPECT_NEAR(ErlangC(4, 3.0), 27.0 / 53.0, 1e-15);    // 0.5094, as in scenarios/validation/mmc
  EXPECT_NEAR(ErlangC(2, 1.6), 128.0 / 180.0, 1e-15);  // 0.7111, scenarios/validation/mmc_two
  EXPECT_DOUBLE_EQ(ErlangC(5, 0.0), 0.0);
  // Large c: no overflow, and the probability is in (0, 1).
  const double big = ErlangC(150, 140.0);
  EXPECT_GT(big, 0.0);
  EXPECT_LT(big, 1.0);
}

TEST(MmcMeans, MatchesMm1AndLittle) {
  const QueueMeans q = MmcMeans(1, 0.5, 1.0);
  EXPECT_NEAR(q.sojourn, 2.0, 1e-15);    // 1 / (mu - lambda)
  EXPECT_NEAR(q.in_system, 1.0, 1e-15);  // rho / (1 - rho)
  EXPECT_NEAR(q.in_queue, 0.5, 1e-15);   // rho^2 / (1 - rho)
  const QueueMeans m4 = MmcMeans(4, 3.0, 1.0);
  EXPECT_NEAR(m4.sojourn, 1.0 + 27.0 / 53.0, 1e-14);
  EXPECT_NEAR(m4.in_system, 3.0 * m4.sojourn, 1e-14);
  EXPECT_NEAR(m4.in_service, 3.0, 1e-15);
  EXPECT_NEAR(m4.in_queue + m4.in_service, m4.in_system, 1e-14);
}

TEST(Mg1Means, PollaczekKhinchine) {
  // Exponential service (scv 1) is M/M/1.
  EXPECT_NEAR(Mg1Means(0.8, 1.0, 1.0).sojourn, MmcMeans(1, 0.8, 1.0).sojourn, 1e-13);
  // M/D/1 at rho 0.5: W = 1/mu + rho / (2 mu (1 - rho)) = 1.5.
  EXPECT_NEAR(Mg1Means(0.5, 1.0, 0.0).sojourn, 1.5, 1e-15);
  // Lognormal cv 1.5 at rho 0.4: 1 + 0.4 x 3.25 / 1.2.
  EXPECT_NEAR(Mg1Means(0.4, 1.0, 2.25).sojourn, 1.0 + 0.4 * 3.25 / 1.2, 1e-15);
}

TEST(Bass, ClosedForm) {
  const double p = 0.03, q = 0.38;
  EXPECT_DOUBLE_EQ(BassCumulativeFraction(p, q, 0.0), 0.0);
  EXPECT_NEAR(BassCumulativeFraction(p, q, 1.0), 0.0357581642564416, 1e-14);
  EXPECT_NEAR(BassCumulativeFraction(p, q, 1e3), 1.0, 1e-12);
  // Peak adoption at t* = ln(q/p)/(p+q), where F(t*) = 1/2 - p/(2q) (Bass 1969).
  const double peak = std::log(q / p) / (p + q);
  EXPECT_NEAR(BassCumulativeFraction(p, q, peak), 0.5 - p / (2 * q), 1e-14);
  // F solves dF/dt = (p + q F)(1 - F).
  for (double t : {0.5, 3.0, 9.0}) {
    const double h = 1e-5, f = BassCumulativeFraction(p, q, t);
    const double slope =
        (BassCumulativeFraction(p, q, t + h) - BassCumulativeFraction(p, q, t - h)) / (2 * h);
    EXPECT_NEAR(slope, (p + q * f) * (1 - f), 1e-8) << t;
  }
}

TEST(Bass, StochasticMeanExactCases) {
  const std::vector<double> times = {0.0, 0.5, 2.0, 10.0};
  // One potential adopter: an exponential waiting time of rate p.
  const std::vector<double> one = BassStochasticMean(1, 0.3, 0.7, times);
  // Without imitation, m independent exponentials.
  const std::vector<double> independent = BassStochasticMean(50, 0.2, 0.0, times);
  for (std::size_t i = 0; i < times.size(); ++i) {
    EXPECT_NEAR(one[i], 1 - std::exp(-0.3 * times[i]), 1e-12) << times[i];
    EXPECT_NEAR(independent[i], 50 * (1 - std::exp(-0.2 * times[i])), 1e-10) << times[i];
  }
}

TEST(Bass, StochasticMeanLiesJustBelowTheCurve) {
  // The birth rate is concave in n, so E[N(t)] <= m F(t) (Jensen), and the
  // gap shrinks relative to m as m grows (F is the mean-field limit).
  const double p = 0.03, q = 0.38;
  const std::vector<double> times = {1.0, 5.0, 10.0};
  const std::vector<double> small = BassStochasticMean(100, p, q, times);
  const std::vector<double> large = BassStochasticMean(2000, p, q, times);
  for (std::size_t i = 0; i < times.size(); ++i) {
    const double f = BassCumulativeFraction(p, q, times[i]);
    EXPECT_LE(small[i], 100 * f + 1e-9);
    EXPECT_LE(large[i], 2000 * f + 1e-9);
    EXPECT_LT(std::abs(large[i] / 2000 - f), std::abs(small[i] / 100 - f) + 1e-12) << times[i];
    EXPECT_LT(std::abs(large[i] / 2000 - f), 0.01) << times[i];
  }
}

TEST(Phold, RenewalCount) {
  // Lookahead 0: a Poisson process, T / mean.
  EXPECT_DOUBLE_EQ(PholdExpectedEventsPerChain(0.0, 2.0, 100.0), 50.0);
  // First event at lookahead + Exp(mean): none before the lookahead, and
  // P(1 + Exp(1) <= 1.5) = 1 - e^{-1/2} in [1, 2).
  EXPECT_DOUBLE_EQ(PholdExpectedEventsPerChain(1.0, 1.0, 0.5), 0.0);
  EXPECT_NEAR(PholdExpectedEventsPerChain(1.0, 1.0, 1.5), 1 - std::exp(-0.5), 1e-14);
  // Long horizon: T/mu + (sigma^2 - mu^2)/(2 mu^2), mu = lookahead + mean,
  // sigma = mean (renewal theory; the error decays exponentially).
  EXPECT_NEAR(PholdExpectedEventsPerChain(1.0, 1.0, 200.0), 100.0 - 0.375, 1e-9);
  EXPECT_NEAR(PholdExpectedEventsPerChain(0.5, 1.0, 200.0), 200.0 / 1.5 - 0.5 * 2.5 / (2 * 2.25),
              1e-9);
}

}  // namespace
}  // namespace orgsim::validation
