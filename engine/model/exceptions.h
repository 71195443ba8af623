// Exceptions: delivery work the rules do not cover goes up the hierarchy
// (mechanisms.exceptions; organization.exceptions).
//
// Galbraith (1974): an organization handles what its rules do not cover by
// referring it up the hierarchy, whose capacity to decide is limited; under
// load the exceptions wait. Virtual Design Team (Jin & Levitt 1996): an
// exception waits for its supervisor's attention, and one that is ignored
// lets the work go on with lower quality.
//
//   1. Raise. Delivery tells this module when an item starts (WorkStarted).
//      The start raises Poisson(λ) exceptions, with
//        λ = base_per_item + novelty_per_item × novelty
//            + understanding_gap_per_item × (1 − builders' understanding),
//      novelty = market.problem_novelty for items that target a customer
//      need (0 for debt, exogenous and unscoped work).
//   2. Authority. Each exception needs an authority level: 1 (a team lead
//      may decide), 2 with probability escalation_share, 3 with its square.
//      People's levels, by role and place: an engineer 0; a team's lead
//      (member 0) or a delivery layer 1; a PM 2; an executive 3.
//   3. Escalation. The exception goes up the chain engineer → the team's
//      lead → its delivery layers (innermost first) → the lead of each
//      parent team (reports_to), skipping people not yet hired, until the
//      first person whose level reaches the exception's; the top of the
//      chain decides what nobody below may. Each person on the way handles
//      it (handling_hours of attention): in their in-tray with
//      mechanisms.intray (InTray, kind "exception"), otherwise one at a
//      time first come first served with their attention hours
//      (organization.attention). Between people it travels the graph's
//      path latency. So its wait grows with every level and with every
//      decider's load.
//   4. Outcome. Decided before the item's work is done: no effect. Work
//      done but undecided: the item stalls (Delivery holds it, Blocks())
//      until the decision. Not decided within patience_days: the engineer
//      goes on with a guess, which is wrong with guess_defect_probability:
//      a defect (defects()). With mechanisms.workforce the defect is sent
//      to Workforce (WrongGuess) as an error of the raiser's team: found
//      later as rework or escaped to customers, like every other error.
//      The late decision still takes the decider's time.
//
// Draws from "org/exceptions" only. Trace kinds: exception_escalated (when
// decided: levels and days), exception_ignored (the engineer guessed).
// Metrics: exceptions_per_item, exception_wait_days,
// exceptions_ignored_share, exception_defects.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/kernel/sim_time.h"
#include "engine/kernel/simulation.h"
#include "engine/model/mechanism.h"

namespace orgsim::model {

struct World;

// Message: Delivery started an item (with mechanisms.exceptions).
struct WorkStarted {
  static constexpr std::string_view kEventKind = "exceptions/work_started";
  int item = 0;
  int engineer = -1;  // agent id
};

// Message: an exception travels to the next person up the chain (Route:
// from the last holder to this one); with in-trays it waits in that
// person's in-tray, which hands it back once handled.
struct ExceptionRaised {
  static constexpr std::string_view kEventKind = "exceptions/raised";
  int exception = 0;  // index into Exceptions' list
};

// Message to Delivery: item `item` has no undecided exception left; if it
// was held, it may go on.
struct ExceptionSettled {
  static constexpr std::string_view kEventKind = "exceptions/settled";
  int item = 0;
};

class Exceptions : public Mechanism {
 public:
  // Authority levels by role and place in the roster.
  enum Level : int { kEngineer = 0, kLead = 1, kPm = 2, kExecutive = 3 };

  explicit Exceptions(World& world);
  // With the switch on: declares its messages, registers
  // "exceptions/handled" (decider without in-tray) and
  // "exceptions/patience".
  void RegisterHandlers(kernel::Simulation& sim) override;
  // WorkStarted: raise; ExceptionRaised handed back by an in-tray: handled.
  void Receive(const Message& message) override;
  // exceptions_per_item, exception_wait_days, exceptions_ignored_share,
  // exception_defects.
  static std::vector<MetricDef> Metrics();

  bool on() const;
  // Whether item `item` waits for a decision (Delivery holds it when its
  // work is done).
  bool Blocks(int item) const {
    return item >= 0 && item < static_cast<int>(open_.size()) && open_[item] > 0;
  }
  // Defects produced by wrong guesses on ignored exceptions so far.
  std::int64_t defects() const { return defects_; }
  std::int64_t raised() const { return static_cast<std::int64_t>(list_.size()); }
  std::int64_t items_started() const { return starts_; }
  // The authority level of agent `agent` (Level).
  int AuthorityOf(int agent) const;
  // The escalation chain above engineer agent `agent`: the people it goes
  // through, nearest first (active people only).
  std::vector<int> ChainAbove(int agent) const;
  // Expected exceptions of an item with this novelty and understanding.
  double ExpectedExceptions(double novelty, double understanding) const;

 private:
  enum class Status : std::uint8_t { kOpen, kDecided, kIgnored };
  struct Exception {
    int item = 0;
    int raiser = -1;
    std::vector<int> chain;  // holders to the decider (the last)
    int step = 0;            // index in chain of the current holder
    int required = kLead;
    kernel::SimTime raised = 0;
    Status status = Status::kOpen;
  };

  void Raise(int item, int engineer);
  void SendTo(int index);  // to chain[step]
  void Handled(int index);
  void Decided(int index);
  void PatienceOver(int index);
  void Settle(int item);
  double HoursPerDay(int agent) const;

  World& w_;
  kernel::HandlerId handled_ = 0, patience_ = 0;
  std::vector<Exception> list_;
  std::vector<int> open_;              // by item: undecided, unignored exceptions
  std::vector<kernel::SimTime> free_;  // by agent: busy until (no in-trays)
  std::int64_t starts_ = 0, decided_ = 0, ignored_ = 0, defects_ = 0;
  double wait_days_sum_ = 0;  // raise to decision or guess, settled ones
  std::int64_t settled_ = 0;
};

}  // namespace orgsim::model
