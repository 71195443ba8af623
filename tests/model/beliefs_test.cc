// Beliefs per function (engine/model/beliefs.h; mechanisms.beliefs):
// mechanism tests, never which design wins.
//   * DeGroot averaging converges to the degree-weighted consensus;
//   * a relay's belief change arrives after the path latency;
//   * more hops (layers) between customers and builders: a worse estimate;
//   * a ceremony reduces divergence among its participants;
//   * customer contact reduces a team's need estimate error;
//   * off: alignment is plan compliance and the belief metrics are 0.
#include "engine/model/beliefs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "engine/model/mechanisms.h"
#include "engine/model/presets.h"
#include "engine/model/run.h"
#include "engine/model/world.h"

namespace orgsim::model {
namespace {

TEST(DeGroot, ConvergesToTheDegreeWeightedConsensus) {
  // A path 0-1-2-3 with symmetric trust and self-trust 1: π_i ∝ Σ_j a_ij.
  const int n = 4;
  std::vector<double> a = {1, 0.8, 0, 0, 0.8, 1, 0.5, 0, 0, 0.5, 1, 0.9, 0, 0, 0.9, 1};
  std::vector<double> degree(n, 0.0);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) degree[i] += a[i * n + j];
  }
  RowNormalise(a, n);
  std::vector<double> x = {0.1, 0.7, 0.2, 0.4};
  const double total = std::accumulate(degree.begin(), degree.end(), 0.0);
  double consensus = 0.0;
  for (int i = 0; i < n; ++i) consensus += degree[i] / total * x[i];
  for (int step = 0; step < 400; ++step) DeGrootStep(a, n, 1, 0.3, x);
  for (int i = 0; i < n; ++i) EXPECT_NEAR(x[i], consensus, 1e-9) << i;
}

// The base company, a year, with nothing but relays moving an engineering
// team's belief: no ceremonies, no engineers' customer hours.
ModelConfig RelaysOnly() {
  ModelConfig c = HeadlineCompany();
  c.horizon_days = 365;
  c.mechanisms.beliefs = true;
  c.mechanisms.ceremonies = false;
  c.organization.operating.engineer_customer_hours_per_week = 0;
  return c;
}

int FirstEngineeringTeam(const World& w) {
  for (std::size_t t = 0; t < w.roster.teams.size(); ++t) {
    if (w.roster.teams[t].role == Role::kEngineering && !w.roster.teams[t].agents.empty())
      return static_cast<int>(t);
  }
  return -1;
}

// Listed after beliefs: watches one engineering team's estimate weekly.
class BeliefProbe : public Mechanism {
 public:
  explicit BeliefProbe(World& world) : w_(world) {}
  void Init() override {
    team = FirstEngineeringTeam(w_);
    initial = w_.beliefs.Mean(team, 0, 0);
    first_change_day = std::numeric_limits<double>::infinity();
    // Relays are sent from day 0; the earliest can come from any adjacent team.
    min_latency = std::numeric_limits<double>::infinity();
    // (adjacent: a graph edge joins a member of each).
    const int lead = w_.roster.teams[team].agents.front();
    for (const CommEdge& e : w_.prep.graph.edges) {
      if (e.from == w_.roster.market_vertex || e.to == w_.roster.market_vertex) continue;
      const int a = w_.roster.agents[e.from].team, b = w_.roster.agents[e.to].team;
      if ((a == team) == (b == team)) continue;
      const int other = a == team ? b : a;
      if (w_.ActiveInTeam(other) == 0) continue;
      min_latency = std::min(min_latency,
                             w_.prep.measures.Latency(w_.roster.teams[other].agents.front(), lead));
    }
  }
  void OnPhase(const PhaseTick& tick) override {
    if (tick.phase != Phase::kWeek || std::isfinite(first_change_day)) return;
    if (w_.beliefs.Mean(team, 0, 0) != initial) first_change_day = w_.NowDays();
  }
  void Finish(kernel::SimTime) override {
    error = w_.beliefs.MeanNeedError(team);
    relays = w_.beliefs.RelaysReceived(team);
  }
  static inline int team = -1, relays = 0;
  static inline double initial = 0, first_change_day = 0, min_latency = 0, error = 0;

 private:
  World& w_;
};

struct Probed {
  double first_change_day = 0, min_latency = 0, error = 0;
  int relays = 0;
};

Probed Probe(const ModelConfig& c, std::uint32_t replication = 0) {
  const std::vector<MechanismModule> extra = {OwnedModule<BeliefProbe>("probe", {})};
  RunReplicationWith(PreparedModel(c), {.seed = 5, .replication = replication}, {}, extra);
  return {BeliefProbe::first_change_day, BeliefProbe::min_latency, BeliefProbe::error,
          BeliefProbe::relays};
}

TEST(Beliefs, ARelayChangesABeliefOnlyAfterThePathLatency) {
  for (double latency : {2.0, 9.0}) {
    ModelConfig c = RelaysOnly();
    c.organization.graph.inter_team_latency_days = latency;
    const Probed p = Probe(c);
    ASSERT_GT(p.relays, 0);
    ASSERT_TRUE(std::isfinite(p.min_latency));
    ASSERT_GE(p.min_latency, latency);
    // Seen at the first weekly boundary at or after the earliest arrival.
    EXPECT_GE(p.first_change_day, p.min_latency) << "inter-team latency " << latency;
    EXPECT_LT(p.first_change_day, p.min_latency + 7.0 + 1e-9) << "inter-team latency " << latency;
  }
}

TEST(Beliefs, MoreHopsToCustomersGiveBuildersAWorseEstimate) {
  double near = 0, far = 0;
  for (std::uint32_t r = 0; r < 3; ++r) {
    ModelConfig direct = RelaysOnly();
    direct.organization.operating.layers_between_engineers_and_customers = 0;
    ModelConfig layered = direct;
    layered.organization.operating.layers_between_engineers_and_customers = 3;
    near += Probe(direct, r).error;
    far += Probe(layered, r).error;
  }
  EXPECT_GT(far, near);
}

TEST(Beliefs, CustomerContactLowersATeamsNeedEstimateError) {
  double without = 0, with = 0;
  for (std::uint32_t r = 0; r < 3; ++r) {
    ModelConfig none = RelaysOnly();
    none.organization.operating.layers_between_engineers_and_customers = 0;
    ModelConfig contact = none;
    contact.organization.operating.engineer_customer_hours_per_week = 4;
    without += Probe(none, r).error;
    with += Probe(contact, r).error;
  }
  EXPECT_LT(with, without);
}

TEST(Beliefs, ACeremonyReducesDivergenceAmongItsParticipants) {
  ModelConfig c = HeadlineCompany();
  c.horizon_days = 200;
  c.mechanisms.beliefs = true;
  c.mechanisms.ceremonies = true;
  c.organization.operating.ceremony_hours_per_week = 3;
  int steps = 0;
  RunOptions options;
  options.trace = [&](const TraceEvent& e) {
    if (e.kind != "beliefs_synchronised") return;
    ++steps;
    EXPECT_LE(e.value2, e.value1 + 1e-12) << e.text;
  };
  RunReplication(PreparedModel(c), {.seed = 5}, options);
  EXPECT_GT(steps, 20);
}

TEST(Beliefs, OffAlignmentIsPlanComplianceAndNoBeliefMetrics) {
  ModelConfig c = HeadlineCompany();
  c.horizon_days = 200;
  c.mechanisms.beliefs = false;
  const RunOutcome out = RunReplication(PreparedModel(c), {.seed = 5});
  EXPECT_EQ(out.Metric("alignment"), out.Metric("plan_compliance"));
  EXPECT_EQ(out.Metric("belief_divergence"), 0.0);
  EXPECT_EQ(out.Metric("functions_need_error"), 0.0);
  EXPECT_EQ(out.Metric("belief_communication_hours"), 0.0);
  EXPECT_EQ(out.Metric("engineering_need_error"), 0.0);
}

TEST(Beliefs, OnAlignmentIsAgreementAndComplianceStaysSeparate) {
  ModelConfig c = HeadlineCompany();
  c.horizon_days = 200;
  c.mechanisms.beliefs = true;
  const RunOutcome out = RunReplication(PreparedModel(c), {.seed = 5});
  EXPECT_GE(out.Metric("alignment"), 0.0);
  EXPECT_LE(out.Metric("alignment"), 1.0);
  EXPECT_GT(out.Metric("belief_divergence"), 0.0);
  EXPECT_GT(out.Metric("functions_need_error"), 0.0);
  EXPECT_GT(out.Metric("belief_communication_hours"), 0.0);
  EXPECT_GE(out.Metric("plan_compliance"), 0.0);
}

}  // namespace
}  // namespace orgsim::model
