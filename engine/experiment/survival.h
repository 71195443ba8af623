// Time-to-event statistics over replications, for outcomes that a run may
// not reach before its horizon (time to product-market fit): a run that
// never reaches the event is *right-censored* at the horizon, so a mean of
// "days, or the horizon if never" mixes two things and understates the
// difference between arms. These estimators use censored runs correctly.
//
//   std::vector<SurvivalTime> a = ..., b = ...;   // {time, event} per run
//   KaplanMeierCurve km = KaplanMeier(a);          // km.steps, km.median
//   HazardRatio hr = CoxHazardRatio(a, b);         // hr.ratio, hr.ci_low/high
//   LogRank lr = LogRankTest(a, b);                // lr.chi_square, lr.p_value
//
// Definitions (the conventions of R's survival package, so results can be
// checked there; the unit tests use the remission data of Freireich et al.
// 1963 as given by Gehan 1965 and Kleinbaum & Klein, "Survival Analysis",
// 3rd ed. 2012, ch. 2-3):
//  * Kaplan–Meier (1958): S(t) = prod over event times t_j <= t of
//    (1 - d_j / n_j), n_j at risk just before t_j (a run censored at t_j is
//    still at risk at t_j), d_j events at t_j.
//  * Greenwood's (1926) variance: Var S(t) = S(t)^2 sum d_j / (n_j (n_j - d_j)).
//  * Pointwise CI on the log(-log S) scale (Kalbfleisch & Prentice 2002,
//    §1.4; R's conf.type = "log-log"), which stays inside (0, 1).
//  * Median: the first time S(t) <= 0.5 (NaN when the curve stays above).
//  * Cox (1972) proportional hazards with one binary covariate (1 = sample
//    A, 0 = sample B), fitted by Newton–Raphson on the log partial
//    likelihood; ties by Efron's (1977) approximation (R's coxph default)
//    or Breslow's (1974). HR = exp(beta); Wald CI exp(beta ± z se), se from
//    the observed information at the estimate.
//  * Log-rank test (Mantel 1966; Peto & Peto 1972): sum over event times of
//    observed minus expected events in A with the hypergeometric variance;
//    chi-square on 1 df (R's survdiff, rho = 0).
// Undefined quantities (a hazard ratio when one sample has no events, so
// beta diverges) are NaN with `estimable` false, never an arbitrary number.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace orgsim::experiment {

// One run: when it ended and whether the event was observed (false: the
// run was censored at `time`, e.g. the horizon).
struct SurvivalTime {
  double time = 0;
  bool event = false;
};

// The curve at one distinct event time.
struct KaplanMeierStep {
  double time = 0;
  std::size_t at_risk = 0;  // n_j
  std::size_t events = 0;   // d_j
  double survival = 1;      // S(t_j)
  double std_error = 0;     // Greenwood
  double ci_low = 1;        // log-log pointwise CI
  double ci_high = 1;
};

struct KaplanMeierCurve {
  std::size_t n = 0;
  std::size_t events = 0;
  std::vector<KaplanMeierStep> steps;  // ascending time; S = 1 before the first
  double median = 0;                   // NaN when S never falls to 0.5
  double last_time = 0;                // largest time observed (event or censoring)
};

// REQUIRES: 0 < confidence < 1; times finite.
KaplanMeierCurve KaplanMeier(std::span<const SurvivalTime> sample, double confidence = 0.95);

// S(t) of a curve (a right-continuous step function).
double SurvivalAt(const KaplanMeierCurve& curve, double t);

enum class Ties { kEfron, kBreslow };

// Hazard of A relative to B (A = 1 in the Cox model).
struct HazardRatio {
  bool estimable = false;  // false when a sample has no events or no data
  double beta = 0;         // log hazard ratio
  double std_error = 0;
  double ratio = 0;  // exp(beta)
  double ci_low = 0;
  double ci_high = 0;
  double p_value = 0;  // Wald, two-sided
  int iterations = 0;
};

HazardRatio CoxHazardRatio(std::span<const SurvivalTime> a, std::span<const SurvivalTime> b,
                           Ties ties = Ties::kEfron, double confidence = 0.95);

struct LogRank {
  double observed_a = 0;
  double expected_a = 0;
  double observed_b = 0;
  double expected_b = 0;
  double variance = 0;    // of observed_a - expected_a
  double chi_square = 0;  // NaN when variance is 0
  double p_value = 0;
};

LogRank LogRankTest(std::span<const SurvivalTime> a, std::span<const SurvivalTime> b);

// Wilson (1927) score interval of a binomial proportion `successes / n`.
struct Proportion {
  double share = 0;
  double ci_low = 0;
  double ci_high = 0;
};
Proportion WilsonInterval(std::size_t successes, std::size_t n, double confidence = 0.95);

}  // namespace orgsim::experiment
