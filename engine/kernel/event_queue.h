// Event calendars: the priority queues that hold a Simulation's pending events.
//
// A calendar stores CalendarEntry records (24 bytes: time, order key, slot,
// payload) and hands them back in the kernel's total order:
//
//   (time, priority, insertion sequence)   — lexicographic, smallest first.
//
// Priority and sequence are packed into one 64-bit `order` word (MakeOrder,
// with a tag that never affects the order), so the whole key is the 128-bit
// pair (time, order) and keys are unique: two entries never compare equal,
// and the order never depends on memory addresses or on the calendar's
// internal layout. Every calendar below therefore yields exactly the same
// sequence for the same pushes and pops; they differ only in speed (see
// docs/kernel.md and bench/phold_bench.cc for the measurements that chose the
// default, kDefaultCalendar).
//
//   QuaternaryHeapCalendar q;
//   q.Push({.time = 5, .order = MakeOrder(0, 1), .slot = 0, .payload = 7});
//   q.Push({.time = 3, .order = MakeOrder(0, 2), .slot = 1, .payload = 8});
//   CalendarEntry first = q.Top();  // time 3
//   q.Pop();
//
// All calendars share one interface (the EventCalendar concept below): Empty,
// Size, Top (non-const: a calendar may reorganise itself lazily to find the
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
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string_view>
#include <type_traits>
#include <vector>

#include "engine/kernel/internal/huge_pages.h"
#include "engine/kernel/sim_time.h"

namespace orgsim::kernel {

// One pending event as the calendar stores it.
struct CalendarEntry {
  SimTime time = 0;         // when it runs, in ticks; >= 0
  std::uint64_t order = 0;  // MakeOrder(priority, sequence, tag)
  std::uint32_t slot = 0;   // the Simulation's per-event slot (for Cancel)
  std::uint32_t payload = 0;
};
static_assert(sizeof(CalendarEntry) == 24);
static_assert(std::is_trivially_copyable_v<CalendarEntry>);

// The order word: priority biased to 0..255 in the top 8 bits, then the
// insertion sequence (40 bits), then a 16-bit tag that the Simulation uses
// for the handler id. Comparing the word compares priority, then sequence;
// sequences are unique, so the tag never decides the order. 2^40 events is
// about 30 hours of simulation at 10 million events per second.
inline constexpr int kSequenceBits = 40;
inline constexpr int kTagBits = 16;
inline constexpr std::uint64_t kMaxSequence = (std::uint64_t{1} << kSequenceBits) - 1;
inline constexpr std::uint64_t kMaxTag = (std::uint64_t{1} << kTagBits) - 1;

// REQUIRES: -128 <= priority <= 127, sequence <= kMaxSequence, tag <= kMaxTag.
constexpr std::uint64_t MakeOrder(int priority, std::uint64_t sequence, std::uint64_t tag = 0) {
  return (static_cast<std::uint64_t>(priority + 128) << (kSequenceBits + kTagBits)) |
         (sequence << kTagBits) | tag;
}
constexpr int OrderPriority(std::uint64_t order) {
  return static_cast<int>(order >> (kSequenceBits + kTagBits)) - 128;
}
constexpr std::uint64_t OrderSequence(std::uint64_t order) {
  return (order >> kTagBits) & kMaxSequence;
}
constexpr std::uint32_t OrderTag(std::uint64_t order) {
  return static_cast<std::uint32_t>(order & kMaxTag);
}

namespace internal {
__extension__ typedef unsigned __int128 Uint128;

// The 128-bit sort key (time, order). Comparing it is two branch-free
// instructions (cmp/sbb), which matters in the heaps' inner loops.
inline Uint128 SortKey(SimTime time, std::uint64_t order) {
  return (static_cast<Uint128>(static_cast<std::uint64_t>(time)) << 64) | order;
}

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
  std::vector<CalendarEntry, internal::HugePageAllocator<CalendarEntry>> heap_;
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

  std::vector<Key, internal::HugePageAllocator<Key, 64>> keys_;  // cache-line aligned
  std::vector<Value, internal::HugePageAllocator<Value>> values_;
};

// ---------------------------------------------------------------------------
// RadixHeapCalendar: a monotone radix heap on time with 256-way digits
// (Ahuja, Mehlhorn, Orlin & Tarjan 1990; the multi-level buckets of
// Cherkassky, Goldberg & Silverstein 1999) in front of a short sorted run.
//
// It exploits the kernel's causality rule: nothing is scheduled before Now().
// Entries fall in two tiers:
//   * the near window, times < near_end_: `run_`, the next entries in order
//     (popped by advancing `head_`), plus `side_`, a 4-ary heap for entries
//     pushed into the window after it was filled (events scheduled very close
//     to Now(), or between Now() and a window RunUntil stopped short of).
//     Together they give the exact total order, ties included.
//   * buckets, one per (level L, digit d): unsorted lists of the entries
//     whose time first differs from `base_` (<= every bucketed time) in byte
//     L, where it is d. Pushing is an O(1) append plus a running minimum.
// When the window runs dry, Refill takes the lowest non-empty bucket (found
// with bit masks). A small one, or one of level 0 (a single time) or 1
// (times differing in the low byte: counting sort), is appended to run_ in
// order, and near_end_ advances past its range; bucket ranges are disjoint
// and taken lowest first, so run_ stays sorted. A large one of a higher level
// is split: its minimum becomes base_ and its entries move to buckets of
// lower levels. An entry thus moves about once per byte of (its time - now),
// two or three times, always by sequential scans, and is sorted only among
// the entries of its last bucket. The cost per event therefore hardly grows
// with the number pending, where a plain heap's sift path misses the cache
// at every level.
//
// Buckets are chains of fixed-size chunks from a shared free list, so memory
// stays proportional to the peak number pending (plus at most one partly
// filled chunk per bucket) however the buckets' sizes move over time. The
// chunks come in slabs, the big ones on huge pages (internal/huge_pages.h).
class RadixHeapCalendar {
 public:
  RadixHeapCalendar() : buckets_(kLevels * kDigits) {}
  ~RadixHeapCalendar() {
    for (const Slab& slab : slabs_)
      internal::FreeBlock(slab.chunks, slab.count * sizeof(Chunk), alignof(Chunk));
  }
  RadixHeapCalendar(const RadixHeapCalendar&) = delete;
  RadixHeapCalendar& operator=(const RadixHeapCalendar&) = delete;

  bool Empty() const { return size_ == 0; }
  std::size_t Size() const { return size_; }

  // REQUIRES: !Empty().
  CalendarEntry Top() {
    if (side_.Empty()) [[likely]] {
      if (head_ == run_end_) [[unlikely]]
        Refill();
      return run_[head_];
    }
    return SideOrRunTop();
  }

  void Push(const CalendarEntry& entry) {
    ++size_;
    const auto time = static_cast<std::uint64_t>(entry.time);
    if (time < near_end_) [[unlikely]] {
      PushToSide(entry);
    } else {
      PushToBucket(entry, time);
    }
  }

  // REQUIRES: !Empty().
  void Pop() {
    if (side_.Empty()) [[likely]] {
      if (head_ == run_end_) [[unlikely]]
        Refill();
      ++head_;
    } else {
      PopSideOrRun();
    }
    --size_;
  }

  // REQUIRES: !Empty().
  void ReplaceTop(const CalendarEntry& entry) {
    Pop();
    Push(entry);
  }

  // The entry `k` places behind the top if it is in the sorted run, else
  // nullptr (lets the Simulation prefetch what it will need for it).
  const CalendarEntry* Ahead(std::size_t k) const {
    return head_ + k < run_end_ ? &run_[head_ + k] : nullptr;
  }

  template <typename Predicate>
  void EraseIf(Predicate erase) {
    side_.EraseIf(erase);
    run_.erase(run_.begin(), run_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
    std::erase_if(run_, erase);  // keeps run_ sorted
    run_end_ = run_.size();
    size_ = side_.Size() + run_end_;
    std::vector<CalendarEntry> kept;
    for (int b = 0; b < kLevels * kDigits; ++b) {
      Bucket& bucket = buckets_[b];
      if (bucket.chunks == 0) continue;
      kept.clear();
      TakeAll(bucket, [&](const CalendarEntry& e) {
        if (!erase(e)) kept.push_back(e);
      });
      ClearMask(b);
      for (const CalendarEntry& e : kept) PushToBucket(e, static_cast<std::uint64_t>(e.time));
      size_ += kept.size();
    }
  }

  void Clear() {
    side_.Clear();
    run_.clear();
    head_ = 0;
    run_end_ = 0;
    for (Bucket& bucket : buckets_) TakeAll(bucket, [](const CalendarEntry&) {});
    summary_ = 0;
    std::fill(std::begin(occupied_), std::end(occupied_), 0);
    base_ = 0;
    near_end_ = 1;
    size_ = 0;
  }

 private:
  static constexpr int kDigitBits = 8;
  static constexpr int kDigits = 1 << kDigitBits;
  static constexpr int kLevels = 64 / kDigitBits;
  static constexpr std::uint64_t kNoTime = ~std::uint64_t{0};
  // Buckets up to this size are sorted whole into run_ rather than split;
  // run_ gathers several until it holds about this many (BM_EventQueueHold).
  static constexpr std::size_t kRunTarget = 16;
  static constexpr std::uint32_t kChunkEntries = 64;

  // A bucket's chunks are full except its tail, whose fill count the bucket
  // keeps (so a push reads the hot bucket, not the chunk's header line).
  struct Chunk {
    Chunk* next = nullptr;
    CalendarEntry entries[kChunkEntries];
  };
  static_assert(std::is_trivially_destructible_v<CalendarEntry>);
  // Chunks per slab at most: a slab of about 2 MiB, on huge pages.
  static constexpr std::size_t kSlabChunks = internal::kHugePageBytes / sizeof(Chunk);
  struct Slab {
    Chunk* chunks;
    std::size_t count;
  };
  struct Bucket {
    Chunk* head = nullptr;
    Chunk* tail = nullptr;
    std::uint32_t tail_count = kChunkEntries;  // entries in *tail (full: new chunk)
    std::uint32_t chunks = 0;
    std::uint64_t min_time = kNoTime;
    std::size_t size() const {
      return chunks == 0 ? 0 : std::size_t{chunks - 1} * kChunkEntries + tail_count;
    }
  };

  // The side heap's paths, rarely taken, kept out of line.
  // REQUIRES: !side_.Empty().
  bool TopIsInSide() { return head_ == run_end_ || EntryBefore(side_.Top(), run_[head_]); }
  [[gnu::noinline]] CalendarEntry SideOrRunTop() {
    return TopIsInSide() ? side_.Top() : run_[head_];
  }
  [[gnu::noinline]] void PopSideOrRun() {
    if (TopIsInSide()) {
      side_.Pop();
    } else {
      ++head_;
    }
  }
  [[gnu::noinline]] void PushToSide(const CalendarEntry& entry) { side_.Push(entry); }

  Chunk* NewChunk() {
    if (free_chunks_ == nullptr) [[unlikely]]
      AddSlab();
    Chunk* chunk = free_chunks_;
    free_chunks_ = chunk->next;
    chunk->next = nullptr;
    return chunk;
  }

  // Grows the chunk pool (to the peak population; never shrinks) by a slab
  // twice the size of the last one, up to 2 MiB slabs on huge pages.
  [[gnu::noinline]] void AddSlab() {
    const std::size_t count =
        slabs_.empty() ? 16 : std::min<std::size_t>(2 * slabs_.back().count, kSlabChunks);
    Chunk* slab =
        static_cast<Chunk*>(internal::AllocateBlock(count * sizeof(Chunk), alignof(Chunk)));
    slabs_.push_back({slab, count});
    for (std::size_t i = count; i-- > 0;) {
      Chunk* chunk = new (&slab[i]) Chunk;
      chunk->next = free_chunks_;
      free_chunks_ = chunk;
    }
  }

  // Calls f(entry) for every entry of `bucket` in order, returning its chunks
  // to the free list as it goes (f may push to other buckets and reuse them).
  template <typename F>
  void TakeAll(Bucket& bucket, F&& f) {
    Chunk* chunk = bucket.head;
    const Chunk* tail = bucket.tail;
    const std::uint32_t tail_count = bucket.tail_count;
    bucket = Bucket{};
    while (chunk != nullptr) {
      Chunk* next = chunk->next;
      if (next != nullptr) __builtin_prefetch(next);  // restart the hardware stream early
      const std::uint32_t count = chunk == tail ? tail_count : kChunkEntries;
      for (std::uint32_t i = 0; i < count; ++i) f(chunk->entries[i]);
      chunk->next = free_chunks_;
      free_chunks_ = chunk;
      chunk = next;
    }
  }

  // Bucket b = level * kDigits + digit; lower b = earlier times.
  void ClearMask(int b) {
    occupied_[b >> 6] &= ~(std::uint64_t{1} << (b & 63));
    if (occupied_[b >> 6] == 0) summary_ &= ~(std::uint64_t{1} << (b >> 6));
  }

  // REQUIRES: time >= near_end_ > base_.
  void PushToBucket(const CalendarEntry& entry, std::uint64_t time) {
    // The highest bit where time and base_ differ (time != base_).
    const int level = (63 - __builtin_clzll(time ^ base_)) / kDigitBits;
    const int shift = level * kDigitBits;
    const int b = (level << kDigitBits) | static_cast<int>((time >> shift) & (kDigits - 1));
    Bucket& bucket = buckets_[b];
    if (bucket.tail_count == kChunkEntries) [[unlikely]] {
      Chunk* chunk = NewChunk();
      if (bucket.tail == nullptr) {
        bucket.head = chunk;
      } else {
        bucket.tail->next = chunk;
      }
      bucket.tail = chunk;
      bucket.tail_count = 0;
      ++bucket.chunks;
    }
    // Start fetching the line this bucket's later pushes will write: with a
    // million pending, the next push to this bucket comes hundreds of events
    // later, when the line would otherwise be a store miss.
    __builtin_prefetch(&bucket.tail->entries[std::min(bucket.tail_count + 3, kChunkEntries - 1)],
                       1);
    bucket.tail->entries[bucket.tail_count++] = entry;
    bucket.min_time = std::min(bucket.min_time, time);
    occupied_[b >> 6] |= std::uint64_t{1} << (b & 63);
    summary_ |= std::uint64_t{1} << (b >> 6);
  }

  // Refills run_ with the next entries in order. REQUIRES: run_ consumed,
  // side_ empty, size_ > 0 (so some bucket is occupied).
  [[gnu::noinline]] void Refill() {
    run_.clear();
    head_ = 0;
    while (summary_ != 0) {
      const int word = std::countr_zero(summary_);
      const int b = word * 64 + std::countr_zero(occupied_[word]);
      const int level = b >> kDigitBits;
      const int digit = b & (kDigits - 1);
      Bucket& source = buckets_[b];
      const std::size_t n = source.size();
      const std::size_t sorted = run_.size();
      if (sorted + n <= kRunTarget || (sorted == 0 && level <= 1)) {
        // Take the whole bucket; the window now covers its range. Times in a
        // bucket of level L agree with base_ above byte L, byte L == digit.
        if (level == 1 && n > kRunTarget) {
          AppendByLowByte(source);
        } else {
          AppendAll(source);
        }
        const int shift = level * kDigitBits;
        const std::uint64_t above =
            shift + kDigitBits >= 64 ? 0 : (base_ >> (shift + kDigitBits)) << (shift + kDigitBits);
        near_end_ = above + ((static_cast<std::uint64_t>(digit) + 1) << shift);
      } else if (sorted == 0) {
        // Too many: split the bucket one level down around its minimum,
        // which becomes base_ (every other bucketed time still first differs
        // from it in the same byte as before).
        base_ = source.min_time;
        near_end_ = base_ + 1;
        TakeAll(source, [&](const CalendarEntry& e) {
          const auto time = static_cast<std::uint64_t>(e.time);
          if (time == base_) {
            run_.push_back(e);
          } else {
            PushToBucket(e, time);  // a lower level than `level`
          }
        });
      } else {
        break;  // run_ holds enough
      }
      ClearMask(b);
      SortTail(sorted);  // the new entries are all later than the older ones
    }
    run_end_ = run_.size();
  }

  // Appends `source`'s entries to run_ as they are, chunk by chunk, and
  // returns its chunks to the free list.
  void AppendAll(Bucket& source) {
    Chunk* chunk = source.head;
    const Chunk* tail = source.tail;
    const std::uint32_t tail_count = source.tail_count;
    source = Bucket{};
    while (chunk != nullptr) {
      const std::uint32_t count = chunk == tail ? tail_count : kChunkEntries;
      run_.insert(run_.end(), chunk->entries, chunk->entries + count);
      Chunk* next = chunk->next;
      chunk->next = free_chunks_;
      free_chunks_ = chunk;
      chunk = next;
    }
  }

  // Appends the entries of a level-1 bucket (times differing only in the low
  // byte) to run_ ordered by that byte: a stable counting sort. SortTail then
  // only has to order equal times, which are rare and short.
  void AppendByLowByte(Bucket& source) {
    std::uint32_t start[kDigits + 1] = {};
    for (const Chunk* c = source.head; c != nullptr; c = c->next) {
      if (c->next != nullptr) __builtin_prefetch(c->next);
      const std::uint32_t count = c == source.tail ? source.tail_count : kChunkEntries;
      for (std::uint32_t i = 0; i < count; ++i) {
        ++start[(static_cast<std::uint64_t>(c->entries[i].time) & 0xFF) + 1];
      }
    }
    for (int d = 0; d < kDigits; ++d) start[d + 1] += start[d];
    const std::size_t offset = run_.size();
    run_.resize(offset + source.size());
    TakeAll(source, [&](const CalendarEntry& e) {
      run_[offset + start[static_cast<std::uint64_t>(e.time) & 0xFF]++] = e;
    });
  }

  // Sorts run_[from, end): a bucket's entries, usually a handful, or nearly
  // sorted (same-time entries arrive in sequence order; AppendByLowByte
  // leaves only equal times to order). Insertion sort, unless the range
  // turns out far from sorted: then std::sort.
  void SortTail(std::size_t from) {
    const auto first = run_.begin() + static_cast<std::ptrdiff_t>(from);
    const std::size_t budget = 8 * static_cast<std::size_t>(run_.end() - first) + 64;
    std::size_t moves = 0;
    for (auto i = first + (first != run_.end()); i < run_.end(); ++i) {
      if (!EntryBefore(*i, *(i - 1))) continue;
      const CalendarEntry e = *i;
      auto j = i;
      for (; j > first && EntryBefore(e, *(j - 1)); --j) *j = *(j - 1);
      *j = e;
      moves += static_cast<std::size_t>(i - j);
      if (moves > budget) [[unlikely]] {
        std::sort(first, run_.end(), EntryBefore);
        return;
      }
    }
  }

  std::vector<CalendarEntry> run_;  // the window's entries in order
  std::size_t head_ = 0;            // run_[head_] is next; run_[< head_] are gone
  std::size_t run_end_ = 0;         // run_.size(), kept to spare a division
  QuaternaryHeapCalendar side_;     // window entries pushed after Refill
  std::vector<Bucket> buckets_;     // [level * kDigits + digit]
  Chunk* free_chunks_ = nullptr;
  std::vector<Slab> slabs_;  // own every chunk
  // Occupancy: bit b of the 2048-bit map set iff bucket b is non-empty;
  // summary_ bit w set iff occupied_[w] != 0.
  std::uint64_t occupied_[kLevels * kDigits / 64] = {};
  std::uint64_t summary_ = 0;
  std::uint64_t base_ = 0;      // <= every bucketed time
  std::uint64_t near_end_ = 1;  // the window: times below
  std::size_t size_ = 0;
};

// What the Simulation needs of a calendar (EraseIf too, with a predicate).
template <typename C>
concept EventCalendar = requires(C calendar, const C& const_calendar, const CalendarEntry& entry) {
  { const_calendar.Empty() } -> std::convertible_to<bool>;
  { const_calendar.Size() } -> std::convertible_to<std::size_t>;
  { calendar.Top() } -> std::convertible_to<CalendarEntry>;
  calendar.Pop();
  calendar.Push(entry);
  calendar.ReplaceTop(entry);
  calendar.Clear();
};
static_assert(EventCalendar<BinaryHeapCalendar>);
static_assert(EventCalendar<QuaternaryHeapCalendar>);
static_assert(EventCalendar<RadixHeapCalendar>);

// ---------------------------------------------------------------------------
// Which calendar a Simulation uses (SimulationOptions::calendar).
enum class CalendarKind { kBinaryHeap, kQuaternaryHeap, kRadixHeap };

// The calendar chosen by measurement (docs/kernel.md, bench/phold_bench.cc).
inline constexpr CalendarKind kDefaultCalendar = CalendarKind::kRadixHeap;

// Stable names, as used by --calendar flags and benchmark labels.
constexpr std::string_view CalendarName(CalendarKind kind) {
  switch (kind) {
    case CalendarKind::kBinaryHeap:
      return "binary-heap";
    case CalendarKind::kQuaternaryHeap:
      return "4ary-heap";
    case CalendarKind::kRadixHeap:
      return "radix-heap";
  }
  return "?";
}

// All calendar kinds, for flags, benchmarks and tests.
inline constexpr CalendarKind kAllCalendars[] = {
    CalendarKind::kBinaryHeap, CalendarKind::kQuaternaryHeap, CalendarKind::kRadixHeap};

}  // namespace orgsim::kernel
