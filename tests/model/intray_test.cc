// In-trays and bounded attention (engine/model/attention_queue.h, intray.h;
// mechanisms.intray): mechanism tests, never which design wins.
//   * a busy holder's queue wait grows with its load (queue alone and a PM
//     in a replication);
//   * a message's effect happens only once it has been handled, so with
//     in-trays on a signal's fix is delayed by the in-tray wait;
//   * the attention rule changes which kind waits;
//   * pm_utilization is PM in-tray hours spent / attention hours available.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/kernel/distributions.h"
#include "engine/kernel/simulation.h"
#include "engine/model/attention_queue.h"
#include "engine/model/mechanisms.h"
#include "engine/model/presets.h"
#include "engine/model/run.h"
#include "engine/model/world.h"
#include "tests/model/replications.h"

namespace orgsim::model {
namespace {

kernel::StreamKey Key(std::uint32_t replication, std::string_view stream = "test/intray") {
  return kernel::WithStream({.seed = 11, .design_point = 0, .replication = replication}, stream);
}

// Poisson arrivals of `kinds` kinds (rate per kind, per day) to one holder
// with one hour of attention a day, handling mean `mean_hours` each, over
// `days`; returns the mean wait per kind.
std::vector<double> Drive(AttentionRule rule, double rate_per_kind, double mean_hours, int kinds,
                          double days, std::uint32_t replication) {
  kernel::Simulation sim;
  kernel::RandomStream handling(Key(replication, "test/intray/handling"));
  kernel::RandomStream arrivals(Key(replication, "test/intray/arrivals"));
  AttentionQueues trays(sim, handling, rule, 0.5, kinds);
  const int holder = trays.AddHolder(1.0);
  kernel::HandlerId arrive = 0;
  arrive = sim.RegisterHandler("arrive", [&](kernel::EventPayload kind) {
    trays.Post(holder, static_cast<int>(kind), mean_hours, nullptr);
    sim.Schedule(kernel::Days(kernel::Exponential(arrivals, 1.0 / rate_per_kind)), arrive, kind);
  });
  for (int k = 0; k < kinds; ++k) {
    sim.Schedule(kernel::Days(kernel::Exponential(arrivals, 1.0 / rate_per_kind)), arrive,
                 static_cast<kernel::EventPayload>(k));
  }
  sim.RunUntil(kernel::Days(days));
  std::vector<double> waits;
  for (int k = 0; k < kinds; ++k) {
    const AttentionQueues::KindStats& s = trays.stats(holder, k);
    waits.push_back(s.started > 0 ? s.wait_days_sum / static_cast<double>(s.started) : 0.0);
  }
  return waits;
}

TEST(AttentionQueues, BusyHolderWaitGrowsWithLoad) {
  double previous = -1;
  for (double rho : {0.2, 0.5, 0.8}) {
    double wait = 0;
    for (std::uint32_t r = 0; r < 4; ++r)
      wait += Drive(AttentionRule::kFifo, 1.0, rho, 1, 3000, r)[0];
    EXPECT_GT(wait, previous) << "rho " << rho;
    previous = wait;
  }
}

TEST(AttentionQueues, EffectRunsOnlyAfterHandling) {
  kernel::Simulation sim;
  kernel::RandomStream rng(Key(0));
  AttentionQueues trays(sim, rng, AttentionRule::kFifo, 0.5, 1);
  const int holder = trays.AddHolder(2.0);  // two hours a day
  std::vector<double> done_days;
  // Both arrive at 0; the second waits for the first to be handled.
  trays.Post(holder, 0, 4.0, [&] { done_days.push_back(kernel::ToDays(sim.Now())); });
  trays.Post(holder, 0, 4.0, [&] { done_days.push_back(kernel::ToDays(sim.Now())); });
  EXPECT_TRUE(done_days.empty());
  sim.RunUntil(kernel::Days(1000));
  ASSERT_EQ(done_days.size(), 2u);
  EXPECT_GT(done_days[0], 0.0);
  // The second waited exactly the first's handling time.
  EXPECT_NEAR(trays.stats(holder, 0).wait_days_sum, done_days[0], 1e-6);
  EXPECT_GT(done_days[1], done_days[0]);
  // Hours spent = handling days x attention per day.
  EXPECT_NEAR(trays.HoursSpent(holder, sim.Now()), done_days[1] * 2.0, 1e-4);
}

TEST(AttentionQueues, TheRuleChangesWhichKindWaits) {
  // Two kinds at 0.4/day each, 1 hour each, 1 hour a day: rho = 0.8.
  double priority_gap = 0, fifo_gap = 0;
  for (std::uint32_t r = 0; r < 4; ++r) {
    const std::vector<double> p = Drive(AttentionRule::kPriority, 0.4, 1.0, 2, 3000, r);
    const std::vector<double> f = Drive(AttentionRule::kFifo, 0.4, 1.0, 2, 3000, r);
    priority_gap += p[1] - p[0];
    fifo_gap += f[1] - f[0];
  }
  // Priority: the lower kind waits much less than the other; FIFO: alike.
  EXPECT_GT(priority_gap / 4, 1.0);
  EXPECT_LT(std::abs(fifo_gap / 4), 0.5 * priority_gap / 4);
}

// The headline company with in-trays on, shortened.
ModelConfig WithInTrays(double pm_hours_per_week) {
  ModelConfig c = HeadlineCompany();
  c.horizon_days = 365;
  c.mechanisms.intray = true;
  c.organization.attention.pm_hours_per_week = pm_hours_per_week;
  return c;
}

double Mean(const ModelConfig& c, std::string_view metric, int reps = 4) {
  return MeanOverReplications(c, metric, reps, /*seed=*/3);
}

TEST(InTray, OffReportsNoQueue) {
  ModelConfig c = WithInTrays(4);
  c.mechanisms.intray = false;
  const RunOutcome out = RunReplication(PreparedModel(c), {.seed = 3});
  EXPECT_EQ(out.Metric("pm_queue_wait_days"), 0.0);
  EXPECT_EQ(out.Metric("decision_wait_days"), 0.0);
  EXPECT_EQ(out.Metric("pm_utilization"), 0.0);
}

TEST(InTray, HubPmWaitAndUtilizationGrowWithLoad) {
  // Less attention for the same messages is more load on the hub.
  const double light_wait = Mean(WithInTrays(20), "pm_queue_wait_days");
  const double heavy_wait = Mean(WithInTrays(1.5), "pm_queue_wait_days");
  const double light_use = Mean(WithInTrays(20), "pm_utilization");
  const double heavy_use = Mean(WithInTrays(1.5), "pm_utilization");
  EXPECT_GT(light_wait, 0.0);
  EXPECT_GT(heavy_wait, light_wait);
  EXPECT_GT(heavy_use, light_use);
  EXPECT_LE(heavy_use, 1.0 + 1e-9);
}

TEST(InTray, SignalFixWaitsForTheInTray) {
  ModelConfig off = WithInTrays(1.0);
  off.mechanisms.intray = false;
  ModelConfig slow = WithInTrays(1.0);
  slow.organization.pm.signal_triage_hours = 2.0;  // a loaded PM
  ASSERT_GT(Mean(slow, "pm_queue_wait_days"), 3.0);
  EXPECT_GT(Mean(slow, "signal_fix_days_mean"), Mean(off, "signal_fix_days_mean"));
}

TEST(InTray, TheRuleDecidesWhetherDecisionsWaitBehindSignals) {
  // A product-led PM is the owner of most signals; under FIFO the planning
  // decision waits behind them, under priority it goes first.
  ModelConfig priority = HeadlineCompany();
  ApplyProductLed(priority);
  priority.horizon_days = 365;
  priority.organization.attention.pm_hours_per_week = 2;
  ModelConfig fifo = priority;
  fifo.organization.attention.rule = AttentionRule::kFifo;
  ASSERT_GT(Mean(priority, "pm_queue_wait_days"), 1.0);
  EXPECT_GT(Mean(fifo, "decision_wait_days"), Mean(priority, "decision_wait_days"));
}

// Reads the in-tray's account after it has closed it (listed after it).
class UtilizationProbe : public Mechanism {
 public:
  explicit UtilizationProbe(World& world) : w_(world) {}
  void Finish(kernel::SimTime end) override {
    const InTray& t = w_.intray;
    const double pms = static_cast<double>(w_.ActiveWithRole(Role::kProduct));
    available = t.PmHoursAvailable();
    expected_available =
        w_.cfg.organization.attention.pm_hours_per_week / 7.0 * pms * kernel::ToDays(end);
    spent = t.PmHoursSpent();
    utilization = t.PmUtilization();
  }
  static inline double available = 0, expected_available = 0, spent = 0, utilization = 0;

 private:
  World& w_;
};

TEST(InTray, UtilizationIsHoursSpentOverHoursAvailable) {
  ModelConfig c = WithInTrays(4);
  c.mechanisms.hiring = false;  // every PM active from day 0
  const std::vector<MechanismModule> extra = {OwnedModule<UtilizationProbe>("probe", {})};
  const RunOutcome out = RunReplicationWith(PreparedModel(c), {.seed = 3}, {}, extra);
  ASSERT_GT(UtilizationProbe::spent, 0.0);
  EXPECT_NEAR(UtilizationProbe::available, UtilizationProbe::expected_available, 1e-9);
  EXPECT_DOUBLE_EQ(UtilizationProbe::utilization,
                   UtilizationProbe::spent / UtilizationProbe::available);
  EXPECT_DOUBLE_EQ(out.Metric("pm_utilization"), UtilizationProbe::utilization);
}

}  // namespace
}  // namespace orgsim::model
