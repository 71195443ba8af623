// Lever schedules (engine/model/lever_schedule.h): a change at a planning
// boundary is a change of the live configuration and nothing else.
#include "engine/model/lever_schedule.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "engine/kernel/check.h"
#include "engine/model/config_rules.h"
#include "engine/model/presets.h"
#include "engine/model/run.h"
#include "tests/model/market_pairing.h"

namespace orgsim::model {
namespace {

kernel::StreamKey Key(std::uint32_t rep) {
  return {.seed = 11, .design_point = 0, .replication = rep};
}

// The headline company over a shorter horizon (every mechanism on).
ModelConfig Company(double horizon_days = 200) {
  ModelConfig c = HeadlineCompany();
  ApplyProjectMode(c);
  c.horizon_days = horizon_days;
  return c;
}

const FieldRange* RangeOf(std::string_view path) {
  for (const FieldRange& r : ModelConfigRanges()) {
    if (r.path == path) return &r;
  }
  return nullptr;
}

// A value of `lever` other than its value in `base` that keeps `base` valid
// (toward the top of the range, else toward the bottom), as a schedule
// change; nullopt when there is none.
std::optional<LeverChangeConfig> OtherValue(const SchedulableLever& lever,
                                            const ModelConfig& base) {
  const double now = lever.get(base);
  std::vector<double> candidates;
  if (lever.kind == LeverKind::kBool) {
    candidates = {now != 0 ? 0.0 : 1.0};
  } else if (lever.kind == LeverKind::kEnum) {
    for (const EnumChoice& choice : lever.choices) {
      if (choice.number != now) candidates.push_back(choice.number);
    }
  } else {
    const FieldRange* r = RangeOf(lever.path);
    const double lo = r != nullptr ? r->min : -std::numeric_limits<double>::infinity();
    const double hi = r != nullptr ? r->max : std::numeric_limits<double>::infinity();
    for (double bound : {hi, lo}) {
      double v = std::isfinite(bound) ? now + (bound - now) / 2
                                      : (bound > 0 ? now * 1.5 + 1 : now * 0.5 - 1);
      if (lever.kind == LeverKind::kInteger) v = std::round(v);
      if (v != now) candidates.push_back(v);
    }
  }
  for (double v : candidates) {
    ModelConfig trial = base;
    lever.set(trial, v);
    LeverChangeConfig change;
    change.path = std::string(lever.path);
    if (lever.kind == LeverKind::kEnum) {
      for (const EnumChoice& choice : lever.choices) {
        if (choice.number == v) change.enum_value = std::string(choice.name);
      }
    } else {
      change.value = v;
    }
    ModelConfig scheduled = base;
    scheduled.schedule.push_back({.at_day = 0, .set = {change}});
    if (!CheckConfig(trial).ok() || !CheckConfig(scheduled).ok()) continue;
    return change;
  }
  return std::nullopt;
}

RunOutcome RunOnce(const ModelConfig& c, std::uint32_t rep = 1) {
  RunOptions options;
  options.record_timeseries = true;
  options.record_stream_draws = true;
  return RunReplication(c, Key(rep), options);
}

TEST(LeverSchedule, EverySchedulableLeverAtDayZeroReproducesTheStaticRun) {
  // Over the generated table, so a new lever is covered without a line here:
  // a lever that a component caches when the run starts would differ.
  const ModelConfig base = Company();
  std::vector<std::string> differing, untested;
  int tested = 0;
  for (const SchedulableLever& lever : ModelConfigSchedulableLevers()) {
    const std::optional<LeverChangeConfig> change = OtherValue(lever, base);
    if (!change) {
      untested.push_back(std::string(lever.path));
      continue;
    }
    ModelConfig statically = base;
    ModelConfig scheduled = base;
    scheduled.schedule.push_back({.at_day = 0, .set = {*change}});
    statically.schedule.clear();
    const SchedulableLever* found = FindSchedulableLever(lever.path);
    ASSERT_EQ(found, &lever);
    found->set(statically, lever.kind == LeverKind::kEnum ? lever.get(statically) : change->value);
    if (lever.kind == LeverKind::kEnum) {
      for (const EnumChoice& choice : lever.choices) {
        if (choice.name == change->enum_value) found->set(statically, choice.number);
      }
    }
    const RunOutcome a = RunOnce(statically), b = RunOnce(scheduled);
    ++tested;
    if (a.fingerprint != b.fingerprint || a.metrics != b.metrics)
      differing.push_back(std::string(lever.path));
  }
  EXPECT_TRUE(differing.empty()) << "scheduled at day 0 differs from static: "
                                 << ::testing::PrintToString(differing);
  EXPECT_TRUE(untested.empty()) << ::testing::PrintToString(untested);
  EXPECT_GT(tested, 50);
}

TEST(LeverSchedule, EverySchedulableLeverThatMattersAlsoMattersWhenChangedMidRun) {
  // A lever whose static change alters the run must alter it when changed at
  // a later planning boundary too; one read only when the run starts (and so
  // to be marked (run_constant)) would not.
  // Long enough after the first boundary (day 90) for every lever to act.
  const ModelConfig base = Company(450);
  // "No effect" means the same events and the same metrics: a lever can
  // change values (which item scores highest, a price) without changing any
  // event within a short run.
  const RunOutcome unchanged = RunOnce(base);
  const auto same = [&unchanged](const RunOutcome& o) {
    return o.fingerprint == unchanged.fingerprint && o.metrics == unchanged.metrics;
  };
  std::vector<std::string> ignored;
  for (const SchedulableLever& lever : ModelConfigSchedulableLevers()) {
    const std::optional<LeverChangeConfig> change = OtherValue(lever, base);
    if (!change) continue;
    ModelConfig at_start = base;
    at_start.schedule.push_back({.at_day = 0, .set = {*change}});
    if (same(RunOnce(at_start))) continue;  // no effect here at all
    ModelConfig mid_run = base;
    mid_run.schedule.push_back({.at_day = 1, .set = {*change}});  // applies at day 90
    if (same(RunOnce(mid_run))) ignored.push_back(std::string(lever.path));
  }
  EXPECT_TRUE(ignored.empty()) << "changed mid-run without effect: "
                               << ::testing::PrintToString(ignored);
}

TEST(LeverSchedule, RunConstantFieldsAreNotSchedulable) {
  for (const char* path : {"horizon_days", "organization.graph.generator", "mechanisms.market",
                           "organization.operating.layers_between_engineers_and_customers",
                           "organization.teams.initial_headcount", "finance.initial_cash"}) {
    EXPECT_EQ(FindSchedulableLever(path), nullptr) << path;
  }
  EXPECT_NE(FindSchedulableLever("organization.pm.mandate"), nullptr);
  ModelConfig c = Company();
  c.schedule.push_back(
      {.at_day = 30,
       .set = {{.path = "organization.graph.generator", .value = 1, .enum_value = ""}}});
  const Status refused = CheckConfig(c);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("'organization.graph.generator' is not a schedulable lever"),
            std::string::npos)
      << refused.message();
}

TEST(LeverSchedule, ScheduledValuesAreCheckedAgainstTheLeversRange) {
  ModelConfig c = Company();
  c.schedule.push_back(
      {.at_day = 30, .set = {{.path = "organization.pm.mandate", .value = 1.5, .enum_value = ""}}});
  EXPECT_FALSE(CheckConfig(c).ok());
  c.schedule.back().set.back().value = 0.9;
  EXPECT_TRUE(CheckConfig(c).ok());
  c.schedule.back().set.push_back(
      {.path = "organization.operating.roadmap_style", .value = 0, .enum_value = "ROADMAP_NOPE"});
  EXPECT_FALSE(CheckConfig(c).ok());
}

TEST(LeverSchedule, AScheduleBeyondTheHorizonChangesNothing) {
  const ModelConfig base = Company(300);
  ModelConfig late = base;
  late.schedule.push_back(
      {.at_day = 5000,
       .set = {{.path = "organization.pm.mandate", .value = 0.9, .enum_value = ""}}});
  // After the last planning event (0, 90, 180, 270) but before the horizon.
  late.schedule.push_back(
      {.at_day = 280,
       .set = {{.path = "organization.pm.people_sense", .value = 0.9, .enum_value = ""}}});
  const RunOutcome a = RunOnce(base), b = RunOnce(late);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.metrics, b.metrics);
}

struct Traced {
  RunOutcome outcome;
  std::vector<std::string> lines;  // "time kind agent v1 v2"
  std::vector<double> times;
};

Traced RunTraced(const ModelConfig& c) {
  Traced t;
  RunOptions options;
  options.record_timeseries = true;
  options.record_stream_draws = true;
  options.trace = [&t](const TraceEvent& e) {
    t.times.push_back(kernel::ToDays(e.time));
    t.lines.push_back(std::to_string(e.time) + " " + std::string(e.kind) + " " +
                      std::string(e.agent_name) + " " + std::to_string(e.value1) + " " +
                      std::to_string(e.value2));
  };
  t.outcome = RunReplication(c, Key(3), options);
  return t;
}

ModelConfig ProductLedAt(ModelConfig c, double day) {
  ScheduleEntryConfig entry;
  entry.at_day = day;
  for (auto [path, value] : std::vector<std::pair<std::string, double>>{
           {"organization.pm.business_ownership", 0.8},
           {"organization.pm.mandate", 0.8},
           {"organization.pm.metric_ownership", 0.8},
           {"organization.pm.outcome_orientation", 0.9},
           {"organization.operating.signal_routing", 0.8},
           {"organization.operating.framework_adherence", 0.3}}) {
    entry.set.push_back({.path = path, .value = value, .enum_value = ""});
  }
  entry.set.push_back({.path = "organization.operating.roadmap_style",
                       .value = 0,
                       .enum_value = "ROADMAP_OUTCOME_DRIVEN"});
  c.schedule.push_back(entry);
  return c;
}

TEST(LeverSchedule, EverythingBeforeTheBoundaryIsIdenticalAndChangesAfterIt) {
  const ModelConfig base = Company(720);
  // Planning every 90 days: at_day 200 takes effect at day 270.
  ASSERT_EQ(base.organization.operating.planning_interval_days, 90);
  const double boundary = 270;
  const Traced a = RunTraced(base), b = RunTraced(ProductLedAt(base, 200));
  std::size_t before = 0;
  while (before < a.times.size() && a.times[before] < boundary) ++before;
  ASSERT_GT(before, 100u);
  ASSERT_GE(b.lines.size(), before);
  for (std::size_t i = 0; i < before; ++i) ASSERT_EQ(a.lines[i], b.lines[i]) << "event " << i;
  ASSERT_EQ(a.outcome.series.size(), b.outcome.series.size());
  bool differs_after = false;
  for (std::size_t m = 0; m < a.outcome.series.size(); ++m) {
    const TimePoint& p = a.outcome.series[m];
    const TimePoint& q = b.outcome.series[m];
    if (p.day < boundary) {
      EXPECT_EQ(p.cash, q.cash) << "month " << m;
      EXPECT_EQ(p.mrr, q.mrr) << "month " << m;
      EXPECT_EQ(p.customers, q.customers) << "month " << m;
      EXPECT_EQ(p.wip, q.wip) << "month " << m;
      EXPECT_EQ(p.alignment, q.alignment) << "month " << m;
    } else {
      differs_after = differs_after || p.cash != q.cash || p.alignment != q.alignment;
    }
  }
  EXPECT_TRUE(differs_after);
  EXPECT_NE(a.outcome.fingerprint, b.outcome.fingerprint);
  // The story names each change, at the boundary; tracing changes nothing.
  std::size_t changes = 0;
  for (std::size_t i = 0; i < b.lines.size(); ++i) {
    if (b.lines[i].find(" lever_change ") == std::string::npos) continue;
    ++changes;
    EXPECT_EQ(b.times[i], boundary);
  }
  EXPECT_EQ(changes, 7u);
  EXPECT_EQ(RunReplication(ProductLedAt(base, 200), Key(3)).fingerprint, b.outcome.fingerprint);
}

TEST(LeverSchedule, CommonRandomNumbersTheMarketDrawsTheSame) {
  // As CommonRandomNumbersMarketDrawsDoNotDependOnOrgLevers, with the org
  // levers changed mid-run by a schedule.
  ModelConfig a = QueueingConfig(
      {.servers = 2, .arrival_rate_per_day = 1.5, .horizon_days = 300, .warmup_days = 0});
  a.organization.operating.planning_interval_days = 30;  // at_day 100 applies at day 120
  ModelConfig b = a;
  b.schedule.push_back(
      {.at_day = 100,
       .set = {
           {.path = "organization.operating.max_items_per_engineer", .value = 3, .enum_value = ""},
           {.path = "organization.operating.context_switch_cost",
            .value = 0.3,
            .enum_value = ""}}});
  ExpectMarketPairedOrgDiffers(a, b, Key(9));
}

TEST(LeverSchedule, EntriesApplyInDayOrderAndALaterSetWins) {
  // Out of file order: the day-0 entry applies first, then day 100's.
  const ModelConfig base = Company(300);
  ModelConfig twice = base;
  twice.schedule.push_back(
      {.at_day = 100,
       .set = {{.path = "organization.pm.mandate", .value = 0.9, .enum_value = ""}}});
  twice.schedule.push_back(
      {.at_day = 0,
       .set = {{.path = "organization.pm.mandate", .value = 0.5, .enum_value = ""},
               {.path = "organization.pm.mandate", .value = 0.7, .enum_value = ""}}});
  ModelConfig once = base;
  once.organization.pm.mandate = 0.7;
  once.schedule.push_back(
      {.at_day = 100,
       .set = {{.path = "organization.pm.mandate", .value = 0.9, .enum_value = ""}}});
  EXPECT_EQ(RunOnce(twice).fingerprint, RunOnce(once).fingerprint);
  const std::vector<ScheduledChanges> resolved = ResolveSchedule(twice);
  ASSERT_EQ(resolved.size(), 2u);
  EXPECT_EQ(resolved[0].at, 0);
  EXPECT_EQ(resolved[1].at, kernel::Days(100));
}

}  // namespace
}  // namespace orgsim::model
