// Books: the monthly P&L, cash and runway; hiring and capital allocation.
//
// At every month end (and at the horizon): revenue accrued this month (the
// MRR integral), costs (salaries × overhead / 12 per active person, per-
// person costs, marketing spend, hiring costs), cash += revenue − costs.
// Then accounts expand or contract with fit, the PMF criterion is checked,
// and hiring follows the plan (linear from initial to final headcount),
// frozen while runway is short. With business ownership the PM gates
// go-to-market hiring and marketing spend on product–market fit, and sets
// the tech-debt share from the observed drag (C2). With
// mechanisms.capital_allocation on, the business-ownership gate and the
// ±50% marketing multiplier are gone: the paces of capital_allocation.h set
// engineering and go-to-market hiring and the marketing budget instead.
// With mechanisms.overhead on, G&A (overhead.h) is a cost and a hire must
// leave enough runway.
//
// Spend by function (spend_share_* metrics): R&D = engineering, product,
// design and delivery people; S&M = sales, marketing and customer-success
// people plus the marketing budget; G&A = executives, G&A overhead and
// hiring costs.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/kernel/sim_time.h"
#include "engine/model/mechanism.h"

namespace orgsim::model {

struct World;
struct TimePoint;

class Books : public Mechanism {
 public:
  explicit Books(World& world);
  void Init() override;
  // kMonthEnd: OnMonth(tick.index).
  void OnPhase(const PhaseTick& tick) override;
  // Close(): the last book at the horizon.
  void Finish(kernel::SimTime end) override;
  // revenue, cost, cash, survival, PMF, headcount, hires.
  static std::vector<MetricDef> Metrics();
  // Month end `month` (1-based): books, expansion, PMF, hiring.
  void OnMonth(int month);
  // The closing book at the horizon (if not on a month end).
  void Close();
  double cash() const { return cash_; }
  double MonthlyCost() const;
  // The month's marketing budget (non-headcount): with capital allocation,
  // finance.marketing_spend_per_month × the go-to-market pace.
  double MarketingSpend() const;
  // Spend booked so far by function (see above).
  double spend_rd() const { return spend_rd_; }
  double spend_sm() const { return spend_sm_; }
  double spend_ga() const { return spend_ga_; }
  double runway_months() const { return runway_; }
  int headcount() const { return headcount_; }
  bool pmf() const;
  // Invariant support for tests: cash == initial + revenue − costs.
  double revenue_booked() const { return revenue_booked_; }
  double cost_booked() const { return cost_booked_; }

 private:
  void Book(kernel::SimTime now, double months);
  void CheckPmf(kernel::SimTime now);
  void Hire(int month);
  struct CostByFunction {
    double rd = 0.0, sm = 0.0, ga = 0.0;
    // Summed in the order the books always summed (people, then marketing,
    // then G&A), so runs without the new mechanisms book identical cash.
    double total = 0.0;
  };
  CostByFunction MonthlyCostByFunction() const;
  // Monthly payroll cost of one person of team t.
  double PersonMonthlyCost(int team) const;

  World& w_;
  double cash_ = 0.0;
  double revenue_booked_ = 0.0;
  double cost_booked_ = 0.0;
  double revenue_at_last_book_ = 0.0;
  double hiring_cost_pending_ = 0.0;
  double runway_ = 1e9;
  double last_profit_ = 0.0;
  int headcount_ = 0;
  int months_total_ = 1;
  kernel::SimTime last_book_ = 0;
  std::vector<int> active_per_team_;
  // Tallies for the metrics (Metrics()).
  double min_cash_ = 0.0;
  bool survived_ = true;  // cash never below zero at a book
  int pmf_streak_ = 0;    // months in a row meeting the PMF criterion
  bool pmf_reached_ = false;
  double pmf_day_ = 0.0;
  std::int64_t hires_ = 0;
  std::int64_t hires_deferred_ = 0;  // planned hires the runway rule held back
  double spend_rd_ = 0.0, spend_sm_ = 0.0, spend_ga_ = 0.0;
  double last_burn_ = 0.0;  // per month, at the last book
};

}  // namespace orgsim::model
