// Simulation: the event loop over a calendar (event_queue.h), a slot table for
// cancellation, and the handler table.
//
// Hot path per event (what PHOLD measures): Top of the calendar, the handler
// id from the entry's order word, fingerprint mix, one indirect call, and a
// write (no read) to the event's slot to free it. The slot is read only while
// some cancelled event is still in the calendar: with a million events
// pending, an event's slot was last touched when it was scheduled, and
// reading it would miss the cache on every event. Pops are deferred while the handler runs: if the
// handler schedules an event (the common case), that event replaces the running one at the top of
// the calendar (ReplaceTop: one sift for the heaps) instead of a pop plus a
// push. The argument checks share one predictable branch each; the code that
// builds their error messages lives in cold functions, so the hot functions
// stay small.
#include "engine/kernel/simulation.h"

#include <string>
#include <unordered_map>
#include <utility>

#include "engine/kernel/check.h"

namespace orgsim::kernel {
namespace {

// A slot is one 32-bit word. Free: kFreeBit | the next free slot (the free
// list). In use: kCancelledBit if cancelled, and the low 30 bits of the
// sequence of the event holding it, which an EventId must match (so a stale
// id cannot cancel a later event in the same slot).
constexpr std::uint32_t kFreeBit = 0x80000000;
constexpr std::uint32_t kCancelledBit = 0x40000000;
constexpr std::uint32_t kSequenceMask = 0x3FFFFFFF;
constexpr std::uint32_t kNoSlot = 0x7FFFFFFF;  // end of the free list
constexpr std::uint32_t kMaxSlots = kNoSlot;
// Handler ids travel in the order word's 16-bit tag.
constexpr std::uint64_t kMaxHandlers = kMaxTag + 1;

// How many events ahead RunUntil prefetches slots (calendars that know).
constexpr std::size_t kPrefetchDistance = 8;

constexpr std::uint64_t kFingerprintSeed = 0x6a09e667f3bcc908ULL;  // sqrt(2) bits

// FNV-1a 64 of a handler's kind name: stable across runs, machines and
// registration order.
constexpr std::uint64_t KindHash(std::string_view name) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// SplitMix64's finaliser: a bijective 64-bit mixer with full avalanche.
constexpr std::uint64_t Mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

[[noreturn, gnu::cold, gnu::noinline]] void FailDelay(SimTime delay, SimTime now) {
  ORGSIM_CHECK(delay >= 0, "negative delay " << delay << " at time " << now);
  ORGSIM_CHECK(false, "delay " << delay << " overflows time " << now);
  __builtin_unreachable();
}

[[noreturn, gnu::cold, gnu::noinline]] void FailSchedule(SimTime time, SimTime now,
                                                         HandlerId handler, std::size_t handlers,
                                                         int priority) {
  ORGSIM_CHECK(time >= now, "event scheduled in the past: time " << time << " < now " << now);
  ORGSIM_CHECK(
      priority >= kMinPriority && priority <= kMaxPriority,
      "priority " << priority << " outside [" << kMinPriority << ", " << kMaxPriority << "]");
  ORGSIM_CHECK(handler < handlers, "unknown handler id " << handler);
  ORGSIM_CHECK(false, "event sequence exhausted");
  __builtin_unreachable();
}

}  // namespace

struct Simulation::Impl {
  // What the loop needs per event kind.
  struct Dispatch {
    HandlerThunk thunk;
    void* context;
    std::uint64_t kind_hash;
  };
  struct Handler {
    OwnedContext context;  // owns Dispatch::context
    std::string name;
  };
  // Per scheduled event, for Cancel (see kFreeBit). Free slots form an
  // intrusive LIFO list: the slot an event frees is the one its successor
  // takes, still hot in cache. 4 bytes a slot keeps the table small: with a
  // million events pending, it is written at random once per event.
  using Slot = std::uint32_t;

  explicit Impl(CalendarKind calendar_kind) : kind(calendar_kind) {}

  // Calls f(calendar) with the calendar in use. The switch is on a value that
  // never changes, so the branch predictor makes it free.
  template <typename F>
  decltype(auto) WithCalendar(F&& f) {
    switch (kind) {
      case CalendarKind::kBinaryHeap:
        return f(binary);
      case CalendarKind::kQuaternaryHeap:
        return f(quaternary);
      case CalendarKind::kRadixHeap:
        break;
    }
    return f(radix);
  }

  [[gnu::always_inline]] std::uint32_t AllocateSlot(std::uint64_t sequence) {
    std::uint32_t slot = free_head;
    if (slot == kNoSlot) [[unlikely]] {
      slot = GrowSlots();
    } else {
      free_head = slots[slot] & ~kFreeBit;
    }
    slots[slot] = static_cast<std::uint32_t>(sequence) & kSequenceMask;
    return slot;
  }

  [[gnu::noinline]] std::uint32_t GrowSlots() {
    ORGSIM_CHECK(slots.size() < kMaxSlots, "too many pending events");
    slots.push_back(kFreeBit | kNoSlot);
    return static_cast<std::uint32_t>(slots.size() - 1);
  }

  // Write-only: never reads the (likely cold) slot.
  [[gnu::always_inline]] void ReleaseSlot(std::uint32_t slot) {
    slots[slot] = kFreeBit | free_head;
    free_head = slot;
  }

  // Everything Schedule and ScheduleAt share once `time` is known.
  [[gnu::always_inline]] EventId Add(SimTime time, SimTime now, HandlerId handler,
                                     EventPayload payload, int priority) {
    const bool bad = (time < now) |
                     (static_cast<unsigned>(priority - kMinPriority) >
                      static_cast<unsigned>(kMaxPriority - kMinPriority)) |
                     (handler >= handler_count) | (next_sequence > kMaxSequence);
    if (bad) [[unlikely]]
      FailSchedule(time, now, handler, handler_count, priority);
    const std::uint64_t sequence = next_sequence++;
    const std::uint32_t slot = AllocateSlot(sequence);
    const CalendarEntry entry{time, MakeOrder(priority, sequence, handler), slot, payload};
    // The default calendar inline; the others (kept for benchmarks) behind
    // a call, so their code does not crowd the hot path.
    static_assert(kDefaultCalendar == CalendarKind::kRadixHeap);
    if (kind == kDefaultCalendar) [[likely]] {
      Insert(radix, entry);
    } else {
      InsertOther(entry);
    }
    return EventId{((sequence & kSequenceMask) << 32) | (static_cast<std::uint64_t>(slot) + 1)};
  }

  template <typename Calendar>
  [[gnu::always_inline]] void Insert(Calendar& calendar, const CalendarEntry& entry) {
    if (top_consumed) {
      top_consumed = false;
      calendar.ReplaceTop(entry);
    } else {
      calendar.Push(entry);
    }
  }

  [[gnu::noinline]] void InsertOther(const CalendarEntry& entry) {
    WithCalendar([&](auto& calendar) { Insert(calendar, entry); });
  }

  // Removes cancelled entries from the calendar (they are otherwise skipped
  // when they reach the top), so heavy cancelling cannot grow it unboundedly.
  void PurgeCancelled() {
    WithCalendar([&](auto& calendar) {
      if (top_consumed) {
        calendar.Pop();
        top_consumed = false;
      }
      calendar.EraseIf([&](const CalendarEntry& entry) {
        if ((slots[entry.slot] & (kFreeBit | kCancelledBit)) != kCancelledBit) return false;
        ReleaseSlot(entry.slot);
        return true;
      });
    });
    cancelled_in_calendar = 0;
  }

  CalendarKind kind;
  BinaryHeapCalendar binary;
  QuaternaryHeapCalendar quaternary;
  RadixHeapCalendar radix;

  std::vector<Dispatch> dispatch;   // by HandlerId
  std::uint32_t handler_count = 0;  // dispatch.size()
  std::vector<Handler> handlers;    // by HandlerId
  std::unordered_map<std::string, HandlerId> handler_by_name;

  std::vector<Slot, internal::HugePageAllocator<Slot>> slots;
  std::uint32_t free_head = kNoSlot;
  std::uint64_t next_sequence = 0;
  std::size_t cancelled_in_calendar = 0;  // cancelled entries still stored

  bool top_consumed = false;  // the calendar's top is the running event
  bool running = false;
  bool stop_requested = false;
  bool stopped_by_flag = false;
  const std::atomic<bool>* stop_flag = nullptr;
  std::function<void(const EventRecord&)> observer;
};

Simulation::Simulation() : Simulation(SimulationOptions{}) {}

Simulation::Simulation(const SimulationOptions& options)
    : fingerprint_(kFingerprintSeed), impl_(new Impl(options.calendar)) {}

Simulation::~Simulation() { delete impl_; }

HandlerId Simulation::RegisterHandler(std::string_view kind_name, EventHandler handler) {
  ORGSIM_CHECK(handler != nullptr, "null handler for event kind '" << kind_name << "'");
  OwnedContext context(new EventHandler(std::move(handler)),
                       [](void* c) { delete static_cast<EventHandler*>(c); });
  return RegisterThunk(
      kind_name, [](void* c, EventPayload payload) { (*static_cast<EventHandler*>(c))(payload); },
      std::move(context));
}

HandlerId Simulation::RegisterThunk(std::string_view kind_name, HandlerThunk thunk,
                                    OwnedContext context) {
  Impl& impl = *impl_;
  ORGSIM_CHECK(impl.handlers.size() < kMaxHandlers, "too many event kinds");
  const auto id = static_cast<HandlerId>(impl.handlers.size());
  const bool inserted = impl.handler_by_name.emplace(std::string(kind_name), id).second;
  ORGSIM_CHECK(inserted, "event kind '" << kind_name << "' registered twice");
  impl.dispatch.push_back({thunk, context.get(), KindHash(kind_name)});
  ++impl.handler_count;
  impl.handlers.push_back({std::move(context), std::string(kind_name)});
  return id;
}

EventId Simulation::Schedule(SimTime delay, HandlerId handler, EventPayload payload, int priority) {
  if (delay < 0 || delay > kSimTimeMax - now_) [[unlikely]]
    FailDelay(delay, now_);
  return impl_->Add(now_ + delay, now_, handler, payload, priority);
}

EventId Simulation::ScheduleAt(SimTime time, HandlerId handler, EventPayload payload,
                               int priority) {
  return impl_->Add(time, now_, handler, payload, priority);
}

bool Simulation::Cancel(EventId id) {
  Impl& impl = *impl_;
  const std::uint64_t slot_plus_one = id.value & 0xFFFFFFFFULL;
  if (slot_plus_one == 0 || slot_plus_one > impl.slots.size()) return false;
  Impl::Slot& slot = impl.slots[slot_plus_one - 1];
  // Pending (neither free nor cancelled) and held by this very event.
  if (slot != ((id.value >> 32) & kSequenceMask)) return false;
  slot |= kCancelledBit;  // lazily skipped when it reaches the top
  ++impl.cancelled_in_calendar;
  const std::size_t stored = impl.WithCalendar([](auto& calendar) { return calendar.Size(); });
  if (impl.cancelled_in_calendar >= 1024 && 2 * impl.cancelled_in_calendar > stored) {
    impl.PurgeCancelled();
  }
  return true;
}

void Simulation::RunUntil(SimTime end) {
  Impl& impl = *impl_;
  ORGSIM_CHECK(!impl.running, "RunUntil called from inside an event handler");
  ORGSIM_CHECK(end >= now_, "RunUntil(" << end << ") is before now " << now_);
  impl.running = true;
  impl.stop_requested = false;
  impl.stopped_by_flag = false;
  if (impl.stop_flag != nullptr && impl.stop_flag->load(std::memory_order_relaxed)) {
    impl.stop_requested = impl.stopped_by_flag = true;
    impl.running = false;
    return;
  }
  impl.WithCalendar([&](auto& calendar) {
    try {
      while (!calendar.Empty()) {
        const CalendarEntry entry = calendar.Top();
        if (entry.time > end) break;
        if constexpr (requires { calendar.Ahead(0); }) {
          // With a million pending, the slot of an event was last touched
          // when it was scheduled, long ago: fetch the one of an event a few
          // places ahead, to be written when that one runs.
          if (const CalendarEntry* ahead = calendar.Ahead(kPrefetchDistance)) {
            __builtin_prefetch(&impl.slots[ahead->slot], 1);
          }
        }
        if (impl.cancelled_in_calendar != 0) [[unlikely]] {
          if ((impl.slots[entry.slot] & (kFreeBit | kCancelledBit)) == kCancelledBit) {
            impl.ReleaseSlot(entry.slot);
            calendar.Pop();
            --impl.cancelled_in_calendar;
            continue;
          }
        }
        impl.ReleaseSlot(entry.slot);  // the running event can no longer be cancelled
        const HandlerId handler = OrderTag(entry.order);
        const Impl::Dispatch dispatch = impl.dispatch[handler];
        now_ = entry.time;
        ++events_processed_;
        // (time, priority, kind, payload): the priority byte and the payload
        // are packed and spread by an odd multiplier (a bijection) before
        // the kind hash is added.
        const std::uint64_t what =
            dispatch.kind_hash + ((static_cast<std::uint64_t>(entry.payload) << 8) |
                                  static_cast<std::uint64_t>(OrderPriority(entry.order) + 128)) *
                                     0x9e3779b97f4a7c15ULL;
        fingerprint_ = Mix64(Mix64(fingerprint_ ^ static_cast<std::uint64_t>(entry.time)) ^ what);
        if (impl.observer) [[unlikely]] {
          impl.observer(EventRecord{entry.time, OrderPriority(entry.order),
                                    OrderSequence(entry.order), handler, entry.payload});
        }
        impl.top_consumed = true;
        dispatch.thunk(dispatch.context, entry.payload);
        if (impl.top_consumed) {
          impl.top_consumed = false;
          calendar.Pop();
        }
        if (impl.stop_requested) [[unlikely]]
          break;
        if ((events_processed_ & (kStopFlagInterval - 1)) == 0 && impl.stop_flag != nullptr)
            [[unlikely]] {
          if (impl.stop_flag->load(std::memory_order_relaxed)) {
            impl.stop_requested = impl.stopped_by_flag = true;
            break;
          }
        }
      }
    } catch (...) {
      // A handler threw (e.g. a failed check): its event counts as run; leave
      // the calendar consistent so the caller may inspect the Simulation.
      if (impl.top_consumed) {
        impl.top_consumed = false;
        calendar.Pop();
      }
      impl.running = false;
      throw;
    }
  });
  impl.running = false;
  if (!impl.stop_requested) now_ = end;
}

void Simulation::Stop() {
  if (impl_->running) impl_->stop_requested = true;
}

void Simulation::SetStopFlag(const std::atomic<bool>* flag) { impl_->stop_flag = flag; }

bool Simulation::stopped_by_flag() const { return impl_->stopped_by_flag; }

std::size_t Simulation::pending() const {
  const std::size_t stored = impl_->WithCalendar([](auto& calendar) { return calendar.Size(); });
  return stored - impl_->cancelled_in_calendar - (impl_->top_consumed ? 1 : 0);
}

void Simulation::MixIntoFingerprint(std::uint64_t value) {
  fingerprint_ = Mix64(fingerprint_ ^ Mix64(value ^ 0x243f6a8885a308d3ULL));
}

void Simulation::SetObserver(std::function<void(const EventRecord&)> observer) {
  impl_->observer = std::move(observer);
}

const std::string& Simulation::HandlerName(HandlerId handler) const {
  ORGSIM_CHECK(handler < impl_->handlers.size(), "unknown handler id " << handler);
  return impl_->handlers[handler].name;
}

CalendarKind Simulation::calendar() const { return impl_->kind; }

}  // namespace orgsim::kernel
