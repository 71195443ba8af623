// Priority churn (engine/model/priority_churn.h; mechanisms.priority_churn):
// mechanism tests, never which design wins.
//   * more frequent re-ranks abandon more started work;
//   * protection of started work lowers the abandoned share (to 0 at full
//     protection);
//   * abandoned effort is part of the started effort, and each abandonment
//     is traced;
//   * switched off, nothing is abandoned.
#include <gtest/gtest.h>

#include <string>

#include "engine/model/presets.h"
#include "engine/model/run.h"
#include "tests/model/replications.h"

namespace orgsim::model {
namespace {

// The base company run product-led (a PM ranks the backlog and re-plans),
// one year, with priority churn and nothing else new.
ModelConfig Company() {
  ModelConfig c = HeadlineCompany();
  ApplyProductLed(c);
  c.horizon_days = 365;
  c.mechanisms.priority_churn = true;
  c.mechanisms.exceptions = false;
  return c;
}

double Mean(const ModelConfig& c, std::string_view metric, int reps = 4) {
  return MeanOverReplications(c, metric, reps, /*seed=*/7);
}

TEST(PriorityChurn, FrequentRerankingAbandonsMoreStartedWork) {
  // A re-rank is a team adopting a plan; both intervals are longer than a
  // plan's way to its teams (a shorter one is superseded before adoption).
  ModelConfig rare = Company();
  rare.organization.operating.planning_interval_days = 90;
  ModelConfig frequent = Company();
  frequent.organization.operating.planning_interval_days = 30;
  ASSERT_GT(Mean(frequent, "decisions_adopted_share"), 0.3);
  const double few = Mean(rare, "wip_abandoned_fraction");
  EXPECT_GT(Mean(frequent, "wip_abandoned_fraction"), few);
  EXPECT_GT(Mean(frequent, "items_abandoned"), Mean(rare, "items_abandoned"));
}

TEST(PriorityChurn, ProtectingStartedWorkLowersTheWaste) {
  ModelConfig none = Company();
  none.organization.operating.planning_interval_days = 14;
  none.organization.operating.priority_churn.wip_protection = 0;
  ModelConfig half = none;
  half.organization.operating.priority_churn.wip_protection = 0.5;
  ModelConfig full = none;
  full.organization.operating.priority_churn.wip_protection = 1;
  const double wasted = Mean(none, "wip_abandoned_fraction");
  EXPECT_GT(wasted, 0.0);
  EXPECT_LT(Mean(half, "wip_abandoned_fraction"), wasted);
  EXPECT_EQ(Mean(full, "wip_abandoned_fraction"), 0.0);
}

TEST(PriorityChurn, AbandonedEffortIsAShareOfStartedEffortAndTraced) {
  ModelConfig c = Company();
  c.organization.operating.planning_interval_days = 14;
  c.organization.operating.priority_churn.wip_protection = 0;
  int traced = 0;
  double traced_effort = 0;
  RunOptions options;
  options.trace = [&](const TraceEvent& e) {
    if (e.kind != "work_abandoned") return;
    ++traced;
    traced_effort += e.value1;
    EXPECT_GE(e.value1, 0.0);
  };
  const RunOutcome out = RunReplication(PreparedModel(c), {.seed = 4}, options);
  EXPECT_GT(traced, 0);
  EXPECT_EQ(out.Metric("items_abandoned"), traced);
  const double fraction = out.Metric("wip_abandoned_fraction");
  EXPECT_GT(fraction, 0.0);
  EXPECT_LT(fraction, 1.0);
  EXPECT_GT(traced_effort, 0.0);
}

TEST(PriorityChurn, OffAbandonsNothing) {
  ModelConfig c = Company();
  c.mechanisms.priority_churn = false;
  c.organization.operating.planning_interval_days = 7;
  const RunOutcome out = RunReplication(PreparedModel(c), {.seed = 3});
  EXPECT_EQ(out.Metric("wip_abandoned_fraction"), 0.0);
  EXPECT_EQ(out.Metric("items_abandoned"), 0.0);
}

}  // namespace
}  // namespace orgsim::model
