// Mechanism tests of G&A and the runway rule (overhead.h): the runway rule
// stops hiring when cash is short, G&A is a cost that grows with the
// payroll. They assert mechanisms, never which design wins.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/model/presets.h"
#include "engine/model/world.h"

namespace orgsim::model {
namespace {

kernel::StreamKey Key(std::uint32_t rep) {
  return {.seed = 3, .design_point = 0, .replication = rep};
}

TEST(Overhead, RunwayAfterHireCountsTheHire) {
  EXPECT_NEAR(Overhead::RunwayAfterHire(1.2e6, 90000, 10000), 12.0, 1e-12);
  EXPECT_TRUE(std::isinf(Overhead::RunwayAfterHire(1e6, -50000, 10000)));
  EXPECT_EQ(Overhead::RunwayAfterHire(-5, 1000, 0), 0.0);
}

TEST(Overhead, RunwayRuleStopsHiring) {
  ModelConfig c = HeadlineCompany();
  c.horizon_days = 365;
  ASSERT_TRUE(c.mechanisms.overhead);
  ModelConfig poor = c;
  poor.finance.initial_cash = 1.5e6;  // a few months of burn
  const RunOutcome rich = RunReplication(c, Key(0), {});
  const RunOutcome short_of_cash = RunReplication(poor, Key(0), {});
  EXPECT_GT(rich.Metric("hires"), 0);
  EXPECT_EQ(short_of_cash.Metric("hires"), 0);
}

TEST(Overhead, TheRunwayRuleCountsTheHiresOwnCost) {
  // Over three years the base company's runway shrinks toward the freeze:
  // some planned hires are held back because the runway after them would be
  // too short, though the last month's runway alone would have allowed them.
  ModelConfig c = HeadlineCompany();
  ModelConfig off = c;
  off.mechanisms.overhead = false;
  double deferred = 0.0, deferred_off = 0.0;
  for (std::uint32_t rep = 0; rep < 4; ++rep) {
    deferred += RunReplication(c, Key(rep), {}).Metric("hires_deferred_runway");
    deferred_off += RunReplication(off, Key(rep), {}).Metric("hires_deferred_runway");
  }
  EXPECT_GT(deferred, 0.0);
  EXPECT_EQ(deferred_off, 0.0);
}

TEST(Overhead, GaIsACostThatGrowsWithPayroll) {
  ModelConfig c = HeadlineCompany();
  c.horizon_days = 365;
  ModelConfig off = c;
  off.mechanisms.overhead = false;
  const RunOutcome with_ga = RunReplication(c, Key(0), {});
  const RunOutcome without = RunReplication(off, Key(0), {});
  EXPECT_GT(with_ga.Metric("spend_share_ga"), without.Metric("spend_share_ga"));
  EXPECT_GT(with_ga.Metric("cost_total"), without.Metric("cost_total"));
  EXPECT_NEAR(with_ga.Metric("spend_share_rd") + with_ga.Metric("spend_share_sm") +
                  with_ga.Metric("spend_share_ga"),
              1.0, 1e-9);
}

}  // namespace
}  // namespace orgsim::model
