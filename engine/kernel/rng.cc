#include "engine/kernel/rng.h"

#include <Random123/philox.h>

namespace orgsim::kernel {

std::array<std::uint64_t, 4> Philox4x64x10(const std::array<std::uint64_t, 4>& counter,
                                           const std::array<std::uint64_t, 2>& key) {
  const r123::Philox4x64_R<10>::ctr_type ctr = {{counter[0], counter[1], counter[2], counter[3]}};
  const r123::Philox4x64_R<10>::key_type k = {{key[0], key[1]}};
  const r123::Philox4x64_R<10>::ctr_type out = r123::Philox4x64_R<10>()(ctr, k);
  return {out.v[0], out.v[1], out.v[2], out.v[3]};
}

RandomStream::RandomStream(const StreamKey& key) : key_(key) {}

void RandomStream::Refill() {
  // Layout documented in rng.h: key = (seed, stream id), counter = (block
  // index, design point << 32 | replication, 0, 0). Changing it changes every
  // result; the golden values in rng_test.cc pin it.
  const std::uint64_t point_and_replication =
      (static_cast<std::uint64_t>(key_.design_point) << 32) | key_.replication;
  block_ = Philox4x64x10({block_index_, point_and_replication, 0, 0}, {key_.seed, key_.stream});
  ++block_index_;
  next_in_block_ = 0;
}

}  // namespace orgsim::kernel
