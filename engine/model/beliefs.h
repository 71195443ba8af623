// Beliefs: every function's own estimate of what customers need
// (mechanisms.beliefs; organization.beliefs). Social learning on a network
// (DeGroot 1974; Golub & Jackson 2010) with Construct's idea that what a
// group knows is held by its members and moves only by interaction (Carley
// 1991, 2002).
//
// A function is a roster team: each engineering team, its layers team, sales,
// marketing, customer success, design, executives and each product team.
// Each holds, per segment s and problem dimension d, an estimate (mean m,
// variance v) of the need weight, and a view of the priorities: its ranking
// of the dimensions by Σ_s w_s m[s][d] (w_s: Product::SegmentWeight). Every
// function starts from the founders' belief (product's estimate at t = 0).
//
// Once a week (after product, list order), in this order:
//   drift       v += q m² (the market's need drift; what is not re-observed
//               grows uncertain);
//   product     a product team's belief is product's own Kalman estimate
//               (Product::EstimatedNeed: discovery, signals, measured
//               releases), a stubborn agent in DeGroot's terms;
//   observation each other function meets customers for h hours a week
//               (sales and customer success: customer_facing_hours_per_week
//               per person; marketing, executives:
//               other_customer_hours_per_week; engineering: the operating
//               model's engineer_customer_hours_per_week when no layers stand
//               between them and customers). The hours spread evenly over
//               segments: one Kalman update per (s, d) with noise variance
//               observation_sd² · segments / hours. Draws: "org/beliefs".
//   ceremony    with ceremonies on and ceremony hours h_c > 0, the delivery,
//               design and product functions take one DeGroot step
//               m_i <- (1 - c) m_i + c Σ_j W_ij m_j (same for v), with W the
//               row-normalised trust among participants (W_ij ∝ the most
//               reliable path fidelity between their leads, W_ii ∝ 1) and
//               c = ceremony_sync · min(1, h_c / ceremony_reference_hours).
//               Its hours are the ceremonies' own (delivery, product).
//   relays      each function sends its belief to every adjacent function
//               (a graph edge joins their members) as a BeliefRelay message
//               that arrives after the fastest path latency between the
//               teams' leads (member 0; past any layers in between). The
//               sender pays relay_hours, the reader reading_hours (an
//               engineer's come out of capacity via Delivery, a PM's out of
//               admin time via Product; other functions' are counted).
//               On arrival, with the path's fidelity f, the content is
//               m' = f m + (1 - f)/dims, and the reader fuses it as an
//               observation of variance v + relay_sd² / f (Kalman). Several
//               relays in a row (market -> sales -> PM -> layer -> team)
//               lose fidelity at every hop and take every hop's latency.
//
// Measures (weekly samples, averaged over the run):
//   alignment (with the switch on; Product reports it) = mean over pairs
//     of functions of the share of dimension pairs they rank in the same
//     order (ties count one half): 1 = same priorities, 0.5 = unrelated;
//   belief_divergence = mean over pairs of functions of mean_{s,d} |m_f - m_g|;
//   functions_need_error = mean over functions of mean_{s,d} |m_f - need|;
//   engineering_need_error = the same over engineering teams only;
//   plan_compliance = the share of plan receivers following the latest
//     plan (the closed-form alignment of the model without beliefs): a team
//     following a plan it does not believe is compliant, not aligned;
//   belief_communication_hours = relay hours sent and read, all functions.
// Only functions with an active member take part.
//
// Builders' understanding of the why of an item (WhyUnderstanding, read by
// Delivery in place of the path-fidelity product): 1 - min(1, e / e0) with
// e = Σ_s w_s |m[s][d] - need[s][d]| / Σ_s w_s need[s][d] their team's
// relative error on the item's dimension (mean over dimensions for an item
// without one) and e0 = error_for_no_understanding.
//
// Trace kinds: belief_relayed (a relay arrived: value1 fidelity, value2 how
// far it moved the reader's estimate), beliefs_synchronised (a ceremony's
// DeGroot step: value1 divergence among participants before, value2 after).
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "engine/model/mechanism.h"

namespace orgsim::model {

// Message: one function's belief relayed to an adjacent function over the
// communication graph (Route: sender's lead -> reader's lead).
struct BeliefRelay {
  static constexpr std::string_view kEventKind = "beliefs/relay";
  int from_team = 0;
  int to_team = 0;
  double fidelity = 1.0;     // of the leads' most reliable path
  std::vector<double> mean;  // segments × dims, the sender's at sending
  std::vector<double> var;
};

// One DeGroot step on n agents with k values each (row-major n × k):
// x <- (1 - c) x + c W x, W row-stochastic n × n (row-major). With c in
// (0, 1] and W strongly connected and aperiodic, repeated steps converge to
// the consensus π·x(0) in every row, π the left unit eigenvector of W (for
// W_ij ∝ a symmetric trust a_ij, π_i ∝ Σ_j a_ij: Golub & Jackson 2010).
void DeGrootStep(std::span<const double> w, int n, int k, double c, std::span<double> x);
// Row-normalises a non-negative n × n trust matrix in place (a zero row
// becomes self-trust only).
void RowNormalise(std::span<double> a, int n);

class Beliefs : public Mechanism {
 public:
  explicit Beliefs(World& world);
  // With the switch on: declares BeliefRelay.
  void RegisterHandlers(kernel::Simulation& sim) override;
  void Init() override;
  // kWeek: drift, observation, ceremony, relays, samples.
  void OnPhase(const PhaseTick& tick) override;
  // A BeliefRelay arrived.
  void Receive(const Message& message) override;
  // belief_divergence, functions_need_error, engineering_need_error,
  // plan_compliance, belief_communication_hours.
  static std::vector<MetricDef> Metrics();

  bool on() const;
  // Builders' understanding of the why of an item on dimension `dim` (-1:
  // none) for roster team `team` (1 with the switch off).
  double WhyUnderstanding(int team, int dim) const;
  // Relay hours per active person of `team` last week (Delivery charges an
  // engineering team's to capacity).
  double HoursPerPersonPerWeek(int team) const;

  // State, for metrics and tests.
  double Mean(int team, int s, int d) const { return mean_[Index(team, s, d)]; }
  double NeedError(int team) const;      // mean_{s,d} |m - need| now
  double MeanNeedError(int team) const;  // weekly samples so far
  double Alignment() const { return SafeDiv(alignment_sum_, samples_, 1.0); }
  double Divergence() const { return SafeDiv(divergence_sum_, samples_); }
  double MeanError() const { return SafeDiv(error_sum_, samples_); }
  double CommunicationHours() const { return hours_total_; }
  // Divergence among `teams` now (mean pairwise mean_{s,d} |m_f - m_g|).
  double DivergenceAmong(std::span<const int> teams) const;
  // Relays that arrived at `team` and the sum of their path fidelities.
  int RelaysReceived(int team) const { return relays_in_[team]; }
  double RelayFidelitySum(int team) const { return relay_fidelity_in_[team]; }
  double LastArrivalDay(int team) const { return last_arrival_day_[team]; }

 private:
  std::size_t Index(int team, int s, int d) const {
    return (static_cast<std::size_t>(team) * segs_ + s) * dims_ + d;
  }
  bool Active(int team) const;
  int Lead(int team) const;  // the team's vertex for relays and trust: its lead
  double ContactHours(int team) const;
  void Drift();
  void Observe();
  void Ceremony();
  void SendRelays();
  void Sample();
  double Concordance(int a, int b) const;
  void Priorities(int team, std::vector<double>& out) const;

  World& w_;
  int teams_ = 0, segs_ = 0, dims_ = 0;
  std::vector<double> mean_, var_;          // teams × segments × dims
  std::vector<std::vector<int>> adjacent_;  // per team: adjacent teams
  std::vector<int> participants_;           // ceremony functions
  std::vector<double> week_hours_;          // per team, relays this week
  std::vector<double> last_week_hours_;     // per team, the week before
  std::vector<int> relays_in_;
  std::vector<double> relay_fidelity_in_;
  std::vector<double> last_arrival_day_;
  std::vector<double> error_team_sum_;
  double hours_total_ = 0;
  double alignment_sum_ = 0, divergence_sum_ = 0, error_sum_ = 0;
  double samples_ = 0;
};

}  // namespace orgsim::model
