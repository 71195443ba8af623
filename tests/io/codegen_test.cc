// The schema is the single declaration of a lever: tests/io/toy_lever.proto
// goes through the same generator (tools/codegen) as scenario.proto, and its
// fields appear in the generated struct with their defaults and comments,
// convert both ways, carry their ranges and are settable by field path, with
// nothing written by hand for them anywhere else.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/io/internal/field_path.h"
#include "tests/io/toy_convert.h"  // generated
#include "tests/io/toy_lever.pb.h"

namespace orgsim::io::internal {
namespace {

namespace tc = ::orgsim::toy_config;  // the generated structs
using tc::ToyConfig;

TEST(Codegen, StructHasTheSchemaFieldsWithTheirDefaults) {
  const ToyConfig config;
  EXPECT_EQ(config.pm.toy_lever, 0.25);
  EXPECT_EQ(config.pm.style, tc::ToyStyle::kVeryLoud);
  EXPECT_EQ(config.pm.salt, 7u);
  EXPECT_TRUE(config.teams.empty());
  tc::ToyTeamConfig team;
  EXPECT_EQ(team.size, 3);
  EXPECT_TRUE(team.weights.empty());
  EXPECT_EQ(static_cast<int>(tc::ToyStyle::kQuiet), toy::TOY_STYLE_QUIET);
}

TEST(Codegen, HeaderCarriesTheSchemaComments) {
  std::ifstream in(ORGSIM_TOY_CONFIG_HEADER);
  ASSERT_TRUE(in) << ORGSIM_TOY_CONFIG_HEADER;
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(
      text.str().find("  // A lever that exists only in this file. Range: (0, 1]. Default: 0.25.\n"
                      "  double toy_lever = 0.25;\n"),
      std::string::npos)
      << text.str();
  EXPECT_EQ(text.str().find("name;\n  // Levers"), std::string::npos)
      << "a skipped field got a member";
}

TEST(Codegen, ConvertsBothWays) {
  toy::ToyScenario scenario;
  scenario.set_name("not a lever");
  scenario.mutable_pm()->set_toy_lever(0.5);
  scenario.mutable_pm()->set_style(toy::TOY_STYLE_QUIET);
  toy::ToyTeam* team = scenario.add_teams();
  team->set_name("a");
  team->set_size(5);
  team->add_weights(0.1);
  team->add_weights(0.9);
  ToyConfig config;
  ToConfig(scenario, &config);
  EXPECT_EQ(config.pm.toy_lever, 0.5);
  EXPECT_EQ(config.pm.style, tc::ToyStyle::kQuiet);
  EXPECT_EQ(config.pm.salt, 7u);  // unset: the schema default
  ASSERT_EQ(config.teams.size(), 1u);
  EXPECT_EQ(config.teams[0].name, "a");
  EXPECT_EQ(config.teams[0].size, 5);
  EXPECT_EQ(config.teams[0].weights, (std::vector<double>{0.1, 0.9}));

  toy::ToyScenario back;
  FromConfig(config, &back);
  EXPECT_FALSE(back.has_name());
  EXPECT_TRUE(back.pm().has_salt());  // every field written explicitly
  scenario.clear_name();
  scenario.mutable_pm()->set_salt(7);
  EXPECT_EQ(back.SerializeAsString(), scenario.SerializeAsString());
}

TEST(Codegen, SettableByPathAsInASweep) {
  toy::ToyScenario scenario;
  scenario.add_teams()->set_name("a");
  for (const auto& [text, value] :
       std::vector<std::pair<std::string, double>>{{"pm.toy_lever", 0.75}, {"teams[a].size", 8}}) {
    StatusOr<ParsedPath> parsed = ParsePath(text);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    StatusOr<ResolvedPath> path = ResolvePath(scenario, *parsed, PathTarget::kScalar, {});
    ASSERT_TRUE(path.ok()) << path.status().ToString();
    EXPECT_EQ(SetNumeric(&scenario, *path, value), "");
  }
  ToyConfig config;
  ToConfig(scenario, &config);
  EXPECT_EQ(config.pm.toy_lever, 0.75);
  EXPECT_EQ(config.teams[0].size, 8);
}

TEST(Codegen, RangeTableAndVisitorComeFromTheSchema) {
  const auto ranges = tc::ToyConfigRanges();
  ASSERT_EQ(ranges.size(), 3u);
  EXPECT_EQ(ranges[0].path, "pm.toy_lever");
  EXPECT_EQ(ranges[0].min, 0);
  EXPECT_TRUE(ranges[0].min_exclusive);
  EXPECT_EQ(ranges[0].max, 1);
  EXPECT_FALSE(ranges[0].max_exclusive);
  EXPECT_EQ(ranges[0].unit, "fraction");
  EXPECT_EQ(model::IntervalText(ranges[0]), "(0, 1]");
  EXPECT_FALSE(ranges[0].Contains(0));
  EXPECT_TRUE(ranges[0].Contains(1));
  EXPECT_EQ(ranges[1].path, "teams.size");
  EXPECT_EQ(ranges[2].path, "teams.weights");

  ToyConfig config;
  config.teams.resize(2);
  config.teams[0].name = "a";
  config.teams[1].name = "b";
  config.teams[1].weights = {0.5, 2};
  std::vector<std::string> visited;
  tc::ForEachRangedValue(config, [&](const model::FieldRange& range, double value,
                                     const std::string& where) {
    visited.push_back(where + "=" + std::to_string(value) + (range.Contains(value) ? "" : " out"));
  });
  EXPECT_EQ(visited,
            (std::vector<std::string>{"pm.toy_lever=0.250000", "teams[a].size=3.000000",
                                      "teams[b].size=3.000000", "teams[b].weights[0]=0.500000",
                                      "teams[b].weights[1]=2.000000 out"}));
}

}  // namespace
}  // namespace orgsim::io::internal
