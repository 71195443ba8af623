// Mechanism tests of awareness, channels and launches (awareness.h): the
// goodwill stock settles at spend × effect / decay, a launch batching more
// features lifts less per feature, the cost per paid lead rises with spend,
// launches batch releases instead of following every one. They assert
// mechanisms, never which design wins.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/model/presets.h"
#include "engine/model/world.h"

namespace orgsim::model {
namespace {

kernel::StreamKey Key(std::uint32_t rep) {
  return {.seed = 5, .design_point = 0, .replication = rep};
}

TEST(Awareness, StockSettlesAtInflowOverDecay) {
  const double inflow = 3.0, decay = 4.0;
  double stock = 0.0;
  for (int week = 0; week < 520; ++week) stock = Awareness::Step(stock, inflow, decay, 7.0 / 365);
  EXPECT_NEAR(stock, inflow / decay, 1e-9);
  // Above the steady state it decays toward it.
  EXPECT_LT(Awareness::Step(2.0, inflow, decay, 0.1), 2.0);
  EXPECT_GT(Awareness::Step(2.0, inflow, decay, 0.1), inflow / decay);
}

TEST(Awareness, LaunchLiftPerFeatureFallsWithBatchSize) {
  double previous_per_feature = 1e9, previous_total = 0.0;
  for (int n = 1; n <= 12; ++n) {
    const double lift = Awareness::LaunchLift(n, 0.3, 0.5);
    EXPECT_GT(lift, previous_total) << n;  // more features still lift more in total
    EXPECT_LT(lift / n, previous_per_feature) << n;
    previous_total = lift;
    previous_per_feature = lift / n;
  }
  // Elasticity 1: no diminishing returns.
  EXPECT_NEAR(Awareness::LaunchLift(8, 0.3, 1.0) / 8, Awareness::LaunchLift(1, 0.3, 1.0), 1e-12);
}

TEST(Awareness, CostPerPaidLeadRisesWithSpend) {
  double previous_cpl = 0.0, previous_leads = 0.0, previous_marginal = 1e9;
  for (double spend = 5000; spend <= 200000; spend += 5000) {
    const double cpl = Awareness::CostPerLead(spend, 400, 30000);
    const double leads = spend / cpl;
    EXPECT_GT(cpl, previous_cpl);
    EXPECT_GT(leads, previous_leads);
    EXPECT_LT(leads - previous_leads, previous_marginal);  // diminishing returns
    previous_marginal = leads - previous_leads;
    previous_cpl = cpl;
    previous_leads = leads;
  }
}

TEST(Awareness, LaunchesBatchReleases) {
  ModelConfig c = HeadlineCompany();
  c.horizon_days = 540;
  ASSERT_TRUE(c.mechanisms.awareness);
  std::vector<double> batches;
  RunOptions options;
  options.trace = [&](const TraceEvent& e) {
    if (e.kind == "launch") batches.push_back(e.value1);
  };
  const RunOutcome out = RunReplication(c, Key(0), options);
  ASSERT_GT(out.Metric("launches"), 0);
  EXPECT_EQ(static_cast<double>(batches.size()), out.Metric("launches"));
  for (double b : batches) EXPECT_GE(b, c.market.awareness.launch_min_features);
  EXPECT_GE(out.Metric("features_per_launch"), c.market.awareness.launch_min_features);
  EXPECT_GT(out.Metric("awareness_mean"), 0);
  // Bigger batches: fewer launches.
  ModelConfig big = c;
  big.market.awareness.launch_min_features = 3 * c.market.awareness.launch_min_features;
  const RunOutcome fewer = RunReplication(big, Key(0), {});
  EXPECT_LT(fewer.Metric("launches"), out.Metric("launches"));
}

TEST(Awareness, ContentSpendRaisesAwarenessAndPaidSpendBuysLeads) {
  ModelConfig c = HeadlineCompany();
  c.horizon_days = 365;
  c.mechanisms.capital_allocation = false;  // the budget as given
  ModelConfig rich = c;
  rich.finance.marketing_spend_per_month *= 4;
  const RunOutcome base = RunReplication(c, Key(1), {});
  const RunOutcome more = RunReplication(rich, Key(1), {});
  EXPECT_GT(more.Metric("awareness_mean"), base.Metric("awareness_mean"));
  EXPECT_GT(more.Metric("paid_leads_expected"), base.Metric("paid_leads_expected"));
  // Four times the spend buys fewer than four times the leads.
  EXPECT_LT(more.Metric("paid_leads_expected"), 4 * base.Metric("paid_leads_expected"));
}

TEST(Awareness, OffLeavesNoStock) {
  ModelConfig c = HeadlineCompany();
  c.horizon_days = 200;
  c.mechanisms.awareness = false;
  const RunOutcome out = RunReplication(c, Key(0), {});
  EXPECT_EQ(out.Metric("launches"), 0);
  EXPECT_EQ(out.Metric("awareness_mean"), 0);
}

}  // namespace
}  // namespace orgsim::model
