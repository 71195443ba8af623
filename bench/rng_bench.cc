// Throughput of orgsim's random streams and distributions.
//
// items_per_second is words/s for the word benchmarks and variates/s for the
// distributions. std::mt19937_64 (+ std::exponential_distribution) is the
// reference the PHOLD baseline in bench/ uses.
//
//   build/bench/rng_bench --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <random>
#include <vector>

#include "engine/kernel/distributions.h"
#include "engine/kernel/rng.h"

namespace orgsim::kernel {
namespace {

// Draws per benchmark iteration: amortizes the loop bookkeeping of the
// benchmark library over many draws.
constexpr int kBatch = 256;

StreamKey BenchKey() {
  return {.seed = 1, .design_point = 0, .replication = 0, .stream = StreamIdFromName("bench/rng")};
}

void BM_Philox4x64x10Block(benchmark::State& state) {
  std::array<std::uint64_t, 4> counter{0, 0, 0, 0};
  const std::array<std::uint64_t, 2> key{1, 2};
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) {
      ++counter[0];
      benchmark::DoNotOptimize(Philox4x64x10(counter, key));
    }
  }
  state.SetItemsProcessed(state.iterations() * kBatch * 4);  // words
}
BENCHMARK(BM_Philox4x64x10Block);

void BM_NextU64(benchmark::State& state) {
  RandomStream rng(BenchKey());
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) benchmark::DoNotOptimize(rng.NextU64());
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_NextU64);

void BM_NextUniform(benchmark::State& state) {
  RandomStream rng(BenchKey());
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) benchmark::DoNotOptimize(rng.NextUniform());
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_NextUniform);

void BM_Mt19937_64Word(benchmark::State& state) {
  std::mt19937_64 engine(1);
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) benchmark::DoNotOptimize(engine());
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_Mt19937_64Word);

void BM_Mt19937_64StdExponential(benchmark::State& state) {
  std::mt19937_64 engine(1);
  std::exponential_distribution<double> exponential(1.0);
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) {
      benchmark::DoNotOptimize(exponential(engine));
    }
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_Mt19937_64StdExponential);

// One benchmark per distribution; `draw` returns one variate.
template <typename Draw>
void RunDistribution(benchmark::State& state, Draw draw) {
  RandomStream rng(BenchKey());
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) benchmark::DoNotOptimize(draw(rng));
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["words_per_variate"] =
      static_cast<double>(rng.draws()) / static_cast<double>(state.iterations() * kBatch);
}

void BM_Uniform(benchmark::State& s) {
  RunDistribution(s, [](RandomStream& r) { return Uniform(r, -1.0, 3.0); });
}
void BM_UniformInt1000(benchmark::State& s) {
  RunDistribution(s, [](RandomStream& r) { return UniformInt(r, 1000); });
}
void BM_Exponential(benchmark::State& s) {
  RunDistribution(s, [](RandomStream& r) { return Exponential(r, 1.0); });
}
void BM_Normal(benchmark::State& s) {
  RunDistribution(s, [](RandomStream& r) { return Normal(r, 0.0, 1.0); });
}
void BM_LogNormal(benchmark::State& s) {
  RunDistribution(s, [](RandomStream& r) { return LogNormal(r, 1.0, 0.5); });
}
void BM_LogNormalFromMoments(benchmark::State& s) {
  RunDistribution(s, [](RandomStream& r) { return LogNormalFromMoments(r, 8.0, 3.0); });
}
void BM_Bernoulli(benchmark::State& s) {
  RunDistribution(s, [](RandomStream& r) { return Bernoulli(r, 0.3); });
}
void BM_PoissonInversion3_5(benchmark::State& s) {
  RunDistribution(s, [](RandomStream& r) { return Poisson(r, 3.5); });
}
void BM_PoissonPtrs100(benchmark::State& s) {
  RunDistribution(s, [](RandomStream& r) { return Poisson(r, 100.0); });
}
void BM_GammaShape0_5(benchmark::State& s) {
  RunDistribution(s, [](RandomStream& r) { return Gamma(r, 0.5, 1.0); });
}
void BM_GammaShape2_5(benchmark::State& s) {
  RunDistribution(s, [](RandomStream& r) { return Gamma(r, 2.5, 1.0); });
}
void BM_Beta2_5(benchmark::State& s) {
  RunDistribution(s, [](RandomStream& r) { return Beta(r, 2.0, 5.0); });
}
void BM_Categorical8(benchmark::State& s) {
  const std::vector<double> weights = {1, 2, 3, 4, 4, 3, 2, 1};
  RunDistribution(s, [&](RandomStream& r) { return Categorical(r, weights); });
}
BENCHMARK(BM_Uniform);
BENCHMARK(BM_UniformInt1000);
BENCHMARK(BM_Exponential);
BENCHMARK(BM_Normal);
BENCHMARK(BM_LogNormal);
BENCHMARK(BM_LogNormalFromMoments);
BENCHMARK(BM_Bernoulli);
BENCHMARK(BM_PoissonInversion3_5);
BENCHMARK(BM_PoissonPtrs100);
BENCHMARK(BM_GammaShape0_5);
BENCHMARK(BM_GammaShape2_5);
BENCHMARK(BM_Beta2_5);
BENCHMARK(BM_Categorical8);

}  // namespace
}  // namespace orgsim::kernel
