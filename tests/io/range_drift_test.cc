// Ranges live in one place: every value the schema accepts for a lever (its
// min, max and midpoint) is accepted by the model's CheckConfig, and the
// values just outside are rejected by both. The model's per-field checks are
// the generated table (ModelConfigRanges), so this also proves the table is
// the schema's.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "engine/io/internal/convert.h"
#include "engine/io/internal/field_path.h"
#include "engine/io/internal/field_rules.h"
#include "engine/model/config_rules.h"
#include "engine/model/run.h"
#include "proto/orgsim/options.pb.h"

namespace orgsim::io::internal {
namespace {

namespace v1 = ::orgsim::v1;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// A valid base: two engineering teams (the probe team may drop to zero
// people), one segment, one explicit edge, one lever schedule entry.
v1::Scenario Base() {
  v1::Scenario s;
  v1::Team* eng = s.mutable_organization()->add_teams();
  eng->set_name("eng");
  eng->set_initial_headcount(5);
  v1::Team* probe = s.mutable_organization()->add_teams();
  probe->set_name("probe");
  probe->set_initial_headcount(2);
  v1::Edge* edge = s.mutable_organization()->mutable_graph()->add_edges();
  edge->set_from("eng");
  edge->set_to("market");
  s.mutable_market()->add_segments()->set_name("smb");
  v1::LeverChange* change = s.add_schedule()->add_set();
  change->set_path("organization.pm.mandate");
  change->set_value(0.5);
  return s;
}

// The cross-field rules that stay hand-written in CheckConfig, as the
// partner values that let a field reach every value of its own range.
const std::map<std::string, std::vector<std::pair<std::string, double>>> kPartners = {
    {"warmup_days", {{"horizon_days", 36500}}},
    {"work.idea_p_good", {{"work.idea_p_neutral", 0}}},
    {"work.idea_p_neutral", {{"work.idea_p_good", 0}}},
    {"market.segments[smb].initial_customers", {{"market.segments[smb].potential_customers", 1e6}}},
};

struct Lever {
  std::string path;        // settable path ("organization.teams[probe].hours_per_day")
  std::string plain_path;  // the range table's ("organization.teams.hours_per_day")
  const FieldDescriptor* field;
};

std::vector<Lever> RangedLevers() {
  std::vector<Lever> out;
  std::function<void(const Descriptor*, const std::string&, const std::string&)> walk =
      [&](const Descriptor* type, const std::string& path, const std::string& plain) {
        for (int i = 0; i < type->field_count(); ++i) {
          const FieldDescriptor* f = type->field(i);
          if (f->options().GetExtension(v1::config_skip)) continue;
          if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
            std::string key;
            if (f->is_repeated()) {
              key = f->name() == "teams" ? "[probe]" : f->name() == "segments" ? "[smb]" : "[0]";
            }
            walk(f->message_type(), path + f->name() + key + ".", plain + f->name() + ".");
            continue;
          }
          const bool ranged =
              f->options().HasExtension(v1::min) || f->options().HasExtension(v1::max);
          if (IsNumericField(f) && ranged) {
            out.push_back({path + f->name(), plain + f->name(), f});
          }
        }
      };
  walk(v1::Scenario::descriptor(), "", "");
  return out;
}

// Sets `path` to `value` (every element of a list of numbers), then the
// partners of `lever` unless `value` is meant to be rejected.
void Set(v1::Scenario* s, const std::string& path, double value) {
  StatusOr<ParsedPath> parsed = ParsePath(path);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  if (path == "market.segments[smb].need_weights") {
    v1::Segment* seg = s->mutable_market()->mutable_segments(0);
    seg->clear_need_weights();
    for (int i = 0; i < s->market().problem_dimensions(); ++i)
      seg->add_need_weights(i == 0 ? value : 1);
    return;
  }
  StatusOr<ResolvedPath> resolved = ResolvePath(*s, *parsed, PathTarget::kScalar, {});
  ASSERT_TRUE(resolved.ok()) << path << ": " << resolved.status().ToString();
  ASSERT_EQ(SetNumeric(s, *resolved, value), "") << path;
}

// The model's verdict: empty when CheckConfig accepts, else its message.
std::string ModelVerdict(const v1::Scenario& s) {
  return model::CheckConfig(ToModelConfig(s, "")).message();
}

std::string Text(double v) { return NumberText(v); }

TEST(RangeDrift, BaseScenarioIsValid) { EXPECT_EQ(ModelVerdict(Base()), ""); }

// The probe that found the drift (issue 19): 400 days is inside the
// schema's (0, 720] and used to fail as "the model rejects the base
// configuration: ... not in [0, 365]".
TEST(RangeDrift, LaunchDecayOf400DaysIsAccepted) {
  v1::Scenario s = Base();
  Set(&s, "market.launch_decay_days", 400);
  EXPECT_EQ(ModelVerdict(s), "");
}

TEST(RangeDrift, EveryValueTheSchemaAcceptsTheModelAccepts) {
  const std::vector<Lever> levers = RangedLevers();
  ASSERT_GT(levers.size(), 140u);
  for (const Lever& lever : levers) {
    const FieldRange r = RangeOf(lever.field);
    const bool integral = IsIntegralField(lever.field);
    double lo = std::isfinite(r.min) ? r.min : r.max - 1000;
    double hi = std::isfinite(r.max) ? r.max : r.min + 1000;
    if (r.min_exclusive) lo = integral ? lo + 1 : std::nextafter(lo, hi);
    if (r.max_exclusive) hi = integral ? hi - 1 : std::nextafter(hi, lo);
    const double mid = integral ? std::floor((lo + hi) / 2) : lo + (hi - lo) / 2;
    for (double value : {lo, mid, hi}) {
      ASSERT_EQ(RangeViolation(lever.field, value), "") << lever.path << " = " << Text(value);
      v1::Scenario s = Base();
      Set(&s, lever.path, value);
      if (auto partners = kPartners.find(lever.path); partners != kPartners.end()) {
        for (const auto& [path, partner_value] : partners->second) Set(&s, path, partner_value);
      }
      EXPECT_EQ(ModelVerdict(s), "")
          << lever.path << " = " << Text(value) << " passes the schema but the model rejects it";
    }
  }
}

TEST(RangeDrift, ValuesJustOutsideTheSchemaRangeTheModelRejects) {
  for (const Lever& lever : RangedLevers()) {
    const FieldRange r = RangeOf(lever.field);
    const bool integral = IsIntegralField(lever.field);
    std::vector<double> outside;
    if (std::isfinite(r.min))
      outside.push_back(r.min_exclusive ? r.min
                        : integral      ? r.min - 1
                                        : std::nextafter(r.min, -1e300));
    if (std::isfinite(r.max))
      outside.push_back(r.max_exclusive ? r.max
                        : integral      ? r.max + 1
                                        : std::nextafter(r.max, 1e300));
    for (double value : outside) {
      ASSERT_NE(RangeViolation(lever.field, value), "") << lever.path << " = " << Text(value);
      v1::Scenario s = Base();
      Set(&s, lever.path, value);
      const std::string verdict = ModelVerdict(s);
      EXPECT_NE(verdict.find(" not in "), std::string::npos)
          << lever.path << " = " << Text(value) << " fails the schema, the model says: '" << verdict
          << "'";
    }
  }
}

TEST(RangeDrift, GeneratedTableIsTheSchemas) {
  std::map<std::string, const model::FieldRange*> table;
  for (const model::FieldRange& r : model::ModelConfigRanges()) table[std::string(r.path)] = &r;
  const std::vector<Lever> levers = RangedLevers();
  EXPECT_EQ(table.size(), levers.size());
  for (const Lever& lever : levers) {
    auto found = table.find(lever.plain_path);
    ASSERT_NE(found, table.end()) << lever.plain_path << " has no entry in ModelConfigRanges()";
    const FieldRange r = RangeOf(lever.field);
    const model::FieldRange& g = *found->second;
    EXPECT_EQ(g.min, r.min) << lever.plain_path;
    EXPECT_EQ(g.max, r.max) << lever.plain_path;
    EXPECT_EQ(g.min_exclusive, r.min_exclusive) << lever.plain_path;
    EXPECT_EQ(g.max_exclusive, r.max_exclusive) << lever.plain_path;
    EXPECT_EQ(std::string(g.unit), UnitOf(lever.field)) << lever.plain_path;
  }
}

}  // namespace
}  // namespace orgsim::io::internal
