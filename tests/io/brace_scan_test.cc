// Unclosed-brace detection over text-format tokens.
#include "engine/io/internal/brace_scan.h"

#include <gtest/gtest.h>

#include "proto/orgsim/scenario.pb.h"

namespace orgsim::io::internal {
namespace {

BraceScan Scan(const char* text) { return BraceScan(text, orgsim::v1::Scenario::descriptor()); }

TEST(BraceScan, ABalancedFileHasNoUnclosedBlockWhateverItsLayout) {
  EXPECT_TRUE(Scan("organization { pm {\n mandate: 1\n}\n  }\n").unclosed().empty());
  EXPECT_TRUE(
      Scan("organization {\n  teams: [{ name: \"a\" },\n{ name: \"b\" }]\n}\n").unclosed().empty());
  EXPECT_TRUE(Scan("# { in a comment\nname: \"{\"\n").unclosed().empty());
}

TEST(BraceScan, AtTheEndOfTheFileTheOpenBlockIsUnclosed) {
  const BraceScan scan = Scan("name: \"t\"\nexperiment {\n  baseline: \"x\"\n");
  ASSERT_EQ(scan.unclosed().size(), 1u);
  EXPECT_EQ(scan.unclosed()[0].field, "experiment");
  EXPECT_EQ(scan.unclosed()[0].opened, (TextPoint{1, 0}));
  EXPECT_EQ(scan.unclosed()[0].detected, (TextPoint{3, 0}));
}

TEST(BraceScan, AFieldOfAnEnclosingBlockClosesTheBlocksInBetween) {
  // `set` belongs to Arm, not to Organization: organization was left open.
  const BraceScan scan =
      Scan("arms {\n  organization {\n    pm { mandate: 1 }\n  set { path: \"x\" value: 1 }\n}\n");
  ASSERT_EQ(scan.unclosed().size(), 1u);
  EXPECT_EQ(scan.unclosed()[0].field, "organization");
  EXPECT_EQ(scan.unclosed()[0].opened, (TextPoint{1, 2}));
  EXPECT_EQ(scan.unclosed()[0].detected, (TextPoint{3, 2}));
}

TEST(BraceScan, AClosingBraceLinedUpWithAnOuterBlockClosesTheInnerOnes) {
  const BraceScan scan = Scan("organization {\n  pm {\n    mandate: 1\n}\nmarket { }\n");
  ASSERT_EQ(scan.unclosed().size(), 1u);
  EXPECT_EQ(scan.unclosed()[0].field, "pm");
  EXPECT_EQ(scan.unclosed()[0].detected, (TextPoint{3, 0}));
}

TEST(BraceScan, TypeAtNamesTheEnclosingMessage) {
  const BraceScan scan = Scan("organization {\n  operating { roadmap_style: X }\n}\n");
  const auto at = scan.LastTokenBefore({1, 100}, "X");
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(*at, (TextPoint{1, 29}));
  ASSERT_NE(scan.TypeAt(*at), nullptr);
  EXPECT_EQ(scan.TypeAt(*at)->name(), "OperatingModel");
}

}  // namespace
}  // namespace orgsim::io::internal
