// Coordination: communication overhead that grows with size (Brooks 1975;
// Abdel-Hamid & Madnick 1991).
//
// A team of n engineers has n(n-1)/2 channels; each engineer keeps n-1 of
// them up, and keeps up with every team its work is coupled to. With
// mechanisms.coordination on, each engineer of team t spends, per week,
//
//   in_team    = pair_hours · (n_t - 1) · (1 - c_max · (1 - e^(-h_c / h_half)))
//   cross_team = team_hours · k_t · (1 - l_max · (1 - e^(-L)))
//     k_t = coupling · (active engineering teams - 1)
//           + the active business teams (sales, marketing, customer
//             success) when there is neither a layer nor a PM between
//     h_c = operating.ceremony_hours_per_week (0 with mechanisms.ceremonies
//           off), h_half = operating.ceremony_half_benefit_hours,
//     L   = operating.layers_between_engineers_and_customers + (1 if a PM
//           is active): the liaisons.
//
// (organization.coordination in scenario.proto gives the constants.) The
// hours come out of the engineer's capacity: Delivery adds OverheadHoursPerWeek
// to its overhead. Ceremonies and layers therefore buy something that grows
// with n: removing them raises the overhead of a large team a lot and of a
// small one little. No random draws.
//
// Metric: coordination_overhead_fraction = Σ weekly coordination hours of
// active engineers / Σ their contract hours (from warm-up's first week).
#pragma once

#include <vector>

#include "engine/model/mechanism.h"

namespace orgsim::model {

struct World;

class Coordination : public Mechanism {
 public:
  explicit Coordination(World& world);

  // kWeek: books the week's coordination hours.
  void OnPhase(const PhaseTick& tick) override;
  static std::vector<MetricDef> Metrics();

  bool active() const;
  // Coordination hours per week of one active engineer of team `team` now
  // (0 when inactive or for a team that is not engineering).
  double OverheadHoursPerWeek(int team) const;
  // The same from explicit counts (tests and docs): n engineers in the
  // team, k coupled teams, ceremony hours and liaisons.
  double OverheadHours(int team_size, double coupled_teams, double ceremony_hours,
                       double liaisons) const;
  double overhead_fraction() const { return SafeDiv(overhead_hours_, contract_hours_); }

 private:
  World& w_;
  double overhead_hours_ = 0.0;
  double contract_hours_ = 0.0;
};

}  // namespace orgsim::model
