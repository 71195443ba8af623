#include "engine/model/capital_allocation.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "engine/model/random_util.h"
#include "engine/model/world.h"

namespace orgsim::model {
namespace {

constexpr double kDaysPerMonth = 365.0 / 12.0;

std::string Fixed(double v) { return std::to_string(v).substr(0, 5); }

}  // namespace

CapitalAllocation::CapitalAllocation(World& world, const kernel::StreamKey& replication_key)
    : w_(world), rng_(kernel::WithStream(replication_key, "org/allocation")) {}

bool CapitalAllocation::active() const { return w_.cfg.mechanisms.capital_allocation; }

void CapitalAllocation::Init() {
  shares_ = PlanShares();
  initialized_ = true;
}

CapitalAllocation::Shares CapitalAllocation::PlanShares() const {
  const CapitalAllocationConfig& cc = w_.cfg.finance.capital_allocation;
  Shares plan{cc.plan_build_share, cc.plan_gtm_share, 0.0};
  const double spent = plan[kBuild] + plan[kGoToMarket];
  if (spent > 1.0) {
    plan[kBuild] /= spent;
    plan[kGoToMarket] /= spent;
  }
  plan[kRunway] = std::max(0.0, 1.0 - plan[kBuild] - plan[kGoToMarket]);
  return plan;
}

double CapitalAllocation::pace(Bucket b) const {
  if (!active() || !initialized_) return 1.0;  // Books reads the pace before Init
  const double plan = PlanShares()[b];
  return plan > 0 ? std::clamp(shares_[b] / plan, 0.0, 3.0) : 1.0;
}

CapitalAllocation::Shares CapitalAllocation::BestShares(const Shares& returns, double curvature) {
  // KKT: a_i / (c + s_i) = λ on the buckets that get a share. Add buckets in
  // order of falling return while the next one still earns a positive share.
  std::array<int, 3> order{0, 1, 2};
  std::sort(order.begin(), order.end(), [&](int a, int b) { return returns[a] > returns[b]; });
  double lambda = 0.0;
  double sum = 0.0;
  int k = 0;
  for (int i = 0; i < 3; ++i) {
    const double a = std::max(0.0, returns[order[i]]);
    const double candidate = (sum + a) / (1.0 + (i + 1) * curvature);
    if (a <= 0 || (i > 0 && a / candidate - curvature <= 0)) break;
    sum += a;
    lambda = candidate;
    k = i + 1;
  }
  Shares shares{};
  if (k == 0) return Shares{0.0, 0.0, 1.0};
  for (int i = 0; i < k; ++i) {
    shares[order[i]] = std::max(0.0, std::max(0.0, returns[order[i]]) / lambda - curvature);
  }
  const double total = shares[0] + shares[1] + shares[2];
  for (double& s : shares) s /= total;
  return shares;
}

double CapitalAllocation::Value(const Shares& returns, const Shares& shares, double curvature) {
  double v = 0.0;
  for (int i = 0; i < 3; ++i) v += returns[i] * std::log1p(shares[i] / curvature);
  return v;
}

CapitalAllocation::Shares CapitalAllocation::TrueReturns() const {
  const ModelConfig& cfg = w_.cfg;
  const CapitalAllocationConfig& cc = cfg.finance.capital_allocation;
  const Market& market = w_.market;
  const Books& books = w_.books;
  const double now_months = w_.NowDays() / kDaysPerMonth;
  const double months_left = std::max(1.0, kernel::ToDays(w_.horizon) / kDaysPerMonth - now_months);
  const double horizon = std::min(cc.value_horizon_months, months_left);
  // What a won account is worth: the win rate (prior 1/4) times the mean
  // price (prior: the segments' list prices) over the value horizon.
  int won = 0, lost = 0;
  for (const Lead& lead : market.leads()) {
    won += lead.state == Lead::State::kWon;
    lost += lead.state == Lead::State::kLost;
  }
  const double win = (won + 1.0) / (won + lost + 4.0);
  double list_price = 0.0;
  for (const SegmentConfig& sc : cfg.market.segments) list_price += sc.price_per_month;
  list_price /= std::max<std::size_t>(1, cfg.market.segments.size());
  const double price =
      market.active_accounts() > 0 ? market.mrr() / market.active_accounts() : list_price;
  const double fit = std::max(1e-3, market.MarketFit());
  const double fit_factor =
      std::pow(fit / cfg.market.reference_fit, cfg.market.adoption_fit_exponent);

  Shares a{};
  // Go to market: the marginal paid lead (dLeads/dS = 1/(cpl_0 (1 + S/S_2)^2)).
  const AwarenessConfig& ac = cfg.market.awareness;
  const double paid = books.MarketingSpend() * std::clamp(ac.paid_share, 0.0, 1.0);
  const double grow = 1.0 + paid / ac.paid_cpl_doubling_spend;
  a[kGoToMarket] = fit_factor / (ac.paid_cost_per_lead * grow * grow) * win * price * horizon;
  // Build: fit gained per currency of R&D so far (prior before data), times
  // the revenue a unit of fit brings: more leads (elasticity
  // adoption_fit_exponent on the new-MRR flow) and less churn, over the
  // horizon (H²/2: a gain keeps paying after it lands).
  constexpr double kPriorFitPerCurrency = 1e-7;
  const double rd = books.spend_rd();
  const double fit_per_currency =
      rd > 0 ? (market.customer_value() + kPriorFitPerCurrency * 1e6) / (rd + 1e6)
             : kPriorFitPerCurrency;
  const double new_mrr_per_month = now_months > 1 ? won * price / now_months : market.mrr() / 12.0;
  const double churn = cfg.market.retention.monthly_churn_at_reference;
  const double revenue_per_fit = (cfg.market.adoption_fit_exponent * new_mrr_per_month / fit +
                                  cfg.market.churn_fit_elasticity * churn * market.mrr()) *
                                 horizon * horizon / 2.0;
  a[kBuild] = fit_per_currency * revenue_per_fit;
  // Runway: a kept dollar is a dollar, worth more while runway is short.
  const double runway = books.runway_months();
  const double target = cc.target_runway_months;
  a[kRunway] =
      1.0 + cc.runway_premium *
                (target > 0 && std::isfinite(runway) ? std::max(0.0, 1.0 - runway / target) : 0.0);
  return a;
}

void CapitalAllocation::Reallocate() {
  const CapitalAllocationConfig& cc = w_.cfg.finance.capital_allocation;
  const PmConfig& pm = w_.cfg.organization.pm;
  const Shares truth = TrueReturns();
  const Shares best = BestShares(truth, cc.curvature);
  const Shares plan = PlanShares();
  const double bo = w_.product.has_pm() ? pm.business_ownership : 0.0;
  Shares estimate = truth;
  Shares chosen = plan;
  if (bo > 0) {
    const double sd = cc.estimate_sd * (1.0 - pm.business_acumen) / std::sqrt(1.0 + data_cycles_);
    for (double& a : estimate) a *= std::exp(sd * StandardNormal(rng_) - 0.5 * sd * sd);
    const Shares wanted = BestShares(estimate, cc.curvature);
    for (int i = 0; i < 3; ++i) chosen[i] = bo * wanted[i] + (1.0 - bo) * plan[i];
  }
  if (w_.market.revenue_accrued() > 0) ++data_cycles_;
  shares_ = chosen;
  regret_ += std::max(0.0, Value(truth, best, cc.curvature) - Value(truth, chosen, cc.curvature));
  for (int i = 0; i < 3; ++i) share_sum_[i] += chosen[i];
  ++cycles_;
  if (w_.trace.on()) {
    w_.trace.Emit(w_.sim.Now(), -1, "budget_reallocated", chosen[kBuild], best[kBuild],
                  "budget split build/gtm/runway " + Fixed(chosen[0]) + "/" + Fixed(chosen[1]) +
                      "/" + Fixed(chosen[2]) + " (best " + Fixed(best[0]) + "/" + Fixed(best[1]) +
                      "/" + Fixed(best[2]) + "); marginal returns estimated " + Fixed(estimate[0]) +
                      "/" + Fixed(estimate[1]) + "/" + Fixed(estimate[2]) + ", true " +
                      Fixed(truth[0]) + "/" + Fixed(truth[1]) + "/" + Fixed(truth[2]));
  }
}

void CapitalAllocation::OnPhase(const PhaseTick& tick) {
  if (active() && tick.phase == Phase::kPlanning) Reallocate();
}

std::vector<MetricDef> CapitalAllocation::Metrics() {
  return {
      DefineMetric<CapitalAllocation>(
          {"allocation_regret", "value units",
           "Sum over planning events of V(best split) - V(chosen split) under the true marginal "
           "returns",
           Better::kLower, "Budget misallocation"},
          [](const CapitalAllocation& c, const World&) { return c.regret_; }),
      DefineMetric<CapitalAllocation>(
          {"build_share_mean", "fraction", "Mean budget share for building (planning events)",
           Better::kNeither, "Budget share: build"},
          [](const CapitalAllocation& c, const World&) {
            return c.cycles_ > 0 ? c.share_sum_[kBuild] / c.cycles_ : c.shares_[kBuild];
          }),
      DefineMetric<CapitalAllocation>(
          {"gtm_share_mean", "fraction", "Mean budget share for going to market (planning events)",
           Better::kNeither, "Budget share: go-to-market"},
          [](const CapitalAllocation& c, const World&) {
            return c.cycles_ > 0 ? c.share_sum_[kGoToMarket] / c.cycles_ : c.shares_[kGoToMarket];
          }),
  };
}

}  // namespace orgsim::model
