// Funnel: the stages a lead goes through before it is won or lost, the
// ramp-up of hired reps and a sales cycle that follows deal size and fit.
//
// With mechanisms.funnel on (market.funnel in scenario.proto gives every
// constant and its source):
//
//   lead ──qualify──▶ qualified ──discovery──▶ opportunity ──close──▶ won
//          │                      │                           │
//          └─ disqualified        └─ disqualified             └─ lost
//
//   P(qualify)     = qualify_rate x (perceived fit / ref)^fit_exponent x R
//   P(opportunity) = opportunity_rate x (its own fit / ref)^fit_exponent x R
//   P(won)         = the sales win probability (sales.h) x R x ramp x
//                    predictability (predictability.h)
//   R = 1 + reference_lift x happy / (happy + reference_half_saturation)
//
// with happy = the segment's active accounts whose fit is at least
// market.reference_fit (references; counted weekly). The qualification
// stage runs when the lead appears, the opportunity stage when a rep has
// worked it for discovery_share of its cycle, the close at the cycle's end:
//   cycle = lead's drawn cycle x deal size^cycle_size_elasticity
//           x (fit / ref)^-cycle_fit_elasticity     (fit ratio in [0.25, 4])
// A rep hired during the run works at productivity
//   ramp(t) = start + (1 - start) x min(1, tenure / sales.ramp_days),
// which scales its deal capacity (at least one deal) and its win odds.
// Self-serve (mechanisms.sales off): the two stages decide at once and a
// qualified opportunity converts at once (no reps, no cycle).
//
// Common random numbers: each stage's uniform is a counter-based draw keyed
// by (stage, the lead's segment and index in it) on "market/funnel", so
// prospect k of a segment meets the same thresholds in every design, and
// no organizational choice (capacity, ramp, when a rep starts) moves a
// market draw.
//
// Off, the funnel changes nothing and only measures (sales_cycle_days_mean
// is defined in every run).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/kernel/rng.h"
#include "engine/model/mechanism.h"

namespace orgsim::model {

struct World;

// Sales -> Funnel: the qualification stage of a lead was decided
// (Funnel::Qualifies).
struct LeadQualified {
  static constexpr std::string_view kEventKind = "funnel/lead_qualified";
  int lead = -1;
  bool qualified = false;
};
// Sales -> Funnel: the opportunity stage of a lead was decided
// (Funnel::BecomesOpportunity); `worked`: a rep starts the deal now (its
// cycle starts), false for self-serve.
struct OpportunityDecided {
  static constexpr std::string_view kEventKind = "funnel/opportunity_decided";
  int lead = -1;
  bool opportunity = false;
  bool worked = false;
};
// Sales -> Funnel: a worked deal was decided at its close (won or lost):
// the sales cycle tally (Market traces deal_won and deal_lost).
struct DealDecided {
  static constexpr std::string_view kEventKind = "funnel/deal_decided";
  int lead = -1;
  bool won = false;
};

class Funnel : public Mechanism {
 public:
  Funnel(World& world, const kernel::StreamKey& replication_key);

  void Init() override;
  // kWeek: recount references.
  void OnPhase(const PhaseTick& tick) override;
  // Records the hire day of a rep (its ramp starts).
  void OnAgentJoined(int agent) override;
  static std::vector<MetricDef> Metrics();

  bool on() const;

  // Stage probabilities of a lead now (tests read them).
  double QualifyProbability(int lead) const;
  double OpportunityProbability(int lead) const;
  // The close-stage multiplier of the win probability: references x the
  // rep's ramp x predictability (1 with the funnel off).
  double CloseFactor(int lead, int rep) const;
  // The sales cycle of a worked deal, in days.
  double CycleDays(int lead) const;
  // Productivity of a sales agent now, in (0, 1]: 1 once ramped.
  double RepProductivity(int agent) const;
  // Deals a sales agent works at once (sales.deals_per_rep x productivity).
  int RepDealCapacity(int agent) const;
  // References: happy accounts of segment s at the last weekly count.
  int happy_accounts(int s) const { return happy_[s]; }

  // --- The stages Sales runs: it reads each decision here and tells the
  // funnel what happened by a message (below), delivered at once ---
  // The qualification stage at the lead's arrival: false = disqualified.
  bool Qualifies(int lead) const;
  // The opportunity stage, when a rep starts working a qualified lead (or
  // at once, self-serve): false = disqualified.
  bool BecomesOpportunity(int lead) const;
  // Days from a rep starting the deal to its next decision: the end of
  // discovery if it does not become an opportunity, else its whole cycle.
  double DaysToDecision(int lead) const;
  // A worked deal that discovery showed to be no opportunity.
  bool Disqualified(int lead) const;
  // LeadQualified, OpportunityDecided, DealDecided (tallies, start days).
  void Receive(const Message& message) override;

 private:
  // Uniform of `stage` for a lead: a counter-based market draw.
  double StageUniform(int lead, int stage) const;
  double References(int s) const;
  double LeadFit(int lead) const;
  double& Started(int lead);

  World& w_;
  kernel::StreamKey key_;
  std::vector<int> happy_;           // by segment
  std::vector<double> hired_day_;    // by agent; -inf: active from t = 0
  std::vector<double> started_day_;  // by lead; NaN until worked
  std::vector<char> disqualified_;   // by lead (opportunity stage failed)
  // Tallies for the metrics.
  std::int64_t leads_ = 0, qualified_ = 0, opportunities_ = 0, closed_ = 0, won_ = 0;
  double won_cycle_days_ = 0.0;
};

}  // namespace orgsim::model
