// Work units of an experiment and how they are split into shards.
//
// An experiment evaluates every (design point, arm, replication). Each
// (point, replication) pair gets a run number, as OMNeT++ numbers its runs:
//
//   run = replication * points + point
//
// and shard K of N (0 <= K < N) owns the runs with run % N == K, all arms of
// a run together (the arms of one replication share their random streams,
// and paired comparisons need both sides). Consequences:
//  * the split is a pure function of the indices, so shards can be computed
//    anywhere, in any order, and merged without coordination;
//  * consecutive points go to different shards and every shard walks its
//    runs replication by replication, so a partial sweep covers the design
//    evenly instead of finishing some points and never starting others.
//
//   WorkPlan plan{.points = 100, .arms = 2, .replications = 30,
//                 .shard = *ParseShardSpec("1/4")};
//   for (std::uint64_t u = 0; u < plan.UnitCount(); ++u) {
//     RunKey key = plan.Unit(u);   // shard 1's units, in execution order
//   }
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/base/status.h"

namespace orgsim::experiment {

// Identifies one run: the primary key of the `runs` table.
struct RunKey {
  std::uint32_t point = 0;
  std::uint32_t arm = 0;
  std::uint32_t replication = 0;

  friend auto operator<=>(const RunKey&, const RunKey&) = default;
};

// Shard K of N; 0-based like SLURM_ARRAY_TASK_ID of `--array=0-(N-1)`.
struct ShardSpec {
  std::uint32_t index = 0;
  std::uint32_t count = 1;

  bool sharded() const { return count > 1; }
  // "K/N"
  std::string ToString() const;
};

// Parses "K/N" with 0 <= K < N, N >= 1.
StatusOr<ShardSpec> ParseShardSpec(std::string_view text);

// The run number of (point, replication).
inline std::uint64_t RunNumber(std::uint32_t point, std::uint32_t replication,
                               std::uint32_t points) {
  return static_cast<std::uint64_t>(replication) * points + point;
}

// The shard that owns (point, replication) among `shards` shards.
inline std::uint32_t ShardOf(std::uint32_t point, std::uint32_t replication, std::uint32_t points,
                             std::uint32_t shards) {
  return static_cast<std::uint32_t>(RunNumber(point, replication, points) % shards);
}

// The units one process evaluates, in execution order: runs of its shard by
// increasing run number, and within a run the arms in order.
struct WorkPlan {
  std::uint32_t points = 1;
  std::uint32_t arms = 1;
  std::uint32_t replications = 1;
  ShardSpec shard = {};

  // Runs (point, replication pairs) of the whole experiment.
  std::uint64_t TotalRuns() const { return static_cast<std::uint64_t>(points) * replications; }

  // Units (point, arm, replication) of the whole experiment.
  std::uint64_t TotalUnits() const { return TotalRuns() * arms; }

  // Units of this plan's shard.
  std::uint64_t UnitCount() const;

  // The u-th unit of this shard in execution order. REQUIRES: u < UnitCount().
  RunKey Unit(std::uint64_t u) const;

  // Dense index of any key of the whole experiment in [0, TotalUnits()):
  // (run number) * arms + arm. Used for resume bitmaps.
  std::uint64_t DenseIndex(const RunKey& key) const {
    return RunNumber(key.point, key.replication, points) * arms + key.arm;
  }

  // Whether `key` belongs to this plan's shard.
  bool Owns(const RunKey& key) const {
    return ShardOf(key.point, key.replication, points, shard.count) == shard.index;
  }
};

}  // namespace orgsim::experiment
