// Predictability: buyers who value committed dates being kept and a visible
// roadmap (procurement-led, enterprise-like segments).
//
// The organization's predictability as such buyers see it:
//   P = 0.5 x K + 0.5 x V
//   K = (dates kept + 1) / (dates due + 2)   committed dates that came due
//   V = 1 under a date-driven roadmap, else outcome_roadmap_visibility
// (K starts at 0.5: no record yet.) In a segment with weight
// w = segment.predictability_weight, with mechanisms.predictability_buyers
// on (market.predictability gives the constants):
//   win probability  x exp( w x win_elasticity     x (P - 0.5))
//   churn hazard     x exp(-w x renewal_elasticity x (P - 0.5))
// the latter through Retention (mechanisms.retention on). A committed date
// comes due when its deal decides (Sales reports it: the message DateDue); kept means
// the request shipped by its deadline. Off, the factors are 1 and the
// module only counts dates (date_kept_ratio is defined in every run).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/model/mechanism.h"

namespace orgsim::model {

// Sales -> Predictability: a committed date came due when its deal decided;
// kept = the request shipped by its deadline.
struct DateDue {
  static constexpr std::string_view kEventKind = "predictability/date_due";
  bool kept = false;
};

struct World;

class Predictability : public Mechanism {
 public:
  explicit Predictability(World& world);
  static std::vector<MetricDef> Metrics();

  bool on() const;
  // DateDue.
  void Receive(const Message& message) override;
  // K, V and P as defined above.
  double KeptRatio() const;
  double RoadmapVisibility() const;
  double Score() const;
  // Multipliers for segment s (1 when off or the weight is 0).
  double WinFactor(int s) const;
  double ChurnFactor(int s) const;
  // How much the missed dates raised segment s's churn hazard: ChurnFactor
  // now over ChurnFactor had every date that came due been kept (>= 1; the
  // trace's renewal_lost_missed_date).
  double MissedDateChurnFactor(int s) const;
  std::int64_t dates_due() const { return due_; }
  std::int64_t dates_missed() const { return due_ - kept_; }

 private:
  double Weight(int s) const;

  World& w_;
  std::int64_t due_ = 0, kept_ = 0;
};

}  // namespace orgsim::model
