// Valid input never becomes an internal error, and a run can be stopped
// from outside: an arrival rate at the bottom of its range draws gaps too
// long for int64 ticks (they saturate beyond the horizon); a cancel flag
// stops a replication between events; the cost estimate grows with what
// drives it.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>

#include "engine/model/cost.h"
#include "engine/model/presets.h"
#include "engine/model/run.h"

namespace orgsim::model {
namespace {

TEST(RunBounds, ATinyArrivalRateRunsWithoutAnInternalError) {
  // Gaps of about 1e9 days overflowed llround and were "scheduled in the past".
  ModelConfig cfg = QueueingConfig({.servers = 1,
                                    .arrival_rate_per_day = 0.5,
                                    .effort_mean_days = 1,
                                    .horizon_days = 3650,
                                    .warmup_days = 365});
  cfg.work.exogenous_arrival_rate_per_day = 1e-9;
  for (std::uint32_t r = 0; r < 20; ++r) {
    const RunOutcome out = RunReplication(cfg, {.seed = 1, .replication = r});
    ASSERT_FALSE(out.metrics.empty());
    EXPECT_TRUE(std::isfinite(out.Metric("cycle_time_mean_days"))) << r;
  }
}

TEST(RunBounds, ACancelFlagStopsTheReplicationBetweenEvents) {
  const ModelConfig cfg = QueueingConfig({.servers = 1,
                                          .arrival_rate_per_day = 0.5,
                                          .effort_mean_days = 1,
                                          .horizon_days = 3650,
                                          .warmup_days = 365});
  const PreparedModel model(cfg);
  const RunOutcome full = RunReplication(model, {.seed = 3});
  ASSERT_GT(full.events, 1000u);
  std::atomic<bool> cancel{true};
  RunOptions options;
  options.cancel = &cancel;
  const RunOutcome stopped = RunReplication(model, {.seed = 3}, options);
  EXPECT_TRUE(stopped.cancelled);
  EXPECT_TRUE(stopped.metrics.empty());
  EXPECT_LT(stopped.events, full.events);
  // A flag that stays false changes nothing.
  cancel = false;
  const RunOutcome same = RunReplication(model, {.seed = 3}, options);
  EXPECT_FALSE(same.cancelled);
  EXPECT_EQ(same.fingerprint, full.fingerprint);
  EXPECT_EQ(same.metrics, full.metrics);
}

TEST(RunBounds, TheCostEstimateIsGenerousForTheShippedCompanies) {
  for (const ModelConfig& cfg : {HeadlineCompany(), BassConfig({})}) {
    const RunCostEstimate cost = EstimateRunCost(cfg);
    for (std::uint32_t r = 0; r < 3; ++r) {
      EXPECT_GE(cost.events,
                static_cast<double>(RunReplication(cfg, {.seed = 5, .replication = r}).events));
    }
    EXPECT_LT(cost.events, kMaxEventsPerRun);
    EXPECT_LT(cost.bytes, kMaxBytesPerRun);
  }
}

TEST(RunBounds, TheCostEstimateGrowsWithHorizonAndArrivals) {
  ModelConfig cfg = QueueingConfig({.servers = 1,
                                    .arrival_rate_per_day = 0.5,
                                    .effort_mean_days = 1,
                                    .horizon_days = 3650,
                                    .warmup_days = 365});
  const RunCostEstimate base = EstimateRunCost(cfg);
  // The estimate is an upper-side guess of what the run does.
  EXPECT_GE(base.events, static_cast<double>(RunReplication(cfg, {.seed = 1}).events));
  EXPECT_LT(base.events, kMaxEventsPerRun);
  cfg.work.exogenous_arrival_rate_per_day = 10000;
  cfg.horizon_days = 36500;
  const RunCostEstimate flood = EstimateRunCost(cfg);
  EXPECT_GT(flood.events, kMaxEventsPerRun);
  EXPECT_GT(flood.bytes, kMaxBytesPerRun);
}

}  // namespace
}  // namespace orgsim::model
