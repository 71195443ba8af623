// Tests of Simulation: event order, cancellation, causality checks, run
// control, fingerprint and observer. Every test runs on every calendar kind,
// since all of them must produce the same event sequence.
#include "engine/kernel/simulation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "engine/kernel/check.h"

namespace orgsim::kernel {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

class SimulationTest : public ::testing::TestWithParam<CalendarKind> {
 protected:
  SimulationOptions Options() const { return {.calendar = GetParam()}; }
};

INSTANTIATE_TEST_SUITE_P(AllCalendars, SimulationTest, ::testing::ValuesIn(kAllCalendars),
                         [](const ::testing::TestParamInfo<CalendarKind>& info) {
                           std::string name(CalendarName(info.param));
                           std::erase(name, '-');
                           return name;
                         });

TEST_P(SimulationTest, UsesTheRequestedCalendar) {
  Simulation sim(Options());
  EXPECT_EQ(sim.calendar(), GetParam());
  EXPECT_EQ(Simulation().calendar(), kDefaultCalendar);
}

TEST_P(SimulationTest, RunsEventsInTimeOrder) {
  Simulation sim(Options());
  std::vector<EventPayload> ran;
  std::vector<SimTime> times;
  const HandlerId h = sim.RegisterHandler("record", [&](EventPayload p) {
    ran.push_back(p);
    times.push_back(sim.Now());
  });
  sim.ScheduleAt(50, h, 5);
  sim.ScheduleAt(10, h, 1);
  sim.ScheduleAt(30, h, 3);
  sim.Schedule(20, h, 2);
  sim.ScheduleAt(40, h, 4);
  sim.RunUntil(100);
  EXPECT_THAT(ran, ElementsAre(1, 2, 3, 4, 5));
  EXPECT_THAT(times, ElementsAre(10, 20, 30, 40, 50));
  EXPECT_EQ(sim.events_processed(), 5u);
  EXPECT_EQ(sim.pending(), 0u);
}

TEST_P(SimulationTest, OrdersEqualTimesByPriorityLowestFirst) {
  Simulation sim(Options());
  std::vector<int> ran;
  const HandlerId h = sim.RegisterHandler(
      "record", [&](EventPayload p) { ran.push_back(static_cast<int>(p) - 1000); });
  for (int priority : {3, -2, 0, kMaxPriority, kMinPriority, 1}) {
    sim.ScheduleAt(7, h, static_cast<EventPayload>(priority + 1000), priority);
  }
  sim.ScheduleAt(6, h, 999 + 1000, kMaxPriority);  // earlier time beats priority
  sim.RunUntil(7);
  EXPECT_THAT(ran, ElementsAre(999, kMinPriority, -2, 0, 1, 3, kMaxPriority));
}

TEST_P(SimulationTest, EqualTimeAndPriorityRunFifo) {
  Simulation sim(Options());
  std::vector<EventPayload> ran;
  const HandlerId h = sim.RegisterHandler("record", [&](EventPayload p) { ran.push_back(p); });
  constexpr int kEvents = 20000;
  for (int i = 0; i < kEvents; ++i) sim.ScheduleAt(42, h, static_cast<EventPayload>(i));
  sim.RunUntil(42);
  std::vector<EventPayload> expected(kEvents);
  for (int i = 0; i < kEvents; ++i) expected[i] = static_cast<EventPayload>(i);
  EXPECT_EQ(ran, expected);
}

// Many events over few distinct (time, priority) values: the run order must be
// the insertion order stably sorted by (time, priority).
TEST_P(SimulationTest, MixedTiesFollowTheTotalOrder) {
  Simulation sim(Options());
  std::vector<EventPayload> ran;
  const HandlerId h = sim.RegisterHandler("record", [&](EventPayload p) { ran.push_back(p); });
  std::mt19937_64 bits(7);
  struct Scheduled {
    SimTime time;
    int priority;
    EventPayload payload;
  };
  std::vector<Scheduled> scheduled;
  for (EventPayload i = 0; i < 5000; ++i) {
    const SimTime time = static_cast<SimTime>(bits() % 8) * 1000;
    const int priority = static_cast<int>(bits() % 5) - 2;
    scheduled.push_back({time, priority, i});
    sim.ScheduleAt(time, h, i, priority);
  }
  std::stable_sort(scheduled.begin(), scheduled.end(), [](const auto& a, const auto& b) {
    return std::tie(a.time, a.priority) < std::tie(b.time, b.priority);
  });
  std::vector<EventPayload> expected;
  for (const auto& s : scheduled) expected.push_back(s.payload);
  sim.RunUntil(10000);
  EXPECT_EQ(ran, expected);
}

TEST_P(SimulationTest, EventsScheduledForNowRunInTotalOrder) {
  Simulation sim(Options());
  std::vector<std::string> ran;
  HandlerId late = 0;
  HandlerId urgent = 0;
  const HandlerId first = sim.RegisterHandler("first", [&](EventPayload) {
    ran.push_back("first");
    sim.Schedule(0, urgent, 0, -5);  // same time, lower priority: runs next
    sim.Schedule(0, late, 0, 0);     // same time and priority: after "second"
  });
  late = sim.RegisterHandler("late", [&](EventPayload) { ran.push_back("late"); });
  urgent = sim.RegisterHandler("urgent", [&](EventPayload) { ran.push_back("urgent"); });
  const HandlerId second =
      sim.RegisterHandler("second", [&](EventPayload) { ran.push_back("second"); });
  sim.ScheduleAt(5, first);
  sim.ScheduleAt(5, second);
  sim.RunUntil(5);
  EXPECT_THAT(ran, ElementsAre("first", "urgent", "second", "late"));
}

TEST_P(SimulationTest, RunUntilLeavesNowAtEndAndKeepsLaterEvents) {
  Simulation sim(Options());
  std::vector<SimTime> times;
  const HandlerId h =
      sim.RegisterHandler("record", [&](EventPayload) { times.push_back(sim.Now()); });
  sim.RunUntil(10);  // nothing pending
  EXPECT_EQ(sim.Now(), 10);
  sim.ScheduleAt(20, h);
  sim.ScheduleAt(30, h);  // exactly at the end: runs
  sim.ScheduleAt(31, h);
  sim.RunUntil(30);
  EXPECT_EQ(sim.Now(), 30);
  EXPECT_THAT(times, ElementsAre(20, 30));
  EXPECT_EQ(sim.pending(), 1u);
  sim.Schedule(0, h);  // at Now() == 30, earlier than the pending one
  sim.RunUntil(100);
  EXPECT_THAT(times, ElementsAre(20, 30, 30, 31));
  EXPECT_EQ(sim.Now(), 100);
  EXPECT_EQ(sim.pending(), 0u);
}

TEST_P(SimulationTest, ChainOfEventsAdvancesTime) {
  Simulation sim(Options());
  HandlerId tick = 0;
  tick = sim.RegisterHandler("tick", [&](EventPayload n) {
    if (n > 0) sim.Schedule(3, tick, n - 1);
  });
  sim.Schedule(0, tick, 10);
  sim.RunUntil(1000);
  EXPECT_EQ(sim.events_processed(), 11u);
  EXPECT_EQ(sim.Now(), 1000);
}

TEST_P(SimulationTest, StopReturnsAfterTheCurrentEvent) {
  Simulation sim(Options());
  std::vector<EventPayload> ran;
  const HandlerId h = sim.RegisterHandler("record", [&](EventPayload p) {
    ran.push_back(p);
    if (p == 2) sim.Stop();
  });
  for (EventPayload i = 0; i < 5; ++i) sim.ScheduleAt(10 * (i + 1), h, i);
  sim.RunUntil(1000);
  EXPECT_THAT(ran, ElementsAre(0, 1, 2));
  EXPECT_EQ(sim.Now(), 30);  // the time of the last event run
  EXPECT_EQ(sim.pending(), 2u);
  sim.RunUntil(1000);  // resumes, unstopped
  EXPECT_THAT(ran, ElementsAre(0, 1, 2, 3, 4));
  EXPECT_EQ(sim.Now(), 1000);
}

TEST_P(SimulationTest, StopOutsideRunHasNoEffect) {
  Simulation sim(Options());
  int runs = 0;
  const HandlerId h = sim.RegisterHandler("count", [&](EventPayload) { ++runs; });
  sim.ScheduleAt(1, h);
  sim.Stop();
  sim.RunUntil(5);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(sim.Now(), 5);
}

TEST_P(SimulationTest, CancelSkipsTheEventAndUpdatesPending) {
  Simulation sim(Options());
  std::vector<EventPayload> ran;
  const HandlerId h = sim.RegisterHandler("record", [&](EventPayload p) { ran.push_back(p); });
  const EventId a = sim.ScheduleAt(10, h, 1);
  const EventId b = sim.ScheduleAt(20, h, 2);
  const EventId c = sim.ScheduleAt(30, h, 3);
  EXPECT_TRUE(a.valid());
  EXPECT_NE(a, b);
  EXPECT_EQ(sim.pending(), 3u);
  EXPECT_TRUE(sim.Cancel(b));
  EXPECT_EQ(sim.pending(), 2u);
  EXPECT_FALSE(sim.Cancel(b));  // already cancelled
  EXPECT_EQ(sim.pending(), 2u);
  sim.RunUntil(100);
  EXPECT_THAT(ran, ElementsAre(1, 3));
  EXPECT_EQ(sim.events_processed(), 2u);
  EXPECT_EQ(sim.pending(), 0u);
  EXPECT_FALSE(sim.Cancel(a));  // already run
  EXPECT_FALSE(sim.Cancel(c));
  EXPECT_FALSE(sim.Cancel(b));
}

TEST_P(SimulationTest, CancelRejectsIdsNeverIssued) {
  Simulation sim(Options());
  const HandlerId h = sim.RegisterHandler("noop", [](EventPayload) {});
  EXPECT_FALSE(sim.Cancel(EventId{}));
  EXPECT_FALSE(sim.Cancel(EventId{12345}));
  const EventId id = sim.ScheduleAt(1, h);
  EXPECT_FALSE(sim.Cancel(EventId{id.value + (std::uint64_t{1} << 32)}));  // wrong generation
  EXPECT_FALSE(sim.Cancel(EventId{~std::uint64_t{0}}));
  EXPECT_EQ(sim.pending(), 1u);
  EXPECT_TRUE(sim.Cancel(id));
}

TEST_P(SimulationTest, StaleIdDoesNotCancelALaterEventReusingItsSlot) {
  Simulation sim(Options());
  std::vector<EventPayload> ran;
  const HandlerId h = sim.RegisterHandler("record", [&](EventPayload p) { ran.push_back(p); });
  const EventId first = sim.ScheduleAt(1, h, 1);
  sim.RunUntil(1);
  const EventId second = sim.ScheduleAt(2, h, 2);  // reuses the freed slot
  EXPECT_NE(first, second);
  EXPECT_FALSE(sim.Cancel(first));
  sim.RunUntil(2);
  EXPECT_THAT(ran, ElementsAre(1, 2));
}

TEST_P(SimulationTest, CancelFromHandlers) {
  Simulation sim(Options());
  std::vector<EventPayload> ran;
  EventId self{};
  EventId victim{};
  bool self_cancel_result = true;
  const HandlerId record = sim.RegisterHandler("record", [&](EventPayload p) { ran.push_back(p); });
  const HandlerId killer = sim.RegisterHandler("killer", [&](EventPayload p) {
    ran.push_back(p);
    self_cancel_result = sim.Cancel(self);  // the running event: too late
    EXPECT_TRUE(sim.Cancel(victim));
    EXPECT_EQ(sim.pending(), 1u);  // the running event is not pending
  });
  self = sim.ScheduleAt(5, killer, 100);
  victim = sim.ScheduleAt(5, record, 1);  // same time, later in FIFO order
  sim.ScheduleAt(6, record, 2);
  sim.RunUntil(10);
  EXPECT_FALSE(self_cancel_result);
  EXPECT_THAT(ran, ElementsAre(100, 2));
}

// Cancelling most events triggers the bulk purge; order and counts survive it.
TEST_P(SimulationTest, MassCancellationKeepsOrderAndCounts) {
  Simulation sim(Options());
  std::vector<EventPayload> ran;
  const HandlerId h = sim.RegisterHandler("record", [&](EventPayload p) { ran.push_back(p); });
  std::vector<EventId> ids;
  std::mt19937_64 bits(11);
  std::vector<std::pair<SimTime, EventPayload>> kept;
  constexpr int kEvents = 10000;
  for (int i = 0; i < kEvents; ++i) {
    const SimTime time = static_cast<SimTime>(bits() % 1000);
    ids.push_back(sim.ScheduleAt(time, h, static_cast<EventPayload>(i)));
    if (i % 10 == 0) kept.emplace_back(time, static_cast<EventPayload>(i));
  }
  std::size_t expected_pending = kEvents;
  for (int i = 0; i < kEvents; ++i) {
    if (i % 10 == 0) continue;
    ASSERT_TRUE(sim.Cancel(ids[i]));
    --expected_pending;
    ASSERT_EQ(sim.pending(), expected_pending);
  }
  for (int i = 1; i < kEvents; i += 10) EXPECT_FALSE(sim.Cancel(ids[i])) << i;  // twice
  std::stable_sort(kept.begin(), kept.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<EventPayload> expected;
  for (const auto& k : kept) expected.push_back(k.second);
  sim.RunUntil(1000);
  EXPECT_EQ(ran, expected);
  EXPECT_EQ(sim.pending(), 0u);
  EXPECT_EQ(sim.events_processed(), kept.size());
}

TEST_P(SimulationTest, CausalityViolationsThrow) {
  Simulation sim(Options());
  const HandlerId h = sim.RegisterHandler("noop", [](EventPayload) {});
  sim.RunUntil(100);
  EXPECT_THROW(sim.Schedule(-1, h), InvariantError);
  EXPECT_THROW(sim.ScheduleAt(99, h), InvariantError);
  EXPECT_THROW(sim.Schedule(kSimTimeMax, h), InvariantError);  // overflows
  EXPECT_THROW(sim.Schedule(1, h, 0, kMaxPriority + 1), InvariantError);
  EXPECT_THROW(sim.Schedule(1, h, 0, kMinPriority - 1), InvariantError);
  EXPECT_THROW(sim.Schedule(1, h + 1), InvariantError);  // unknown handler
  EXPECT_THROW(sim.RunUntil(50), InvariantError);
  EXPECT_EQ(sim.pending(), 0u);
  EXPECT_NO_THROW(sim.ScheduleAt(100, h));  // now is fine
  EXPECT_NO_THROW(sim.Schedule(0, h, 0, kMinPriority));
  EXPECT_EQ(sim.pending(), 2u);
}

TEST_P(SimulationTest, CausalityErrorMessageNamesTheTimes) {
  Simulation sim(Options());
  const HandlerId h = sim.RegisterHandler("noop", [](EventPayload) {});
  sim.RunUntil(100);
  try {
    sim.ScheduleAt(42, h);
    FAIL() << "expected InvariantError";
  } catch (const InvariantError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("in the past"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("42"));
  }
}

TEST_P(SimulationTest, RegistrationErrorsThrow) {
  Simulation sim(Options());
  sim.RegisterHandler("a", [](EventPayload) {});
  EXPECT_THROW(sim.RegisterHandler("a", [](EventPayload) {}), InvariantError);
  EXPECT_THROW(sim.RegisterHandler("b", EventHandler{}), InvariantError);
  EXPECT_EQ(sim.HandlerName(0), "a");
  EXPECT_THROW(sim.HandlerName(1), InvariantError);
}

TEST_P(SimulationTest, NestedRunUntilThrows) {
  Simulation sim(Options());
  const HandlerId h = sim.RegisterHandler("nested", [&](EventPayload) { sim.RunUntil(50); });
  sim.ScheduleAt(1, h);
  EXPECT_THROW(sim.RunUntil(10), InvariantError);
}

TEST_P(SimulationTest, HandlerExceptionLeavesSimulationUsable) {
  Simulation sim(Options());
  std::vector<EventPayload> ran;
  const HandlerId record = sim.RegisterHandler("record", [&](EventPayload p) { ran.push_back(p); });
  const HandlerId bad = sim.RegisterHandler("bad", [&](EventPayload) {
    sim.Schedule(1, record, 7);
    sim.Schedule(-1, record, 8);  // throws after one successful schedule
  });
  sim.ScheduleAt(1, bad);
  sim.ScheduleAt(5, record, 5);
  EXPECT_THROW(sim.RunUntil(10), InvariantError);
  EXPECT_EQ(sim.Now(), 1);
  EXPECT_EQ(sim.events_processed(), 1u);
  EXPECT_EQ(sim.pending(), 2u);
  sim.RunUntil(10);
  EXPECT_THAT(ran, ElementsAre(7, 5));
  EXPECT_EQ(sim.pending(), 0u);
}

// A small random model that exercises every feature: self-scheduling chains,
// priorities, same-time events, cancellations. Returns the fingerprint.
struct Workload {
  std::uint64_t fingerprint;
  std::uint64_t events;
  std::vector<EventRecord> trace;
};

Workload RunWorkload(const SimulationOptions& options, bool reverse_registration, bool observe,
                     std::uint64_t seed = 3, EventPayload payload_offset = 0) {
  Simulation sim(options);
  std::mt19937_64 bits(seed);
  std::vector<EventId> cancellable;
  HandlerId work = 0;
  HandlerId cancel = 0;
  auto register_work = [&] {
    work = sim.RegisterHandler("work", [&](EventPayload p) {
      const SimTime delay = static_cast<SimTime>(bits() % 4) * static_cast<SimTime>(bits() % 50);
      const int priority = static_cast<int>(bits() % 3) - 1;
      const EventId id = sim.Schedule(delay, work, p + 1, priority);
      if (bits() % 4 == 0) cancellable.push_back(id);
      if (bits() % 8 == 0) sim.Schedule(static_cast<SimTime>(bits() % 20), cancel, p);
    });
  };
  auto register_cancel = [&] {
    cancel = sim.RegisterHandler("cancel", [&](EventPayload) {
      if (!cancellable.empty()) {
        sim.Cancel(cancellable[bits() % cancellable.size()]);
        cancellable.pop_back();
      }
    });
  };
  if (reverse_registration) {
    register_cancel();
    register_work();
  } else {
    register_work();
    register_cancel();
  }
  Workload result;
  if (observe) {
    sim.SetObserver([&](const EventRecord& r) { result.trace.push_back(r); });
  }
  for (EventPayload i = 0; i < 50; ++i)
    sim.ScheduleAt(static_cast<SimTime>(i % 7), work, i * 1000 + payload_offset);
  sim.RunUntil(20000);
  result.fingerprint = sim.fingerprint();
  result.events = sim.events_processed();
  return result;
}

TEST_P(SimulationTest, FingerprintIsReproducible) {
  const Workload a = RunWorkload(Options(), false, false);
  const Workload b = RunWorkload(Options(), false, false);
  EXPECT_GT(a.events, 10000u);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.events, b.events);
}

TEST_P(SimulationTest, FingerprintIsIndependentOfRegistrationOrder) {
  const Workload a = RunWorkload(Options(), false, false);
  const Workload b = RunWorkload(Options(), true, false);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
}

TEST_P(SimulationTest, FingerprintDiffersForDifferentSequences) {
  const Workload base = RunWorkload(Options(), false, false);
  EXPECT_NE(base.fingerprint, RunWorkload(Options(), false, false, /*seed=*/4).fingerprint);
  EXPECT_NE(base.fingerprint,
            RunWorkload(Options(), false, false, 3, /*payload_offset=*/1).fingerprint);
}

TEST_P(SimulationTest, FingerprintCoversEachFieldOfAnEvent) {
  // One event each, differing in exactly one of (time, priority, kind, payload).
  auto one = [&](SimTime time, int priority, const char* kind, EventPayload payload) {
    Simulation sim(Options());
    const HandlerId h = sim.RegisterHandler(kind, [](EventPayload) {});
    sim.ScheduleAt(time, h, payload, priority);
    sim.RunUntil(100);
    return sim.fingerprint();
  };
  const std::uint64_t base = one(5, 0, "a", 1);
  EXPECT_EQ(base, one(5, 0, "a", 1));
  EXPECT_NE(base, one(6, 0, "a", 1));
  EXPECT_NE(base, one(5, 1, "a", 1));
  EXPECT_NE(base, one(5, 0, "b", 1));
  EXPECT_NE(base, one(5, 0, "a", 2));
  EXPECT_NE(base, Simulation().fingerprint());

  Simulation mixed(Options());
  const std::uint64_t before = mixed.fingerprint();
  mixed.MixIntoFingerprint(1);
  EXPECT_NE(mixed.fingerprint(), before);
}

TEST_P(SimulationTest, ObserverSeesEveryEventAndChangesNothing) {
  const Workload plain = RunWorkload(Options(), false, false);
  const Workload observed = RunWorkload(Options(), false, true);
  EXPECT_EQ(plain.fingerprint, observed.fingerprint);
  EXPECT_EQ(plain.events, observed.events);
  ASSERT_EQ(observed.trace.size(), observed.events);
  std::set<std::uint64_t> sequences;
  for (std::size_t i = 0; i < observed.trace.size(); ++i) {
    if (i > 0) {
      ASSERT_LE(observed.trace[i - 1].time, observed.trace[i].time) << i;
    }
    ASSERT_TRUE(sequences.insert(observed.trace[i].sequence).second) << i;  // each runs once
  }
}

TEST_P(SimulationTest, ObserverRecordFields) {
  Simulation sim(Options());
  std::vector<EventRecord> seen;
  const HandlerId noop = sim.RegisterHandler("noop", [](EventPayload) {});
  const HandlerId other = sim.RegisterHandler("other", [](EventPayload) {});
  sim.SetObserver([&](const EventRecord& r) { seen.push_back(r); });
  sim.ScheduleAt(9, other, 77, -3);
  sim.ScheduleAt(4, noop, 5, 2);
  sim.RunUntil(4);
  sim.SetObserver(nullptr);
  sim.RunUntil(10);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].time, 4);
  EXPECT_EQ(seen[0].priority, 2);
  EXPECT_EQ(seen[0].sequence, 1u);
  EXPECT_EQ(seen[0].handler, noop);
  EXPECT_EQ(seen[0].payload, 5u);
  EXPECT_EQ(sim.events_processed(), 2u);
}

TEST(SimulationCalendars, AllCalendarsGiveTheSameSequence) {
  const Workload reference = RunWorkload({.calendar = kAllCalendars[0]}, false, true);
  for (CalendarKind kind : kAllCalendars) {
    const Workload w = RunWorkload({.calendar = kind}, false, true);
    EXPECT_EQ(w.fingerprint, reference.fingerprint) << CalendarName(kind);
    ASSERT_EQ(w.trace.size(), reference.trace.size()) << CalendarName(kind);
    for (std::size_t i = 0; i < w.trace.size(); ++i) {
      ASSERT_EQ(w.trace[i].sequence, reference.trace[i].sequence) << CalendarName(kind) << " " << i;
    }
  }
}

}  // namespace
}  // namespace orgsim::kernel

namespace orgsim::kernel {
namespace {

TEST(SimTimeConversion, SaturatedDelayIsScheduledBeyondEveryHorizon) {
  Simulation sim;
  int runs = 0;
  const HandlerId h = sim.RegisterHandler("far", [&](EventPayload) { ++runs; });
  sim.RunUntil(Days(100));
  const SimTime at = sim.Now() + Days(1e12);
  ASSERT_GT(at, Days(36500));
  sim.ScheduleAt(at, h);
  sim.Schedule(Days(1e300), h);
  sim.RunUntil(Days(36500));
  EXPECT_EQ(runs, 0);
  EXPECT_EQ(sim.pending(), 2u);
}

// An event that reschedules itself forever, counting its runs.
struct Ticker {
  Simulation sim;
  HandlerId tick = 0;
  std::uint64_t runs = 0;
  std::function<void()> on_run;
  Ticker() {
    tick = sim.RegisterHandler("tick", [this](EventPayload p) {
      ++runs;
      if (on_run) on_run();
      sim.Schedule(1, tick, p + 1);
    });
    sim.Schedule(0, tick);
  }
};

TEST(SimulationStopFlag, SettingTheFlagStopsRunUntilWithinTheCheckInterval) {
  std::atomic<bool> stop{false};
  Ticker t;
  t.sim.SetStopFlag(&stop);
  t.on_run = [&] {
    if (t.runs == 10'000) stop.store(true, std::memory_order_relaxed);
  };
  t.sim.RunUntil(1'000'000);
  EXPECT_TRUE(t.sim.stopped_by_flag());
  EXPECT_GE(t.runs, 10'000u);
  EXPECT_LE(t.runs, 10'000u + Simulation::kStopFlagInterval);
  EXPECT_LT(t.sim.Now(), 1'000'000);
}

TEST(SimulationStopFlag, AFlagSetBeforeTheRunStopsAtOnce) {
  std::atomic<bool> stop{true};
  Ticker t;
  t.sim.SetStopFlag(&stop);
  t.sim.RunUntil(Days(1));
  EXPECT_TRUE(t.sim.stopped_by_flag());
  EXPECT_EQ(t.runs, 0u);
  EXPECT_EQ(t.sim.Now(), 0);
}

TEST(SimulationStopFlag, AnUnsetFlagLeavesTheEventSequenceUnchanged) {
  std::atomic<bool> stop{false};
  Ticker with, without;
  with.sim.SetStopFlag(&stop);
  with.sim.RunUntil(100'000);
  without.sim.RunUntil(100'000);
  EXPECT_FALSE(with.sim.stopped_by_flag());
  EXPECT_EQ(with.runs, without.runs);
  EXPECT_EQ(with.sim.fingerprint(), without.sim.fingerprint());
  EXPECT_EQ(with.sim.Now(), 100'000);
}

}  // namespace
}  // namespace orgsim::kernel
