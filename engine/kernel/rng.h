// Counter-based random streams, keyed for reproducibility.
//
// Every random draw in orgsim comes from a RandomStream keyed by
// (seed, design point, replication, stream id). The generator is
// Philox4x64-10 (Salmon et al., SC'11; librandom123-dev) used in counter mode:
// the key is (seed, stream id), the counter is (block index,
// design point << 32 | replication, 0, 0). Any stream can therefore be
// rebuilt from its key alone — results never depend on thread count, shard
// split, the order streams were created in, or how many draws another stream
// made.
//
// Stream ids come from stable names, never from creation order:
//
//   StreamKey key{.seed = 42, .design_point = 0, .replication = 7,
//                 .stream = StreamIdFromName("market/arrivals")};
//   RandomStream rng(key);
//   double u = rng.NextUniform();  // in [0, 1)
//
// Distributions (distributions.h) take a RandomStream& and are implemented
// here, not by <random>, whose distributions differ across standard libraries.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace orgsim::kernel {

// The stable 64-bit id of a named stream (FNV-1a 64 of the UTF-8 bytes).
// Same name, same id, on every machine and in every build.
constexpr std::uint64_t StreamIdFromName(std::string_view name) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// Everything that identifies one stream of random numbers.
struct StreamKey {
  std::uint64_t seed = 0;          // the scenario's master seed
  std::uint32_t design_point = 0;  // sweep design point (0 without a sweep)
  std::uint32_t replication = 0;   // replication index
  std::uint64_t stream = 0;        // StreamIdFromName(...) of the stream's role

  friend bool operator==(const StreamKey&, const StreamKey&) = default;
};

// The same key with another stream id; the usual way to derive sibling
// streams of a replication, e.g. WithStream(key, "market/churn").
constexpr StreamKey WithStream(StreamKey key, std::string_view stream_name) {
  key.stream = StreamIdFromName(stream_name);
  return key;
}

// A reproducible stream of 64-bit random words (Philox4x64-10 in counter mode).
// Cheap to construct and copy; not thread-safe (one owner at a time).
class RandomStream {
 public:
  explicit RandomStream(const StreamKey& key);

  // The next 64 uniformly distributed bits.
  std::uint64_t NextU64();

  // A double uniformly distributed in [0, 1), with 53 random bits.
  double NextUniform();

  // A double uniformly distributed in (0, 1): never 0, so safe for log().
  double NextOpenUniform();

  // How many 64-bit words have been drawn (for fingerprints and tests).
  std::uint64_t draws() const { return draws_; }

  const StreamKey& key() const { return key_; }

 private:
  void Refill();

  StreamKey key_;
  std::array<std::uint64_t, 4> block_{};
  std::uint64_t block_index_ = 0;  // next Philox counter block to generate
  std::uint64_t draws_ = 0;
  unsigned next_in_block_ = 4;     // 4 = block exhausted
};

}  // namespace orgsim::kernel
