#include "engine/model/overhead.h"

#include <algorithm>
#include <limits>

#include "engine/model/world.h"

namespace orgsim::model {

bool Overhead::active() const { return w_.cfg.mechanisms.overhead; }

double Overhead::MonthlyCost(double payroll) const {
  if (!active()) return 0.0;
  const OverheadConfig& oc = w_.cfg.finance.overhead;
  return oc.ga_fixed_per_month + oc.ga_payroll_share * payroll;
}

double Overhead::RunwayAfterHire(double cash, double monthly_burn, double added_monthly_cost) {
  const double burn = monthly_burn + added_monthly_cost;
  return burn > 0 ? std::max(0.0, cash) / burn : std::numeric_limits<double>::infinity();
}

bool Overhead::AllowsHire(double cash, double monthly_burn, double added_monthly_cost) const {
  const double added =
      added_monthly_cost * (1.0 + (active() ? w_.cfg.finance.overhead.ga_payroll_share : 0.0));
  return RunwayAfterHire(cash, monthly_burn, added) >= w_.cfg.finance.hiring_freeze_runway_months;
}

}  // namespace orgsim::model
