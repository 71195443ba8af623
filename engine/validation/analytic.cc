#include "engine/validation/analytic.h"

#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <numeric>

#include "engine/kernel/check.h"

namespace orgsim::validation {

double ErlangC(int servers, double offered_load) {
  ORGSIM_CHECK(servers >= 1 && offered_load >= 0 && offered_load < servers,
               "ErlangC needs servers >= 1 and 0 <= load < servers; got " << servers << ", "
                                                                          << offered_load);
  // sum_{k<c} a^k/k! and a^c/c! by one running term (no factorial overflow
  // for the server counts a scenario can have).
  double sum = 0, term = 1;
  for (int k = 0; k < servers; ++k) {
    if (k > 0) term *= offered_load / k;
    sum += term;
  }
  const double last = term * offered_load / servers;  // a^c / c!
  const double waiting = last * servers / (servers - offered_load);
  return waiting / (sum + waiting);
}

namespace {
// Every other mean of a stable queue follows from its mean wait: W = Wq + E[S],
// Lq = lambda Wq and L = lambda W (Little), and busy servers = lambda E[S].
QueueMeans FromWait(double arrival_rate, double service_mean, double wait) {
  QueueMeans q;
  q.service = service_mean;
  q.wait = wait;
  q.sojourn = wait + service_mean;
  q.in_queue = arrival_rate * wait;
  q.in_service = arrival_rate * service_mean;
  q.in_system = arrival_rate * q.sojourn;
  return q;
}
}  // namespace

QueueMeans MmcMeans(int servers, double arrival_rate, double service_rate) {
  ORGSIM_CHECK(arrival_rate > 0 && service_rate > 0 && arrival_rate < servers * service_rate,
               "MmcMeans needs 0 < lambda < c mu");
  const double a = arrival_rate / service_rate;
  return FromWait(arrival_rate, 1 / service_rate,
                  ErlangC(servers, a) / (servers * service_rate - arrival_rate));
}

QueueMeans Mg1Means(double arrival_rate, double service_mean, double service_scv) {
  const double rho = arrival_rate * service_mean;
  ORGSIM_CHECK(arrival_rate > 0 && service_mean > 0 && rho < 1 && service_scv >= 0,
               "Mg1Means needs rates > 0, rho < 1, scv >= 0");
  const double second_moment = service_mean * service_mean * (1 + service_scv);
  return FromWait(arrival_rate, service_mean, arrival_rate * second_moment / (2 * (1 - rho)));
}

double BassCumulativeFraction(double p, double q, double t) {
  ORGSIM_CHECK(p > 0 && q >= 0 && t >= 0, "BassCumulativeFraction needs p > 0, q >= 0, t >= 0");
  const double e = std::exp(-(p + q) * t);
  return (1 - e) / (1 + q / p * e);
}

std::vector<double> BassStochasticMean(int m, double p, double q, std::span<const double> times) {
  ORGSIM_CHECK(m >= 1 && p > 0 && q >= 0, "BassStochasticMean needs m >= 1, p > 0, q >= 0");
  const std::size_t states = static_cast<std::size_t>(m) + 1;
  std::vector<double> rate(states, 0.0);
  double max_rate = 0;
  for (std::size_t n = 0; n < states; ++n) {
    rate[n] = (p + q * static_cast<double>(n) / m) * static_cast<double>(m - static_cast<int>(n));
    max_rate = std::max(max_rate, rate[n]);
  }
  // Uniformization: with Lambda >= every rate, P(t + d) = sum_k Pois(k;
  // Lambda d) P(t) U^k, U = I + Q / Lambda, a stochastic matrix (so every
  // term is non-negative and nothing cancels). Chunks of Lambda d <= 8 keep
  // e^{-Lambda d} far from underflow.
  const double lambda = max_rate;
  std::vector<double> prob(states, 0.0), next(states), term(states), acc(states);
  prob[0] = 1.0;
  double now = 0;
  auto advance = [&](double dt) {
    const double x = lambda * dt;
    double weight = std::exp(-x), cumulative = weight;
    term = prob;
    for (std::size_t n = 0; n < states; ++n) acc[n] = weight * term[n];
    for (int k = 1; cumulative < 1 - 1e-15 && k < 1000; ++k) {
      // term <- term U
      for (std::size_t n = states; n-- > 0;) {
        double v = term[n] * (1 - rate[n] / lambda);
        if (n > 0) v += term[n - 1] * rate[n - 1] / lambda;
        next[n] = v;
      }
      term.swap(next);
      weight *= x / k;
      cumulative += weight;
      for (std::size_t n = 0; n < states; ++n) acc[n] += weight * term[n];
    }
    prob = acc;
  };
  std::vector<std::size_t> order(times.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return times[a] < times[b]; });
  std::vector<double> out(times.size(), 0.0);
  for (std::size_t i : order) {
    ORGSIM_CHECK(times[i] >= 0, "BassStochasticMean: negative time");
    if (lambda > 0) {
      while (now < times[i]) {
        const double dt = std::min(times[i] - now, 8.0 / lambda);
        advance(dt);
        now = std::min(times[i], now + dt);
      }
    }
    double mean = 0, mass = 0;
    for (std::size_t n = 0; n < states; ++n) {
      mean += static_cast<double>(n) * prob[n];
      mass += prob[n];
    }
    out[i] = mean / mass;  // mass is 1 up to the truncation (< 1e-12)
  }
  return out;
}

double PholdExpectedEventsPerChain(double lookahead, double mean, double end) {
  ORGSIM_CHECK(lookahead >= 0 && mean > 0 && end >= 0,
               "PholdExpectedEventsPerChain: bad arguments");
  if (lookahead == 0) return end / mean;  // Poisson process of rate 1/mean
  // P(S_k <= end) with S_k = k lookahead + Gamma(k, mean); the terms fall
  // off like a Poisson tail once k exceeds end / (lookahead + mean).
  double sum = 0;
  const double typical = end / (lookahead + mean);
  for (int k = 1; k * lookahead < end; ++k) {
    const double term = boost::math::gamma_p(static_cast<double>(k), (end - k * lookahead) / mean);
    sum += term;
    if (k > typical && term < 1e-17) break;
  }
  return sum;
}

}  // namespace orgsim::validation
