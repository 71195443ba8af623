#include "engine/model/pnl.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/kernel/distributions.h"
#include "engine/model/phase.h"
#include "engine/model/world.h"

namespace orgsim::model {

Books::Books(World& world) : w_(world) {}

void Books::Init() {
  cash_ = w_.cfg.finance.initial_cash;
  min_cash_ = cash_;
  months_total_ =
      std::max(1, static_cast<int>(
                      std::floor(static_cast<double>(w_.horizon) / kernel::kTicksPerMonth + 1e-9)));
  w_.messages.Deliver(*this, w_.market, MonthStarts{MarketingSpend()});
}

bool Books::pmf() const {
  return pmf_reached_ || w_.market.MarketFit() >= w_.cfg.pmf.must_have_fit;
}

double Books::MarketingSpend() const {
  const double base = w_.cfg.finance.marketing_spend_per_month;
  if (w_.capital_allocation.active()) {
    return base * w_.capital_allocation.pace(CapitalAllocation::kGoToMarket);
  }
  const double bo = w_.product.has_pm() ? w_.cfg.organization.pm.business_ownership : 0.0;
  // A business owner spends on go-to-market once the product fits (C2).
  return base * (1.0 + bo * (pmf() ? 0.5 : -0.5));
}

double Books::PersonMonthlyCost(int team) const {
  const FinanceConfig& fc = w_.cfg.finance;
  return w_.roster.teams[team].salary_per_year / 12.0 * fc.salary_overhead +
         fc.cost_per_person_month;
}

Books::CostByFunction Books::MonthlyCostByFunction() const {
  CostByFunction cost;
  if (!w_.cfg.mechanisms.payroll) return cost;
  double payroll = 0.0;
  for (const Agent& a : w_.roster.agents) {
    if (!w_.agent_active[a.id]) continue;
    const double person = PersonMonthlyCost(a.team);
    payroll += person;
    switch (a.role) {
      case Role::kSales:
      case Role::kMarketing:
      case Role::kCustomerSuccess:
        cost.sm += person;
        break;
      case Role::kExecutive:
        cost.ga += person;
        break;
      default:
        cost.rd += person;
        break;
    }
  }
  const double marketing = MarketingSpend();
  cost.sm += marketing;
  cost.total = payroll + marketing;
  if (w_.overhead.active()) {
    const double ga = w_.overhead.MonthlyCost(payroll);
    cost.ga += ga;
    cost.total += ga;
  }
  return cost;
}

double Books::MonthlyCost() const { return MonthlyCostByFunction().total; }

void Books::Book(kernel::SimTime now, double months) {
  const Market& market = w_.market;
  w_.messages.Deliver(*this, w_.market, AccrueRevenue{now});
  const double revenue = market.revenue_accrued() - revenue_at_last_book_;
  revenue_at_last_book_ = market.revenue_accrued();
  const CostByFunction by_function = MonthlyCostByFunction();
  const double cost = by_function.total * months + hiring_cost_pending_;
  spend_rd_ += by_function.rd * months;
  spend_sm_ += by_function.sm * months;
  spend_ga_ += by_function.ga * months + hiring_cost_pending_;
  hiring_cost_pending_ = 0.0;
  cash_ += revenue - cost;
  revenue_booked_ += revenue;
  cost_booked_ += cost;
  if (cash_ < 0) survived_ = false;
  min_cash_ = std::min(min_cash_, cash_);
  last_profit_ = revenue - cost;
  const double burn = months > 0 ? -last_profit_ / months : 0.0;
  last_burn_ = burn;
  runway_ = burn > 0 ? std::max(0.0, cash_) / burn : std::numeric_limits<double>::infinity();
  headcount_ = 0;
  for (char active : w_.agent_active) headcount_ += active;
  last_book_ = now;
  if (w_.options.record_timeseries) {
    TimePoint p;
    p.day = kernel::ToDays(now);
    p.revenue = revenue;
    p.profit = revenue - cost;
    p.cash = cash_;
    p.customers = market.active_accounts();
    p.mrr = market.mrr();
    p.fit = market.MarketFit();
    p.wip = w_.delivery.in_progress();
    p.headcount = headcount_;
    p.alignment = w_.product.tally().alignment.value();
    w_.series.push_back(p);
  }
  if (w_.trace.on()) {
    w_.trace.Emit(now, -1, "books", revenue, cash_,
                  "books: revenue " + std::to_string(static_cast<long>(revenue)) + ", cost " +
                      std::to_string(static_cast<long>(cost)) + ", cash " +
                      std::to_string(static_cast<long>(cash_)) + ", customers " +
                      std::to_string(market.active_accounts()));
  }
}

void Books::CheckPmf(kernel::SimTime now) {
  const PmfConfig& pc = w_.cfg.pmf;
  const Market& market = w_.market;
  const int active = market.active_accounts();
  int must_have = 0;
  for (const Account& account : market.accounts()) {
    if (account.active && market.AccountFit(account) >= pc.must_have_fit) ++must_have;
  }
  const double share = active > 0 ? static_cast<double>(must_have) / active : 0.0;
  const double churn =
      static_cast<double>(market.ChurnedThisMonth()) / std::max(1, market.ActiveAtMonthStart());
  const bool ok =
      active >= pc.min_customers && share >= pc.must_have_share && churn <= pc.max_monthly_churn;
  pmf_streak_ = ok ? pmf_streak_ + 1 : 0;
  if (!pmf_reached_ && pmf_streak_ >= pc.pmf_months) {
    pmf_reached_ = true;
    pmf_day_ = kernel::ToDays(now);
    if (w_.trace.on()) {
      w_.trace.Emit(now, -1, "pmf", share, churn, "product-market fit reached");
    }
  }
}

void Books::Hire(int month) {
  if (!w_.cfg.mechanisms.hiring) return;
  if (runway_ < w_.cfg.finance.hiring_freeze_runway_months) return;
  const bool allocating = w_.capital_allocation.active();
  const bool runway_rule = w_.overhead.active();
  const double bo = w_.product.has_pm() ? w_.cfg.organization.pm.business_ownership : 0.0;
  double added_cost = 0.0;  // this month's hires (runway rule)
  for (std::size_t t = 0; t < w_.roster.teams.size(); ++t) {
    const TeamInfo& team = w_.roster.teams[t];
    if (team.planned_final <= team.initial) continue;
    const bool gtm = team.role == Role::kSales || team.role == Role::kMarketing ||
                     team.role == Role::kCustomerSuccess;
    const bool build = team.role == Role::kEngineering || team.role == Role::kDesign;
    // With capital allocation the plan's pace scales with the budget split.
    double progress = static_cast<double>(month) / months_total_;
    if (allocating && (gtm || build)) {
      progress *= w_.capital_allocation.pace(gtm ? CapitalAllocation::kGoToMarket
                                                 : CapitalAllocation::kBuild);
    }
    progress = std::min(1.0, progress);
    const int target =
        team.initial +
        static_cast<int>(std::floor((team.planned_final - team.initial) * progress + 0.5));
    // A business owner holds go-to-market hiring until the product fits.
    if (!allocating && gtm && bo > 0 && kernel::Bernoulli(w_.rng.hiring, bo) && !pmf()) continue;
    for (int a : team.agents) {
      if (w_.ActiveInTeam(static_cast<int>(t)) >= target) break;
      if (w_.agent_active[a]) continue;
      const double person = PersonMonthlyCost(static_cast<int>(t));
      if (runway_rule && !w_.overhead.AllowsHire(cash_, last_burn_ + added_cost, person)) {
        ++hires_deferred_;
        break;
      }
      added_cost += person;
      w_.ActivateAgent(a);
      hiring_cost_pending_ += w_.cfg.finance.hiring_cost;
      ++hires_;
      if (w_.trace.on()) {
        w_.trace.Emit(w_.sim.Now(), a, "hire", t, 0, "joins team " + team.name);
      }
    }
  }
}

void Books::OnMonth(int month) {
  const kernel::SimTime now = w_.sim.Now();
  Book(now, 1.0);
  w_.messages.Deliver(*this, w_.market, MonthlyExpansionDue{});
  CheckPmf(now);
  Hire(month);
  w_.messages.Deliver(*this, w_.market, MonthStarts{MarketingSpend()});
}

void Books::Close() {
  if (last_book_ < w_.horizon) {
    Book(w_.horizon, static_cast<double>(w_.horizon - last_book_) / kernel::kTicksPerMonth);
  }
}

void Books::OnPhase(const PhaseTick& tick) {
  if (tick.phase == Phase::kMonthEnd) OnMonth(tick.index);
}

void Books::Finish(kernel::SimTime end) {
  (void)end;  // Close() books up to the horizon
  Close();
}

std::vector<MetricDef> Books::Metrics() {
  return {
      DefineMetric<Books>({"revenue_total", "currency", "Revenue over the horizon (MRR integral)",
                           Better::kHigher, "Revenue over the run"},
                          [](const Books& b, const World&) { return b.revenue_booked(); }),
      DefineMetric<Books>(
          {"profit_total", "currency", "Revenue minus all costs over the horizon", Better::kHigher,
           "Profit over the run"},
          [](const Books& b, const World&) { return b.revenue_booked() - b.cost_booked(); }),
      DefineMetric<Books>(
          {"cash_end", "currency", "Cash at the horizon", Better::kHigher, "Cash at the end"},
          [](const Books& self, const World&) { return self.cash(); }),
      DefineMetric<Books>({"survived", "0/1", "1 if cash never fell below zero at a book",
                           Better::kHigher, "Never ran out of cash"},
                          [](const Books& b, const World&) { return b.survived_ ? 1.0 : 0.0; }),
      DefineMetric<Books>(
          {"time_to_pmf_days", "days", "Day product-market fit was reached (horizon if never)",
           Better::kLower, "Time to product-market fit"},
          [](const Books& b, const World& w) {
            return b.pmf_reached_ ? b.pmf_day_ : kernel::ToDays(w.horizon);
          }),
      DefineMetric<Books>({"pmf_reached", "0/1", "1 if the PMF criterion was met", Better::kHigher,
                           "Reached product-market fit"},
                          [](const Books& b, const World&) { return b.pmf_reached_ ? 1.0 : 0.0; }),
      DefineMetric<Books>(
          {"headcount_end", "people", "Active people at the horizon", Better::kNeither,
           "People at the end"},
          [](const Books& self, const World&) { return static_cast<double>(self.headcount()); }),
      DefineMetric<Books>({"cost_total", "currency", "All costs over the horizon", Better::kLower,
                           "Costs over the run"},
                          [](const Books& b, const World&) { return b.cost_booked(); }),
      DefineMetric<Books>(
          {"min_cash", "currency", "Lowest cash at any book", Better::kHigher, "Lowest cash"},
          [](const Books& b, const World&) { return b.min_cash_; }),
      DefineMetric<Books>(
          {"hires", "people", "People hired", Better::kNeither, "People hired"},
          [](const Books& b, const World&) { return static_cast<double>(b.hires_); }),
      DefineMetric<Books>(
          {"hires_deferred_runway", "hires",
           "Planned hires held back because the runway after them was too short (summed over "
           "month ends)",
           Better::kNeither, "Hires held back by the runway rule"},
          [](const Books& b, const World&) { return static_cast<double>(b.hires_deferred_); }),
      DefineMetric<Books>({"spend_share_rd", "fraction",
                           "R&D spend (engineering, product, design, delivery people) / all spend",
                           Better::kNeither, "Spend share: R&D"},
                          [](const Books& b, const World&) {
                            return SafeDiv(b.spend_rd_, b.spend_rd_ + b.spend_sm_ + b.spend_ga_);
                          }),
      DefineMetric<Books>(
          {"spend_share_sm", "fraction",
           "S&M spend (sales, marketing, customer-success people and the marketing budget) / all "
           "spend",
           Better::kNeither, "Spend share: S&M"},
          [](const Books& b, const World&) {
            return SafeDiv(b.spend_sm_, b.spend_rd_ + b.spend_sm_ + b.spend_ga_);
          }),
      DefineMetric<Books>({"spend_share_ga", "fraction",
                           "G&A spend (executives, G&A overhead, hiring costs) / all spend",
                           Better::kNeither, "Spend share: G&A"},
                          [](const Books& b, const World&) {
                            return SafeDiv(b.spend_ga_, b.spend_rd_ + b.spend_sm_ + b.spend_ga_);
                          }),
  };
}

}  // namespace orgsim::model
