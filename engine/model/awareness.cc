#include "engine/model/awareness.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/model/world.h"

namespace orgsim::model {
namespace {

constexpr double kDaysPerYear = 365.0;
constexpr double kDaysPerMonth = 365.0 / 12.0;
// Marketing hours of one marketer in a month (launch work displaces content).
constexpr double kMarketingHoursPerMonth = 140.0;

}  // namespace

Awareness::Awareness(World& world) : w_(world) {}

bool Awareness::active() const { return w_.cfg.mechanisms.awareness && w_.cfg.mechanisms.market; }

double Awareness::CostPerLead(double spend, double cpl_0, double doubling_spend) {
  return cpl_0 * (1.0 + std::max(0.0, spend) / doubling_spend);
}

double Awareness::LaunchLift(int features, double effect, double elasticity) {
  return features > 0 ? effect * std::pow(static_cast<double>(features), elasticity) : 0.0;
}

double Awareness::Step(double stock, double inflow, double decay, double years) {
  const double steady = inflow / decay;
  return steady + (stock - steady) * std::exp(-decay * years);
}

void Awareness::Init() {
  stock_.assign(w_.cfg.market.segments.size(), 0.0);
  awareness_average_.Start(0, 0.0);
  if (!active()) return;
  StartMonth();
}

double Awareness::PaidSpend() const {
  return w_.books.MarketingSpend() * std::clamp(w_.cfg.market.awareness.paid_share, 0.0, 1.0);
}

double Awareness::ContentInflow(int s) const {
  const MarketConfig& mc = w_.cfg.market;
  const AwarenessConfig& ac = mc.awareness;
  double potential = 0.0;
  for (const SegmentConfig& sc : mc.segments) potential += sc.potential_customers;
  if (potential <= 0) return 0.0;
  const double marketers = w_.ActiveWithRole(Role::kMarketing);
  const double staff =
      1.0 + mc.marketing_lift * marketers / (marketers + mc.marketing_half_saturation);
  const double hours = marketers * kMarketingHoursPerMonth;
  const double diverted = diverted_hours_ <= 0 ? 0.0
                          : hours > 0          ? std::min(1.0, diverted_hours_ / hours)
                                               : 1.0;
  const double content = w_.books.MarketingSpend() * std::clamp(ac.content_share, 0.0, 1.0);
  return ac.content_effect * content * 12.0 / 1000.0 * mc.segments[s].potential_customers /
         potential * staff * (1.0 - diverted);
}

double Awareness::InnovationMultiplier(int s) const {
  // The market sets its rates before this module's Init (initial accounts).
  const double a = static_cast<std::size_t>(s) < stock_.size() ? stock_[s] : 0.0;
  return 1.0 + w_.cfg.market.awareness.awareness_lift * a / (a + 1.0);
}

double Awareness::PaidLeadRate(int s) const {
  const MarketConfig& mc = w_.cfg.market;
  const AwarenessConfig& ac = mc.awareness;
  const double spend = PaidSpend();
  if (spend <= 0) return 0.0;
  double potential = 0.0;
  for (const SegmentConfig& sc : mc.segments) potential += sc.potential_customers;
  const double per_month =
      spend / CostPerLead(spend, ac.paid_cost_per_lead, ac.paid_cpl_doubling_spend);
  return per_month / kDaysPerMonth * mc.segments[s].potential_customers / potential;
}

void Awareness::StartMonth() {
  diverted_hours_ = 0.0;
  const AwarenessConfig& ac = w_.cfg.market.awareness;
  const double launch_share = std::max(
      0.0, 1.0 - std::clamp(ac.content_share, 0.0, 1.0) - std::clamp(ac.paid_share, 0.0, 1.0));
  launch_fund_ += w_.books.MarketingSpend() * launch_share;
}

void Awareness::Weekly() {
  const AwarenessConfig& ac = w_.cfg.market.awareness;
  const double years = 7.0 / kDaysPerYear;
  for (std::size_t s = 0; s < stock_.size(); ++s) {
    stock_[s] = Step(stock_[s], ContentInflow(static_cast<int>(s)), ac.decay_per_year, years);
    paid_leads_expected_ += PaidLeadRate(static_cast<int>(s)) * 7.0;
  }
  MaybeLaunch();
  double sum = 0.0;
  for (double a : stock_) sum += a;
  awareness_average_.Set(w_.sim.Now(), stock_.empty() ? 0.0 : sum / stock_.size());
}

void Awareness::MaybeLaunch() {
  const AwarenessConfig& ac = w_.cfg.market.awareness;
  const Market& market = w_.market;
  const int batch = static_cast<int>(market.releases() - releases_at_launch_);
  if (batch < ac.launch_min_features) return;
  const double coordinated =
      static_cast<double>(market.coordinated_releases() - coordinated_at_launch_) / batch;
  releases_at_launch_ = market.releases();
  coordinated_at_launch_ = market.coordinated_releases();
  const double funded = ac.launch_cost > 0 ? std::min(1.0, launch_fund_ / ac.launch_cost) : 1.0;
  launch_fund_ -= funded * ac.launch_cost;
  diverted_hours_ += ac.launch_marketing_hours;
  const double lift = LaunchLift(batch, ac.launch_effect, ac.launch_batch_elasticity) *
                      (1.0 + ac.coordinated_launch_gain * coordinated) * funded;
  for (double& a : stock_) a += lift;
  w_.messages.Deliver(*this, w_.market, PerceptionPull{ac.launch_perception_pull * funded});
  ++launches_;
  features_launched_ += batch;
  if (w_.trace.on()) {
    w_.trace.Emit(
        w_.sim.Now(), -1, "launch", batch, lift,
        "launch of " + std::to_string(batch) + " features (" +
            std::to_string(static_cast<int>(coordinated * 100 + 0.5)) +
            "% coordinated by the PM, " + std::to_string(static_cast<int>(funded * 100 + 0.5)) +
            "% funded): awareness +" + std::to_string(lift).substr(0, 5) + " in every segment");
  }
}

void Awareness::OnPhase(const PhaseTick& tick) {
  if (!active()) return;
  if (tick.phase == Phase::kWeek) Weekly();
  if (tick.phase == Phase::kMonthEnd) StartMonth();
}

void Awareness::Finish(kernel::SimTime end) { awareness_average_.Advance(end); }

std::vector<MetricDef> Awareness::Metrics() {
  return {
      DefineMetric<Awareness>(
          {"awareness_mean", "goodwill", "Time-average awareness stock, mean over segments",
           Better::kHigher, "Awareness (average)"},
          [](const Awareness& a, const World& w) { return a.awareness_average_.Mean(w.horizon); }),
      DefineMetric<Awareness>(
          {"awareness_end", "goodwill", "Awareness stock at the horizon, mean over segments",
           Better::kHigher, "Awareness at the end"},
          [](const Awareness& a, const World&) {
            double sum = 0.0;
            for (double v : a.stock_) sum += v;
            return a.stock_.empty() ? 0.0 : sum / a.stock_.size();
          }),
      DefineMetric<Awareness>(
          {"launches", "launches",
           "Launch events (each batches the features shipped since the last)", Better::kNeither,
           "Launches"},
          [](const Awareness& a, const World&) { return static_cast<double>(a.launches_); }),
      DefineMetric<Awareness>(
          {"features_per_launch", "features", "Features batched per launch (mean)",
           Better::kNeither, "Features per launch"},
          [](const Awareness& a, const World&) {
            return SafeDiv(static_cast<double>(a.features_launched_),
                           static_cast<double>(a.launches_));
          }),
      DefineMetric<Awareness>(
          {"paid_leads_expected", "leads",
           "Expected paid-acquisition leads bought (before pool and fit factors)", Better::kNeither,
           "Paid leads bought"},
          [](const Awareness& a, const World&) { return a.paid_leads_expected_; }),
  };
}

}  // namespace orgsim::model
