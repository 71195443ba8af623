#include "engine/model/unit_economics.h"

#include <algorithm>
#include <cmath>

#include "engine/model/world.h"

namespace orgsim::model {
namespace {

constexpr int kWindowMonths = 12;
constexpr double kPaybackCapMonths = 120.0;
constexpr double kBurnMultipleCap = 50.0;
constexpr double kLifetimeCapYears = 10.0;

}  // namespace

UnitEconomics::UnitEconomics(World& world) : w_(world) {}

void UnitEconomics::Init() {
  const int months =
      static_cast<int>(std::floor(static_cast<double>(w_.horizon) / kernel::kTicksPerMonth + 1e-9));
  window_start_month_ = std::max(0, months - kWindowMonths);
  sm_rate_ = SalesAndMarketingPerMonth();
  if (window_start_month_ == 0) Snapshot();
}

double UnitEconomics::SalesAndMarketingPerMonth() const {
  if (!w_.cfg.mechanisms.payroll) return 0.0;
  const FinanceConfig& fc = w_.cfg.finance;
  double people = 0.0, gtm = 0.0;
  for (const Agent& a : w_.roster.agents) {
    if (!w_.agent_active[a.id]) continue;
    const double cost = w_.roster.teams[a.team].salary_per_year / 12.0 * fc.salary_overhead +
                        fc.cost_per_person_month;
    people += cost;
    if (a.role == Role::kSales || a.role == Role::kMarketing) gtm += cost;
  }
  // The books' monthly cost is people plus marketing spend.
  return gtm + std::max(0.0, w_.books.MonthlyCost() - people);
}

void UnitEconomics::OnPhase(const PhaseTick& tick) {
  if (tick.phase != Phase::kMonthEnd) return;
  const kernel::SimTime now = w_.sim.Now();
  sm_total_ += sm_rate_ * static_cast<double>(now - sm_booked_to_) / kernel::kTicksPerMonth;
  sm_booked_to_ = now;
  if (tick.index == window_start_month_) Snapshot();
  sm_rate_ = SalesAndMarketingPerMonth();  // this month's hires are in
}

void UnitEconomics::Finish(kernel::SimTime end) {
  sm_total_ += sm_rate_ * static_cast<double>(end - sm_booked_to_) / kernel::kTicksPerMonth;
  sm_booked_to_ = end;
}

void UnitEconomics::Snapshot() {
  arr_start_ = 12.0 * w_.market.mrr();
  sm_start_ = sm_total_;
  revenue_start_ = w_.books.revenue_booked();
  cost_start_ = w_.books.cost_booked();
  accounts_start_ = static_cast<int>(w_.market.accounts().size());
}

double UnitEconomics::NetNewArr() const { return 12.0 * w_.market.mrr() - arr_start_; }

double UnitEconomics::ArrGrowth() const {
  return arr_start_ > 0 ? 12.0 * w_.market.mrr() / arr_start_ - 1.0 : 0.0;
}

double UnitEconomics::MagicNumber() const { return SafeDiv(NetNewArr(), sm_total_ - sm_start_); }

double UnitEconomics::CacPaybackMonths() const {
  const double added = NetNewArr();
  if (added <= 0) return kPaybackCapMonths;
  return std::min(kPaybackCapMonths, 12.0 * (sm_total_ - sm_start_) / added);
}

double UnitEconomics::LtvToCac() const {
  const Market& market = w_.market;
  const int won = static_cast<int>(market.accounts().size()) - accounts_start_;
  const double sm = sm_total_ - sm_start_;
  if (won <= 0 || sm <= 0 || market.active_accounts() == 0) return 0.0;
  const double arpa_year = 12.0 * market.mrr() / market.active_accounts();
  const double churn = w_.retention.LogoChurn();
  const double lifetime = churn > 0 ? std::min(kLifetimeCapYears, 1.0 / churn) : kLifetimeCapYears;
  return arpa_year * lifetime / (sm / won);
}

double UnitEconomics::BurnMultiple() const {
  const double burn =
      (w_.books.cost_booked() - cost_start_) - (w_.books.revenue_booked() - revenue_start_);
  if (burn <= 0) return 0.0;
  const double added = NetNewArr();
  if (added <= 0) return kBurnMultipleCap;
  return std::min(kBurnMultipleCap, burn / added);
}

double UnitEconomics::ArrPerEmployee() const {
  return SafeDiv(12.0 * w_.market.mrr(), w_.books.headcount());
}

std::vector<MetricDef> UnitEconomics::Metrics() {
  return {
      DefineMetric<UnitEconomics>(
          {"arr_growth_yoy", "fraction", "ARR at the horizon / ARR 12 months before it, minus 1",
           Better::kHigher, "ARR growth (last year)"},
          [](const UnitEconomics& u, const World&) { return u.ArrGrowth(); }),
      DefineMetric<UnitEconomics>(
          {"arr_per_employee", "currency/person", "ARR at the horizon / active headcount",
           Better::kHigher, "ARR per employee"},
          [](const UnitEconomics& u, const World&) { return u.ArrPerEmployee(); }),
      DefineMetric<UnitEconomics>(
          {"magic_number", "ratio",
           "Net new ARR over the last 12 months / sales and marketing cost over them",
           Better::kHigher, "Sales efficiency (magic number)"},
          [](const UnitEconomics& u, const World&) { return u.MagicNumber(); }),
      DefineMetric<UnitEconomics>(
          {"cac_payback_months", "months",
           "12 x sales and marketing cost / net new ARR over the last 12 months (gross margin "
           "1; 120 when ARR did not grow)",
           Better::kLower, "CAC payback"},
          [](const UnitEconomics& u, const World&) { return u.CacPaybackMonths(); }),
      DefineMetric<UnitEconomics>(
          {"ltv_to_cac", "ratio",
           "ARPA x 12 x min(10, 1 / annual logo churn) / (sales and marketing cost / accounts "
           "won), over the last 12 months",
           Better::kHigher, "LTV / CAC"},
          [](const UnitEconomics& u, const World&) { return u.LtvToCac(); }),
      DefineMetric<UnitEconomics>(
          {"burn_multiple", "ratio",
           "Net burn / net new ARR over the last 12 months (0 when not burning; 50 when ARR did "
           "not grow)",
           Better::kLower, "Burn multiple"},
          [](const UnitEconomics& u, const World&) { return u.BurnMultiple(); }),
  };
}

}  // namespace orgsim::model
