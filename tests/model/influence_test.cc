// Authority and influence (engine/model/influence.h; mechanisms.influence):
// mechanism tests, never which design wins.
//   * authority raises adoption speed and lowers the share of bad ideas
//     stopped before build;
//   * overruled objections are counted, per team and in total;
//   * trust rises with kept dates and falls with missed ones;
//   * dissent stops more where more ideas are bad (the regime it is for);
//   * influence costs the PM persuasion hours; off, nothing is drawn.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/model/mechanisms.h"
#include "engine/model/presets.h"
#include "engine/model/run.h"
#include "engine/model/world.h"
#include "tests/model/replications.h"

namespace orgsim::model {
namespace {

// The headline company, product-led (a PM issues plans), shortened.
ModelConfig WithInfluence(double authority) {
  ModelConfig c = HeadlineCompany();
  ApplyProductLed(c);
  c.horizon_days = 365;
  c.mechanisms.influence = true;
  c.organization.pm.authority = authority;
  return c;
}

double Mean(const ModelConfig& c, std::string_view metric, int reps = 6) {
  return MeanOverReplications(c, metric, reps, /*seed=*/5);
}

TEST(Influence, AuthorityAdoptsFasterAndStopsFewerBadIdeas) {
  const ModelConfig authority = WithInfluence(1.0);
  const ModelConfig influence = WithInfluence(0.0);
  EXPECT_LT(Mean(authority, "adoption_days_mean"), Mean(influence, "adoption_days_mean"));
  const double stopped_authority = Mean(authority, "bad_ideas_stopped_share");
  const double stopped_influence = Mean(influence, "bad_ideas_stopped_share");
  EXPECT_GT(stopped_influence, 0.0);
  EXPECT_LT(stopped_authority, stopped_influence);
  // Compliance (0.95) against adoption limited by trust.
  EXPECT_GT(Mean(authority, "decisions_adopted_share"), Mean(influence, "decisions_adopted_share"));
}

// Reads the per-team counts at the end of the run.
class OverruledProbe : public Mechanism {
 public:
  explicit OverruledProbe(World& world) : w_(world) {}
  void Finish(kernel::SimTime) override {
    per_team_sum = 0;
    for (std::size_t t = 0; t < w_.roster.teams.size(); ++t)
      per_team_sum += w_.influence.overruled_objections(static_cast<int>(t));
    persuasion_hours = w_.influence.PersuasionHoursPerPm();
  }
  static inline long per_team_sum = 0;
  static inline double persuasion_hours = 0;

 private:
  World& w_;
};

TEST(Influence, OverruledObjectionsAreCounted) {
  ModelConfig always = WithInfluence(1.0);
  always.organization.authority.overrule_probability = 1.0;
  const std::vector<MechanismModule> extra = {OwnedModule<OverruledProbe>("probe", {})};
  const RunOutcome out = RunReplicationWith(PreparedModel(always), {.seed = 5}, {}, extra);
  EXPECT_GT(out.Metric("objections_overruled"), 0.0);
  EXPECT_EQ(OverruledProbe::per_team_sum, static_cast<long>(out.Metric("objections_overruled")));
  EXPECT_EQ(out.Metric("bad_ideas_stopped_share"), 0.0);  // every objection overruled
  EXPECT_EQ(OverruledProbe::persuasion_hours, 0.0);       // authority needs no persuasion

  ModelConfig never = always;
  never.organization.authority.overrule_probability = 0.0;
  const RunOutcome heard = RunReplication(PreparedModel(never), {.seed = 5});
  EXPECT_EQ(heard.Metric("objections_overruled"), 0.0);
  EXPECT_GT(heard.Metric("bad_ideas_stopped_share"), 0.0);
}

TEST(Influence, OverruledObjectionsLowerTrust) {
  // The same overruled objections, costing trust or not: what the heard and
  // the overruled arms differ in besides trust (which items get built, and
  // with the workforce on, who leaves) stays equal.
  ModelConfig costly = WithInfluence(1.0);
  costly.organization.authority.overrule_probability = 1.0;
  ModelConfig free = costly;
  free.organization.authority.overruled_trust_step = 0.0;
  EXPECT_GT(Mean(costly, "objections_overruled"), 0.0);
  EXPECT_LT(Mean(costly, "trust_mean"), Mean(free, "trust_mean"));
}

TEST(Influence, InfluenceCostsPersuasionHours) {
  const std::vector<MechanismModule> extra = {OwnedModule<OverruledProbe>("probe", {})};
  RunReplicationWith(PreparedModel(WithInfluence(0.0)), {.seed = 5}, {}, extra);
  EXPECT_GT(OverruledProbe::persuasion_hours, 0.0);
}

// Sends date outcomes to Influence in week 1 and reads the trust they
// leave (the ping arrives after them: same time, later sending order).
struct TrustPing {
  static constexpr std::string_view kEventKind = "test/trust_ping";
};
class DateProbe : public Mechanism {
 public:
  explicit DateProbe(World& world) : w_(world) {}
  void RegisterHandlers(kernel::Simulation&) override { w_.messages.Declare<TrustPing>(); }
  void OnPhase(const PhaseTick& tick) override {
    if (tick.phase != Phase::kWeek || sent_ || w_.product.issuer() < 0) return;
    sent_ = true;
    before = w_.influence.Trust(w_.product.issuer(), team);
    for (int i = 0; i < 3; ++i) w_.messages.Send(*this, w_.influence, DateOutcome{kept}, 0);
    w_.messages.Send(*this, *this, TrustPing{}, 0);
  }
  void Receive(const Message& m) override {
    if (m.As<TrustPing>() != nullptr) after = w_.influence.Trust(w_.product.issuer(), team);
  }
  static inline bool kept = true;
  static inline int team = 0;
  static inline double before = -1, after = -1;

 private:
  World& w_;
  bool sent_ = false;
};

TEST(Influence, TrustRisesWithKeptDatesAndFallsWithMissedOnes) {
  ModelConfig c = WithInfluence(0.0);
  c.organization.pm.initial_trust = 0.5;
  const double step = c.organization.authority.date_trust_step;
  const std::vector<MechanismModule> extra = {OwnedModule<DateProbe>("dates", {})};
  DateProbe::team = PreparedModel(c).impl().roster.FindTeam("sales");
  ASSERT_GE(DateProbe::team, 0);
  for (bool kept : {true, false}) {
    DateProbe::kept = kept;
    RunReplicationWith(PreparedModel(c), {.seed = 5}, {}, extra);
    ASSERT_GE(DateProbe::before, 0.0);
    // Three proportional steps (a gain moves by step x (1 - trust)).
    const double b = DateProbe::before;
    const double expected =
        kept ? 1.0 - (1.0 - b) * std::pow(1.0 - step, 3) : b * std::pow(1.0 - step, 3);
    EXPECT_NE(DateProbe::after, b);
    EXPECT_NEAR(DateProbe::after, expected, 1e-12) << kept;
  }
}

// Counts the bad ideas dissent stopped.
class StoppedProbe : public Mechanism {
 public:
  explicit StoppedProbe(World& world) : w_(world) {}
  void Finish(kernel::SimTime) override { stopped += w_.influence.bad_ideas_stopped(); }
  static inline long stopped = 0;

 private:
  World& w_;
};

TEST(Influence, DissentStopsMoreWhereMoreIdeasAreBad) {
  // The regime that needs dissent: a novel problem where most ideas fail.
  const auto stopped = [](double p_good) {
    ModelConfig c = WithInfluence(0.0);
    c.work.idea_p_good = p_good;
    c.work.idea_p_neutral = 0.1;
    const std::vector<MechanismModule> extra = {OwnedModule<StoppedProbe>("probe", {})};
    StoppedProbe::stopped = 0;
    for (std::uint32_t r = 0; r < 4; ++r)
      RunReplicationWith(PreparedModel(c), {.seed = 5, .replication = r}, {}, extra);
    return StoppedProbe::stopped;
  };
  EXPECT_GT(stopped(0.3), stopped(0.8));
}

TEST(Influence, OffChangesNothingAndReportsNothing) {
  ModelConfig c = WithInfluence(0.5);
  c.mechanisms.influence = false;
  const RunOutcome out = RunReplication(PreparedModel(c), {.seed = 5});
  EXPECT_EQ(out.Metric("objections_overruled"), 0.0);
  EXPECT_EQ(out.Metric("bad_ideas_stopped_share"), 0.0);
  EXPECT_EQ(out.Metric("adoption_days_mean"), 0.0);
  EXPECT_DOUBLE_EQ(out.Metric("trust_mean"), c.organization.pm.initial_trust);
}

}  // namespace
}  // namespace orgsim::model
