// Arm overlay semantics (scenario.proto, message Arm).
#include "engine/io/internal/merge.h"

#include <string>

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

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
      << "actual:\n" << actual.DebugString() << "expected:\n" << expected->DebugString();
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

}  // namespace
}  // namespace orgsim::io::internal
