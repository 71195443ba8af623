// UnitEconomics: the SaaS operating ratios of the last year of a run
// (growth, efficiency of go-to-market spend, burn), read from the books,
// the market and the roster. It measures only: it changes no state and
// draws nothing.
//
// The window is the trailing year, month max(0, M - 12) to the horizon
// (M = whole months in the run; shorter runs use the whole run), as for the
// retention metrics (retention.h). With ΔARR = ARR_end - ARR_start (12 x
// MRR), S&M = sales and marketing people (loaded salary + per-person cost)
// plus marketing spend over the window, burn = costs - revenue over it:
//   arr_growth_yoy     = ARR_end / ARR_start - 1           (0 if ARR_start 0)
//   arr_per_employee   = ARR_end / active headcount at the horizon
//   magic_number       = ΔARR / S&M
//   cac_payback_months = 12 x S&M / ΔARR                   (gross margin 1:
//                        the model has no cost of revenue; 120 if ΔARR <= 0)
//   ltv_to_cac         = (ARPA x 12 x lifetime) / (S&M / accounts won),
//                        lifetime = min(10, 1 / logo_churn_annual) years
//   burn_multiple      = max(0, burn) / ΔARR               (50 if ΔARR <= 0
//                        while burning)
// Costs and revenue are the books' (pnl.h); S&M is costed the way the
// books cost people, at the head counts active during each month.
#pragma once

#include <vector>

#include "engine/model/mechanism.h"

namespace orgsim::model {

struct World;

class UnitEconomics : public Mechanism {
 public:
  explicit UnitEconomics(World& world);
  // Takes the window's opening snapshot at t = 0 for runs of 12 months or
  // less.
  void Init() override;
  // kMonthEnd: books the month's S&M; snapshot at the window's start.
  void OnPhase(const PhaseTick& tick) override;
  // Books the partial last month.
  void Finish(kernel::SimTime end) override;
  static std::vector<MetricDef> Metrics();

  // Sales and marketing cost per month at the current head counts.
  double SalesAndMarketingPerMonth() const;
  // The ratios above (tests read them).
  double ArrGrowth() const;
  double NetNewArr() const;
  double MagicNumber() const;
  double CacPaybackMonths() const;
  double LtvToCac() const;
  double BurnMultiple() const;
  double ArrPerEmployee() const;

 private:
  void Snapshot();

  World& w_;
  int window_start_month_ = 0;
  double sm_rate_ = 0.0;  // S&M per month during the current month
  double sm_total_ = 0.0;
  kernel::SimTime sm_booked_to_ = 0;
  // At the window's start.
  double arr_start_ = 0.0, sm_start_ = 0.0, revenue_start_ = 0.0, cost_start_ = 0.0;
  int accounts_start_ = 0;
};

}  // namespace orgsim::model
