// Survival statistics (engine/experiment/survival.h) against textbook values:
// the remission data of Freireich et al. (1963), weeks in remission of 21
// leukaemia patients on 6-mercaptopurine (censored: *) and 21 on placebo, as
// tabulated by Gehan (1965) and in Kleinbaum & Klein, "Survival Analysis"
// (3rd ed. 2012), ch. 2 (Kaplan–Meier) and ch. 3 (Cox):
//   6-MP:    6 6 6 6* 7 9* 10 10* 11* 13 16 17* 19* 20* 22 23 25* 32* 32* 34* 35*
//   placebo: 1 1 2 2 3 4 4 5 5 8 8 8 8 11 11 12 12 15 17 22 23
// Published values (the same as R's survfit, coxph and survdiff):
//   KM of 6-MP: S = .857 .807 .753 .690 .627 .538 .448 at 6 7 10 13 16 22 23,
//     Greenwood se .0764 .0869 .0963 .1068 .1141 .1282 .1346; median 23;
//   Cox, placebo vs 6-MP: Efron beta 1.572 (se .412, HR 4.817);
//     Breslow beta 1.509 (se .410, HR 4.523);
//   log-rank: placebo observed 21, expected 10.75, chi-square 16.8.
#include "engine/experiment/survival.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace orgsim::experiment {
namespace {

std::vector<SurvivalTime> SixMp() {
  return {{6, true},   {6, true},   {6, true},   {6, false}, {7, true},   {9, false},
          {10, true},  {10, false}, {11, false}, {13, true}, {16, true},  {17, false},
          {19, false}, {20, false}, {22, true},  {23, true}, {25, false}, {32, false},
          {32, false}, {34, false}, {35, false}};
}

std::vector<SurvivalTime> Placebo() {
  std::vector<SurvivalTime> out;
  for (double t : {1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23}) {
    out.push_back({t, true});
  }
  return out;
}

TEST(KaplanMeier, ReproducesTheTextbookCurveOfTheRemissionData) {
  const KaplanMeierCurve km = KaplanMeier(SixMp());
  const std::vector<double> times = {6, 7, 10, 13, 16, 22, 23};
  const std::vector<std::size_t> at_risk = {21, 17, 15, 12, 11, 7, 6};
  const std::vector<double> survival = {0.8571, 0.8067, 0.7529, 0.6902, 0.6275, 0.5378, 0.4482};
  const std::vector<double> se = {0.0764, 0.0869, 0.0963, 0.1068, 0.1141, 0.1282, 0.1346};
  ASSERT_EQ(km.steps.size(), times.size());
  for (std::size_t i = 0; i < times.size(); ++i) {
    EXPECT_EQ(km.steps[i].time, times[i]);
    EXPECT_EQ(km.steps[i].at_risk, at_risk[i]) << "censored at t stay at risk at t";
    EXPECT_NEAR(km.steps[i].survival, survival[i], 5e-5);
    EXPECT_NEAR(km.steps[i].std_error, se[i], 5e-5);
  }
  EXPECT_EQ(km.n, 21u);
  EXPECT_EQ(km.events, 9u);
  EXPECT_EQ(km.median, 23);
  EXPECT_EQ(km.last_time, 35);
  EXPECT_EQ(SurvivalAt(km, 5.9), 1.0);
  EXPECT_NEAR(SurvivalAt(km, 9), 0.8067, 5e-5);
  EXPECT_NEAR(SurvivalAt(km, 100), 0.4482, 5e-5);
}

TEST(KaplanMeier, LogLogIntervalIsGreenwoodOnTheLogMinusLogScale) {
  const KaplanMeierCurve km = KaplanMeier(SixMp());
  // At t = 6: S = 18/21, Greenwood sum = 3 / (21 * 18).
  const double s = 18.0 / 21.0;
  const double spread = 1.959963985 * std::sqrt(3.0 / (21.0 * 18.0)) / std::fabs(std::log(s));
  EXPECT_NEAR(km.steps[0].ci_low, std::pow(s, std::exp(spread)), 1e-9);
  EXPECT_NEAR(km.steps[0].ci_high, std::pow(s, std::exp(-spread)), 1e-9);
  for (const KaplanMeierStep& step : km.steps) {
    EXPECT_GT(step.ci_low, 0.0);
    EXPECT_LT(step.ci_low, step.survival);
    EXPECT_GT(step.ci_high, step.survival);
    EXPECT_LT(step.ci_high, 1.0);
  }
}

TEST(KaplanMeier, WithoutCensoringItIsTheEmpiricalSurvivalFunction) {
  const KaplanMeierCurve km = KaplanMeier(Placebo());
  EXPECT_NEAR(SurvivalAt(km, 8), 8.0 / 21.0, 1e-12);  // 13 of 21 ended by week 8
  EXPECT_EQ(km.steps.back().survival, 0.0);
  EXPECT_EQ(km.median, 8);
}

TEST(KaplanMeier, EveryRunCensoredGivesAFlatCurveAndNoMedian) {
  const std::vector<SurvivalTime> censored(10, SurvivalTime{.time = 730, .event = false});
  const KaplanMeierCurve km = KaplanMeier(censored);
  EXPECT_TRUE(km.steps.empty());
  EXPECT_TRUE(std::isnan(km.median));
  EXPECT_EQ(SurvivalAt(km, 730), 1.0);
}

TEST(CoxHazardRatio, EfronTiesReproduceTheTextbookFit) {
  const HazardRatio hr = CoxHazardRatio(Placebo(), SixMp(), Ties::kEfron);
  ASSERT_TRUE(hr.estimable);
  EXPECT_NEAR(hr.beta, 1.572, 5e-4);
  EXPECT_NEAR(hr.std_error, 0.412, 5e-4);
  EXPECT_NEAR(hr.ratio, 4.817, 5e-3);
  EXPECT_NEAR(hr.ci_low, std::exp(hr.beta - 1.959963985 * hr.std_error), 1e-6);
  EXPECT_NEAR(hr.ci_high, std::exp(hr.beta + 1.959963985 * hr.std_error), 1e-6);
  EXPECT_LT(hr.p_value, 0.001);
}

TEST(CoxHazardRatio, BreslowTiesReproduceTheTextbookFit) {
  const HazardRatio hr = CoxHazardRatio(Placebo(), SixMp(), Ties::kBreslow);
  ASSERT_TRUE(hr.estimable);
  EXPECT_NEAR(hr.beta, 1.509, 5e-4);
  EXPECT_NEAR(hr.std_error, 0.410, 5e-4);
  EXPECT_NEAR(hr.ratio, 4.523, 5e-3);
}

TEST(CoxHazardRatio, SwappingTheSamplesInvertsTheRatio) {
  const HazardRatio ab = CoxHazardRatio(Placebo(), SixMp());
  const HazardRatio ba = CoxHazardRatio(SixMp(), Placebo());
  EXPECT_NEAR(ab.beta, -ba.beta, 1e-9);
  EXPECT_NEAR(ab.std_error, ba.std_error, 1e-9);
}

TEST(CoxHazardRatio, IdenticalSamplesGiveARatioOfOne) {
  const HazardRatio hr = CoxHazardRatio(SixMp(), SixMp());
  ASSERT_TRUE(hr.estimable);
  EXPECT_NEAR(hr.beta, 0.0, 1e-12);
  EXPECT_LT(hr.ci_low, 1.0);
  EXPECT_GT(hr.ci_high, 1.0);
}

TEST(CoxHazardRatio, NoEventsInOneSampleIsNotEstimable) {
  const std::vector<SurvivalTime> censored(10, SurvivalTime{.time = 730, .event = false});
  const HazardRatio hr = CoxHazardRatio(SixMp(), censored);
  EXPECT_FALSE(hr.estimable);
  EXPECT_TRUE(std::isnan(hr.ratio));
}

TEST(LogRankTest, ReproducesTheTextbookTest) {
  const LogRank lr = LogRankTest(Placebo(), SixMp());
  EXPECT_EQ(lr.observed_a, 21);
  EXPECT_EQ(lr.observed_b, 9);
  EXPECT_NEAR(lr.expected_a, 10.75, 5e-3);
  EXPECT_NEAR(lr.expected_a + lr.expected_b, 30, 1e-9);
  EXPECT_NEAR(lr.chi_square, 16.79, 5e-3);
  EXPECT_LT(lr.p_value, 1e-4);
}

TEST(WilsonInterval, ReproducesNewcombesExample) {
  // Newcombe (1998), "Two-sided confidence intervals for the single
  // proportion", worked example 81 of 263: Wilson score interval 0.2553 to
  // 0.3662.
  const Proportion p = WilsonInterval(81, 263);
  EXPECT_DOUBLE_EQ(p.share, 81.0 / 263.0);
  EXPECT_NEAR(p.ci_low, 0.2553, 5e-5);
  EXPECT_NEAR(p.ci_high, 0.3662, 5e-5);
  const Proportion none = WilsonInterval(0, 20);
  EXPECT_EQ(none.ci_low, 0.0);
  EXPECT_GT(none.ci_high, 0.0);
}

}  // namespace
}  // namespace orgsim::experiment
