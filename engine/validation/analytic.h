// Closed forms the validation suite checks the model against.
//
// Queueing (M/M/c via Erlang C, M/G/1 via Pollaczek–Khinchine), Bass
// diffusion (the deterministic curve and the exact mean of the stochastic
// pure-birth process the model simulates), and the expected event count of
// PHOLD (a renewal count per event chain). Pure functions, no model types:
// tests/validation/analytic_test.cc checks them against textbook values.
//
//   QueueMeans q = MmcMeans(/*servers=*/4, /*arrival_rate=*/3, /*service_rate=*/1);
//   // q.sojourn == 1.509..., q.in_queue == 1.528...
//   double f = BassCumulativeFraction(0.03, 0.38, 5.0);  // share adopted at 5 years
//   double n = PholdExpectedEventsPerChain(/*lookahead=*/0.5, /*mean=*/1, /*end=*/100);
#pragma once

#include <span>
#include <vector>

namespace orgsim::validation {

// Erlang's C formula: the probability that an arrival to an M/M/c queue
// waits, for offered load a = lambda / mu. REQUIRES: servers >= 1,
// 0 <= offered_load < servers.
double ErlangC(int servers, double offered_load);

// Steady-state means of a FIFO queue; times in the unit of the rates.
struct QueueMeans {
  double sojourn = 0;     // W: arrival to departure
  double wait = 0;        // Wq: arrival to start of service
  double service = 0;     // E[S]
  double in_queue = 0;    // Lq = lambda Wq
  double in_service = 0;  // lambda E[S] (busy servers)
  double in_system = 0;   // L = lambda W
};

// M/M/c (Erlang C). REQUIRES: servers >= 1, rates > 0, lambda < c mu.
QueueMeans MmcMeans(int servers, double arrival_rate, double service_rate);

// M/G/1 (Pollaczek–Khinchine): Wq = lambda E[S^2] / (2 (1 - rho)) with
// E[S^2] = E[S]^2 (1 + scv), scv = squared coefficient of variation of the
// service time (1 exponential, 0 deterministic, cv^2 lognormal).
// REQUIRES: rates > 0, lambda E[S] < 1, scv >= 0.
QueueMeans Mg1Means(double arrival_rate, double service_mean, double service_scv);

// The Bass (1969) cumulative adoption share
//   F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}),
// the solution of dF/dt = (p + q F)(1 - F), F(0) = 0. Same time unit as p, q.
// REQUIRES: p > 0, q >= 0, t >= 0.
double BassCumulativeFraction(double p, double q, double t);

// The exact expected number of adopters E[N(t)] of the stochastic Bass
// model: a pure-birth Markov chain on {0..m} with N(0) = 0 and birth rate
// (p + q n / m)(m - n) in state n. For finite m it lies slightly below
// m F(t) (the deterministic curve is its mean-field limit). Solved by
// uniformization of the forward equations, to a truncation error below
// 1e-12 in probability. Returns one value per entry of `times`.
// REQUIRES: m >= 1, p > 0, q >= 0, times >= 0.
std::vector<double> BassStochasticMean(int m, double p, double q, std::span<const double> times);

// The expected number of events in [0, end] of one PHOLD event chain: a
// renewal process whose inter-event times are lookahead + Exp(mean), the
// first one included (an ordinary renewal process from 0):
//   M(end) = sum_{k >= 1} P(k lookahead + Gamma(k, mean) <= end).
// For lookahead 0 it is end / mean exactly (a Poisson process); for
// lookahead > 0 it is end / (lookahead + mean) - lookahead (2 mean +
// lookahead) / (2 (lookahead + mean)^2) + o(1), below the elementary
// renewal value end / (lookahead + mean).
// REQUIRES: lookahead >= 0, mean > 0, end >= 0.
double PholdExpectedEventsPerChain(double lookahead, double mean, double end);

}  // namespace orgsim::validation
