#include "engine/model/config_rules.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <string>

#include "engine/kernel/check.h"
#include "engine/model/field_range.h"
#include "engine/model/lever_schedule.h"

// Returns InvalidArgument with the streamed message when `rule` is false
// (ORGSIM_CHECK's message syntax, so the wording is the one the golden
// diagnostics pin).
#define REQUIRE_RULE(rule, message_stream)              \
  do {                                                  \
    if (!(rule)) {                                      \
      std::ostringstream rule_message_;                 \
      rule_message_ << message_stream;                  \
      return InvalidArgumentError(rule_message_.str()); \
    }                                                   \
  } while (false)

namespace orgsim::model {

Status CheckConfig(const ModelConfig& c) {
  // Every lever's own range is the schema's (the generated table); what
  // follows are the rules between fields.
  Status range_error;  // the first value out of its range
  ForEachRangedValue(
      c, [&range_error](const FieldRange& range, double value, const std::string& path) {
        if (!range_error.ok() || range.Contains(value)) return;
        std::ostringstream message;
        message << path << " = " << value << " not in " << IntervalText(range);
        range_error = InvalidArgumentError(message.str());
      });
  ORGSIM_RETURN_IF_ERROR(range_error);
  REQUIRE_RULE(c.warmup_days < c.horizon_days, "warmup_days must be below horizon_days");
  const OrganizationConfig& org = c.organization;
  std::set<std::string> names;
  int engineers = 0;
  for (const TeamConfig& t : org.teams) {
    REQUIRE_RULE(!t.name.empty(), "organization.teams: a team has no name");
    REQUIRE_RULE(
        t.name.find('/') == std::string::npos && t.name != "market",
        "organization.teams: team name '" << t.name << "' may not contain '/' or be 'market'");
    REQUIRE_RULE(names.insert(t.name).second,
                 "organization.teams: duplicate team name '" << t.name << "'");
    if (t.role == Role::kEngineering) engineers += std::max(t.initial_headcount, t.final_headcount);
  }
  for (const TeamConfig& t : org.teams) {
    REQUIRE_RULE(t.reports_to.empty() || names.count(t.reports_to),
                 "organization.teams: team '" << t.name << "' reports_to unknown team '"
                                              << t.reports_to << "'");
  }
  REQUIRE_RULE(engineers > 0,
               "organization.teams: at least one engineering team with people is required");
  const GraphConfig& g = org.graph;
  REQUIRE_RULE(g.generator != GraphGenerator::kGraphml || !g.graphml_path.empty(),
               "organization.graph.graphml_path is required for generator GRAPHML");
  const MarketConfig& m = c.market;
  REQUIRE_RULE(!c.mechanisms.market || !m.segments.empty(),
               "market.segments: at least one segment is required when mechanisms.market is on");
  std::set<std::string> segment_names;
  for (const SegmentConfig& s : m.segments) {
    REQUIRE_RULE(!s.name.empty(), "market.segments: a segment has no name");
    REQUIRE_RULE(segment_names.insert(s.name).second,
                 "market.segments: duplicate name '" << s.name << "'");
    REQUIRE_RULE(s.initial_customers <= s.potential_customers,
                 "market.segments[" << s.name << "].initial_customers = " << s.initial_customers
                                    << " exceeds potential_customers = " << s.potential_customers);
    if (!s.need_weights.empty()) {
      REQUIRE_RULE(static_cast<int>(s.need_weights.size()) == m.problem_dimensions,
                   "market.segments.need_weights of '"
                       << s.name << "' has " << s.need_weights.size()
                       << " values, problem_dimensions is " << m.problem_dimensions);
      double sum = 0;
      for (double w : s.need_weights) sum += w;
      REQUIRE_RULE(sum > 0, "market.segments.need_weights of '" << s.name << "' sum to zero");
    }
  }
  const WorkConfig& w = c.work;
  REQUIRE_RULE(w.idea_p_neutral <= 1 - w.idea_p_good,
               "work.idea_p_neutral = " << w.idea_p_neutral
                                        << " exceeds 1 - work.idea_p_good = " << 1 - w.idea_p_good);
  // Every scheduled value valid where it applies (lever_schedule.h).
  if (!c.schedule.empty()) {
    try {
      ResolveSchedule(c);
    } catch (const kernel::InvariantError& e) {
      return InvalidArgumentError(e.what());
    }
  }
  return Status::Ok();
}

}  // namespace orgsim::model

#undef REQUIRE_RULE
