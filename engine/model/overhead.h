// Overhead: the rest of the company (G&A) and the runway rule for hiring.
//
// With mechanisms.overhead on (finance.overhead in scenario.proto cites the
// constants), finance, HR, operations and recruiting cost
//   G&A per month = ga_fixed_per_month + ga_payroll_share × payroll,
// payroll being every active person's salary × overhead plus per-person
// costs, so G&A grows with headcount as in real companies (Books books it
// and counts it, with executives and hiring costs, as G&A spend). Hiring
// follows the plan and the cash: a planned hire happens only while the
// runway after it, cash / (burn + the hire's monthly cost with its G&A),
// is at least finance.hiring_freeze_runway_months (Books::Hire). Off: no
// G&A cost and the freeze looks at the last month's runway only.
#pragma once

#include "engine/model/mechanism.h"

namespace orgsim::model {

struct World;

class Overhead : public Mechanism {
 public:
  explicit Overhead(World& world) : w_(world) {}

  bool active() const;
  // G&A cost of a month with this payroll (0 while inactive).
  double MonthlyCost(double payroll) const;
  // Whether a hire adding `added_monthly_cost` of payroll keeps the runway
  // at or above finance.hiring_freeze_runway_months, at this cash and burn
  // (burn <= 0: profitable). With the mechanism off: the last runway rule.
  bool AllowsHire(double cash, double monthly_burn, double added_monthly_cost) const;
  // The runway a hire would leave (infinite when the company stays profitable).
  static double RunwayAfterHire(double cash, double monthly_burn, double added_monthly_cost);

 private:
  World& w_;
};

}  // namespace orgsim::model
