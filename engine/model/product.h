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
//
// In-trays (mechanisms.intray, intray.h): the planning decision, each plan
// and each routed signal first wait for their addressee's attention; product
// acts on them (Publish, OnAdoption, OnSignal) when InTray hands them back,
// and the PM's in-tray hours replace the per-signal triage charge.
#pragma once

#include <string_view>
#include <vector>

#include "engine/kernel/rng.h"
#include "engine/kernel/simulation.h"
#include "engine/model/mechanism.h"
#include "engine/model/metrics.h"

namespace orgsim::model {

struct World;

// Message: a routed problem signal travelling over the communication graph
// from the person who heard it (Route::from_agent) to its owner in product
// (the nearest PM, else the plan's issuer; Route::to_agent), arriving after
// the path's latency.
// Delivery -> Product: work item `item` shipped; `capability_delta` is
// what it changes on its need (market on). Product decides the launch
// and tells the market (CapabilityShipped).
struct ItemReleased {
  static constexpr std::string_view kEventKind = "product/release";
  int item = -1;
  double capability_delta = 0.0;
};
// Market -> Product: `observer` saw a problem of `segment` on need `dim`
// (a lost deal, an exit interview, a signal); Product routes it (Signal).
struct ObservedProblem {
  static constexpr std::string_view kEventKind = "product/observed_problem";
  int observer = -1;
  int segment = 0;
  int dim = 0;
};
// Sales -> Product: a committed date was missed: sales' trust in the plan
// drops (C3, C4).
struct DeadlineMissed {
  static constexpr std::string_view kEventKind = "product/deadline_missed";
};
// Beliefs -> Product: a PM spent `hours` relaying or reading beliefs
// (beliefs.h); the next week's backlog administration pays for them.
struct PmHoursSpent {
  static constexpr std::string_view kEventKind = "product/pm_hours_spent";
  double hours = 0.0;
};

struct ProblemSignal {
  static constexpr std::string_view kEventKind = "product/signal";
  int segment = 0;
  int dim = 0;
  double fidelity = 0.0;  // of the path it travelled
  kernel::SimTime raised = 0;
  int owner = -1;
  double latency = 0.0;  // of that path (days)
};

// Message: a published plan reaches a team (Route: issuer -> the team's
// anchor) after the path latency plus the authority or consensus time. The
// team decided at publication whether it will adopt (drawn then); a plan
// superseded by a newer one before it arrives is ignored.
struct PlanReachesTeam {
  static constexpr std::string_view kEventKind = "product/adoption";
  int team = 0;  // roster team
  int plan = 0;  // the team's plan number (Product's plan_seq_)
};

// Message: at a planning event with in-trays (mechanisms.intray), the plan
// is a decision for its issuer to take (Route: issuer -> issuer); product
// publishes it when the in-tray hands it back.
struct PlanDecision {
  static constexpr std::string_view kEventKind = "product/plan_decision";
};

// Message: time to measure a released item's outcome (the PM to itself,
// pm.measure_delay_days after the release).
struct MeasureRelease {
  static constexpr std::string_view kEventKind = "product/measure";
  int item = 0;
};

class Product : public Mechanism {
 public:
  // What product tallies for its metrics.
  struct Tally {
    TimeAverage alignment;  // share of plan receivers aligned, from 0
    std::int64_t decisions_issued = 0, decisions_adopted = 0;
    double decision_latency_sum = 0;  // days, adopted decisions
    // Problem signals: raised, routed to an owner, sent but unreachable;
    // path latency and fidelity sums of the routed ones (C5, C7).
    std::int64_t signals_emitted = 0, signals_routed = 0, signals_unreachable = 0;
    double signal_latency_sum = 0, signal_fidelity_sum = 0;
    double need_error_sum = 0;  // weekly samples of NeedError()
    std::int64_t need_error_samples = 0;
    std::int64_t interviews = 0, measurements = 0;
    std::int64_t launches = 0, launches_coordinated = 0;
    double pm_contact_hours = 0;  // PM hours on cross-team contacts (C7)
  };

  explicit Product(World& world);
  // Declares its messages: ProblemSignal, PlanReachesTeam, MeasureRelease.
  void RegisterHandlers(kernel::Simulation& sim) override;
  void Init() override;
  // kWeek: Weekly(); kPlanning: Plan().
  void OnPhase(const PhaseTick& tick) override;
  // Closes the alignment average.
  void Finish(kernel::SimTime end) override;
  // decisions, alignment, signals, knowledge, PM time.
  static std::vector<MetricDef> Metrics();

  // Weekly: time budget, knowledge drift, discovery, idea generation.
  void Weekly();
  // Planning event: rescore, then publish decisions (with in-trays, once the
  // issuer has handled the PlanDecision).
  void Plan();
  // Publishes the plan to every team that receives plans.
  void Publish();
  // A ProblemSignal reached its owner, a plan its team, or a release is due
  // for measurement.
  void Receive(const Message& message) override;

  // A problem signal observed by `observer` about segment s, dimension d.
  void Signal(int observer, int segment, int dim);

  // Effort of a new feature-sized item (work.effort_* distribution).
  double DrawEffort(kernel::RandomStream& rng) const;

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
  // Whether team `team` receives plans (engineering, sales, marketing).
  bool ReceivesPlan(int team) const { return decision_team_[team] != 0; }
  // Share of started items' specification needs covered by admin time.
  double SpecCoverage() const { return spec_coverage_; }
  double debt_share() const { return debt_share_; }
  // Engineering hours this week's discovery ideas need for validation
  // (pm.prototype_hours_per_idea each), charged to next week's capacity.
  double prototype_hours() const { return prototype_hours_; }
  double NeedError() const;
  const Tally& tally() const { return tally_; }
  // A PM joined: the issuer and the PM count are recounted.
  void OnAgentJoined(int agent) override;

 private:
  // Value weights per segment: head count (no acumen) vs revenue (acumen).
  void UpdateSegmentWeights();
  // What founders believe of their own ideas' efficacy (guess).
  static constexpr double kFounderOptimism = 0.8;
  // mechanisms.intray: signals and plans go through their addressee's
  // in-tray (InTray) instead of straight to product.
  bool IntrayOn() const;
  const Mechanism& Receiver() const;
  void OnSignal(const ProblemSignal& signal);
  void OnAdoption(const PlanReachesTeam& plan);
  void OnMeasure(int item);
  // A release happened: decides launch coordination, tells the market.
  void OnRelease(const ItemReleased& release);
  void OnDeadlineMissed();
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
  Tally tally_;
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
  int active_pms_ = 0;
  int issuer_ = -1;  // agent issuing plans, -1 none
  double spec_coverage_ = 1.0;
  double discovery_hours_ = 0.0;   // per week, all PMs
  double pending_pm_hours_ = 0.0;  // launches + triage since last week
  double debt_share_ = 0.0;
  double prototype_hours_ = 0.0;
  std::int64_t starts_seen_ = 0;       // Delivery::starts() at the last week
  double intray_pm_hours_seen_ = 0.0;  // InTray::PmHoursFinished() at the last week
  double beliefs_pm_hours_ = 0.0;      // PmHoursSpent since the last week
  std::vector<double> scratch_ = std::vector<double>(64);
};

}  // namespace orgsim::model
