// Mechanism tests of retention and expansion (retention.h): churn falls with
// contract size and with tenure at equal fit, customer-success coverage
// lowers churn and costs money, expansion lifts net above gross retention,
// gross retention never exceeds 1. They assert mechanisms, never which
// design wins.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "engine/model/mechanisms.h"
#include "engine/model/presets.h"
#include "engine/model/world.h"

namespace orgsim::model {
namespace {

kernel::StreamKey Key(std::uint32_t rep) {
  return {.seed = 11, .design_point = 0, .replication = rep};
}

// One segment, a cohort of `customers` accounts at t = 0, no new leads, fit
// irrelevant to churn (equal fit), no requests, no expansion, no early-tenure
// boost and no customer success: churn differs only by what a test turns on.
ModelConfig Cohort(int customers) {
  ModelConfig c = HeadlineCompany();
  c.horizon_days = 365;
  c.mechanisms.retention = true;
  c.market.segments.resize(1);
  SegmentConfig& seg = c.market.segments[0];
  seg.potential_customers = customers * 2;
  seg.initial_customers = customers;
  seg.bass_p = 0;
  seg.bass_q = 0;
  seg.request_share = 0;
  seg.price_cv = 1.0;
  c.market.churn_fit_elasticity = 0;
  RetentionConfig& rc = c.market.retention;
  rc.expansion_probability = 0;
  rc.contraction_probability = 0;
  rc.early_tenure_boost = 0;
  rc.monthly_churn_at_reference = 0.03;
  std::erase_if(c.organization.teams,
                [](const TeamConfig& t) { return t.role == Role::kCustomerSuccess; });
  return c;
}

// What the probe saw at the horizon: each account's price and whether it
// was still active.
struct AccountAtEnd {
  double price = 0.0;
  bool active = false;
};
std::vector<AccountAtEnd> g_accounts;
std::vector<Retention::Hazard> g_hazards;

class Probe : public Mechanism {
 public:
  explicit Probe(World& world) : w_(world) {}
  void Finish(kernel::SimTime) override {
    g_accounts.clear();
    g_hazards.clear();
    for (std::size_t id = 0; id < w_.market.accounts().size(); ++id) {
      const Account& a = w_.market.accounts()[id];
      g_accounts.push_back({a.price, a.active});
      if (a.active) g_hazards.push_back(w_.retention.HazardOf(static_cast<int>(id)));
    }
  }

 private:
  World& w_;
};

RunOutcome RunProbed(const ModelConfig& c, std::uint32_t rep) {
  const PreparedModel model(c);
  const std::vector<MechanismModule> extra = {OwnedModule<Probe>("probe", {})};
  return RunReplicationWith(model, Key(rep), {}, extra);
}

TEST(Retention, ChurnFallsWithContractSizeAtEqualFit) {
  const ModelConfig c = Cohort(3000);
  int small_churned = 0, large_churned = 0, small = 0, large = 0;
  for (std::uint32_t rep = 0; rep < 3; ++rep) {
    RunProbed(c, rep);
    std::vector<double> prices;
    for (const AccountAtEnd& a : g_accounts) prices.push_back(a.price);
    std::nth_element(prices.begin(), prices.begin() + prices.size() / 2, prices.end());
    const double median = prices[prices.size() / 2];
    for (const AccountAtEnd& a : g_accounts) {
      if (a.price < median) {
        ++small;
        small_churned += !a.active;
      } else {
        ++large;
        large_churned += !a.active;
      }
    }
  }
  const double small_rate = static_cast<double>(small_churned) / small;
  const double large_rate = static_cast<double>(large_churned) / large;
  EXPECT_GT(small_rate, large_rate * 1.3) << small_rate << " vs " << large_rate;
}

TEST(Retention, HazardFactorsFallWithPriceAndTenure) {
  ModelConfig c = Cohort(300);
  c.market.segments[0].bass_p = 0.5;  // accounts won through the year: mixed tenure
  c.market.retention.early_tenure_boost = 2;
  c.market.retention.initial_customer_tenure_months = 0;
  RunProbed(c, 0);
  ASSERT_GT(g_hazards.size(), 10u);
  int with_tenure_boost = 0;
  for (const Retention::Hazard& h : g_hazards) {
    EXPECT_GT(h.tenure, 1.0);
    EXPECT_LE(h.tenure, 3.0);
    with_tenure_boost += h.tenure > 1.05;
  }
  EXPECT_GT(with_tenure_boost, 0);
  // The size factor is price^-elasticity exactly.
  std::size_t k = 0;
  for (const AccountAtEnd& a : g_accounts) {
    if (!a.active) continue;
    EXPECT_NEAR(g_hazards[k].size,
                std::pow(a.price / c.market.retention.reference_price_per_month,
                         -c.market.retention.size_elasticity),
                1e-9);
    ++k;
  }
}

TEST(Retention, ChurnFallsWithTenureAtEqualFit) {
  ModelConfig young = Cohort(3000);
  young.market.retention.early_tenure_boost = 1.5;
  young.market.retention.initial_customer_tenure_months = 0;
  ModelConfig old = young;
  old.market.retention.initial_customer_tenure_months = 36;
  double young_churn = 0, old_churn = 0;
  for (std::uint32_t rep = 0; rep < 3; ++rep) {
    young_churn += RunProbed(young, rep).Metric("logo_churn_annual");
    old_churn += RunProbed(old, rep).Metric("logo_churn_annual");
  }
  EXPECT_GT(young_churn, old_churn * 1.2) << young_churn << " vs " << old_churn;
}

TEST(Retention, CustomerSuccessLowersChurnAndCostsMoney) {
  const ModelConfig none = Cohort(1000);
  ModelConfig covered = none;
  TeamConfig cs;
  cs.name = "success";
  cs.role = Role::kCustomerSuccess;
  cs.initial_headcount = 20;
  cs.salary_per_year = 90000;
  cs.reports_to = "sales";
  covered.organization.teams.push_back(cs);
  double churn_none = 0, churn_covered = 0, cost_none = 0, cost_covered = 0;
  for (std::uint32_t rep = 0; rep < 3; ++rep) {
    const RunOutcome a = RunProbed(none, rep);
    const RunOutcome b = RunProbed(covered, rep);
    churn_none += a.Metric("logo_churn_annual");
    churn_covered += b.Metric("logo_churn_annual");
    cost_none += a.Metric("cost_total");
    cost_covered += b.Metric("cost_total");
  }
  EXPECT_LT(churn_covered, churn_none * 0.9);
  EXPECT_GT(cost_covered, cost_none + 3 * 20 * 90000 * 0.9);
}

TEST(Retention, ExpansionRaisesNetAboveGrossRetention) {
  ModelConfig flat = Cohort(1000);
  flat.market.retention.size_elasticity = 0;  // a larger price would churn less
  ModelConfig expanding = flat;
  expanding.market.retention.expansion_probability = 0.05;
  for (std::uint32_t rep = 0; rep < 3; ++rep) {
    const RunOutcome a = RunProbed(flat, rep);
    EXPECT_DOUBLE_EQ(a.Metric("net_revenue_retention"), a.Metric("gross_revenue_retention"));
    const RunOutcome b = RunProbed(expanding, rep);
    EXPECT_GT(b.Metric("net_revenue_retention"), b.Metric("gross_revenue_retention") + 0.05);
    // Expansion draws do not touch churn: the same accounts churn.
    EXPECT_EQ(a.Metric("logo_churn_annual"), b.Metric("logo_churn_annual"));
  }
}

TEST(Retention, GrossRetentionNeverExceedsOne) {
  ModelConfig headline = HeadlineCompany();
  ApplyProductLed(headline);
  ModelConfig off = headline;
  off.mechanisms.retention = false;
  for (const ModelConfig& c : {HeadlineCompany(), headline, off, Cohort(500)}) {
    for (std::uint32_t rep = 0; rep < 3; ++rep) {
      const RunOutcome out = RunReplication(PreparedModel(c), Key(rep));
      const double grr = out.Metric("gross_revenue_retention");
      EXPECT_GE(grr, 0.0);
      EXPECT_LE(grr, 1.0);
      EXPECT_GE(out.Metric("net_revenue_retention"), 0.0);
      EXPECT_GE(out.Metric("logo_churn_annual"), 0.0);
      EXPECT_LE(out.Metric("logo_churn_annual"), 1.0);
    }
  }
}

TEST(Retention, ConstantHazardGivesExponentialSurvival) {
  // Every factor at 1: h = -ln(1 - 0.03) per month, share churned in 12
  // months 1 - (1 - 0.03)^12.
  ModelConfig c = Cohort(4000);
  c.market.retention.size_elasticity = 0;
  double churn = 0;
  const int reps = 4;
  for (std::uint32_t rep = 0; rep < reps; ++rep)
    churn += RunProbed(c, rep).Metric("logo_churn_annual");
  churn /= reps;
  const double expected = 1.0 - std::pow(1.0 - 0.03, 12.0);
  // Binomial sd of the mean: sqrt(p(1-p)/(4 x 4000)) ~ 0.0032.
  EXPECT_NEAR(churn, expected, 0.015);
}

TEST(Retention, TracesExpansionAndChurnWithItsReason) {
  const PreparedModel model(HeadlineCompany());
  int expansions = 0, churns_with_reason = 0;
  RunOptions traced;
  traced.trace = [&](const TraceEvent& e) {
    if (e.kind == "expansion") ++expansions;
    if (e.kind == "churn" && e.text.find("hazard raised by") != std::string::npos)
      ++churns_with_reason;
  };
  const RunOutcome with = RunReplication(model, Key(0), traced);
  EXPECT_GT(expansions, 0);
  EXPECT_GT(churns_with_reason, 0);
  EXPECT_EQ(RunReplication(model, Key(0)).fingerprint, with.fingerprint);
}

TEST(Retention, SwitchedOffLeavesTheSegmentHazardModel) {
  // Off, the module only measures: a toggle of its constants changes nothing.
  ModelConfig a = HeadlineCompany();
  a.mechanisms.retention = false;
  ModelConfig b = a;
  b.market.retention.size_elasticity = 2.0;
  b.market.retention.expansion_probability = 0.5;
  const RunOutcome x = RunReplication(PreparedModel(a), Key(2));
  const RunOutcome y = RunReplication(PreparedModel(b), Key(2));
  EXPECT_EQ(x.fingerprint, y.fingerprint);
  EXPECT_EQ(x.metrics, y.metrics);
}

}  // namespace
}  // namespace orgsim::model
