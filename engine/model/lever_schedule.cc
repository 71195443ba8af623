#include "engine/model/lever_schedule.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>
#include <string>

#include "engine/kernel/check.h"
#include "engine/model/config_rules.h"
#include "engine/model/run.h"
#include "engine/model/world.h"

namespace orgsim::model {
namespace {

const FieldRange* RangeOf(std::string_view path) {
  for (const FieldRange& range : ModelConfigRanges()) {
    if (range.path == path) return &range;
  }
  return nullptr;
}

// The number a change sets, checked for its lever; `where` prefixes errors.
double ValueFor(const SchedulableLever& lever, const LeverChangeConfig& change,
                const std::string& where) {
  if (lever.kind == LeverKind::kEnum) {
    ORGSIM_CHECK(!change.enum_value.empty(),
                 where << change.path << " is an enum; give enum_value");
    for (const EnumChoice& choice : lever.choices) {
      if (choice.name == change.enum_value) return choice.number;
    }
    ORGSIM_CHECK(false, where << change.path << " has no value '" << change.enum_value << "'");
    return 0;
  }
  ORGSIM_CHECK(change.enum_value.empty(), where << change.path << " is not an enum; give value");
  const double v = change.value;
  if (lever.kind == LeverKind::kBool) {
    ORGSIM_CHECK(v == 0 || v == 1, where << change.path << " = " << v << " must be 0 or 1");
  } else if (lever.kind == LeverKind::kInteger) {
    ORGSIM_CHECK(v == std::floor(v),
                 where << change.path << " = " << v << " is not a whole number");
  }
  if (const FieldRange* range = RangeOf(lever.path)) {
    ORGSIM_CHECK(range->Contains(v),
                 where << change.path << " = " << v << " not in " << IntervalText(*range));
  }
  return v;
}

}  // namespace

const SchedulableLever* FindSchedulableLever(std::string_view path) {
  for (const SchedulableLever& lever : ModelConfigSchedulableLevers()) {
    if (lever.path == path) return &lever;
  }
  return nullptr;
}

std::vector<ScheduledChanges> ResolveSchedule(const ModelConfig& config) {
  std::vector<std::size_t> order(config.schedule.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return config.schedule[a].at_day < config.schedule[b].at_day;
  });
  // The configuration in force after each entry must keep the rules between
  // fields (checked without the schedule, which it no longer needs).
  ModelConfig in_force = config;
  in_force.schedule.clear();
  std::vector<ScheduledChanges> out;
  for (std::size_t index : order) {
    const ScheduleEntryConfig& entry = config.schedule[index];
    std::ostringstream where_text;
    where_text << "schedule[" << index << "] (at_day " << entry.at_day << "): ";
    const std::string where = where_text.str();
    ScheduledChanges changes;
    changes.at = kernel::Days(entry.at_day);
    for (const LeverChangeConfig& change : entry.set) {
      const SchedulableLever* lever = FindSchedulableLever(change.path);
      ORGSIM_CHECK(lever != nullptr,
                   where << "'" << change.path
                         << "' is not a schedulable lever (unknown, inside a list, or read "
                            "only when a run starts)");
      const double value = ValueFor(*lever, change, where);
      // Whether product has a market edge is part of the communication
      // graph, built when the run starts: a schedule may change the hours but
      // not whether there are any.
      if (lever->path == "organization.pm.customer_interaction_hours_per_week") {
        ORGSIM_CHECK(
            (value > 0) == (config.organization.pm.customer_interaction_hours_per_week > 0),
            where << change.path
                  << " cannot move to or from 0 within a run (whether product "
                     "talks to the market is part of the communication graph)");
      }
      lever->set(in_force, value);
      changes.settings.push_back({lever, value});
    }
    if (const Status valid = CheckConfig(in_force); !valid.ok()) {
      ORGSIM_CHECK(false,
                   where << "the configuration in force after it is invalid: " << valid.message());
    }
    out.push_back(std::move(changes));
  }
  return out;
}

std::size_t LeverScheduleCursor::ApplyDue(
    kernel::SimTime now, ModelConfig& config,
    const std::function<void(const LeverSetting&, double)>& observe) {
  std::size_t made = 0;
  while (next_ < schedule_->size() && (*schedule_)[next_].at <= now) {
    for (const LeverSetting& setting : (*schedule_)[next_].settings) {
      const double old_value = setting.lever->get(config);
      setting.lever->set(config, setting.value);
      if (observe) observe(setting, old_value);
      ++made;
    }
    ++next_;
  }
  return made;
}

void ApplyDueLeverChanges(World& w) {
  if (!w.trace.on()) {
    w.schedule.ApplyDue(w.sim.Now(), w.live_config);
    return;
  }
  w.schedule.ApplyDue(
      w.sim.Now(), w.live_config, [&w](const LeverSetting& setting, double old_value) {
        std::ostringstream text;
        text << setting.lever->path << ": " << old_value << " -> " << setting.value
             << " (lever schedule)";
        w.trace.Emit(w.sim.Now(), -1, "lever_change", setting.value, old_value, text.str());
      });
}

}  // namespace orgsim::model
