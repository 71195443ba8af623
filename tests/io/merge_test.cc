// Arm overlay semantics (scenario.proto, message Arm).
#include "engine/io/internal/merge.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>

#include "proto/orgsim/scenario.pb.h"

namespace orgsim::io::internal {
namespace {

namespace v1 = ::orgsim::v1;

template <typename M>
M Parse(const std::string& text) {
  M message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message)) << text;
  return message;
}

void ExpectEquals(const google::protobuf::Message& actual, const std::string& expected_text) {
  std::unique_ptr<google::protobuf::Message> expected(actual.New());
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(expected_text, expected.get()));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(actual, *expected))
      << "actual:\n"
      << actual.DebugString() << "expected:\n"
      << expected->DebugString();
}

TEST(MergeOverlay, SetScalarsReplaceAndUnsetOnesKeepTheBase) {
  auto base = Parse<v1::Organization>(R"pb(pm { people_sense: 0.2 mandate: 0.3 })pb");
  // Setting 0 is a real change (proto2 presence), not "unset".
  MergeOverlay(Parse<v1::Organization>(R"pb(pm { mandate: 0 })pb"), &base);
  ExpectEquals(base, R"pb(pm { people_sense: 0.2 mandate: 0 })pb");
}

TEST(MergeOverlay, NamedListsMergeByNameAndAppendNewNames) {
  auto base = Parse<v1::Organization>(R"pb(
    teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 5 salary_per_year: 100 }
    teams { name: "sales" role: ROLE_SALES initial_headcount: 2 }
  )pb");
  MergeOverlay(Parse<v1::Organization>(R"pb(
                 teams { name: "eng" initial_headcount: 9 }
                 teams { name: "pm" role: ROLE_PRODUCT initial_headcount: 1 }
               )pb"),
               &base);
  // MergeFrom would have appended a second "eng"; the overlay merges into it.
  ExpectEquals(base, R"pb(
    teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 9 salary_per_year: 100 }
    teams { name: "sales" role: ROLE_SALES initial_headcount: 2 }
    teams { name: "pm" role: ROLE_PRODUCT initial_headcount: 1 }
  )pb");
}

TEST(MergeOverlay, UnnamedListsAreReplacedWhole) {
  auto base = Parse<v1::Organization>(R"pb(
    graph { generator: GRAPH_EXPLICIT edges { from: "a" to: "b" } edges { from: "b" to: "c" } }
  )pb");
  MergeOverlay(Parse<v1::Organization>(R"pb(graph { edges { from: "x" to: "y" } })pb"), &base);
  ExpectEquals(base, R"pb(graph { generator: GRAPH_EXPLICIT edges { from: "x" to: "y" } })pb");

  auto market = Parse<v1::Market>(R"pb(segments { name: "smb" need_weights: [1, 2, 3] })pb");
  MergeOverlay(Parse<v1::Market>(R"pb(segments { name: "smb" need_weights: [4] })pb"), &market);
  ExpectEquals(market, R"pb(segments { name: "smb" need_weights: [4] })pb");
}

TEST(MergeOverlay, AnEmptyOverlayChangesNothing) {
  auto base = Parse<v1::Organization>(R"pb(
    teams { name: "eng" initial_headcount: 5 } graph { edges { from: "a" to: "b" } }
  )pb");
  v1::Organization before = base;
  MergeOverlay(v1::Organization(), &base);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(base, before));
}

TEST(MergeOverlay, OneofChoiceOfTheOverlayWins) {
  auto base = Parse<v1::Sweep>(R"pb(latin_hypercube { count: 5 })pb");
  MergeOverlay(Parse<v1::Sweep>(R"pb(saltelli { base_samples: 8 })pb"), &base);
  ExpectEquals(base, R"pb(saltelli { base_samples: 8 })pb");
}

// Parses `text` recording where each field was written, tagged with `file`.
v1::Organization ParseLocated(const std::string& text, const SourceFile* file,
                              LocationTree* locations) {
  v1::Organization message;
  google::protobuf::TextFormat::Parser parser;
  google::protobuf::TextFormat::ParseInfoTree info;
  parser.WriteLocationsTo(&info);
  EXPECT_TRUE(parser.ParseFromString(text, &message)) << text;
  *locations = LocationTree::FromParse(message, info, file);
  return message;
}

TEST(MergeOverlay, LocationsFollowTheFieldsToTheFileThatSetThem) {
  const SourceFile base_file{.path = "base.textproto", .included_from = {"top.textproto:1"}};
  const SourceFile top_file{.path = "top.textproto", .included_from = {}};
  LocationTree base_locations;
  LocationTree top_locations;
  v1::Organization base = ParseLocated(
      "teams { name: \"eng\" initial_headcount: 5 }\n"
      "graph { edges { from: \"eng\" to: \"market\" } }\n",
      &base_file, &base_locations);
  const v1::Organization top = ParseLocated(
      "\n\nteams { name: \"eng\" salary_per_year: 9 }\n"
      "teams { name: \"new\" }\n"
      "graph { edges { from: \"new\" to: \"market\" } }\n",
      &top_file, &top_locations);
  MergeOverlay(top, &base, &top_locations, &base_locations);

  const Node root{&base, &base_locations, {1, 1, nullptr}};
  const Node eng = root.Child("teams", 0);
  EXPECT_EQ(eng.position.file, &base_file);  // declared in the base
  EXPECT_EQ(eng.At("initial_headcount").file, &base_file);
  EXPECT_EQ(eng.At("initial_headcount").line, 1);
  EXPECT_EQ(eng.At("salary_per_year").file, &top_file);  // merged in from the top
  EXPECT_EQ(eng.At("salary_per_year").line, 3);
  const Node added = root.Child("teams", 1);
  EXPECT_EQ(added.position.file, &top_file);
  EXPECT_EQ(added.At("name").line, 4);
  // The edges (no name) were replaced as a whole, locations included.
  const Node edge = root.Child("graph").Child("edges", 0);
  EXPECT_EQ(edge.At("from").file, &top_file);
  EXPECT_EQ(edge.At("from").line, 5);
  EXPECT_EQ(base_file.IncludedFrom(), "\nincluded from top.textproto:1");
}

}  // namespace
}  // namespace orgsim::io::internal
