// Product: the PM function — knowledge of needs, idea generation and
// discovery, prioritisation scores, decisions and their adoption, problem
// signals, launches and outcome measurement.
//
// Knowledge: the prioritiser keeps, per segment and problem dimension, a
// Kalman estimate (mean, variance) of the need weight. It starts from the
// founders' belief, grows uncertain as needs drift (process noise), and
// learns from discovery interviews (noise shrinking with people sense and
// market→PM fidelity), routed problem signals (C5) and measured releases
// (metric ownership, C11).
//
// Decisions (C3): at every planning event the prioritiser publishes a plan to
// each engineering, sales and marketing team. A team adopts it after a
// latency (path latency + authority or consensus time) with probability
// authority × compliance + (1 − authority) × trust × people-sense factor
// (channel drawn per decision). Until then it follows the old plan
// (not aligned). Influence-adopted plans carry buy-in.
//
// PM time (hours/week per PM) is spent, in order, on ceremonies/planning,
// contacts with other teams (pm.contact_hours_per_week per graph edge),
// business work, customer interaction, launches and signal triage; what is
// left specifies work (backlog administration). Short admin time lowers the
// builders' understanding (C1, C8).
#pragma once

#include <vector>

#include "engine/kernel/rng.h"
#include "engine/kernel/simulation.h"

namespace orgsim::model {

struct World;

class Product {
 public:
  explicit Product(World& world);
  void Init();

  // Weekly: time budget, knowledge drift, discovery, idea generation.
  void Weekly();
  // Planning event: rescore, publish decisions.
  void Plan();
  // Handler: a published decision reaches team `team` (payload).
  void OnAdoption(int team);
  // Handler: a routed problem signal arrives (payload: signal index).
  void OnSignal(int signal);
  // Handler: outcome measurement of a released item (payload: item id).
  void OnMeasure(int item);

  // A problem signal observed by `observer` about segment s, dimension d.
  void Signal(int observer, int segment, int dim);
  // A release happened; decides launch coordination; returns whether the
  // launch was coordinated.
  bool OnRelease(int item);

  // Effort of a new feature-sized item (work.effort_* distribution).
  double DrawEffort(kernel::RandomStream& rng) const;
  // A committed date was missed: sales' trust in the plan drops (C3, C4).
  void DeadlineMissed();

  // Estimated need of segment s on dimension d, and its sd.
  double EstimatedNeed(int s, int d) const { return mean_[s * dims_ + d]; }
  // Segment weights of value estimates: head count vs revenue (acumen).
  double SegmentWeight(int s) const { return seg_weight_[s]; }
  bool has_pm() const { return active_pms_ > 0; }
  bool has_prioritiser() const { return issuer_ >= 0; }
  int issuer() const { return issuer_; }
  // Whether team `team` (roster index) currently follows the plan, and with
  // buy-in.
  bool Aligned(int team) const { return aligned_[team] != 0; }
  bool BuyIn(int team) const { return buy_in_[team] != 0; }
  // Share of started items' specification needs covered by admin time.
  double SpecCoverage() const { return spec_coverage_; }
  double debt_share() const { return debt_share_; }
  // Engineering hours this week's discovery ideas need for validation
  // (pm.prototype_hours_per_idea each), charged to next week's capacity.
  double prototype_hours() const { return prototype_hours_; }
  double NeedError() const;
  void PmActivated() { RecountPms(); }

 private:
  // Value weights per segment: head count (no acumen) vs revenue (acumen).
  void UpdateSegmentWeights();
  struct PendingSignal {
    int segment;
    int dim;
    double fidelity;
    kernel::SimTime raised;
    int owner;       // who it travels to: nearest PM, or the issuer
    double latency;  // of the path it travels (days)
  };
  // What founders believe of their own ideas' efficacy (guess).
  static constexpr double kFounderOptimism = 0.8;
  void RecountPms();
  double DrawEfficacy();
  double PriorEfficacy() const;
  double ObservationSd() const;
  void Observe(int s, int d, double value, double noise_var);
  void GenerateIdeas(double days);
  void AddIdea(int source, int origin, int dim, double efficacy, double est_efficacy);
  int SampleDimension(double u, bool founder_view) const;
  double IssuerChannel() const;
  void UpdateAlignmentMetric();

  World& w_;
  int dims_ = 0;
  int segs_ = 0;
  std::vector<double> mean_, var_;       // knowledge, segments × dims
  std::vector<double> founder_;          // founders' static belief (segments × dims)
  std::vector<double> seg_weight_;       // value weight per segment
  std::vector<char> aligned_, buy_in_;   // per roster team
  std::vector<char> decision_team_;      // teams that receive plans
  std::vector<double> trust_;            // per roster team
  std::vector<int> plan_seq_;            // decisions issued per team
  std::vector<double> plan_issued_day_;  // when the pending decision was issued
  std::vector<char> plan_authority_;     // pending decision channel
  std::vector<char> plan_adopt_;         // pending decision outcome
  std::vector<PendingSignal> signals_;
  int active_pms_ = 0;
  int issuer_ = -1;                      // agent issuing plans, -1 none
  double spec_coverage_ = 1.0;
  double discovery_hours_ = 0.0;         // per week, all PMs
  double pending_pm_hours_ = 0.0;        // launches + triage since last week
  double debt_share_ = 0.0;
  double prototype_hours_ = 0.0;
  std::vector<double> scratch_ = std::vector<double>(64);
};

}  // namespace orgsim::model
