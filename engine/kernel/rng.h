// Counter-based random streams, keyed for reproducibility.
//
// Every random draw in orgsim comes from a RandomStream keyed by
// (seed, design point, replication, stream id). The generator is
// Philox4x64-10 (Salmon et al., SC'11; librandom123-dev) used in counter mode:
// the key is (seed, stream id), the counter is (block index,
// design point << 32 | replication, 0, 0). Each Philox call yields a block of
// four 64-bit words, handed out in order (word 0 first). Any stream can
// therefore be rebuilt from its key alone — results never depend on thread
// count, shard split, the order streams were created in, or how many draws
// another stream made.
//
// Stream ids come from stable names, never from creation order:
//
//   StreamKey key{.seed = 42, .design_point = 0, .replication = 7,
//                 .stream = StreamIdFromName("market/arrivals")};
//   RandomStream rng(key);
//   double u = rng.NextUniform();  // in [0, 1)
//
// Distributions (distributions.h) take a RandomStream& and are orgsim's own
// code, not <random>, whose distributions differ across standard libraries.
//
// Reproducibility contract:
//   * The 64-bit words (NextU64), NextUniform, NextOpenUniform and every
//     variate computed from them with integer arithmetic and IEEE-754 basic
//     operations (+ - * /, exactly rounded) are bit-identical on every
//     platform with IEEE binary64 arithmetic (SSE2 on x86-64, not x87), for
//     the same key: no libm approximation involved. That covers Uniform,
//     UniformInt, Bernoulli and Categorical.
//   * Variates that call libm (log, exp, sqrt, cos, log1p: Exponential,
//     Normal, LogNormal, LogNormalFromMoments, Poisson, Gamma, Beta) are
//     bit-identical across runs, thread counts and machines that run the same
//     binary against the same libm (glibc), and across builds with the same
//     compiler flags. A different libm version, -ffast-math, or a target with
//     FMA (-march=native, -mfma: GCC then contracts a*b+c into one fused
//     operation by default in C++) may change the last bits of these
//     variates, and a rejection sampler may then accept a different candidate.
//     orgsim builds for the baseline x86-64 target (SSE2 doubles, no FMA);
//     add -ffp-contract=off before enabling FMA-capable -march flags.
//   * Golden values of the first words of a documented key are pinned in
//     tests/kernel/rng_test.cc, so a change of key or counter layout is caught.
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

// One Philox4x64-10 block: the bijection of `counter` under `key`, exactly as
// Random123's philox4x64(ctr, key) computes it (checked against Random123's
// published known-answer vectors in tests/kernel/rng_test.cc). RandomStream
// is built on it; exposed for tests and for tools that need raw blocks.
std::array<std::uint64_t, 4> Philox4x64x10(const std::array<std::uint64_t, 4>& counter,
                                           const std::array<std::uint64_t, 2>& key);

// A reproducible stream of 64-bit random words (Philox4x64-10 in counter mode).
// Cheap to construct and copy (a copy continues with the same words as the
// original); not thread-safe (one owner at a time). Construction computes
// nothing; the first draw generates the first block.
class RandomStream {
 public:
  explicit RandomStream(const StreamKey& key);

  // The next 64 uniformly distributed bits. Inline fast path; one Philox call
  // per four words.
  std::uint64_t NextU64() {
    if (next_in_block_ == 4) [[unlikely]]
      Refill();
    return block_[next_in_block_++];
  }

  // A double uniformly distributed in [0, 1), with 53 random bits:
  // (x >> 11) * 2^-53 for the next word x. One word.
  double NextUniform() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }

  // A double uniformly distributed in (0, 1): never 0, so safe for log(), and
  // never 1. The midpoints (k + 1/2) * 2^-52 for k = x >> 12, i.e. 52 random
  // bits, computed exactly as (2k + 1) * 2^-53; symmetric (u and 1 - u have
  // the same law). One word. (With 53 bits, (k + 1/2) * 2^-53 is not exactly
  // representable and rounds to 1.0 for the largest k.)
  double NextOpenUniform() { return static_cast<double>(((NextU64() >> 12) << 1) | 1) * 0x1.0p-53; }

  // How many 64-bit words have been drawn (for fingerprints and tests).
  std::uint64_t draws() const { return block_index_ * 4 + next_in_block_ - 4; }

  const StreamKey& key() const { return key_; }

 private:
  // Generates block `block_index_` into block_ and advances block_index_.
  void Refill();

  StreamKey key_;
  std::array<std::uint64_t, 4> block_{};
  std::uint64_t block_index_ = 0;  // next Philox counter block to generate
  unsigned next_in_block_ = 4;     // 4 = block exhausted
};

}  // namespace orgsim::kernel
