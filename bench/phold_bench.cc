// Google Benchmarks of the kernel's event calendars.
//
//   build/bench/phold_bench                          # everything
//   build/bench/phold_bench --benchmark_filter=Hold  # the hold model only
//
// BM_Phold/<calendar>/<N>/<M>/<T>: PHOLD (engine/phold/phold.h) through the public
//   Simulation API with each calendar; items/s = events/s of the event loop
//   (manual time: setup of the initial events is not timed). The three sizes
//   are the issue's: N=1024 M=1 (1k pending), N=1024 M=16 (16k), N=65536
//   M=16 (1M); T is shortened so an iteration takes well under a second
//   (with lookahead 0 the pending set is stationary from time 0).
// BM_EventQueueHold<Calendar>/<population>: the classic hold model on the
//   bare calendar: pop the minimum, push it back at time + Exp(1 s), via
//   ReplaceTop as the Simulation does. Isolates the calendar from handler
//   dispatch and random number generation (increments come from a table).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "engine/kernel/event_queue.h"
#include "engine/phold/phold.h"

namespace orgsim::bench {
namespace {

using kernel::CalendarEntry;
using kernel::CalendarKind;

void BM_Phold(benchmark::State& state) {
  PholdConfig config;
  config.calendar = kernel::kAllCalendars[state.range(0)];
  config.lps = static_cast<std::uint32_t>(state.range(1));
  config.per_lp = static_cast<std::uint32_t>(state.range(2));
  config.end = static_cast<double>(state.range(3));
  std::uint64_t events = 0;
  for (auto _ : state) {
    const PholdResult r = RunPhold(config);
    state.SetIterationTime(r.run_seconds);
    events += r.events;
    ++config.seed;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.SetLabel(std::string(kernel::CalendarName(config.calendar)));
}

void PholdArgs(benchmark::internal::Benchmark* b) {
  for (int calendar = 0; calendar < static_cast<int>(std::size(kernel::kAllCalendars));
       ++calendar) {
    b->Args({calendar, 1024, 1, 200});
    b->Args({calendar, 1024, 16, 20});
    b->Args({calendar, 65536, 16, 2});
  }
}
BENCHMARK(BM_Phold)->Apply(PholdArgs)->UseManualTime()->Unit(benchmark::kMillisecond);

// Exponential increments with mean one second in ticks, from a fixed table.
const std::vector<kernel::SimTime>& Increments() {
  static const std::vector<kernel::SimTime> table = [] {
    std::vector<kernel::SimTime> t(1 << 16);
    std::mt19937_64 bits(42);
    for (auto& x : t) {
      const double u = (static_cast<double>(bits() >> 11) + 0.5) * 0x1.0p-53;
      x = static_cast<kernel::SimTime>(-std::log(u) * kernel::kTicksPerSecond + 0.5);
    }
    return t;
  }();
  return table;
}

template <typename Calendar>
void BM_EventQueueHold(benchmark::State& state) {
  const auto& increments = Increments();
  const std::size_t mask = increments.size() - 1;
  const auto population = static_cast<std::size_t>(state.range(0));
  Calendar calendar;
  std::uint64_t sequence = 0;
  std::size_t next = 0;
  for (std::size_t i = 0; i < population; ++i) {
    calendar.Push({increments[next++ & mask], kernel::MakeOrder(0, sequence++),
                   static_cast<std::uint32_t>(i), 0});
  }
  // Warm up to the steady state before timing.
  for (std::size_t i = 0; i < 2 * population; ++i) {
    const CalendarEntry top = calendar.Top();
    calendar.ReplaceTop({top.time + increments[next++ & mask], kernel::MakeOrder(0, sequence++),
                         top.slot, top.payload});
  }
  for (auto _ : state) {
    const CalendarEntry top = calendar.Top();
    benchmark::DoNotOptimize(top);
    calendar.ReplaceTop({top.time + increments[next++ & mask], kernel::MakeOrder(0, sequence++),
                         top.slot, top.payload});
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_TEMPLATE(BM_EventQueueHold, kernel::BinaryHeapCalendar)
    ->Arg(1000)
    ->Arg(100000)
    ->Arg(1000000);
BENCHMARK_TEMPLATE(BM_EventQueueHold, kernel::QuaternaryHeapCalendar)
    ->Arg(1000)
    ->Arg(100000)
    ->Arg(1000000);
BENCHMARK_TEMPLATE(BM_EventQueueHold, kernel::RadixHeapCalendar)
    ->Arg(1000)
    ->Arg(100000)
    ->Arg(1000000);

}  // namespace
}  // namespace orgsim::bench
