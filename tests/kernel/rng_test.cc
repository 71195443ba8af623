// Tests for engine/kernel/rng.h: Philox known-answer vectors, golden stream
// values (pin the key/counter layout), stable stream ids, independence of
// streams, copies and word counting.
#include "engine/kernel/rng.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

namespace orgsim::kernel {
namespace {

using Block = std::array<std::uint64_t, 4>;
using Key = std::array<std::uint64_t, 2>;

// Random123's published known-answer vectors for philox4x64 with 10 rounds
// (the kat_vectors file of the Random123 distribution, as reproduced in
// DEShawResearch/Random123-Boost libs/random/test/test_philox.cpp and
// johnsalmon/cpp-counter-based-engine tests.cpp): zero counter and key,
// all-ones, and the digits of pi.
TEST(Philox4x64x10Test, MatchesRandom123KnownAnswerVectors) {
  constexpr std::uint64_t kOnes = ~std::uint64_t{0};
  EXPECT_EQ(Philox4x64x10({0, 0, 0, 0}, {0, 0}), (Block{0x16554d9eca36314c, 0xdb20fe9d672d0fdc,
                                                        0xd7e772cee186176b, 0x7e68b68aec7ba23b}));
  EXPECT_EQ(
      Philox4x64x10({kOnes, kOnes, kOnes, kOnes}, {kOnes, kOnes}),
      (Block{0x87b092c3013fe90b, 0x438c3c67be8d0224, 0x9cc7d7c69cd777b6, 0xa09caebf594f0ba0}));
  EXPECT_EQ(
      Philox4x64x10(
          {0x243f6a8885a308d3, 0x13198a2e03707344, 0xa4093822299f31d0, 0x082efa98ec4e6c89},
          {0x452821e638d01377, 0xbe5466cf34e90c6c}),
      (Block{0xa528f45403e61d95, 0x38c72dbd566e9788, 0xa5a1610e72fd18b5, 0x57bd43b5e52b7fe6}));
}

// Published FNV-1a 64 test vectors.
TEST(StreamIdFromNameTest, IsFnv1a64) {
  static_assert(StreamIdFromName("") == 0xcbf29ce484222325ULL);
  EXPECT_EQ(StreamIdFromName(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(StreamIdFromName("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(StreamIdFromName("foobar"), 0x85944171f73967e8ULL);
  EXPECT_EQ(StreamIdFromName("orgsim/golden"), 0x6d96ee58e9586e24ULL);
  EXPECT_NE(StreamIdFromName("market/arrivals"), StreamIdFromName("market/churn"));
}

TEST(StreamKeyTest, WithStreamReplacesOnlyTheStreamId) {
  const StreamKey key{.seed = 9, .design_point = 2, .replication = 5, .stream = 1};
  const StreamKey sibling = WithStream(key, "market/churn");
  EXPECT_EQ(sibling.seed, 9u);
  EXPECT_EQ(sibling.design_point, 2u);
  EXPECT_EQ(sibling.replication, 5u);
  EXPECT_EQ(sibling.stream, StreamIdFromName("market/churn"));
  EXPECT_EQ(WithStream(sibling, "market/churn"), sibling);
}

// The documented golden key. Its first words were computed by an independent
// pure-Python Philox4x64-10 (checked against the same known-answer vectors)
// with key (seed, stream id) and counter (block, design_point << 32 |
// replication, 0, 0). If this test fails, every stored result changes.
StreamKey GoldenKey() {
  return {
      .seed = 42, .design_point = 3, .replication = 7, .stream = StreamIdFromName("orgsim/golden")};
}

TEST(RandomStreamTest, GoldenWordsPinKeyAndCounterLayout) {
  RandomStream rng(GoldenKey());
  const std::vector<std::uint64_t> expected = {
      0x0a49fa318f2567cb, 0x532b5a4df4cf59d0, 0xa9b8440171ab3562, 0x271b2869a653f7fc,
      0x9bae315a9a4c6beb, 0x42a1b6efbb557103, 0xc5f867fa2145cc91, 0x36ad4e822a206fca,
      0x942b0a9e0b66777e, 0xa9ed760f9484189b};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(rng.NextU64(), expected[i]) << "word " << i;
  }
}

TEST(RandomStreamTest, WordsAreTheBlocksOfTheDocumentedCounters) {
  const StreamKey key = GoldenKey();
  RandomStream rng(key);
  for (std::uint64_t block = 0; block < 5; ++block) {
    const Block expected =
        Philox4x64x10({block, (std::uint64_t{key.design_point} << 32) | key.replication, 0, 0},
                      {key.seed, key.stream});
    for (std::uint64_t word : expected) EXPECT_EQ(rng.NextU64(), word);
  }
}

TEST(RandomStreamTest, GoldenUniformDoubles) {
  RandomStream rng(GoldenKey());
  EXPECT_EQ(rng.NextUniform(), 0x1.493f4631e4ac0p-5);
  EXPECT_EQ(rng.NextUniform(), 0x1.4cad6937d33d6p-2);
  EXPECT_EQ(rng.NextUniform(), 0x1.53708802e3566p-1);
  EXPECT_EQ(rng.NextOpenUniform(), 0x1.38d9434d329fcp-3);
  EXPECT_EQ(rng.NextOpenUniform(), 0x1.375c62b53498dp-1);
  EXPECT_EQ(rng.NextOpenUniform(), 0x1.0a86dbbeed55ep-2);
}

TEST(RandomStreamTest, UniformConversionsMatchTheDocumentedFormulas) {
  RandomStream words(GoldenKey());
  RandomStream uniforms(GoldenKey());
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t x = words.NextU64();
    if (i % 2 == 0) {
      EXPECT_EQ(uniforms.NextUniform(), std::ldexp(double(x >> 11), -53));
    } else {
      EXPECT_EQ(uniforms.NextOpenUniform(), std::ldexp(double(x >> 12) + 0.5, -52));
    }
  }
  // The extreme words map inside the documented intervals.
  constexpr std::uint64_t kOnes = ~std::uint64_t{0};
  EXPECT_LT(double(kOnes >> 11) * 0x1.0p-53, 1.0);
  EXPECT_LT(double(((kOnes >> 12) << 1) | 1) * 0x1.0p-53, 1.0);
  EXPECT_GT(double(((0 >> 12) << 1) | 1) * 0x1.0p-53, 0.0);
}

TEST(RandomStreamTest, UniformsStayInTheirIntervals) {
  RandomStream rng(GoldenKey());
  for (int i = 0; i < 100000; ++i) {
    const double u = rng.NextUniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    const double v = rng.NextOpenUniform();
    ASSERT_GT(v, 0.0);
    ASSERT_LT(v, 1.0);
  }
}

std::vector<std::uint64_t> FirstWords(const StreamKey& key, int n) {
  RandomStream rng(key);
  std::vector<std::uint64_t> words(n);
  for (auto& w : words) w = rng.NextU64();
  return words;
}

TEST(RandomStreamTest, SameKeySameWords) {
  EXPECT_EQ(FirstWords(GoldenKey(), 100), FirstWords(GoldenKey(), 100));
}

TEST(RandomStreamTest, EveryKeyFieldChangesTheSequence) {
  const StreamKey base = GoldenKey();
  const std::vector<std::uint64_t> reference = FirstWords(base, 8);
  StreamKey k = base;
  k.seed += 1;
  EXPECT_NE(FirstWords(k, 8), reference);
  k = base;
  k.design_point += 1;
  EXPECT_NE(FirstWords(k, 8), reference);
  k = base;
  k.replication += 1;
  EXPECT_NE(FirstWords(k, 8), reference);
  k = WithStream(base, "orgsim/golden2");
  EXPECT_NE(FirstWords(k, 8), reference);
  // Fields are not interchangeable: design point and replication occupy
  // different halves of the counter word, seed and stream different key words.
  EXPECT_NE(FirstWords({.seed = 0, .design_point = 1, .replication = 0, .stream = 0}, 8),
            FirstWords({.seed = 0, .design_point = 0, .replication = 1, .stream = 0}, 8));
  EXPECT_NE(FirstWords({.seed = 1, .design_point = 0, .replication = 0, .stream = 0}, 8),
            FirstWords({.seed = 0, .design_point = 0, .replication = 0, .stream = 1}, 8));
}

TEST(RandomStreamTest, OtherStreamsDoNotDisturbAStream) {
  // Stream A alone, versus A interleaved with a sibling B whose id,
  // replication, design point and seed vary: A's words never change.
  const StreamKey a = WithStream(GoldenKey(), "team/alpha");
  const std::vector<std::uint64_t> alone = FirstWords(a, 50);
  const std::vector<StreamKey> others = {WithStream(a, "team/beta"),
                                         WithStream(a, "team/gamma"),
                                         {.seed = a.seed,
                                          .design_point = a.design_point,
                                          .replication = a.replication + 1,
                                          .stream = a.stream},
                                         {.seed = a.seed,
                                          .design_point = a.design_point + 1,
                                          .replication = a.replication,
                                          .stream = a.stream},
                                         {.seed = a.seed + 1,
                                          .design_point = a.design_point,
                                          .replication = a.replication,
                                          .stream = a.stream}};
  for (const StreamKey& other_key : others) {
    RandomStream stream_a(a);
    RandomStream other(other_key);
    std::vector<std::uint64_t> interleaved;
    for (int i = 0; i < 50; ++i) {
      for (int j = 0; j <= i % 7; ++j) other.NextU64();
      interleaved.push_back(stream_a.NextU64());
    }
    EXPECT_EQ(interleaved, alone);
  }
}

TEST(RandomStreamTest, CreationOrderDoesNotMatter) {
  const std::vector<std::string_view> names = {"a", "b", "c", "d"};
  std::vector<std::vector<std::uint64_t>> forward, backward;
  for (auto name : names) {
    forward.push_back(FirstWords(WithStream(GoldenKey(), name), 6));
  }
  for (auto it = names.rbegin(); it != names.rend(); ++it) {
    backward.insert(backward.begin(), FirstWords(WithStream(GoldenKey(), *it), 6));
  }
  EXPECT_EQ(forward, backward);
}

TEST(RandomStreamTest, CopyContinuesIdenticallyAndIndependently) {
  RandomStream original(GoldenKey());
  for (int i = 0; i < 6; ++i) original.NextU64();  // mid-block
  RandomStream copy = original;
  EXPECT_EQ(copy.draws(), original.draws());
  EXPECT_EQ(copy.key(), original.key());
  std::vector<std::uint64_t> from_copy;
  for (int i = 0; i < 20; ++i) from_copy.push_back(copy.NextU64());
  // Drawing from the copy did not advance the original.
  EXPECT_EQ(original.draws(), 6u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(original.NextU64(), from_copy[i]);
}

TEST(RandomStreamTest, DrawsCountsWords) {
  RandomStream rng(GoldenKey());
  EXPECT_EQ(rng.draws(), 0u);
  rng.NextU64();
  EXPECT_EQ(rng.draws(), 1u);
  rng.NextUniform();
  EXPECT_EQ(rng.draws(), 2u);
  rng.NextOpenUniform();
  EXPECT_EQ(rng.draws(), 3u);
  for (int i = 0; i < 10; ++i) rng.NextU64();  // across block boundaries
  EXPECT_EQ(rng.draws(), 13u);
  EXPECT_EQ(rng.key(), GoldenKey());
}

TEST(RandomStreamTest, BitsAreBalanced) {
  // Each of the 64 bit positions is set with frequency 1/2 within 5 standard
  // errors over 100000 words; catches a stuck or duplicated word lane.
  constexpr int kWords = 100000;
  RandomStream rng(GoldenKey());
  std::array<int, 64> ones{};
  for (int i = 0; i < kWords; ++i) {
    const std::uint64_t x = rng.NextU64();
    for (int b = 0; b < 64; ++b) ones[b] += static_cast<int>((x >> b) & 1);
  }
  const double tolerance = 5.0 * std::sqrt(0.25 / kWords);
  for (int b = 0; b < 64; ++b) {
    EXPECT_NEAR(ones[b] / double(kWords), 0.5, tolerance) << "bit " << b;
  }
}

}  // namespace
}  // namespace orgsim::kernel
