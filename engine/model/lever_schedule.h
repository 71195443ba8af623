// Lever schedules: levers that change value at given days within one run
// (a transformation, a workshop round).
//
// A ModelConfig's `schedule` (generated from scenario.proto's ScheduleEntry)
// lists entries {at_day, set {path, value | enum_value}}. Preparation
// resolves them once against the schedulable-lever table
// (schedulable_lever.h); each run keeps a live copy of the config that the
// components read, and a cursor applies the due entries to it:
//
//   * every entry with at_day 0 before the run starts (before the
//     components are set up), so such an entry reproduces the run with the
//     values set statically;
//   * otherwise at the start of the first planning event at or after at_day,
//     before the plan (a week or sprint boundary at the same instant runs
//     earlier and still sees the old values).
//
// A changed lever takes effect where the model next reads it: the plan made
// at that boundary, the next week's capacity, the next month's marketing
// spend, work items created afterwards (items already in the backlog keep
// what they were given). Applying draws no random number and schedules no
// event: everything before
// the boundary is identical to the run without the entry, and the market's
// streams stay common to every arm. An entry after the last planning event
// never applies.
//
//   std::vector<ScheduledChanges> plan = ResolveSchedule(config);  // throws
//   LeverScheduleCursor cursor(plan);
//   cursor.ApplyDue(sim.Now(), live_config);  // at every planning boundary
//   ApplyDueLeverChanges(world);              // the same, traced (run.cc)
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>
#include <vector>

#include "engine/kernel/sim_time.h"
#include "engine/model/config.h"

namespace orgsim::model {

// One lever and its new value (an enum's number, a bool's 0/1).
struct LeverSetting {
  const SchedulableLever* lever = nullptr;
  double value = 0.0;
};

// One resolved entry: the settings made at the first planning event at or
// after `at`, in order.
struct ScheduledChanges {
  kernel::SimTime at = 0;
  std::vector<LeverSetting> settings;
};

// The schedulable lever named by `path` ("organization.pm.mandate"), or
// nullptr (unknown, inside a list, or marked (run_constant)).
const SchedulableLever* FindSchedulableLever(std::string_view path);

// config.schedule resolved, in application order (by at_day; equal days in
// file order). Throws kernel::InvariantError naming the entry and the lever
// when a path is not a schedulable lever, a value is not valid for it
// (range, whole number, 0/1, enumerator), or the configuration in force
// after an entry breaks a rule between fields (CheckConfig, config_rules.h).
std::vector<ScheduledChanges> ResolveSchedule(const ModelConfig& config);

// Walks a resolved schedule through one run.
class LeverScheduleCursor {
 public:
  explicit LeverScheduleCursor(const std::vector<ScheduledChanges>& schedule)
      : schedule_(&schedule) {}

  // Makes every setting of the entries due at `now` (at <= now) that were not
  // applied yet; calls observe(setting, old value) after each when given.
  // Returns the number of settings made.
  std::size_t ApplyDue(
      kernel::SimTime now, ModelConfig& config,
      const std::function<void(const LeverSetting&, double old_value)>& observe = {});

 private:
  const std::vector<ScheduledChanges>* schedule_;
  std::size_t next_ = 0;
};

struct World;

// The planning boundary's step: applies the due entries to w.live_config and
// traces each change (kind "lever_change": value1 the new value, value2 the
// old one).
void ApplyDueLeverChanges(World& w);

}  // namespace orgsim::model
