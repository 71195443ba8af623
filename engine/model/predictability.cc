#include "engine/model/predictability.h"

#include <cmath>

#include "engine/model/messages.h"
#include "engine/model/world.h"

namespace orgsim::model {

Predictability::Predictability(World& world) : w_(world) {}

bool Predictability::on() const {
  return w_.cfg.mechanisms.predictability_buyers && w_.cfg.mechanisms.market;
}

void Predictability::Receive(const Message& message) {
  if (const DateDue* due = message.As<DateDue>()) {
    ++due_;
    if (due->kept) ++kept_;
  }
}

double Predictability::KeptRatio() const {
  return (static_cast<double>(kept_) + 1.0) / (static_cast<double>(due_) + 2.0);
}

double Predictability::RoadmapVisibility() const {
  if (w_.cfg.organization.operating.roadmap_style == RoadmapStyle::kDateDriven) return 1.0;
  return w_.cfg.market.predictability.outcome_roadmap_visibility;
}

double Predictability::Score() const { return 0.5 * KeptRatio() + 0.5 * RoadmapVisibility(); }

double Predictability::Weight(int s) const {
  if (!on()) return 0.0;
  return w_.cfg.market.segments[s].predictability_weight;
}

double Predictability::WinFactor(int s) const {
  const double w = Weight(s);
  if (w == 0.0) return 1.0;
  return std::exp(w * w_.cfg.market.predictability.win_elasticity * (Score() - 0.5));
}

double Predictability::ChurnFactor(int s) const {
  const double w = Weight(s);
  if (w == 0.0) return 1.0;
  return std::exp(-w * w_.cfg.market.predictability.renewal_elasticity * (Score() - 0.5));
}

double Predictability::MissedDateChurnFactor(int s) const {
  const double w = Weight(s);
  if (w == 0.0 || kept_ == due_) return 1.0;
  const double clean = (static_cast<double>(due_) + 1.0) / (static_cast<double>(due_) + 2.0);
  // P differs by 0.5 x (K_clean - K).
  return std::exp(w * w_.cfg.market.predictability.renewal_elasticity * 0.5 *
                  (clean - KeptRatio()));
}

std::vector<MetricDef> Predictability::Metrics() {
  return {
      DefineMetric<Predictability>(
          {"date_kept_ratio", "fraction",
           "Committed dates kept / committed dates that came due (1 when none came due)",
           Better::kHigher, "Committed dates kept"},
          [](const Predictability& p, const World&) {
            return SafeDiv(static_cast<double>(p.kept_), static_cast<double>(p.due_), 1.0);
          }),
  };
}

}  // namespace orgsim::model
