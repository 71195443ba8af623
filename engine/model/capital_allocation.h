// Capital allocation: running the product as a business (C2) is deciding
// where the next dollar goes.
//
// With mechanisms.capital_allocation on (finance.capital_allocation in
// scenario.proto cites the constants), at every planning event the budget
// splits into three shares, build (engineering hiring pace), go-to-market
// (sales, marketing and customer-success hiring pace and the marketing
// budget) and runway (not spent). Each share's pace is relative to the
// fixed plan (plan_build_share, plan_gtm_share): a share twice the plan's
// hires twice as fast (up to the planned headcount), half of it half.
//
// The true marginal return a_i of each bucket (revenue per currency unit,
// from the state of the run; docs/model.md gives the formulas) defines the
// value of a split, V(s) = Σ a_i·ln(1 + s_i/c) with c = curvature, and the
// best split maximises it (water-filling: s_i = max(0, a_i/λ − c), Σ s_i =
// 1). A PM with business ownership b (and a PM in the run) sets
//   s = b·argmax V̂ + (1 − b)·plan,
// where V̂ uses the ESTIMATES â_i = a_i·exp(σ·z_i − σ²/2), z_i ~ N(0, 1)
// from the org stream "org/allocation", σ = estimate_sd·(1 − acumen)/
// sqrt(1 + planning events with revenue data). Without business
// ownership the split is the plan. Misallocation is possible (σ > 0) and
// costs twice: hires and spend go where they return less, and the regret
// V(best) − V(chosen) under the true returns is summed (allocation_regret).
//
// Off, the plan is the split and Books keeps its business-ownership rules.
#pragma once

#include <array>
#include <cstdint>

#include "engine/kernel/rng.h"
#include "engine/model/mechanism.h"

namespace orgsim::model {

struct World;

class CapitalAllocation : public Mechanism {
 public:
  enum Bucket { kBuild = 0, kGoToMarket = 1, kRunway = 2 };
  using Shares = std::array<double, 3>;

  CapitalAllocation(World& world, const kernel::StreamKey& replication_key);

  void Init() override;
  // kPlanning: Reallocate().
  void OnPhase(const PhaseTick& tick) override;
  // allocation_regret, build/gtm/runway shares.
  static std::vector<MetricDef> Metrics();

  bool active() const;

  // Hiring and spending pace of a bucket relative to the plan (1 with the
  // mechanism off or at the plan's split), in [0, 3].
  double pace(Bucket b) const;
  const Shares& shares() const { return shares_; }

  // The split maximising Σ a_i·ln(1 + s_i/c) over Σ s_i = 1, s_i >= 0.
  static Shares BestShares(const Shares& returns, double curvature);
  // V(s) = Σ a_i·ln(1 + s_i/c).
  static double Value(const Shares& returns, const Shares& shares, double curvature);
  // The model's marginal returns now (what a perfect estimate would see).
  Shares TrueReturns() const;

 private:
  void Reallocate();
  Shares PlanShares() const;

  World& w_;
  kernel::RandomStream rng_;  // "org/allocation"
  Shares shares_{};
  bool initialized_ = false;
  int data_cycles_ = 0;
  // Tallies for the metrics.
  double regret_ = 0.0;
  Shares share_sum_{};
  int cycles_ = 0;
};

}  // namespace orgsim::model
