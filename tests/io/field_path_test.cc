// Field paths: parsing, resolution through reflection, setting values.
#include "engine/io/internal/field_path.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "proto/orgsim/scenario.pb.h"

namespace orgsim::io::internal {
namespace {

namespace v1 = ::orgsim::v1;

v1::Scenario Parse(const std::string& text) {
  v1::Scenario scenario;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &scenario));
  return scenario;
}

const v1::Scenario kScenario = Parse(R"pb(
  organization {
    teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 5 }
    teams { name: "sales" role: ROLE_SALES initial_headcount: 2 }
    graph { edges { from: "eng" to: "sales" } edges { from: "sales" to: "market" } }
  }
  market { segments { name: "smb" } segments { name: "enterprise" } }
)pb");

const std::vector<std::string> kRoots = {"horizon_days", "organization", "market", "mechanisms"};

// Resolves `text` in kScenario, failing the test on error.
ResolvedPath MustResolve(const std::string& text, PathTarget target = PathTarget::kScalar) {
  StatusOr<ParsedPath> parsed = ParsePath(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  if (!parsed.ok()) return {};
  StatusOr<ResolvedPath> path = ResolvePath(kScenario, *parsed, target, kRoots);
  EXPECT_TRUE(path.ok()) << path.status().ToString();
  return path.ok() ? *path : ResolvedPath{};
}

// The resolution error for `text`.
std::string ResolveError(const std::string& text, PathTarget target = PathTarget::kScalar) {
  StatusOr<ParsedPath> parsed = ParsePath(text);
  if (!parsed.ok()) return "parse: " + parsed.status().message();
  StatusOr<ResolvedPath> path = ResolvePath(kScenario, *parsed, target, kRoots);
  EXPECT_FALSE(path.ok());
  return path.status().message();
}

TEST(FieldPath, ParsesSegmentsAndKeys) {
  StatusOr<ParsedPath> parsed_or = ParsePath("market.segments[enterprise].bass_p");
  ASSERT_TRUE(parsed_or.ok()) << parsed_or.status().ToString();
  const ParsedPath& parsed = *parsed_or;
  ASSERT_EQ(parsed.segments.size(), 3u);
  EXPECT_EQ(parsed.segments[1].field, "segments");
  EXPECT_TRUE(parsed.segments[1].has_key);
  EXPECT_EQ(parsed.segments[1].key, "enterprise");
  EXPECT_EQ(PathToString(parsed), "market.segments[enterprise].bass_p");
}

TEST(FieldPath, RejectsMalformedSyntaxWithPosition) {
  auto error = [](std::string_view text) {
    StatusOr<ParsedPath> parsed = ParsePath(text);
    EXPECT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << text;
    return parsed.status().message();
  };
  EXPECT_EQ(error(""), "the path is empty");
  EXPECT_EQ(error("organization..pm"), "expected a field name at character 14");
  EXPECT_EQ(error("market.segments[smb"), "unclosed '[' at character 16");
  EXPECT_NE(error("market.segments[]"), "");
  EXPECT_EQ(error("organization.pm-x"),
            "unexpected '-' at character 16; expected '.' or the end of the path");
}

TEST(FieldPath, ResolvesNamedElementsByNameAndOthersByIndex) {
  ResolvedPath byname = MustResolve("market.segments[enterprise].bass_p");
  ASSERT_EQ(byname.steps.size(), 3u);
  EXPECT_EQ(byname.steps[1].index, 1);
  EXPECT_EQ(byname.leaf()->name(), "bass_p");

  ResolvedPath byindex = MustResolve("organization.graph.edges[1].latency_days");
  EXPECT_EQ(byindex.steps[2].index, 1);
}

TEST(FieldPath, ExplainsWhyAPathDoesNotResolve) {
  EXPECT_EQ(ResolveError("seed"),
            "a path must start with one of: horizon_days, organization, market, mechanisms");
  EXPECT_EQ(ResolveError("organization.teams[qa].initial_headcount"),
            "\"organization.teams\" has no element named \"qa\" (defined: eng, sales)");
  EXPECT_EQ(ResolveError("organization.graph.edges[7].fidelity"),
            "index 7 is out of range for \"organization.graph.edges\" (2 elements)");
  EXPECT_EQ(ResolveError("organization.graph.edges[x].fidelity"),
            "\"organization.graph.edges\" elements have no name; select one by 0-based index, "
            "not \"x\"");
  EXPECT_EQ(ResolveError("organization.teams.initial_headcount"),
            "\"organization.teams\" is a list; select one element with [NAME], e.g. "
            "organization.teams[my_name]");
  EXPECT_EQ(ResolveError("organization.pm"),
            "\"organization.pm\" is a message (Pm); name one of its fields: " +
                FieldNameList(v1::Pm::descriptor()));
  EXPECT_EQ(ResolveError("horizon_days.x"),
            "\"horizon_days\" is a value, not a message; nothing can follow it");
  EXPECT_EQ(ResolveError("market.segments[smb].need_weights"),
            "\"market.segments[smb].need_weights\" is a list of values; a path can only set a "
            "single value");
  EXPECT_EQ(ResolveError("organization.teams[eng]"),
            "\"organization.teams[eng]\" is a message (Team); name one of its fields: " +
                FieldNameList(v1::Team::descriptor()));
  EXPECT_EQ(ResolveError("organization.teams[eng].initial_headcount", PathTarget::kElement),
            "\"organization.teams[eng].initial_headcount\" is a value; expected an element of a "
            "repeated field, e.g. organization.teams[NAME]");
}

TEST(FieldPath, SetsEveryNumericKindAndChecksWholeNumbers) {
  v1::Scenario copy = kScenario;
  EXPECT_EQ(SetNumeric(&copy, MustResolve("organization.pm.people_sense"), 0.8), "");
  EXPECT_DOUBLE_EQ(copy.organization().pm().people_sense(), 0.8);
  EXPECT_EQ(SetNumeric(&copy, MustResolve("organization.teams[sales].initial_headcount"), 7), "");
  EXPECT_EQ(copy.organization().teams(1).initial_headcount(), 7);
  EXPECT_EQ(SetNumeric(&copy, MustResolve("organization.teams[sales].initial_headcount"), 7.5),
            "initial_headcount takes a whole number (int32), not 7.5");
  EXPECT_EQ(SetNumeric(&copy, MustResolve("organization.graph.generator_seed"), -1),
            "generator_seed takes a whole number >= 0 (uint64), not -1");
  EXPECT_EQ(SetNumeric(&copy, MustResolve("mechanisms.rework"), 0), "");
  EXPECT_FALSE(copy.mechanisms().rework());
  EXPECT_EQ(SetNumeric(&copy, MustResolve("mechanisms.rework"), 0.5),
            "rework is a bool; give 0 or 1, not 0.5");
  EXPECT_EQ(SetNumeric(&copy, MustResolve("organization.operating.roadmap_style"), 1),
            "roadmap_style is an enum (RoadmapStyle); set it with enum_value: \"NAME\"");
  EXPECT_EQ(SetEnumByName(&copy, MustResolve("organization.operating.roadmap_style"),
                          "ROADMAP_DATE_DRIVEN"),
            "");
  EXPECT_EQ(copy.organization().operating().roadmap_style(), v1::ROADMAP_DATE_DRIVEN);
  EXPECT_EQ(SetEnumByName(&copy, MustResolve("organization.operating.roadmap_style"), "DATES"),
            "\"DATES\" is not a RoadmapStyle; expected one of: ROADMAP_OUTCOME_DRIVEN, "
            "ROADMAP_DATE_DRIVEN");
}

TEST(FieldPath, ReadsDefaultsOfUnsetFields) {
  EXPECT_DOUBLE_EQ(GetNumeric(kScenario, MustResolve("organization.pm.people_sense")), 0.5);
  EXPECT_DOUBLE_EQ(GetNumeric(kScenario, MustResolve("horizon_days")), 1095);
  EXPECT_DOUBLE_EQ(GetNumeric(kScenario, MustResolve("market.segments[smb].bass_q")), 0.38);
}

TEST(FieldPath, ResolvedStepsApplyToCopies) {
  // Resolve once, apply to many copies: what sweeps do per design point.
  ResolvedPath path = MustResolve("market.segments[enterprise].price_per_month");
  for (double price : {100.0, 2000.0, 50000.0}) {
    v1::Scenario copy = kScenario;
    ASSERT_EQ(SetNumeric(&copy, path, price), "");
    EXPECT_DOUBLE_EQ(copy.market().segments(1).price_per_month(), price);
    EXPECT_DOUBLE_EQ(copy.market().segments(0).price_per_month(), 1500);
  }
}

TEST(FieldPath, RemovesAnElementKeepingTheOthersInOrder) {
  v1::Scenario copy = kScenario;
  copy.mutable_market()->add_segments()->set_name("mid");
  StatusOr<ParsedPath> parsed = ParsePath("market.segments[smb]");
  ASSERT_TRUE(parsed.ok());
  StatusOr<ResolvedPath> path = ResolvePath(copy, *parsed, PathTarget::kElement, kRoots);
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  RemoveElement(&copy, *path);
  ASSERT_EQ(copy.market().segments_size(), 2);
  EXPECT_EQ(copy.market().segments(0).name(), "enterprise");
  EXPECT_EQ(copy.market().segments(1).name(), "mid");
}

TEST(FieldPath, NumberTextIsShortAndExact) {
  EXPECT_EQ(NumberText(200), "200");
  EXPECT_EQ(NumberText(0.1), "0.1");
  EXPECT_EQ(NumberText(-1), "-1");
  EXPECT_EQ(NumberText(1e20), "1e+20");
  EXPECT_EQ(NumberText(2.5e-7), "2.5e-07");
}

}  // namespace
}  // namespace orgsim::io::internal
