// Event calendars: the priority queues that hold a Simulation's pending events.
//
// A calendar stores CalendarEntry records (24 bytes: time, order key, slot,
// payload) and hands them back in the kernel's total order:
//
//   (time, priority, insertion sequence)   — lexicographic, smallest first.
//
// Priority and sequence are packed into one 64-bit `order` word
// (MakeOrder), so the whole key is the 128-bit pair (time, order) and keys are
// unique: two entries never compare equal, and the order never depends on
// memory addresses or on the calendar's internal layout. Every calendar below
// therefore yields exactly the same sequence for the same pushes and pops;
// they differ only in speed (see docs/kernel.md and bench/phold_bench.cc for
// the measurements that chose the default, kDefaultCalendar).
//
//   QuaternaryHeapCalendar q;
//   q.Push({.time = 5, .order = MakeOrder(0, 1), .slot = 0, .payload = 7});
//   q.Push({.time = 3, .order = MakeOrder(0, 2), .slot = 1, .payload = 8});
//   CalendarEntry first = q.Top();  // time 3
//   q.Pop();
//
// All calendars share one interface (the EventCalendar concept): Empty, Size,
// Top (non-const: a calendar may reorganise itself lazily to find the
// minimum), Pop, Push, ReplaceTop (Pop then Push, possibly in one pass),
// EraseIf and Clear. None allocates per operation once its buffers have grown
// to the peak population (amortised vector growth only).
//
// REQUIRES (all calendars): entries' times are >= 0; the RadixHeapCalendar
// additionally relies on the kernel's causality rule (no entry is pushed
// earlier than the last time popped), see its comment.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string_view>
#include <vector>

#include "engine/kernel/sim_time.h"

namespace orgsim::kernel {

// One pending event as the calendar stores it.
struct CalendarEntry {
  SimTime time = 0;         // when it runs, in ticks; >= 0
  std::uint64_t order = 0;  // MakeOrder(priority, sequence)
  std::uint32_t slot = 0;   // the Simulation's per-event slot (identity, handler)
  std::uint32_t payload = 0;
};
static_assert(sizeof(CalendarEntry) == 24);

// Bits of the insertion sequence inside `order`; the top 8 bits hold the
// priority biased to 0..255. 2^56 events is ~2 years at 1e9 events/s.
inline constexpr int kSequenceBits = 56;
inline constexpr std::uint64_t kMaxSequence = (std::uint64_t{1} << kSequenceBits) - 1;

// Packs (priority, sequence) so that comparing the word compares priority
// first, then sequence. REQUIRES: -128 <= priority <= 127,
// sequence <= kMaxSequence.
constexpr std::uint64_t MakeOrder(int priority, std::uint64_t sequence) {
  return (static_cast<std::uint64_t>(priority + 128) << kSequenceBits) | sequence;
}
constexpr int OrderPriority(std::uint64_t order) {
  return static_cast<int>(order >> kSequenceBits) - 128;
}
constexpr std::uint64_t OrderSequence(std::uint64_t order) { return order & kMaxSequence; }

namespace internal {
__extension__ typedef unsigned __int128 Uint128;

// The 128-bit sort key (time, order). Comparing it is two branch-free
// instructions (cmp/sbb), which matters in the heaps' inner loops.
inline Uint128 SortKey(SimTime time, std::uint64_t order) {
  return (static_cast<Uint128>(static_cast<std::uint64_t>(time)) << 64) | order;
}

// std::allocator with 64-byte (cache-line) alignment.
template <typename T>
struct CacheAlignedAllocator {
  using value_type = T;
  CacheAlignedAllocator() = default;
  template <typename U>
  CacheAlignedAllocator(const CacheAlignedAllocator<U>&) {}  // NOLINT
  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{64}));
  }
  void deallocate(T* p, std::size_t) { ::operator delete(p, std::align_val_t{64}); }
  template <typename U>
  bool operator==(const CacheAlignedAllocator<U>&) const { return true; }
};
}  // namespace internal

// a before b in the kernel's total order.
inline bool EntryBefore(const CalendarEntry& a, const CalendarEntry& b) {
  return internal::SortKey(a.time, a.order) < internal::SortKey(b.time, b.order);
}

// ---------------------------------------------------------------------------
// BinaryHeapCalendar: the textbook binary min-heap of 24-byte entries via
// std::push_heap / std::pop_heap. The reference the others are measured
// against (what a naive kernel would use).
class BinaryHeapCalendar {
 public:
  bool Empty() const { return heap_.empty(); }
  std::size_t Size() const { return heap_.size(); }
  const CalendarEntry& Top() { return heap_.front(); }
  void Push(const CalendarEntry& entry) {
    heap_.push_back(entry);
    std::push_heap(heap_.begin(), heap_.end(), After);
  }
  void Pop() {
    std::pop_heap(heap_.begin(), heap_.end(), After);
    heap_.pop_back();
  }
  void ReplaceTop(const CalendarEntry& entry) {
    Pop();
    Push(entry);
  }
  template <typename Predicate>
  void EraseIf(Predicate erase) {
    std::erase_if(heap_, erase);
    std::make_heap(heap_.begin(), heap_.end(), After);
  }
  void Clear() { heap_.clear(); }

 private:
  static bool After(const CalendarEntry& a, const CalendarEntry& b) { return EntryBefore(b, a); }
  std::vector<CalendarEntry> heap_;
};

// ---------------------------------------------------------------------------
// QuaternaryHeapCalendar: a 4-ary min-heap with compact keys.
//
// Keys (time, order: 16 bytes) and values (slot, payload: 8 bytes) live in
// parallel arrays. The key array is cache-line aligned and offset by three
// entries so that the four children of every node fill exactly one 64-byte
// line: a sift-down level costs one line of keys and three branch-free
// comparisons. Half the depth of a binary heap. ReplaceTop does one
// sift-down instead of a pop plus a push.
class QuaternaryHeapCalendar {
 public:
  QuaternaryHeapCalendar() : keys_(kRoot), values_(kRoot) {}

  bool Empty() const { return keys_.size() == kRoot; }
  std::size_t Size() const { return keys_.size() - kRoot; }

  CalendarEntry Top() const {
    return {keys_[kRoot].time, keys_[kRoot].order, values_[kRoot].slot, values_[kRoot].payload};
  }

  void Push(const CalendarEntry& entry) {
    keys_.push_back({});
    values_.push_back({});
    SiftUp(keys_.size() - 1, {entry.time, entry.order}, {entry.slot, entry.payload});
  }

  void Pop() {
    const Key last_key = keys_.back();
    const Value last_value = values_.back();
    keys_.pop_back();
    values_.pop_back();
    if (!Empty()) SiftDown(last_key, last_value);
  }

  void ReplaceTop(const CalendarEntry& entry) {
    SiftDown({entry.time, entry.order}, {entry.slot, entry.payload});
  }

  template <typename Predicate>
  void EraseIf(Predicate erase) {
    std::size_t kept = kRoot;
    for (std::size_t i = kRoot; i < keys_.size(); ++i) {
      const CalendarEntry entry{keys_[i].time, keys_[i].order, values_[i].slot, values_[i].payload};
      if (erase(entry)) continue;
      keys_[kept] = keys_[i];
      values_[kept] = values_[i];
      ++kept;
    }
    keys_.resize(kept);
    values_.resize(kept);
    // Floyd's heap construction: sift down every internal node, bottom up.
    for (std::size_t p = keys_.size(); p-- > kRoot;) {
      if (FirstChild(p) < keys_.size()) SiftDownFrom(p, keys_[p], values_[p]);
    }
  }

  void Clear() {
    keys_.resize(kRoot);
    values_.resize(kRoot);
  }

 private:
  struct Key {
    SimTime time;
    std::uint64_t order;
  };
  struct Value {
    std::uint32_t slot;
    std::uint32_t payload;
  };
  // Physical index of the root. Children of physical p are 4p-8 .. 4p-5,
  // always a multiple of 4: with 16-byte keys on a 64-byte aligned array each
  // sibling group is one cache line.
  static constexpr std::size_t kRoot = 3;
  static std::size_t FirstChild(std::size_t p) { return 4 * p - 8; }
  static std::size_t Parent(std::size_t p) { return (p + 8) / 4; }
  static bool Less(const Key& a, const Key& b) {
    return internal::SortKey(a.time, a.order) < internal::SortKey(b.time, b.order);
  }

  void SiftUp(std::size_t p, const Key& key, const Value& value) {
    while (p > kRoot) {
      const std::size_t parent = Parent(p);
      if (!Less(key, keys_[parent])) break;
      keys_[p] = keys_[parent];
      values_[p] = values_[parent];
      p = parent;
    }
    keys_[p] = key;
    values_[p] = value;
  }

  void SiftDown(const Key& key, const Value& value) { SiftDownFrom(kRoot, key, value); }

  void SiftDownFrom(std::size_t p, Key key, Value value) {
    const std::size_t end = keys_.size();
    const Key* keys = keys_.data();
    for (;;) {
      const std::size_t c = FirstChild(p);
      if (c >= end) break;
      std::size_t m;
      if (c + 3 < end) [[likely]] {
        // Tournament of four, written so the compiler emits conditional moves.
        const std::size_t a = c + static_cast<std::size_t>(Less(keys[c + 1], keys[c]));
        const std::size_t b = c + 2 + static_cast<std::size_t>(Less(keys[c + 3], keys[c + 2]));
        m = Less(keys[b], keys[a]) ? b : a;
      } else {
        m = c;
        for (std::size_t j = c + 1; j < end; ++j) {
          if (Less(keys[j], keys[m])) m = j;
        }
      }
      if (!Less(keys[m], key)) break;
      keys_[p] = keys[m];
      values_[p] = values_[m];
      p = m;
    }
    keys_[p] = key;
    values_[p] = value;
  }

  std::vector<Key, internal::CacheAlignedAllocator<Key>> keys_;
  std::vector<Value> values_;
};

// ---------------------------------------------------------------------------
// RadixHeapCalendar: a monotone radix heap on time (Ahuja, Mehlhorn, Orlin &
// Tarjan 1990) with a small heap for the current time.
//
// It exploits the kernel's causality rule: nothing is scheduled before Now().
// `base_` is the time of the last minimum found. Bucket 0 holds entries at
// times <= base_, as a 4-ary heap on the full key, so same-time events keep
// the (priority, sequence) order and an event pushed behind base_ (possible
// after RunUntil stopped short of the next event) is still exact. Bucket
// i >= 1 holds entries whose time first differs from base_ in bit i-1; they
// are unsorted vectors, appended to in O(1). When bucket 0 runs dry, the
// lowest non-empty bucket is scanned for its minimum time, which becomes the
// new base_, and is redistributed into strictly lower buckets. Each entry
// moves at most 64 times and in practice a few, always by sequential scans:
// memory traffic stays streaming even at millions of pending events, where
// heap sift paths miss the cache at every level.
class RadixHeapCalendar {
 public:
  bool Empty() const { return size_ == 0; }
  std::size_t Size() const { return size_; }

  // REQUIRES: !Empty().
  CalendarEntry Top() {
    if (now_.Empty()) Refill();
    return now_.Top();
  }

  void Push(const CalendarEntry& entry) {
    ++size_;
    const auto time = static_cast<std::uint64_t>(entry.time);
    if (time <= base_) {
      now_.Push(entry);
      return;
    }
    const int bucket = BucketOf(time);
    buckets_[bucket].push_back(entry);
    occupied_ |= std::uint64_t{1} << (bucket - 1);
  }

  // REQUIRES: !Empty().
  void Pop() {
    if (now_.Empty()) Refill();
    now_.Pop();
    --size_;
  }

  void ReplaceTop(const CalendarEntry& entry) {
    Pop();
    Push(entry);
  }

  template <typename Predicate>
  void EraseIf(Predicate erase) {
    now_.EraseIf(erase);
    size_ = now_.Size();
    for (int b = 1; b <= 64; ++b) {
      std::erase_if(buckets_[b], erase);
      size_ += buckets_[b].size();
      if (buckets_[b].empty()) occupied_ &= ~(std::uint64_t{1} << (b - 1));
    }
  }

  void Clear() {
    now_.Clear();
    for (auto& bucket : buckets_) bucket.clear();
    occupied_ = 0;
    size_ = 0;
  }

 private:
  // REQUIRES: time > base_.
  int BucketOf(std::uint64_t time) const { return 64 - std::countl_zero(time ^ base_); }

  // Moves the earliest time's entries into now_. REQUIRES: now_ empty, size_ > 0.
  void Refill() {
    const int b = std::countr_zero(occupied_) + 1;
    std::vector<CalendarEntry>& source = buckets_[b];
    std::uint64_t min_time = static_cast<std::uint64_t>(source.front().time);
    for (const CalendarEntry& e : source) {
      min_time = std::min(min_time, static_cast<std::uint64_t>(e.time));
    }
    base_ = min_time;
    occupied_ &= ~(std::uint64_t{1} << (b - 1));
    for (const CalendarEntry& e : source) {
      const auto time = static_cast<std::uint64_t>(e.time);
      if (time == base_) {
        now_.Push(e);
      } else {
        const int to = BucketOf(time);  // < b: time and base_ share bits >= b-1
        buckets_[to].push_back(e);
        occupied_ |= std::uint64_t{1} << (to - 1);
      }
    }
    source.clear();
  }

  QuaternaryHeapCalendar now_;
  std::vector<CalendarEntry> buckets_[65];  // [0] unused: bucket 0 is now_
  std::uint64_t occupied_ = 0;              // bit i-1 set iff bucket i non-empty
  std::uint64_t base_ = 0;
  std::size_t size_ = 0;
};

// ---------------------------------------------------------------------------
// Which calendar a Simulation uses (SimulationOptions::calendar).
enum class CalendarKind { kBinaryHeap, kQuaternaryHeap, kRadixHeap };

// The calendar chosen by measurement (docs/kernel.md, bench/phold_bench.cc).
inline constexpr CalendarKind kDefaultCalendar = CalendarKind::kRadixHeap;

// Stable names, as used by --calendar flags and benchmark labels.
constexpr std::string_view CalendarName(CalendarKind kind) {
  switch (kind) {
    case CalendarKind::kBinaryHeap: return "binary-heap";
    case CalendarKind::kQuaternaryHeap: return "4ary-heap";
    case CalendarKind::kRadixHeap: return "radix-heap";
  }
  return "?";
}

// All calendar kinds, for flags, benchmarks and tests.
inline constexpr CalendarKind kAllCalendars[] = {
    CalendarKind::kBinaryHeap, CalendarKind::kQuaternaryHeap, CalendarKind::kRadixHeap};

}  // namespace orgsim::kernel
