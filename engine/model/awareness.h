// Awareness: a goodwill stock per segment (Nerlove & Arrow 1962), the
// marketing channels that feed leads, and launches that batch features.
//
// With mechanisms.awareness on (market.awareness in scenario.proto cites
// the constants), the month's marketing budget B (Books::MarketingSpend)
// splits over three channels:
//
//   content/brand  B·content_share: awareness inflow per segment
//                  e·(B·content_share·12/1000)·(m_s/M)·f_marketers·(1 − diverted)
//                  per year, where f_marketers = 1 + marketing_lift·n/(n + half)
//                  and `diverted` is the share of the month's marketing hours
//                  launches took;
//   paid           S = B·paid_share buys S / CPL(S) leads a month, CPL(S) =
//                  cpl_0·(1 + S/S_2) (the cost per lead rises with spend),
//                  spread over segments by potential customers m_s/M;
//   launches       the rest accumulates in a launch fund.
//
// The stock decays: dA/dt = inflow − δ·A, integrated exactly each week
// (A ← A* + (A − A*)·e^(−δ·7/365), A* = inflow/δ), so under constant spend
// A → spend × effect / δ (validate-model checks it). Leads follow it: Bass
// p becomes p·(1 + awareness_lift·A/(A + 1)) (Market::UpdateRates), and
// paid leads join the segment's lead flow, scaled like Bass leads by the
// untouched pool, perceived fit and the competitor.
//
// A launch happens at the first weekly update with at least
// launch_min_features features shipped since the last one. It batches them
// all: every segment's A grows by launch_effect·n^elasticity·(1 + gain·share
// the PM coordinated)·funded (elasticity < 1: the lift per feature falls
// with the batch), where funded = min(1, fund / launch_cost); it costs that
// money from the fund and launch_marketing_hours of the month's marketing
// time, and pulls the perceived capability of the launched needs
// launch_perception_pull·funded of the way to the actual (the message
// PerceptionPull to the market; what customers hear). Otherwise perception relaxes with
// market.perception_lag_days (what they experience). With the mechanism on,
// a coordinated release no longer resets perception or boosts Bass p.
//
// Off, the module does nothing and the market keeps its marketing factors.
// It draws no random numbers.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/model/mechanism.h"
#include "engine/model/metrics.h"

namespace orgsim::model {

struct World;

class Awareness : public Mechanism {
 public:
  explicit Awareness(World& world);

  void Init() override;
  // kWeek: the stock's update, then a launch if enough features wait;
  // kMonthEnd: the launch fund and the marketing hours of the new month.
  void OnPhase(const PhaseTick& tick) override;
  void Finish(kernel::SimTime end) override;
  // awareness_mean, launches, features_per_launch, paid_leads_expected.
  static std::vector<MetricDef> Metrics();

  // mechanisms.awareness and mechanisms.market both on.
  bool active() const;

  // Multiplier on segment s's Bass p: 1 + awareness_lift·A_s/(A_s + 1).
  double InnovationMultiplier(int s) const;
  // Expected paid leads per day in segment s before the pool and fit
  // factors (Market::UpdateRates applies them).
  double PaidLeadRate(int s) const;
  double stock(int s) const { return stock_[s]; }

  // Cost per paid lead at a monthly paid spend: cpl_0·(1 + spend/S_2).
  static double CostPerLead(double spend, double cpl_0, double doubling_spend);
  // Awareness one launch of `features` features adds at full funding and no
  // coordination: effect·features^elasticity.
  static double LaunchLift(int features, double effect, double elasticity);
  // The stock's exact step over `years` with constant inflow (per year).
  static double Step(double stock, double inflow, double decay, double years);

  std::int64_t launches() const { return launches_; }

 private:
  void Weekly();
  void MaybeLaunch();
  void StartMonth();
  double ContentInflow(int s) const;  // per year
  double PaidSpend() const;

  World& w_;
  std::vector<double> stock_;  // by segment
  double launch_fund_ = 0.0;
  double diverted_hours_ = 0.0;  // marketing hours launches took this month
  std::int64_t releases_at_launch_ = 0, coordinated_at_launch_ = 0;
  // Tallies for the metrics.
  std::int64_t launches_ = 0, features_launched_ = 0;
  double paid_leads_expected_ = 0.0;
  TimeAverage awareness_average_;
};

}  // namespace orgsim::model
