#include "engine/experiment/sharding.h"

#include <charconv>
#include <string>

#include "engine/kernel/check.h"

namespace orgsim::experiment {
namespace {

bool ParseUint32(std::string_view text, std::uint32_t& out) {
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

}  // namespace

std::string ShardSpec::ToString() const {
  return std::to_string(index) + "/" + std::to_string(count);
}

StatusOr<ShardSpec> ParseShardSpec(std::string_view text) {
  const std::size_t slash = text.find('/');
  ShardSpec spec;
  if (slash == std::string_view::npos || !ParseUint32(text.substr(0, slash), spec.index) ||
      !ParseUint32(text.substr(slash + 1), spec.count)) {
    return InvalidArgumentError("shard '" + std::string(text) +
                                "' is not K/N (e.g. 0/4: the first of 4 shards)");
  }
  if (spec.count == 0 || spec.index >= spec.count) {
    return InvalidArgumentError("shard '" + std::string(text) +
                                "': need 0 <= K < N (shards are numbered from 0, like "
                                "SLURM_ARRAY_TASK_ID with --array=0-(N-1))");
  }
  return spec;
}

std::uint64_t WorkPlan::UnitCount() const {
  const std::uint64_t runs = TotalRuns();
  const std::uint64_t n = shard.count;
  // Runs r in [0, runs) with r % n == index.
  const std::uint64_t mine = runs > shard.index ? (runs - shard.index + n - 1) / n : 0;
  return mine * arms;
}

RunKey WorkPlan::Unit(std::uint64_t u) const {
  ORGSIM_CHECK(u < UnitCount(), "unit " << u << " of " << UnitCount());
  const std::uint64_t run = (u / arms) * shard.count + shard.index;
  return RunKey{.point = static_cast<std::uint32_t>(run % points),
                .arm = static_cast<std::uint32_t>(u % arms),
                .replication = static_cast<std::uint32_t>(run / points)};
}

}  // namespace orgsim::experiment
