#include "engine/io/internal/spelling.h"

#include <gtest/gtest.h>

namespace orgsim::io::internal {
namespace {

using Names = std::vector<std::string>;

TEST(Spelling, EditDistanceCountsInsertionsDeletionsAndSubstitutionsIgnoringCase) {
  EXPECT_EQ(EditDistance("peple_sense", "people_sense"), 1u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("ROLE_X", "role_x"), 0u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
}

TEST(Spelling, ClosestNamesKeepsTiesAndRejectsFarNames) {
  const Names fields = {"people_sense", "mandate", "authority"};
  EXPECT_EQ(ClosestNames("peple_sense", fields), Names{"people_sense"});
  EXPECT_EQ(ClosestNames("charisma", fields), Names{});
  EXPECT_EQ(ClosestNames("ab", {"ac", "ad", "xyz"}), (Names{"ac", "ad"}));
  EXPECT_EQ(ClosestNames("ROADMAP_OUTCOME", {"ROADMAP_OUTCOME_DRIVEN", "ROADMAP_DATE_DRIVEN"}),
            Names{"ROADMAP_OUTCOME_DRIVEN"});
}

TEST(Spelling, DidYouMeanListsTheNames) {
  EXPECT_EQ(DidYouMean({}), "");
  EXPECT_EQ(DidYouMean({"a"}), "; did you mean \"a\"?");
  EXPECT_EQ(DidYouMean({"a", "b", "c"}), "; did you mean \"a\", \"b\" or \"c\"?");
}

}  // namespace
}  // namespace orgsim::io::internal
