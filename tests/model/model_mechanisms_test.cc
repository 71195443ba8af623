// Mechanism tests of the organization model. They assert mechanisms and
// accounting identities, never which design wins.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "engine/kernel/check.h"
#include "engine/model/config_rules.h"
#include "engine/model/presets.h"
#include "engine/model/run.h"
#include "tests/model/market_pairing.h"

namespace orgsim::model {
namespace {

kernel::StreamKey Key(std::uint32_t rep) {
  return {.seed = 7, .design_point = 0, .replication = rep};
}

ModelConfig Headline(void (*arm)(ModelConfig&)) {
  ModelConfig c = HeadlineCompany();
  arm(c);
  return c;
}

TEST(Run, SameKeySameFingerprintAndMetrics) {
  const PreparedModel m(Headline(ApplyProductLed));
  const RunOutcome a = RunReplication(m, Key(1));
  const RunOutcome b = RunReplication(m, Key(1));
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.metrics, b.metrics);
  const RunOutcome c = RunReplication(m, Key(2));
  EXPECT_NE(a.fingerprint, c.fingerprint);
}

TEST(Run, TracingDoesNotChangeOutcomes) {
  const PreparedModel m(Headline(ApplyProjectMode));
  const RunOutcome plain = RunReplication(m, Key(3));
  int lines = 0;
  RunOptions traced;
  traced.trace = [&lines](const TraceEvent& e) {
    ++lines;
    EXPECT_FALSE(e.text.empty());
  };
  traced.record_timeseries = true;
  const RunOutcome with = RunReplication(m, Key(3), traced);
  EXPECT_GT(lines, 100);
  EXPECT_EQ(plain.fingerprint, with.fingerprint);
  EXPECT_EQ(plain.metrics, with.metrics);
}

TEST(Run, MetricCatalogHasRequiredNames) {
  for (const char* name :
       {"revenue_total", "profit_total", "cash_end", "survived", "customers_end", "arr_end",
        "customer_value_delivered", "features_shipped", "rework_fraction",
        "engineer_why_understanding", "alignment", "time_to_pmf_days", "pmf_reached",
        "cycle_time_mean_days", "wip_mean", "throughput_per_day", "pm_betweenness", "events"}) {
    EXPECT_NO_THROW(MetricIndex(name)) << name;
  }
  const PreparedModel m(Headline(ApplyProductLed));
  EXPECT_EQ(RunReplication(m, Key(0)).metrics.size(), MetricCatalog().size());
}

TEST(Run, RevenueEqualsSumOfPriceTimesActiveTime) {
  for (auto arm : {ApplyProjectMode, ApplyProductLed}) {
    const PreparedModel m(Headline(arm));
    RunOptions o;
    o.record_stream_draws = true;
    const RunOutcome out = RunReplication(m, Key(4), o);
    const double revenue = out.Metric("revenue_total");
    EXPECT_GT(revenue, 0);
    EXPECT_NEAR(out.account_revenue_sum, revenue, 1e-6 * revenue);
  }
}

TEST(Run, CashIsInitialPlusRevenueMinusCostsAtEveryBook) {
  const ModelConfig c = Headline(ApplyProjectMode);
  const PreparedModel m(c);
  RunOptions o;
  o.record_timeseries = true;
  const RunOutcome out = RunReplication(m, Key(5), o);
  ASSERT_GE(out.series.size(), 36u);
  double cash = c.finance.initial_cash, revenue = 0;
  for (const TimePoint& p : out.series) {
    cash += p.profit;
    revenue += p.revenue;
    EXPECT_NEAR(p.cash, cash, 1e-6 * std::abs(cash) + 1e-6);
  }
  EXPECT_NEAR(revenue, out.Metric("revenue_total"), 1e-6 * revenue);
  EXPECT_NEAR(cash, out.Metric("cash_end"), 1e-6 * std::abs(cash));
  EXPECT_NEAR(out.Metric("profit_total"), out.Metric("revenue_total") - out.Metric("cost_total"),
              1e-3);
}

TEST(Run, LittlesLawHoldsForEveryRun) {
  // L = lambda W on the delivery stage, measured over [warm-up, horizon].
  // Items in progress at the window edges make the finite-window estimate
  // differ by O(WIP x cycle time / window); we allow 15%.
  for (auto arm : {ApplyProjectMode, ApplyProductLed, ApplyFounderBacklogPm, ApplyNoPm}) {
    ModelConfig c = Headline(arm);
    c.warmup_days = 180;
    const PreparedModel m(c);
    for (std::uint32_t r = 0; r < 3; ++r) {
      const RunOutcome out = RunReplication(m, Key(10 + r));
      EXPECT_LT(out.Metric("littles_law_gap"), 0.15) << r;
    }
  }
}

TEST(Run, ZeroCeremonyLoadGivesFullCapacity) {
  ModelConfig c = QueueingConfig(
      {.servers = 2, .arrival_rate_per_day = 1.0, .horizon_days = 400, .warmup_days = 0});
  c.mechanisms.ceremonies = true;
  c.organization.operating.ceremony_hours_per_week = 0;
  c.organization.operating.framework_adherence = 0;
  c.organization.operating.planning_hours_per_event = 0;
  EXPECT_DOUBLE_EQ(RunReplication(c, Key(0)).Metric("capacity_lost_fraction"), 0.0);
  c.organization.operating.ceremony_hours_per_week = 8;  // 8 of 56 contract hours
  EXPECT_NEAR(RunReplication(c, Key(0)).Metric("capacity_lost_fraction"), 8.0 / 56.0, 1e-9);
}

TEST(Run, MisunderstandingRaisesRework) {
  // Same design, worse channel between customers and builders.
  ModelConfig good = Headline(ApplyProjectMode);
  ModelConfig bad = good;
  bad.organization.graph.inter_team_fidelity = 0.5;
  bad.organization.graph.market_fidelity = 0.5;
  double rework_good = 0, rework_bad = 0, why_good = 0, why_bad = 0;
  const PreparedModel mg(good), mb(bad);
  for (std::uint32_t r = 0; r < 4; ++r) {
    const RunOutcome a = RunReplication(mg, Key(r)), b = RunReplication(mb, Key(r));
    rework_good += a.Metric("rework_fraction");
    rework_bad += b.Metric("rework_fraction");
    why_good += a.Metric("engineer_why_understanding");
    why_bad += b.Metric("engineer_why_understanding");
  }
  EXPECT_LT(why_bad, why_good);
  EXPECT_GT(rework_bad, rework_good);
}

// Integration conflicts: concurrent work on coupled code costs rework unless
// ceremonies coordinate it; one item alone never conflicts.
ModelConfig CoupledQueue(int servers, double coupling, double ceremony_hours) {
  ModelConfig c = QueueingConfig({.servers = servers,
                                  .arrival_rate_per_day = 0.6 * servers,
                                  .horizon_days = 400,
                                  .warmup_days = 0});
  c.mechanisms.rework = true;
  c.mechanisms.ceremonies = true;
  c.organization.operating.framework_adherence = 0;
  c.organization.operating.planning_hours_per_event = 0;
  c.organization.operating.ceremony_hours_per_week = ceremony_hours;
  c.delivery.integration_coupling = coupling;
  return c;
}

double MeanIntegrationRework(const ModelConfig& c) {
  const PreparedModel m(c);
  double sum = 0;
  for (std::uint32_t r = 0; r < 4; ++r)
    sum += RunReplication(m, Key(r)).Metric("integration_rework_fraction");
  return sum / 4;
}

TEST(Run, IntegrationReworkNeedsCouplingAndConcurrentWork) {
  EXPECT_EQ(MeanIntegrationRework(CoupledQueue(4, 0.0, 0.0)), 0.0);
  ModelConfig alone = CoupledQueue(1, 0.5, 0.0);
  alone.organization.operating.max_items_per_engineer = 1;  // never two items at once
  EXPECT_EQ(MeanIntegrationRework(alone), 0.0);
  const double low = MeanIntegrationRework(CoupledQueue(4, 0.05, 0.0));
  const double high = MeanIntegrationRework(CoupledQueue(4, 0.3, 0.0));
  EXPECT_GT(low, 0.0);
  EXPECT_GT(high, low);
}

TEST(Run, CeremoniesBuyCoordinationWithDiminishingReturns) {
  const double none = MeanIntegrationRework(CoupledQueue(4, 0.3, 0.0));
  const double some = MeanIntegrationRework(CoupledQueue(4, 0.3, 4.0));
  const double more = MeanIntegrationRework(CoupledQueue(4, 0.3, 8.0));
  EXPECT_LT(some, none);
  EXPECT_LT(more, some);
  EXPECT_GT(none - some, some - more);  // the first hours buy the most
  ModelConfig useless = CoupledQueue(4, 0.3, 8.0);
  useless.organization.operating.ceremony_coordination_max = 0;
  EXPECT_GT(MeanIntegrationRework(useless), 2 * more);  // same hours, no coordination
}

TEST(Run, CommonRandomNumbersMarketDrawsDoNotDependOnOrgLevers) {
  // Exogenous work arrivals are market-side: two designs that differ only in
  // an org lever see the same arrival sequence.
  ModelConfig a = QueueingConfig(
      {.servers = 2, .arrival_rate_per_day = 1.5, .horizon_days = 300, .warmup_days = 0});
  ModelConfig b = a;
  b.organization.operating.max_items_per_engineer = 3;
  b.organization.operating.context_switch_cost = 0.3;
  ExpectMarketPairedOrgDiffers(a, b, Key(9));
}

TEST(Run, LowProblemNoveltyLosesLessOfTheWhy) {
  // Same design and channels; only how non-obvious the problems are.
  ModelConfig novel = Headline(ApplyProjectMode);
  ModelConfig known = novel, obvious = novel;
  known.market.problem_novelty = 0.3;
  obvious.market.problem_novelty = 0.0;
  const PreparedModel mn(novel), mk(known), mo(obvious);
  double why_novel = 0, why_known = 0;
  for (std::uint32_t r = 0; r < 3; ++r) {
    why_novel += RunReplication(mn, Key(r)).Metric("engineer_why_understanding");
    why_known += RunReplication(mk, Key(r)).Metric("engineer_why_understanding");
    const RunOutcome o = RunReplication(mo, Key(r));
    EXPECT_DOUBLE_EQ(o.Metric("engineer_why_understanding"), 1.0);
    // All rework left is integration rework: nothing about the why.
    EXPECT_DOUBLE_EQ(o.Metric("rework_fraction"), o.Metric("integration_rework_fraction"));
  }
  EXPECT_GT(why_known, why_novel);
}

TEST(Run, DateBuyersWaitOnlyForACommittedDate) {
  // Every deal is a dated request decided after a 5-day sales cycle with a
  // year to the deadline. Only a committed date makes the buyer wait for
  // it; without one it decides at the close, on what has shipped by then.
  ModelConfig c = Headline(ApplyProductLed);
  for (SegmentConfig& s : c.market.segments) {
    s.request_share = 1.0;
    s.date_sensitive_share = 1.0;
    s.sales_cycle_mean_days = 5.0;
    s.deadline_days = 365.0;
  }
  ModelConfig dated = c;
  dated.organization.operating.roadmap_style = RoadmapStyle::kDateDriven;
  const PreparedModel mo(c), md(dated);
  double won_outcome = 0, won_dated = 0, committed_outcome = 0;
  for (std::uint32_t r = 0; r < 2; ++r) {
    const RunOutcome o = RunReplication(mo, Key(r)), d = RunReplication(md, Key(r));
    won_outcome += o.Metric("date_deals_won");
    won_dated += d.Metric("date_deals_won");
    committed_outcome += o.Metric("requests_committed");
  }
  EXPECT_EQ(committed_outcome, 0.0);
  EXPECT_GT(won_dated, 20.0);
  EXPECT_LT(won_outcome, 0.2 * won_dated);
}

TEST(Run, DiscoveryPrototypesCostEngineeringCapacity) {
  ModelConfig free_discovery = Headline(ApplyProductLed);
  free_discovery.organization.pm.prototype_hours_per_idea = 0.0;
  ModelConfig costly = free_discovery;
  costly.organization.pm.prototype_hours_per_idea = 16.0;
  const RunOutcome a = RunReplication(free_discovery, Key(1)), b = RunReplication(costly, Key(1));
  EXPECT_GT(b.Metric("capacity_lost_fraction"), a.Metric("capacity_lost_fraction") + 0.01);
  // Without discovery hours there is nothing to prototype.
  ModelConfig none = costly, none_free = costly;
  none.organization.pm.customer_interaction_hours_per_week = 0.0;
  none_free.organization.pm.customer_interaction_hours_per_week = 0.0;
  none_free.organization.pm.prototype_hours_per_idea = 0.0;
  EXPECT_EQ(RunReplication(none, Key(1)).fingerprint,
            RunReplication(none_free, Key(1)).fingerprint);
}

TEST(Run, WhyEventsAreTracedWhereTheMechanismActs) {
  // A date-driven design with layers and a sales-heavy market: requests jump
  // the roadmap, committed dates slip, builders misunderstand, accounts churn.
  ModelConfig c = Headline(ApplyProjectMode);
  std::map<std::string, int> kinds;
  std::vector<TraceEvent> jumps;
  RunOptions o;
  o.trace = [&](const TraceEvent& e) {
    ++kinds[std::string(e.kind)];
    if (e.kind == "roadmap_jump") {
      jumps.push_back(e);
      // The event's string views live only during the callback.
      EXPECT_EQ(e.agent_name.rfind("eng_", 0), 0u) << e.agent_name;
    }
    if (e.kind == "churn") {
      EXPECT_GT(e.value2, 0.0);
    }
    if (e.kind == "request_lost_deal") {
      EXPECT_TRUE(e.value1 == 1 || e.value1 == 2);
    }
  };
  const RunOutcome out = RunReplication(c, Key(2), o);
  EXPECT_GT(kinds["roadmap_jump"], 0);
  EXPECT_EQ(kinds["rework"] > 0, out.Metric("rework_fraction") > 0);
  EXPECT_EQ(kinds["date_missed"], static_cast<int>(out.Metric("deadline_misses")));
  EXPECT_EQ(kinds["churn"], static_cast<int>(out.Metric("churned_customers")));
  for (const TraceEvent& e : jumps) {
    EXPECT_GT(e.value1, 0.0);
    EXPECT_TRUE(e.value2 == 1 || e.value2 == 3);
  }
}

TEST(Run, InvalidConfigIsRejectedWithFieldPath) {
  ModelConfig c = Headline(ApplyProductLed);
  c.organization.pm.people_sense = 1.4;
  const Status checked = CheckConfig(c);
  EXPECT_EQ(checked.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(checked.message(), "organization.pm.people_sense = 1.4 not in [0, 1]");
  StatusOr<PreparedModel> created = PreparedModel::Create(c);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().message(), checked.message());
  // Built in code, a bad configuration is a bug: the constructor throws.
  try {
    PreparedModel m(c);
    FAIL() << "expected InvariantError";
  } catch (const kernel::InvariantError& e) {
    EXPECT_NE(std::string(e.what()).find("organization.pm.people_sense"), std::string::npos);
  }
}

TEST(Run, CreateAcceptsAValidConfig) {
  StatusOr<PreparedModel> created = PreparedModel::Create(Headline(ApplyProductLed));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->config().organization.pm.people_sense,
            Headline(ApplyProductLed).organization.pm.people_sense);
}

TEST(Run, CheckConfigReportsTheFirstCrossFieldRule) {
  ModelConfig c = Headline(ApplyProductLed);
  c.warmup_days = c.horizon_days;
  EXPECT_EQ(CheckConfig(c).message(), "warmup_days must be below horizon_days");
}

}  // namespace
}  // namespace orgsim::model
