// Mechanism tests of the product-market fit criterion (PmfConfig, checked at
// every month end in Books::CheckPmf): when it is met, when each of its
// conditions blocks it, and what time_to_pmf_days reports when it is never
// met. They use the self-serve Bass configuration (no organization, no
// drift, no decay), where every account's fit equals the uniform
// capability, so the criterion's inputs are set directly.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/kernel/sim_time.h"
#include "engine/model/presets.h"
#include "engine/model/run.h"

namespace orgsim::model {
namespace {

kernel::StreamKey Key(std::uint32_t rep) {
  return {.seed = 11, .design_point = 0, .replication = rep};
}

// Day of the n-th month end (months are 1/12 of a 365-day year).
double MonthEndDay(int n) { return kernel::ToDays(n * kernel::kTicksPerMonth); }

// 50 customers from day 0, capability `fit` on every dimension (so every
// account's fit is `fit`), no churn, no new leads: only the criterion's
// inputs vary between tests.
ModelConfig PmfWorld(double fit, double horizon_days = 730.0) {
  ModelConfig c =
      BassConfig({.potential_customers = 1000, .p = 0.0, .q = 0.0, .horizon_days = horizon_days});
  c.market.initial_capability = fit;
  c.market.segments[0].initial_customers = 50;
  return c;
}

struct PmfRun {
  RunOutcome out;
  std::vector<double> pmf_event_days;
};

PmfRun RunPmf(const ModelConfig& c, std::uint32_t rep = 0) {
  PmfRun r;
  RunOptions o;
  o.trace = [&r](const TraceEvent& e) {
    if (e.kind == "pmf") r.pmf_event_days.push_back(kernel::ToDays(e.time));
  };
  r.out = RunReplication(c, Key(rep), o);
  return r;
}

TEST(Pmf, ReachedAtTheMonthEndThatCompletesTheQualifyingStreak) {
  for (int months : {1, 3, 6}) {
    ModelConfig c = PmfWorld(0.8);
    c.pmf.pmf_months = months;
    const PmfRun r = RunPmf(c);
    EXPECT_EQ(r.out.Metric("pmf_reached"), 1.0) << months;
    EXPECT_DOUBLE_EQ(r.out.Metric("time_to_pmf_days"), MonthEndDay(months)) << months;
    // The trace reports it once, on that day.
    ASSERT_EQ(r.pmf_event_days.size(), 1u) << months;
    EXPECT_DOUBLE_EQ(r.pmf_event_days[0], MonthEndDay(months)) << months;
  }
}

TEST(Pmf, FitBelowTheMustHaveThresholdNeverReachesIt) {
  // Every account at fit 0.59 < 0.6: the must-have share is 0.
  const PmfRun below = RunPmf(PmfWorld(0.59));
  EXPECT_EQ(below.out.Metric("pmf_reached"), 0.0);
  EXPECT_TRUE(below.pmf_event_days.empty());
  // The same world with the threshold just below the accounts' fit
  // qualifies (account fit is a ratio of sums, so not exactly 0.59).
  ModelConfig below_threshold = PmfWorld(0.59);
  below_threshold.pmf.must_have_fit = 0.589;
  const PmfRun r = RunPmf(below_threshold);
  EXPECT_EQ(r.out.Metric("pmf_reached"), 1.0);
  EXPECT_DOUBLE_EQ(r.out.Metric("time_to_pmf_days"), MonthEndDay(3));
}

TEST(Pmf, ChurnAboveTheThresholdBlocksItWhereTheSameWorldWithoutTheChurnTestReachesIt) {
  // 2,000 accounts churning 20% a month (churn independent of fit): monthly
  // logo churn is far above 2% in every month of the year.
  ModelConfig churny = PmfWorld(0.8, 365.0);
  churny.market.segments[0].initial_customers = 2000;
  churny.market.segments[0].potential_customers = 4000;
  churny.market.segments[0].base_monthly_churn = 0.2;
  churny.market.churn_fit_elasticity = 0.0;
  for (std::uint32_t rep = 0; rep < 3; ++rep) {
    const PmfRun r = RunPmf(churny, rep);
    EXPECT_GT(r.out.Metric("churned_customers"), 1000.0) << rep;
    EXPECT_EQ(r.out.Metric("pmf_reached"), 0.0) << rep;
    EXPECT_DOUBLE_EQ(r.out.Metric("time_to_pmf_days"), 365.0) << rep;
  }
  // Only the churn test stood in the way: allowing any churn (and keeping
  // well above min_customers) meets the criterion after pmf_months.
  ModelConfig lenient = churny;
  lenient.pmf.max_monthly_churn = 1.0;
  lenient.pmf.min_customers = 1;
  const PmfRun r = RunPmf(lenient);
  EXPECT_EQ(r.out.Metric("pmf_reached"), 1.0);
  EXPECT_DOUBLE_EQ(r.out.Metric("time_to_pmf_days"), MonthEndDay(lenient.pmf.pmf_months));
}

TEST(Pmf, TooFewCustomersBlocksIt) {
  ModelConfig c = PmfWorld(0.8);
  c.pmf.min_customers = 51;  // the world has 50 accounts and no leads
  EXPECT_EQ(RunPmf(c).out.Metric("pmf_reached"), 0.0);
  c.pmf.min_customers = 50;
  EXPECT_EQ(RunPmf(c).out.Metric("pmf_reached"), 1.0);
}

TEST(Pmf, NeverReachedReportsTheHorizonEvenOffAMonthEnd) {
  // A horizon that is not a month end: the metric is the horizon itself,
  // and the flag is 0.
  for (double horizon : {400.0, 730.0}) {
    const PmfRun r = RunPmf(PmfWorld(0.3, horizon));
    EXPECT_EQ(r.out.Metric("pmf_reached"), 0.0) << horizon;
    EXPECT_DOUBLE_EQ(r.out.Metric("time_to_pmf_days"), horizon) << horizon;
  }
  // A streak the horizon cuts short is not PMF: 6 qualifying months are
  // needed, the horizon holds 5 month ends.
  ModelConfig c = PmfWorld(0.8, 170.0);
  c.pmf.pmf_months = 6;
  const PmfRun r = RunPmf(c);
  EXPECT_EQ(r.out.Metric("pmf_reached"), 0.0);
  EXPECT_DOUBLE_EQ(r.out.Metric("time_to_pmf_days"), 170.0);
}

TEST(Pmf, ReachedOnlyOnceAndKeptWhenFitFallsAfterwards) {
  // Capability decays fast (0.5 a year, from 0.7): fit stays above 0.6 for
  // the first three month ends, then falls below it; PMF stays reached, on
  // its first day.
  ModelConfig c = PmfWorld(0.7);
  c.mechanisms.capability_decay = true;
  c.market.capability_decay_per_year = 0.5;
  const PmfRun r = RunPmf(c);
  ASSERT_EQ(r.out.Metric("pmf_reached"), 1.0);
  EXPECT_DOUBLE_EQ(r.out.Metric("time_to_pmf_days"), MonthEndDay(3));
  EXPECT_LT(r.out.Metric("fit_end"), 0.6);
  EXPECT_EQ(r.pmf_event_days.size(), 1u);
}

}  // namespace
}  // namespace orgsim::model
