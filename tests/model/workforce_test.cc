// Mechanism tests of workforce dynamics (workforce.h): a mentor's throughput
// falls while a hire ramps; schedule pressure raises overtime and the error
// rate; overruled objections raise attrition; a leaver's seat is empty for
// the hiring time and its replacement starts from the ramp; a constant
// hazard gives the exponential-tenure rate; escaped defects raise the
// retention churn hazard. They assert mechanisms, never
// which design wins.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "engine/model/mechanisms.h"
#include "engine/model/presets.h"
#include "engine/model/world.h"

namespace orgsim::model {
namespace {

kernel::StreamKey Key(std::uint32_t rep) {
  return {.seed = 13, .design_point = 0, .replication = rep};
}

// The base company with workforce dynamics and nothing random in it: no
// attrition, no errors, no overtime, unless a test turns them on.
ModelConfig Quiet() {
  ModelConfig c = HeadlineCompany();
  c.horizon_days = 365;
  c.mechanisms.workforce = true;
  WorkforceConfig& wf = c.organization.workforce;
  wf.attrition_per_year = 0;
  wf.errors_per_engineer_day = 0;
  wf.max_overtime = 0;
  // No errors from exceptions either: a wrong guess is an error too.
  c.organization.exceptions.guess_defect_probability = 0;
  return c;
}

// What a probe (last in the hook order) sees each week.
struct EngineerWeek {
  double speed = 0.0;  // delivery's, set at this week's start
  int mentees = 0;     // after the workforce's weekly update
  bool vacant = false;
  double capacity = 0.0;
  double error_rate = 0.0;
};
struct Week {
  double day = 0.0;
  double pressure = 0.0, overtime = 0.0;
  std::map<int, EngineerWeek> engineers;  // by agent
};
std::vector<Week> g_weeks;
std::vector<TraceEvent> g_left;
// Objections the probe adds each week per engineering team: by the public
// method and by message.
int g_objections_by_call = 0, g_objections_by_message = 0;

class Probe : public Mechanism {
 public:
  explicit Probe(World& world) : w_(world) {}
  void RegisterHandlers(kernel::Simulation&) override { w_.messages.Declare<OverruledObjection>(); }
  void Init() override { g_weeks.clear(); }
  void OnPhase(const PhaseTick& tick) override {
    if (tick.phase != Phase::kWeek) return;
    Week week;
    week.day = w_.NowDays();
    week.pressure = w_.workforce.pressure();
    week.overtime = w_.workforce.overtime();
    for (const EngineerState& e : w_.delivery.engineers()) {
      if (!e.active) continue;
      week.engineers[e.agent] = {e.speed, w_.workforce.MenteesOf(e.agent),
                                 w_.workforce.Vacant(e.agent), w_.workforce.CapacityFactor(e.agent),
                                 w_.workforce.ErrorRate(e.agent)};
    }
    g_weeks.push_back(std::move(week));
    for (std::size_t t = 0; t < w_.roster.teams.size(); ++t) {
      if (w_.roster.teams[t].role != Role::kEngineering) continue;
      for (int k = 0; k < g_objections_by_call; ++k) {
        w_.messages.Deliver(*this, w_.workforce, OverruledObjection{static_cast<int>(t)});
      }
      for (int k = 0; k < g_objections_by_message; ++k) {
        w_.messages.Send(*this, w_.workforce, OverruledObjection{static_cast<int>(t)},
                         kernel::Days(1));
      }
    }
  }

 private:
  World& w_;
};

RunOutcome RunProbed(const ModelConfig& c, std::uint32_t rep) {
  const PreparedModel model(c);
  const std::vector<MechanismModule> extra = {OwnedModule<Probe>("probe", {})};
  RunOptions options;
  g_left.clear();
  options.trace = [](const TraceEvent& e) {
    if (e.kind == "engineer_left") g_left.push_back(e);
  };
  return RunReplicationWith(model, Key(rep), options, extra);
}

TEST(Workforce, RampProductivityRisesOverTheRamp) {
  EXPECT_DOUBLE_EQ(Workforce::RampProductivity(0, 60), 0.25);
  EXPECT_DOUBLE_EQ(Workforce::RampProductivity(30, 60), 0.5);
  EXPECT_DOUBLE_EQ(Workforce::RampProductivity(90, 60), 1.0);
  EXPECT_DOUBLE_EQ(Workforce::RampProductivity(5, 0), 1.0);
}

TEST(Workforce, MentorThroughputFallsWhileHireRamps) {
  ModelConfig c = Quiet();
  c.organization.workforce.mentor_share = 0.3;
  RunProbed(c, 0);
  const PreparedModel model(c);
  int compared = 0;
  for (std::size_t k = 1; k < g_weeks.size(); ++k) {
    const Week& before = g_weeks[k - 1];
    const Week& now = g_weeks[k];
    for (const auto& [agent, e] : now.engineers) {
      const auto was = before.engineers.find(agent);
      if (e.mentees == 0 || was == before.engineers.end() || was->second.mentees != e.mentees) {
        continue;
      }
      // The mentor's capacity is a (1 - share x mentees) part of a ramped
      // team mate's, and so is the speed delivery gave it this week.
      EXPECT_NEAR(e.capacity, 1.0 - 0.3 * e.mentees, 1e-12);
      for (const auto& [other, o] : now.engineers) {
        const auto other_was = before.engineers.find(other);
        if (other == agent || o.mentees != 0 || other_was == before.engineers.end() ||
            other_was->second.mentees != 0 || o.capacity != 1.0 ||
            other_was->second.capacity != 1.0)
          continue;
        if (model.impl().roster.agents[other].team != model.impl().roster.agents[agent].team)
          continue;
        EXPECT_NEAR(e.speed / o.speed, 1.0 - 0.3 * e.mentees, 1e-9) << "day " << now.day;
        ++compared;
        break;
      }
    }
  }
  EXPECT_GT(compared, 5) << "no mentoring week seen: the base company hires engineers";
}

TEST(Workforce, SchedulePressureRaisesOvertimeAndErrorRate) {
  ModelConfig c = Quiet();
  c.horizon_days = 540;
  c.organization.workforce.max_overtime = 0.3;
  c.organization.workforce.errors_per_engineer_day = 0.05;
  for (SegmentConfig& seg : c.market.segments) {
    seg.request_share = 1.0;
    seg.date_sensitive_share = 1.0;
    seg.deadline_days = 30;
  }
  c.work.effort_estimate_sd = 1.5;  // commitments on optimistic estimates slip
  int pressured = 0, calm = 0;
  for (std::uint32_t rep = 0; rep < 2; ++rep) {
    const RunOutcome out = RunProbed(c, rep);
    EXPECT_GT(out.Metric("overtime_fraction"), 0.0);
    for (const Week& w : g_weeks) {
      for (const auto& [agent, e] : w.engineers) {
        if (e.vacant || e.capacity < 1.0 / (1.0 + w.overtime) - 1e-9) continue;  // ramping
        const double base = c.organization.workforce.errors_per_engineer_day;
        if (w.pressure > 0) {
          ++pressured;
          EXPECT_GT(w.overtime, 0.0);
          EXPECT_LE(w.overtime, 0.3 + 1e-12);
          EXPECT_NEAR(e.error_rate, base * (1.0 + w.pressure), 1e-12);
          EXPECT_GT(e.error_rate, base);
        } else {
          ++calm;
          EXPECT_EQ(w.overtime, 0.0);
          EXPECT_NEAR(e.error_rate, base, 1e-12);
        }
        break;  // one ramped engineer per week is enough
      }
    }
  }
  EXPECT_GT(pressured, 0) << "no week under schedule pressure";
  EXPECT_GT(calm, 0);
}

TEST(Workforce, OverruledObjectionsRaiseAttrition) {
  ModelConfig c = Quiet();
  c.horizon_days = 730;
  c.organization.workforce.attrition_per_year = 0.15;
  c.organization.workforce.pressure_attrition_gain = 0;
  double plain = 0, by_call = 0, by_message = 0;
  for (std::uint32_t rep = 0; rep < 4; ++rep) {
    g_objections_by_call = g_objections_by_message = 0;
    plain += RunProbed(c, rep).Metric("attrition_annual");
    g_objections_by_call = 1;
    by_call += RunProbed(c, rep).Metric("attrition_annual");
    g_objections_by_call = 0;
    g_objections_by_message = 1;
    by_message += RunProbed(c, rep).Metric("attrition_annual");
  }
  g_objections_by_call = g_objections_by_message = 0;
  EXPECT_GT(by_call, plain * 1.5) << by_call << " vs " << plain;
  EXPECT_GT(by_message, plain * 1.5) << by_message << " vs " << plain;
}

TEST(Workforce, LeaverIsReplacedAfterTheHiringTime) {
  ModelConfig c = Quiet();
  c.horizon_days = 730;
  c.organization.workforce.attrition_per_year = 1.0;
  c.organization.workforce.replacement_days = 45;
  const RunOutcome out = RunProbed(c, 0);
  ASSERT_GT(g_left.size(), 5u);
  EXPECT_EQ(out.Metric("attrition_annual") > 0, true);
  int checked_vacant = 0, checked_back = 0;
  for (const TraceEvent& left : g_left) {
    const double t = kernel::ToDays(left.time);
    for (const Week& w : g_weeks) {
      const auto e = w.engineers.find(left.agent);
      if (e == w.engineers.end()) continue;
      if (w.day > t && w.day < t + 45 - 1e-9) {
        EXPECT_TRUE(e->second.vacant) << "day " << w.day << ", left " << t;
        EXPECT_EQ(e->second.capacity, 0.0);
        ++checked_vacant;
      } else if (w.day > t + 45 + 1e-9 && w.day < t + 45 + 7) {
        // Back, at the bottom of the ramp (unless the replacement left too).
        if (e->second.vacant) continue;
        EXPECT_LT(e->second.capacity, 0.5);
        ++checked_back;
      }
    }
  }
  EXPECT_GT(checked_vacant, 5);
  EXPECT_GT(checked_back, 2);
}

TEST(Workforce, ConstantHazardGivesItsRate) {
  // No pressure effect, no objections: exponential tenure at rate lambda, so
  // leavers per filled engineer-year estimate lambda.
  ModelConfig c = Quiet();
  c.horizon_days = 1095;
  c.organization.workforce.attrition_per_year = 0.5;
  c.organization.workforce.pressure_attrition_gain = 0;
  double sum = 0;
  const int reps = 4;
  for (std::uint32_t rep = 0; rep < reps; ++rep)
    sum += RunProbed(c, rep).Metric("attrition_annual");
  EXPECT_NEAR(sum / reps, 0.5, 0.1);
}

// Escaped defects: counted, and with retention every account's churn hazard
// carries their factor; none escape when nothing escapes in-house review.
double g_defect_factor = 0.0;
class DefectProbe : public Mechanism {
 public:
  explicit DefectProbe(World& world) : w_(world) {}
  void Finish(kernel::SimTime) override {
    g_defect_factor = 0.0;
    for (std::size_t id = 0; id < w_.market.accounts().size(); ++id) {
      if (!w_.market.accounts()[id].active) continue;
      g_defect_factor = w_.retention.HazardOf(static_cast<int>(id)).defects;
      break;
    }
  }

 private:
  World& w_;
};

TEST(Workforce, EscapedDefectsRaiseTheChurnHazard) {
  ModelConfig c = Quiet();
  c.organization.workforce.errors_per_engineer_day = 0.2;
  c.organization.workforce.escape_probability = 1.0;
  ModelConfig caught = c;
  caught.organization.workforce.escape_probability = 0.0;
  const std::vector<MechanismModule> extra = {OwnedModule<DefectProbe>("probe", {})};
  const RunOutcome escaping = RunReplicationWith(PreparedModel(c), Key(0), {}, extra);
  const double factor = g_defect_factor;
  const RunOutcome none = RunReplicationWith(PreparedModel(caught), Key(0), {}, extra);
  EXPECT_GT(escaping.Metric("defects_escaped"), 10.0);
  EXPECT_GT(factor, 1.0);
  EXPECT_EQ(none.Metric("defects_escaped"), 0.0);
  EXPECT_DOUBLE_EQ(g_defect_factor, 1.0);
}

TEST(Workforce, OffChangesNothing) {
  ModelConfig c = HeadlineCompany();
  c.horizon_days = 365;
  c.mechanisms.workforce = false;
  const RunOutcome out = RunReplication(PreparedModel(c), Key(0));
  EXPECT_EQ(out.Metric("attrition_annual"), 0.0);
  EXPECT_EQ(out.Metric("defects_escaped"), 0.0);
  EXPECT_EQ(out.Metric("overtime_fraction"), 0.0);
}

}  // namespace
}  // namespace orgsim::model
