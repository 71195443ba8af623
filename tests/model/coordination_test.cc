// Coordination overhead (engine/model/coordination.h;
// mechanisms.coordination): mechanism tests, never which design wins.
//   * the overhead per engineer grows with team size (n - 1 channels);
//   * removing ceremonies raises it in a large team and much less in a
//     small one (formula and whole runs);
//   * the hours come out of engineering capacity.
#include <gtest/gtest.h>

#include <vector>

#include "engine/model/mechanisms.h"
#include "engine/model/presets.h"
#include "engine/model/run.h"
#include "engine/model/world.h"

namespace orgsim::model {
namespace {

// One engineering team of `engineers` beside the headline company's other
// functions, shortened, with coordination on.
ModelConfig Company(int engineers, double ceremony_hours) {
  ModelConfig c = HeadlineCompany();
  c.horizon_days = 180;
  c.mechanisms.coordination = true;
  c.mechanisms.hiring = false;
  std::erase_if(c.organization.teams, [](const TeamConfig& t) {
    return t.role == Role::kEngineering && t.name != "eng_core";
  });
  for (TeamConfig& t : c.organization.teams) {
    if (t.role == Role::kEngineering) t.initial_headcount = engineers;
  }
  c.organization.operating.ceremony_hours_per_week = ceremony_hours;
  return c;
}

// Evaluates Coordination::OverheadHours inside a run.
class FormulaProbe : public Mechanism {
 public:
  explicit FormulaProbe(World& world) : w_(world) {}
  void Init() override {
    for (int n : {3, 30}) {
      for (double h : {0.0, 5.0}) hours[n == 30][h > 0] = w_.coordination.OverheadHours(n, 0, h, 1);
    }
  }
  static inline double hours[2][2] = {};  // [large][with ceremonies]

 private:
  World& w_;
};

TEST(Coordination, OverheadGrowsWithSizeAndCeremoniesCutMoreInLargeTeams) {
  const std::vector<MechanismModule> extra = {OwnedModule<FormulaProbe>("probe", {})};
  RunReplicationWith(PreparedModel(Company(5, 5)), {.seed = 2}, {}, extra);
  const auto& h = FormulaProbe::hours;
  EXPECT_GT(h[1][1], h[0][1]);  // more channels
  const double small_rise = h[0][0] - h[0][1];
  const double large_rise = h[1][0] - h[1][1];
  EXPECT_GT(small_rise, 0.0);
  EXPECT_GT(large_rise, 10.0 * small_rise);  // (30 - 1) / (3 - 1) channels
}

TEST(Coordination, RemovingCeremoniesRaisesOverheadInALargeTeamNotASmallOne) {
  const auto fraction = [](int n, double hours) {
    return RunReplication(PreparedModel(Company(n, hours)), {.seed = 2})
        .Metric("coordination_overhead_fraction");
  };
  const double large_rise = fraction(30, 0) - fraction(30, 5);
  const double small_rise = fraction(3, 0) - fraction(3, 5);
  EXPECT_GT(large_rise, 0.0);
  EXPECT_GT(large_rise, 5.0 * small_rise);
}

TEST(Coordination, OverheadComesOutOfCapacity) {
  ModelConfig on = Company(20, 5);
  ModelConfig off = on;
  off.mechanisms.coordination = false;
  const RunOutcome with = RunReplication(PreparedModel(on), {.seed = 2});
  const RunOutcome without = RunReplication(PreparedModel(off), {.seed = 2});
  EXPECT_EQ(without.Metric("coordination_overhead_fraction"), 0.0);
  EXPECT_GT(with.Metric("coordination_overhead_fraction"), 0.0);
  EXPECT_NEAR(with.Metric("capacity_lost_fraction") - without.Metric("capacity_lost_fraction"),
              with.Metric("coordination_overhead_fraction"), 0.01);
}

}  // namespace
}  // namespace orgsim::model
