// Mechanism: one module of the organization model (market, sales, backlog,
// delivery, product, books, ...), plugged into a replication through one
// interface.
//
// A replication (run.cc) holds an ordered list of mechanisms
// (mechanisms.h) and calls each hook on every mechanism in list order:
//
//   RegisterHandlers  once: register the mechanism's own kernel event kinds
//                     (lead arrivals, deal closes, completions, ...). The
//                     kind names feed the fingerprint: never rename one.
//   Init              once, at time 0, before any event runs: set up state,
//                     schedule the first own events. May read the state of
//                     mechanisms earlier in the list (they are initialised).
//   OnPhase           at every boundary of Phase (phase.h) the run keeps:
//                     kWeek (every 7 days from 0), kSprint (every sprint
//                     length, from the first sprint's end), kPlanning (every
//                     planning interval from 0) and kMonthEnd (every
//                     kTicksPerMonth; `PhaseTick::index` is the month, from
//                     1). One kernel event per boundary calls every
//                     mechanism in list order, so "the market drifts before
//                     delivery recomputes speeds" is the list's order.
//   Receive           a typed message another mechanism sent (messages.h)
//                     has arrived.
//   OnAgentJoined     a planned hire (roster agent id) became active; the
//                     World's head counts already include it.
//   Finish            once, at the horizon, after the last event: close
//                     accruals and time averages so metrics can be read.
//
// What a mechanism reports is declared next to the state it reads, once
// per metric: MetricDef{name, unit, description, better, compute}
// (DefineMetric below). MetricCatalog() (run.h) is built from those
// declarations; see metric_registry.h for how the order is kept stable.
//
//   class Ticker : public Mechanism {
//    public:
//     explicit Ticker(World& world) : w_(world) {}
//     void OnPhase(const PhaseTick& tick) override {
//       if (tick.phase == Phase::kWeek) ++weeks_;
//     }
//     static std::vector<MetricDef> Metrics() {
//       return {DefineMetric<Ticker>(
//           {"weeks", "weeks", "Weekly boundaries seen", Better::kNeither, "Weeks seen"},
//           [](const Ticker& t, const World&) { return double(t.weeks_); })};
//     }
//    private:
//     World& w_;
//     int weeks_ = 0;
//   };
//
// Ownership (enforced, world.h "Narrow state"): a mechanism owns its
// state. Others read it through the World's const views
// (`const Market& market = w_.market;`); effects on another function go as
// a typed message (messages.h: Deliver now, Send with a delay) that the
// receiver declares in its header and handles in Receive. Mechanisms live
// for one replication on one thread.
#pragma once

#include <functional>
#include <vector>

#include "engine/kernel/sim_time.h"
#include "engine/kernel/simulation.h"
#include "engine/model/phase.h"
#include "engine/model/run.h"

namespace orgsim::model {

struct World;
class Message;

// One boundary of a phase, as handed to Mechanism::OnPhase.
struct PhaseTick {
  Phase phase = Phase::kWeek;
  // kMonthEnd: the month that ends (1-based); 0 for the other phases.
  int index = 0;
};

class Mechanism {
 public:
  virtual ~Mechanism() = default;

  virtual void RegisterHandlers(kernel::Simulation& sim) { (void)sim; }
  virtual void Init() {}
  virtual void OnPhase(const PhaseTick& tick) { (void)tick; }
  virtual void Receive(const Message& message) { (void)message; }
  virtual void OnAgentJoined(int agent) { (void)agent; }
  virtual void Finish(kernel::SimTime end) { (void)end; }
};

// A metric and how to compute it at the end of a run from its owner (the
// mechanism that declares it) and, read-only, the rest of the run.
struct MetricDef {
  MetricInfo info;
  std::function<double(const Mechanism& owner, const World& world)> compute;
};

// Declares a metric computed from a mechanism of type M:
//   DefineMetric<Market>({"customers_end", "accounts", "...", Better::kHigher, "Customers at the
//   end"},
//                        [](const Market& m, const World&) { return m.active_accounts(); });
template <typename M>
MetricDef DefineMetric(MetricInfo info, double (*compute)(const M& owner, const World& world)) {
  return MetricDef{info, [compute](const Mechanism& owner, const World& world) {
                     return compute(static_cast<const M&>(owner), world);
                   }};
}

// a / b, or `otherwise` when b is 0 (rates and means of empty sets).
inline double SafeDiv(double a, double b, double otherwise = 0.0) {
  return b != 0 ? a / b : otherwise;
}

}  // namespace orgsim::model
