// Simulation: one replication's clock and event calendar.
//
// A Simulation owns simulated time and the pending events of one replication.
// There are no globals: every replication builds its own Simulation, so many
// can run at once on different threads (one Simulation is not thread-safe).
//
// Events are small typed records — (time, priority, sequence, handler,
// payload) — dispatched to handlers registered once up front, so scheduling
// allocates nothing per event. Richer event data lives in the caller's own
// arrays, indexed by the 32-bit payload.
//
//   Simulation sim;
//   HandlerId arrive = sim.RegisterHandler("arrival", [&](EventPayload job) {
//     sim.Schedule(Hours(1), arrive, job + 1);
//   });
//   sim.Schedule(0, arrive, 0);
//   sim.RunUntil(Days(30));
//
// Event order (a total order, documented in docs/kernel.md): events run by
// increasing time; at equal time by increasing priority (lower first); at
// equal time and priority in the order they were scheduled (FIFO by a
// per-simulation insertion sequence). Order never depends on memory
// addresses, container iteration order or the thread that runs it.
//
// Causality checks are always on: scheduling in the past or with a negative
// delay, an unknown handler or a priority out of range throws InvariantError
// (check.h). Limits: 65536 event kinds, 2^40 events scheduled per Simulation.
//
// The event calendar is chosen by measurement (docs/kernel.md): a radix heap
// on time in front of a short sorted run (event_queue.h), whose cost per
// event hardly grows from thousands to millions of pending events.
#pragma once

#include <atomic>
#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/kernel/event_queue.h"
#include "engine/kernel/sim_time.h"

namespace orgsim::kernel {

// Identifies a registered handler (an event kind) within one Simulation.
using HandlerId = std::uint32_t;

// The per-event datum handed to the handler (an index into caller state).
using EventPayload = std::uint32_t;

// Names a scheduled event so it can be cancelled. Value 0 is never issued.
struct EventId {
  std::uint64_t value = 0;
  bool valid() const { return value != 0; }
  friend bool operator==(EventId, EventId) = default;
};

// Priorities order same-time events; lower runs first.
inline constexpr int kMinPriority = -128;
inline constexpr int kMaxPriority = 127;

// Handler for one event kind. Runs with Now() == the event's time.
using EventHandler = std::function<void(EventPayload payload)>;

// What the observer sees of each event as it runs (tracing; see SetObserver).
struct EventRecord {
  SimTime time;
  int priority;
  std::uint64_t sequence;
  HandlerId handler;
  EventPayload payload;
};

// Construction options. The defaults are what every model should use; the
// calendar is selectable only so benchmarks can reproduce the measurements
// that chose the default (all calendars give the same event sequence).
struct SimulationOptions {
  CalendarKind calendar = kDefaultCalendar;
};

class Simulation {
 public:
  Simulation();
  explicit Simulation(const SimulationOptions& options);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Registers an event kind. `kind_name` must be unique in this Simulation; it
  // feeds the fingerprint through a stable hash of the name, so fingerprints
  // do not depend on registration order. Ids are 0, 1, 2, ... in registration
  // order. May be called at any time, also from a handler.
  // REQUIRES: handler is not empty; fewer than 65536 kinds.
  HandlerId RegisterHandler(std::string_view kind_name, EventHandler handler);

  // The same for any other callable `handler(EventPayload)` (a lambda, say):
  // stored as is rather than in a std::function, so running an event costs a
  // single indirect call. Overload resolution picks this for lambdas.
  template <typename F>
  requires(std::invocable<F&, EventPayload> &&
           !std::is_same_v<std::remove_cvref_t<F>, EventHandler>) HandlerId
      RegisterHandler(std::string_view kind_name, F&& handler) {
    using Callable = std::remove_cvref_t<F>;
    OwnedContext context(new Callable(std::forward<F>(handler)),
                         [](void* c) { delete static_cast<Callable*>(c); });
    return RegisterThunk(
        kind_name, [](void* c, EventPayload payload) { (*static_cast<Callable*>(c))(payload); },
        std::move(context));
  }

  // Schedules `handler(payload)` at Now() + delay.
  // REQUIRES: delay >= 0; kMinPriority <= priority <= kMaxPriority.
  EventId Schedule(SimTime delay, HandlerId handler, EventPayload payload = 0, int priority = 0);

  // Schedules `handler(payload)` at absolute `time`.
  // REQUIRES: time >= Now().
  EventId ScheduleAt(SimTime time, HandlerId handler, EventPayload payload = 0, int priority = 0);

  // Cancels a pending event; it will not run. Returns false if the event has
  // already run (or is the one running now), was already cancelled, or was
  // never issued. O(1): the event is marked and skipped when it reaches the
  // front of the calendar (cancelled entries are purged in bulk once they
  // outnumber live ones). pending() excludes it at once.
  bool Cancel(EventId id);

  // Runs events in order while their time is <= `end` and Stop() has not been
  // called. Afterwards Now() == end unless stopped earlier (then Now() is the
  // time of the last event run). Events a handler schedules at <= `end` run
  // in the same call. If a handler throws, its event counts as run, the
  // exception propagates and the Simulation stays consistent.
  // REQUIRES: end >= Now(); not called from inside a handler.
  void RunUntil(SimTime end);

  // Makes RunUntil return after the event being processed. No effect outside
  // RunUntil (each RunUntil starts unstopped).
  void Stop();

  // Another thread may ask RunUntil to stop by setting `*flag`: it is read
  // (relaxed) every kStopFlagInterval events, so a cancelled replication
  // ends within a few thousand events. Reading it never changes the event
  // sequence. nullptr (the default) = no flag. `*flag` must outlive the runs.
  static constexpr std::uint64_t kStopFlagInterval = 4096;
  void SetStopFlag(const std::atomic<bool>* flag);

  // True when the last RunUntil returned because the stop flag was set.
  bool stopped_by_flag() const;

  // The current simulated time.
  SimTime Now() const { return now_; }

  // Events run so far (cancelled events are not counted).
  std::uint64_t events_processed() const { return events_processed_; }

  // Events scheduled and neither run nor cancelled.
  std::size_t pending() const;

  // A running hash of every event run: (time, priority, kind-name hash,
  // payload). Equal fingerprints mean equal event sequences (with
  // overwhelming probability); golden tests pin them.
  std::uint64_t fingerprint() const { return fingerprint_; }

  // Mixes a caller's value (e.g. a random draw count) into the fingerprint.
  void MixIntoFingerprint(std::uint64_t value);

  // Calls `observer` before each event runs (for tracing). Observing never
  // changes the event sequence. Pass nullptr to remove.
  // REQUIRES: the observer does not schedule or cancel events.
  void SetObserver(std::function<void(const EventRecord&)> observer);

  // The name a handler was registered with.
  const std::string& HandlerName(HandlerId handler) const;

  // The event calendar in use (SimulationOptions::calendar).
  CalendarKind calendar() const;

 private:
  // Handlers are stored type-erased as (thunk, context): one indirect call.
  using HandlerThunk = void (*)(void* context, EventPayload payload);
  using OwnedContext = std::unique_ptr<void, void (*)(void*)>;
  HandlerId RegisterThunk(std::string_view kind_name, HandlerThunk thunk, OwnedContext context);

  struct Impl;
  SimTime now_ = 0;
  std::uint64_t events_processed_ = 0;
  std::uint64_t fingerprint_;
  // Implementation details (calendar, handler table) are chosen by
  // measurement; see docs/kernel.md and bench/.
  Impl* impl_;
};

}  // namespace orgsim::kernel
