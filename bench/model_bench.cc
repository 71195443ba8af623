// Google Benchmark of the organization model on the headline company (built
// in C++ by presets.h, mirroring scenarios/product_led_vs_project_mode).
//
//   build/bench/model_bench --benchmark_counters_tabular=true
//
// BM_HeadlineRun/<arm>: one full 3-year replication per iteration, a fresh
// replication key each time; counters: events per run and runs per second.
#include <benchmark/benchmark.h>

#include "engine/model/presets.h"
#include "engine/model/run.h"

namespace orgsim::model {
namespace {

using ArmFn = void (*)(ModelConfig&);
constexpr ArmFn kArms[] = {ApplyProjectMode, ApplyProductLed, ApplyFounderBacklogPm, ApplyNoPm};
constexpr const char* kArmNames[] = {"project_mode", "product_led", "founder_backlog_pm", "no_pm"};

void BM_HeadlineRun(benchmark::State& state) {
  ModelConfig config = HeadlineCompany();
  kArms[state.range(0)](config);
  const PreparedModel model(config);
  std::uint32_t replication = 0;
  double events = 0;
  for (auto _ : state) {
    const RunOutcome out =
        RunReplication(model, {.seed = 1, .design_point = 0, .replication = replication++});
    events += static_cast<double>(out.events);
    benchmark::DoNotOptimize(out.fingerprint);
  }
  state.SetLabel(kArmNames[state.range(0)]);
  state.counters["events_per_run"] =
      benchmark::Counter(events / static_cast<double>(state.iterations()));
  state.counters["runs_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_HeadlineRun)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);

void BM_PrepareHeadline(benchmark::State& state) {
  ModelConfig config = HeadlineCompany();
  ApplyProjectMode(config);
  for (auto _ : state) {
    const PreparedModel model(config);
    benchmark::DoNotOptimize(&model);
  }
}
BENCHMARK(BM_PrepareHeadline)->Unit(benchmark::kMillisecond);

void BM_MmcQueue(benchmark::State& state) {
  const ModelConfig config = QueueingConfig(
      {.servers = 3, .arrival_rate_per_day = 2.4, .horizon_days = 3650, .warmup_days = 0});
  const PreparedModel model(config);
  std::uint32_t replication = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        RunReplication(model, {.seed = 1, .replication = replication++}).fingerprint);
  }
}
BENCHMARK(BM_MmcQueue)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace orgsim::model
