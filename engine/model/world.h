// World: the state of one replication (internal to the model).
//
// Owns the kernel Simulation, the named random streams, the tracer, the
// recorder and every built-in mechanism (mechanisms.h lists them and the
// order their hooks run in). Nothing is global, so any number of Worlds can
// run on different threads.
//
// Narrow state (enforced by the compiler): the mechanisms are private
// members; everyone else sees them through const references with the same
// names (`w.market`, `w.backlog`, ...), so a mechanism can read another but
// can call only its const methods. A mechanism changes its own state (its
// `this`) and affects another only by a typed message (messages.h):
// `w_.messages.Deliver(*this, w_.sales, LeadArrived{id})` at once, or
// `w_.messages.Send(..., delay)` later. The receiver declares the message
// type in its header and acts on it in Receive. One standing exception,
// given explicitly in World's constructor: Delivery works the Backlog (it
// picks, starts, progresses and finishes items) through a `Backlog&`.
// The shared infrastructure (sim, messages, rng, trace, series, head
// counts) stays mutable for every mechanism.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/kernel/rng.h"
#include "engine/kernel/simulation.h"
#include "engine/model/arrivals.h"
#include "engine/model/awareness.h"
#include "engine/model/beliefs.h"
#include "engine/model/capital_allocation.h"
#include "engine/model/coordination.h"
#include "engine/model/delivery.h"
#include "engine/model/exceptions.h"
#include "engine/model/funnel.h"
#include "engine/model/influence.h"
#include "engine/model/intray.h"
#include "engine/model/lever_schedule.h"
#include "engine/model/market.h"
#include "engine/model/mechanisms.h"
#include "engine/model/messages.h"
#include "engine/model/metrics.h"
#include "engine/model/overhead.h"
#include "engine/model/pnl.h"
#include "engine/model/predictability.h"
#include "engine/model/prepared.h"
#include "engine/model/priority_churn.h"
#include "engine/model/product.h"
#include "engine/model/retention.h"
#include "engine/model/run.h"
#include "engine/model/sales.h"
#include "engine/model/structure.h"
#include "engine/model/unit_economics.h"
#include "engine/model/work.h"
#include "engine/model/workforce.h"

namespace orgsim::model {

// Every random stream of a replication, named so that market-side draws
// never depend on the organization (common random numbers) and org-side
// draws are separated by purpose and team.
struct Streams {
  Streams(const kernel::StreamKey& key, const PreparedModelImpl& prep);

  // Market side: "market/<purpose>/<segment>" or "market/<purpose>".
  std::vector<kernel::RandomStream> leads;     // lead arrival masses
  std::vector<kernel::RandomStream> accounts;  // prospect attributes
  std::vector<kernel::RandomStream> drift;     // need drift
  std::vector<kernel::RandomStream> needs;     // initial needs
  std::vector<kernel::RandomStream> signals;   // problem-signal counts
  kernel::RandomStream work_arrivals;          // exogenous work
  kernel::RandomStream work_effort;
  // Org side: "org/<purpose>" and "org/<purpose>/<team>".
  kernel::RandomStream ideas;
  kernel::RandomStream discovery;
  kernel::RandomStream decisions;
  kernel::RandomStream launches;
  kernel::RandomStream measures;
  kernel::RandomStream routing;
  kernel::RandomStream hiring;
  kernel::RandomStream commitments;
  kernel::RandomStream batching;
  kernel::RandomStream intray;                    // handling times, attention-rule mixing
  kernel::RandomStream exceptions;                // counts, authority needed, guesses
  kernel::RandomStream priority_churn;            // protection of off-plan started work
  kernel::RandomStream beliefs;                   // functions' customer observations
  kernel::RandomStream influence;                 // objections to planned items
  kernel::RandomStream workforce;                 // attrition thresholds, errors, escapes
  std::vector<kernel::RandomStream> pull;         // per roster team
  std::vector<kernel::RandomStream> rework;       // per roster team
  std::vector<kernel::RandomStream> integration;  // per roster team

  // Mixes every stream's draw count into the fingerprint, in a fixed order.
  void MixInto(kernel::Simulation& sim) const;
  // Total draws of the market-side streams (CRN tests).
  std::uint64_t MarketDraws() const;
};

// Formats trace lines only when a sink is attached; never draws or
// schedules.
class Tracer {
 public:
  Tracer(const TraceSink* sink, const Roster& roster) : sink_(sink), roster_(roster) {}
  bool on() const { return sink_ != nullptr && *sink_; }
  void Emit(kernel::SimTime time, int agent, std::string_view kind, double v1, double v2,
            std::string text) const;

 private:
  const TraceSink* sink_;
  const Roster& roster_;
};

struct World {
  World(const PreparedModelImpl& prepared, const kernel::StreamKey& key, const RunOptions& options);

  const PreparedModelImpl& prep;
  // The levers in force: prep.config with the lever schedule's due changes
  // (lever_schedule.h); what every component reads, through cfg.
  ModelConfig live_config;
  LeverScheduleCursor schedule;
  const ModelConfig& cfg;
  const Roster& roster;
  const RunOptions& options;
  kernel::Simulation sim;
  Messages messages{sim};  // between the mechanisms (messages.h)
  Streams rng;
  Tracer trace;
  // Hours spent in ceremonies, process and planning by PMs and engineers
  // alike (ceremony_hours); both add to it in the order they book them.
  double ceremony_hours = 0.0;

 private:
  // The built-in mechanisms themselves. Each has mutable access to its own
  // state only (its `this`); the module list (mechanisms.cc, a friend)
  // binds each to itself for the run, and Delivery is handed the Backlog it
  // works (see Narrow state above). Declared before the views below, which
  // refer to them.
  Market market_;
  Sales sales_;
  Backlog backlog_;
  Delivery delivery_;
  Product product_;
  Books books_;
  Arrivals arrivals_;
  Structure structure_;
  InTray intray_;
  Retention retention_;
  Funnel funnel_;
  Predictability predictability_;
  UnitEconomics unit_economics_;
  Exceptions exceptions_;
  PriorityChurn priority_churn_;
  Awareness awareness_;
  CapitalAllocation capital_allocation_;
  Overhead overhead_;
  Beliefs beliefs_;
  Influence influence_;
  Coordination coordination_;
  Workforce workforce_;
  friend std::span<const MechanismModule> BuiltInMechanisms();

 public:
  // Read-only views of every mechanism: what any other mechanism, the run
  // and the metrics read (`const Market& market = w.market;`). Changing
  // another mechanism's state goes by message (messages.h).
  const Market& market = market_;
  const Sales& sales = sales_;
  const Backlog& backlog = backlog_;
  const Delivery& delivery = delivery_;
  const Product& product = product_;
  const Books& books = books_;
  const Arrivals& arrivals = arrivals_;
  const Structure& structure = structure_;
  const InTray& intray = intray_;
  const Retention& retention = retention_;
  const Funnel& funnel = funnel_;
  const Predictability& predictability = predictability_;
  const UnitEconomics& unit_economics = unit_economics_;
  const Exceptions& exceptions = exceptions_;
  const PriorityChurn& priority_churn = priority_churn_;
  const Awareness& awareness = awareness_;
  const CapitalAllocation& capital_allocation = capital_allocation_;
  const Overhead& overhead = overhead_;
  const Beliefs& beliefs = beliefs_;
  const Influence& influence = influence_;
  const Coordination& coordination = coordination_;
  const Workforce& workforce = workforce_;
  // Mechanisms that are not built in (RunReplicationWith), owned here.
  std::vector<std::unique_ptr<Mechanism>> extensions;
  // Every mechanism of the run in list order (set by the run).
  std::vector<Mechanism*> mechanisms;
  std::vector<char> agent_active;             // by agent id
  std::vector<std::vector<int>> role_agents;  // by Role: every agent id
  std::vector<int> role_active;               // by Role: active count
  std::vector<int> team_active;               // by roster team: active count
  std::vector<TimePoint> series;
  kernel::SimTime horizon = 0;
  kernel::SimTime warmup = 0;

  double NowDays() const { return kernel::ToDays(sim.Now()); }
  int ActiveInTeam(int team) const { return team_active[team]; }
  int ActiveWithRole(Role role) const { return role_active[static_cast<int>(role)]; }
  const std::vector<int>& RoleAgents(Role role) const {
    return role_agents[static_cast<int>(role)];
  }
  // Marks a planned hire active and tells every mechanism
  // (Mechanism::OnAgentJoined).
  void ActivateAgent(int agent);
};

}  // namespace orgsim::model
