#include "engine/experiment/sharding.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <vector>

namespace orgsim::experiment {
namespace {

TEST(ParseShardSpec, AcceptsKOverN) {
  const StatusOr<ShardSpec> s = ParseShardSpec("2/4");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->index, 2u);
  EXPECT_EQ(s->count, 4u);
  EXPECT_EQ(s->ToString(), "2/4");
}

TEST(ParseShardSpec, RejectsMalformedSpecs) {
  for (const char* bad : {"", "4", "4/4", "5/4", "0/0", "a/b", "1/2/3", "-1/4", "1/ 4"}) {
    EXPECT_FALSE(ParseShardSpec(bad).ok()) << bad;
  }
}

TEST(WorkPlan, ShardsPartitionTheUnitsExactly) {
  const std::uint32_t shards = 4;
  std::set<RunKey> seen;
  std::uint64_t total = 0;
  for (std::uint32_t k = 0; k < shards; ++k) {
    const WorkPlan plan{.points = 7, .arms = 3, .replications = 5, .shard = {k, shards}};
    total += plan.UnitCount();
    for (std::uint64_t u = 0; u < plan.UnitCount(); ++u) {
      const RunKey key = plan.Unit(u);
      EXPECT_TRUE(plan.Owns(key));
      EXPECT_TRUE(seen.insert(key).second) << "duplicate unit";
    }
  }
  EXPECT_EQ(total, 7u * 3u * 5u);
  EXPECT_EQ(seen.size(), 7u * 3u * 5u);
}

TEST(WorkPlan, ShardsInterleavePointsAndKeepArmsTogether) {
  const WorkPlan plan{.points = 8, .arms = 2, .replications = 3, .shard = {1, 4}};
  // First replication: points 1 and 5, each with both arms, in order.
  const std::vector<RunKey> expected = {{1, 0, 0}, {1, 1, 0}, {5, 0, 0},
                                        {5, 1, 0}, {1, 0, 1}, {1, 1, 1}};
  for (std::size_t u = 0; u < expected.size(); ++u) EXPECT_EQ(plan.Unit(u), expected[u]);
}

TEST(WorkPlan, UnshardedOrderIsReplicationMajor) {
  const WorkPlan plan{.points = 3, .arms = 1, .replications = 2};
  ASSERT_EQ(plan.UnitCount(), 6u);
  EXPECT_EQ(plan.Unit(0), (RunKey{0, 0, 0}));
  EXPECT_EQ(plan.Unit(2), (RunKey{2, 0, 0}));
  EXPECT_EQ(plan.Unit(3), (RunKey{0, 0, 1}));
}

TEST(WorkPlan, DenseIndexIsABijection) {
  const WorkPlan plan{.points = 4, .arms = 3, .replications = 5};
  std::set<std::uint64_t> indices;
  for (std::uint64_t u = 0; u < plan.UnitCount(); ++u) {
    const std::uint64_t i = plan.DenseIndex(plan.Unit(u));
    EXPECT_LT(i, plan.TotalUnits());
    indices.insert(i);
  }
  EXPECT_EQ(indices.size(), plan.TotalUnits());
}

TEST(WorkPlan, MoreShardsThanRunsLeavesSomeEmpty) {
  const WorkPlan plan{.points = 1, .arms = 2, .replications = 2, .shard = {3, 5}};
  EXPECT_EQ(plan.UnitCount(), 0u);
}

}  // namespace
}  // namespace orgsim::experiment
