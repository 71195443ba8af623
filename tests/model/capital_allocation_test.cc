// Mechanism tests of capital allocation (capital_allocation.h): the best
// split maximises the value under the true returns, a misestimated return
// misallocates the budget and a perfect estimate does not, a PM without
// business ownership keeps the plan. They assert mechanisms, never which
// design wins.
#include <gtest/gtest.h>

#include "engine/model/presets.h"
#include "engine/model/world.h"

namespace orgsim::model {
namespace {

using Shares = CapitalAllocation::Shares;

kernel::StreamKey Key(std::uint32_t rep) {
  return {.seed = 9, .design_point = 0, .replication = rep};
}

TEST(CapitalAllocation, BestSharesMaximiseTheValue) {
  const double c = 0.15;
  for (const Shares& a : {Shares{3, 1, 1}, Shares{1, 2, 1.5}, Shares{0.2, 0.1, 5}}) {
    const Shares best = CapitalAllocation::BestShares(a, c);
    EXPECT_NEAR(best[0] + best[1] + best[2], 1.0, 1e-12);
    const double v = CapitalAllocation::Value(a, best, c);
    for (double b = 0; b <= 1.0001; b += 0.05) {
      for (double g = 0; b + g <= 1.0001; g += 0.05) {
        const Shares s{b, g, std::max(0.0, 1 - b - g)};
        EXPECT_LE(CapitalAllocation::Value(a, s, c), v + 1e-9);
      }
    }
  }
  // A bucket whose return is far below the others gets nothing.
  const Shares lopsided = CapitalAllocation::BestShares({10, 0.01, 1}, 0.15);
  EXPECT_EQ(lopsided[1], 0.0);
}

TEST(CapitalAllocation, MisestimatedReturnMisallocates) {
  const Shares truth{2.0, 1.0, 1.0};
  const Shares best = CapitalAllocation::BestShares(truth, 0.15);
  // Overestimating go-to-market moves budget there and loses value.
  const Shares wrong = CapitalAllocation::BestShares({2.0, 3.0, 1.0}, 0.15);
  EXPECT_GT(wrong[1], best[1]);
  EXPECT_LT(CapitalAllocation::Value(truth, wrong, 0.15),
            CapitalAllocation::Value(truth, best, 0.15));
}

ModelConfig Owner(double acumen) {
  ModelConfig c = HeadlineCompany();
  c.horizon_days = 365;
  c.mechanisms.capital_allocation = true;
  c.organization.pm.business_ownership = 1.0;
  c.organization.pm.business_acumen = acumen;
  c.finance.capital_allocation.estimate_sd = 1.0;
  return c;
}

TEST(CapitalAllocation, PerfectEstimateHasNoRegretAndNoisyOneHas) {
  const RunOutcome perfect = RunReplication(Owner(1.0), Key(0), {});
  EXPECT_NEAR(perfect.Metric("allocation_regret"), 0.0, 1e-9);
  double noisy_regret = 0.0;
  for (std::uint32_t rep = 0; rep < 3; ++rep) {
    noisy_regret += RunReplication(Owner(0.0), Key(rep), {}).Metric("allocation_regret");
  }
  EXPECT_GT(noisy_regret, 0.0);
}

TEST(CapitalAllocation, WithoutBusinessOwnershipThePlanHolds) {
  ModelConfig c = Owner(0.5);
  c.organization.pm.business_ownership = 0.0;
  std::vector<double> reallocated;
  RunOptions options;
  options.trace = [&](const TraceEvent& e) {
    if (e.kind == "budget_reallocated") reallocated.push_back(e.value1);
  };
  const RunOutcome out = RunReplication(c, Key(0), options);
  ASSERT_FALSE(reallocated.empty());
  EXPECT_NEAR(out.Metric("build_share_mean"), c.finance.capital_allocation.plan_build_share, 1e-12);
  EXPECT_NEAR(out.Metric("gtm_share_mean"), c.finance.capital_allocation.plan_gtm_share, 1e-12);
}

}  // namespace
}  // namespace orgsim::model
