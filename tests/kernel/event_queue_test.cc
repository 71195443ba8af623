// Tests of the event calendars: each must pop entries in exactly the order of
// the total order (time, order), under any mix of operations the Simulation
// issues. A std::set of keys is the reference.
#include "engine/kernel/event_queue.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <set>
#include <tuple>
#include <vector>

namespace orgsim::kernel {
namespace {

using Key = std::tuple<SimTime, std::uint64_t, std::uint32_t, std::uint32_t>;

Key KeyOf(const CalendarEntry& e) { return {e.time, e.order, e.slot, e.payload}; }

template <typename Calendar>
class CalendarTest : public ::testing::Test {};

using Calendars = ::testing::Types<BinaryHeapCalendar, QuaternaryHeapCalendar, RadixHeapCalendar>;
TYPED_TEST_SUITE(CalendarTest, Calendars);

TEST(CalendarOrder, PacksPriorityAboveSequence) {
  EXPECT_LT(MakeOrder(-1, 1000), MakeOrder(0, 0));
  EXPECT_LT(MakeOrder(-128, kMaxSequence), MakeOrder(-128 + 1, 0));
  EXPECT_LT(MakeOrder(3, 5), MakeOrder(3, 6));
  EXPECT_EQ(OrderPriority(MakeOrder(-7, 99)), -7);
  EXPECT_EQ(OrderSequence(MakeOrder(-7, 99)), 99u);
  EXPECT_EQ(OrderPriority(MakeOrder(127, kMaxSequence)), 127);
  const CalendarEntry early{.time = 1, .order = MakeOrder(127, 9)};
  const CalendarEntry late{.time = 2, .order = MakeOrder(-128, 0)};
  EXPECT_TRUE(EntryBefore(early, late));
  EXPECT_FALSE(EntryBefore(late, early));
}

TYPED_TEST(CalendarTest, EmptyAndSize) {
  TypeParam calendar;
  EXPECT_TRUE(calendar.Empty());
  EXPECT_EQ(calendar.Size(), 0u);
  calendar.Push({.time = 3, .order = 1, .slot = 0, .payload = 0});
  EXPECT_FALSE(calendar.Empty());
  EXPECT_EQ(calendar.Size(), 1u);
  calendar.Pop();
  EXPECT_TRUE(calendar.Empty());
  calendar.Push({.time = 3, .order = 2, .slot = 0, .payload = 0});
  calendar.Clear();
  EXPECT_TRUE(calendar.Empty());
}

TYPED_TEST(CalendarTest, PopsInTotalOrder) {
  TypeParam calendar;
  calendar.Push({.time = 5, .order = MakeOrder(0, 0), .slot = 0, .payload = 50});
  calendar.Push({.time = 3, .order = MakeOrder(0, 1), .slot = 1, .payload = 30});
  calendar.Push({.time = 5, .order = MakeOrder(-1, 2), .slot = 2, .payload = 51});
  calendar.Push({.time = 0, .order = MakeOrder(0, 3), .slot = 3, .payload = 0});
  calendar.Push({.time = 5, .order = MakeOrder(0, 4), .slot = 4, .payload = 52});
  std::vector<std::uint32_t> payloads;
  while (!calendar.Empty()) {
    payloads.push_back(calendar.Top().payload);
    calendar.Pop();
  }
  EXPECT_EQ(payloads, (std::vector<std::uint32_t>{0, 30, 51, 50, 52}));
}

// The Simulation's access pattern: pop the minimum, push entries no earlier
// than it (ReplaceTop when the first push comes while the minimum is still in
// place), with occasional same-time entries, priorities, bursts and drains.
TYPED_TEST(CalendarTest, MatchesReferenceUnderRandomMonotoneWorkload) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    TypeParam calendar;
    std::set<Key> reference;
    std::mt19937_64 bits(seed);
    std::uint64_t sequence = 0;
    SimTime now = 0;
    auto make = [&](SimTime time) {
      const int priority = static_cast<int>(bits() % 3) - 1;
      const CalendarEntry e{time, MakeOrder(priority, sequence++),
                            static_cast<std::uint32_t>(bits() % 1000),
                            static_cast<std::uint32_t>(bits())};
      reference.insert(KeyOf(e));
      return e;
    };
    auto delay = [&]() -> SimTime {
      switch (bits() % 4) {
        case 0:
          return 0;
        case 1:
          return static_cast<SimTime>(bits() % 16);
        case 2:
          return static_cast<SimTime>(bits() % 100000);
        default:
          return static_cast<SimTime>(bits() % (std::uint64_t{1} << 40));
      }
    };
    for (int i = 0; i < 500; ++i) calendar.Push(make(delay()));
    for (int step = 0; step < 60000; ++step) {
      ASSERT_EQ(calendar.Size(), reference.size());
      if (calendar.Empty()) {
        calendar.Push(make(now + delay()));
        continue;
      }
      const CalendarEntry top = calendar.Top();
      ASSERT_EQ(KeyOf(top), *reference.begin()) << "seed " << seed << " step " << step;
      ASSERT_GE(top.time, now);
      now = top.time;
      reference.erase(reference.begin());
      // Phases: growth, steady state (hold), drain.
      const int phase = (step / 10000) % 3;
      const int pushes = phase == 0   ? static_cast<int>(bits() % 3)
                         : phase == 1 ? 1
                                      : static_cast<int>(bits() % 2) * static_cast<int>(bits() % 2);
      if (pushes > 0) {
        calendar.ReplaceTop(make(now + delay()));
        for (int k = 1; k < pushes; ++k) calendar.Push(make(now + delay()));
      } else {
        calendar.Pop();
      }
    }
  }
}

// A hold model at the density of the 1M-pending PHOLD (about one entry per
// tick) and at a sparse one: exercises bucket splits, whole-bucket takes and
// the counting sort of the radix calendar.
TYPED_TEST(CalendarTest, MatchesReferenceInHoldModelAtSeveralDensities) {
  for (const std::uint64_t spread :
       {std::uint64_t{200}, std::uint64_t{1} << 16, std::uint64_t{1} << 30}) {
    TypeParam calendar;
    std::set<Key> reference;
    std::mt19937_64 bits(spread);
    std::uint64_t sequence = 0;
    auto make = [&](SimTime time) {
      const CalendarEntry e{time, MakeOrder(static_cast<int>(bits() % 2), sequence++), 0,
                            static_cast<std::uint32_t>(bits())};
      reference.insert(KeyOf(e));
      return e;
    };
    for (int i = 0; i < 20000; ++i) calendar.Push(make(static_cast<SimTime>(bits() % spread)));
    for (int step = 0; step < 60000; ++step) {
      const CalendarEntry top = calendar.Top();
      ASSERT_EQ(KeyOf(top), *reference.begin()) << "spread " << spread << " step " << step;
      reference.erase(reference.begin());
      calendar.ReplaceTop(make(top.time + static_cast<SimTime>(bits() % (2 * spread))));
    }
    ASSERT_EQ(calendar.Size(), reference.size());
  }
}

// Big enough that the arrays and chunk slabs take the huge-page path (2 MiB
// blocks) of internal/huge_pages.h; pops must still come out in order.
TYPED_TEST(CalendarTest, LargePopulationPopsInOrder) {
  TypeParam calendar;
  std::mt19937_64 bits(17);
  constexpr std::uint64_t kEntries = 200000;  // 4.8 MB of entries
  for (std::uint64_t s = 0; s < kEntries; ++s) {
    calendar.Push({static_cast<SimTime>(bits() % 5000000), MakeOrder(0, s), 0, 0});
  }
  ASSERT_EQ(calendar.Size(), kEntries);
  CalendarEntry previous = calendar.Top();
  calendar.Pop();
  for (std::uint64_t i = 1; i < kEntries; ++i) {
    const CalendarEntry top = calendar.Top();
    ASSERT_TRUE(EntryBefore(previous, top)) << i;
    previous = top;
    calendar.Pop();
  }
  EXPECT_TRUE(calendar.Empty());
}

// After RunUntil stops short of the next event, the Simulation may schedule
// between Now() and that event: earlier than the minimum a calendar has seen.
TYPED_TEST(CalendarTest, AcceptsEntriesEarlierThanThePeekedMinimum) {
  TypeParam calendar;
  calendar.Push({.time = 1000, .order = MakeOrder(0, 0), .slot = 0, .payload = 1000});
  calendar.Push({.time = 5000, .order = MakeOrder(0, 1), .slot = 0, .payload = 5000});
  EXPECT_EQ(calendar.Top().time, 1000);  // peek only
  calendar.Push({.time = 10, .order = MakeOrder(0, 2), .slot = 0, .payload = 10});
  calendar.Push({.time = 999, .order = MakeOrder(0, 3), .slot = 0, .payload = 999});
  calendar.Push({.time = 1000, .order = MakeOrder(-1, 4), .slot = 0, .payload = 1});
  calendar.Push({.time = 1001, .order = MakeOrder(0, 5), .slot = 0, .payload = 1001});
  std::vector<std::uint32_t> payloads;
  while (!calendar.Empty()) {
    payloads.push_back(calendar.Top().payload);
    calendar.Pop();
  }
  EXPECT_EQ(payloads, (std::vector<std::uint32_t>{10, 999, 1, 1000, 1001, 5000}));
}

TYPED_TEST(CalendarTest, ManyEqualTimesPopInOrderOfTheOrderWord) {
  TypeParam calendar;
  std::mt19937_64 bits(5);
  std::set<Key> reference;
  for (std::uint64_t s = 0; s < 5000; ++s) {
    const CalendarEntry e{static_cast<SimTime>(bits() % 3),
                          MakeOrder(static_cast<int>(bits() % 4), s), 0,
                          static_cast<std::uint32_t>(s)};
    reference.insert(KeyOf(e));
    calendar.Push(e);
  }
  for (const Key& expected : reference) {
    ASSERT_EQ(KeyOf(calendar.Top()), expected);
    calendar.Pop();
  }
  EXPECT_TRUE(calendar.Empty());
}

TYPED_TEST(CalendarTest, EraseIfKeepsTheRestInOrder) {
  TypeParam calendar;
  std::mt19937_64 bits(9);
  std::set<Key> reference;
  for (std::uint64_t s = 0; s < 3000; ++s) {
    const CalendarEntry e{static_cast<SimTime>(bits() % 100000), MakeOrder(0, s),
                          static_cast<std::uint32_t>(s), 0};
    calendar.Push(e);
    if (s % 3 != 0) reference.insert(KeyOf(e));
  }
  // Pop a few first so the radix calendar has a non-zero base.
  for (int i = 0; i < 100; ++i) {
    const CalendarEntry top = calendar.Top();
    if (top.slot % 3 != 0) reference.erase(KeyOf(top));
    calendar.Pop();
  }
  calendar.EraseIf([](const CalendarEntry& e) { return e.slot % 3 == 0; });
  ASSERT_EQ(calendar.Size(), reference.size());
  for (const Key& expected : reference) {
    ASSERT_EQ(KeyOf(calendar.Top()), expected);
    calendar.Pop();
  }
  EXPECT_TRUE(calendar.Empty());
}

TYPED_TEST(CalendarTest, HandlesExtremeTimes) {
  TypeParam calendar;
  const SimTime far = kSimTimeMax;
  calendar.Push({.time = far, .order = MakeOrder(0, 0), .slot = 0, .payload = 2});
  calendar.Push({.time = 0, .order = MakeOrder(0, 1), .slot = 0, .payload = 0});
  calendar.Push({.time = far - 1, .order = MakeOrder(0, 2), .slot = 0, .payload = 1});
  std::vector<std::uint32_t> payloads;
  while (!calendar.Empty()) {
    payloads.push_back(calendar.Top().payload);
    calendar.Pop();
  }
  EXPECT_EQ(payloads, (std::vector<std::uint32_t>{0, 1, 2}));
}

}  // namespace
}  // namespace orgsim::kernel
