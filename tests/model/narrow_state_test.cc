// Narrow state (world.h): a mechanism sees the others only through const
// views, so the compiler rejects a write into another mechanism's state;
// effects travel as typed messages the receiver handles when they arrive
// (messages.h). The static_asserts are the proof that a module cannot
// mutate another; the runs check that a message delayed by Send changes
// the receiver only from its arrival on, and that Deliver acts at once.
#include <gtest/gtest.h>

#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/model/mechanisms.h"
#include "engine/model/messages.h"
#include "engine/model/presets.h"
#include "engine/model/world.h"

namespace orgsim::model {
namespace {

// What a module sees of the others: const references, under the names of
// the mechanisms.
static_assert(std::is_same_v<decltype(std::declval<World&>().market), const Market&>);
static_assert(std::is_same_v<decltype(std::declval<World&>().sales), const Sales&>);
static_assert(std::is_same_v<decltype(std::declval<World&>().backlog), const Backlog&>);
static_assert(std::is_same_v<decltype(std::declval<World&>().delivery), const Delivery&>);
static_assert(std::is_same_v<decltype(std::declval<World&>().product), const Product&>);
static_assert(std::is_same_v<decltype(std::declval<World&>().books), const Books&>);
static_assert(std::is_same_v<decltype(std::declval<World&>().arrivals), const Arrivals&>);
static_assert(std::is_same_v<decltype(std::declval<World&>().structure), const Structure&>);
static_assert(std::is_same_v<decltype(std::declval<World&>().intray), const InTray&>);
static_assert(std::is_same_v<decltype(std::declval<World&>().retention), const Retention&>);
static_assert(std::is_same_v<decltype(std::declval<World&>().funnel), const Funnel&>);
static_assert(
    std::is_same_v<decltype(std::declval<World&>().predictability), const Predictability&>);
static_assert(
    std::is_same_v<decltype(std::declval<World&>().unit_economics), const UnitEconomics&>);
static_assert(std::is_same_v<decltype(std::declval<World&>().exceptions), const Exceptions&>);
static_assert(
    std::is_same_v<decltype(std::declval<World&>().priority_churn), const PriorityChurn&>);
static_assert(std::is_same_v<decltype(std::declval<World&>().awareness), const Awareness&>);
static_assert(
    std::is_same_v<decltype(std::declval<World&>().capital_allocation), const CapitalAllocation&>);
static_assert(std::is_same_v<decltype(std::declval<World&>().overhead), const Overhead&>);
static_assert(std::is_same_v<decltype(std::declval<World&>().beliefs), const Beliefs&>);
static_assert(std::is_same_v<decltype(std::declval<World&>().influence), const Influence&>);
static_assert(std::is_same_v<decltype(std::declval<World&>().coordination), const Coordination&>);
static_assert(std::is_same_v<decltype(std::declval<World&>().workforce), const Workforce&>);

// A mutable World still hands out no way to change another mechanism: its
// non-const operations do not compile through the views.
template <typename W>
concept CanHandSalesALead = requires(W& w) {
  w.sales.OnLead(0);
};
template <typename W>
concept CanFileIntoTheBacklog = requires(W& w, WorkItem item) {
  w.backlog.Add(item);
};
template <typename W>
concept CanShipIntoTheMarket = requires(W& w) {
  w.market.ApplyRelease(0, 0.1, false);
};
template <typename W>
concept CanPullWork = requires(W& w) {
  w.delivery.PullAll();
};
// The calls the mechanisms merged in session 6 made into other modules,
// now messages (DropWorkItem, DateDue, PerceptionPull, LeadQualified, ...).
template <typename W>
concept CanDropFromTheBacklog = requires(W& w) {
  w.backlog.Drop(0);
};
template <typename W>
concept CanRequeueIntoTheBacklog = requires(W& w) {
  w.backlog.Requeue(0);
};
template <typename W>
concept CanSettleAnException = requires(W& w) {
  w.exceptions.Settle(0);
};
template <typename W>
concept CanAddDeliveryDebt = requires(W& w) {
  w.delivery.AddDebt(1.0);
};
template <typename W>
concept CanRepriceAnAccount = requires(W& w) {
  w.market.SetAccountPrice(0, 1.0);
};
static_assert(!CanDropFromTheBacklog<World>);
static_assert(!CanRequeueIntoTheBacklog<World>);
static_assert(!CanSettleAnException<World>);
static_assert(!CanAddDeliveryDebt<World>);
static_assert(!CanRepriceAnAccount<World>);
// ... and their decisions are const reads.
template <typename W>
concept CanReadTheFunnelsStages = requires(const W& w) {
  w.funnel.Qualifies(0);
  w.funnel.BecomesOpportunity(0);
  w.funnel.DaysToDecision(0);
  w.predictability.KeptRatio();
};
static_assert(CanReadTheFunnelsStages<World>);
static_assert(!CanHandSalesALead<World>);
static_assert(!CanFileIntoTheBacklog<World>);
static_assert(!CanShipIntoTheMarket<World>);
static_assert(!CanPullWork<World>);
// ... while reading does.
template <typename W>
concept CanReadTheMarket = requires(const W& w) {
  w.market.capability();
};
static_assert(CanReadTheMarket<World>);

kernel::StreamKey Key() { return {.seed = 11, .design_point = 0, .replication = 3}; }

ModelConfig Short(bool decisions) {
  ModelConfig c = HeadlineCompany();
  c.horizon_days = 63;
  c.warmup_days = 0;
  // Without decisions, sales stays aligned unless a message says otherwise.
  c.mechanisms.decisions = decisions;
  return c;
}

// Sends, at time 0, one message of type Body to the mechanism `to` picks,
// arriving after `delay`; records at every weekly boundary what `read`
// sees.
template <typename Body>
class Sender : public Mechanism {
 public:
  Sender(World& world, const Mechanism& (*to)(const World&), Body body, kernel::SimTime delay,
         double (*read)(const World&), bool send)
      : w_(world), to_(to), body_(body), delay_(delay), read_(read), send_(send) {}
  void RegisterHandlers(kernel::Simulation&) override { w_.messages.Declare<Body>(); }
  void Init() override {
    if (send_) w_.messages.Send(*this, to_(w_), body_, delay_);
  }
  void OnPhase(const PhaseTick& tick) override {
    if (tick.phase == Phase::kWeek) seen_.push_back(read_(w_));
  }
  static std::vector<double>& seen() { return seen_; }

 private:
  World& w_;
  const Mechanism& (*to_)(const World&);
  Body body_;
  kernel::SimTime delay_;
  double (*read_)(const World&);
  bool send_;
  static inline std::vector<double> seen_;
};

// Weekly readings of a run with a Sender (send or not).
template <typename Body>
std::vector<double> Readings(const ModelConfig& config, const Mechanism& (*to)(const World&),
                             Body body, kernel::SimTime delay, double (*read)(const World&),
                             bool send) {
  const PreparedModel model(config);
  const std::vector<MechanismModule> extra = {
      {"sender",
       [=](World& w) -> Mechanism& {
         return Adopt(w, std::make_unique<Sender<Body>>(w, to, body, delay, read, send));
       },
       {}}};
  Sender<Body>::seen().clear();
  const RunOutcome out = RunReplicationWith(model, Key(), {}, extra);
  EXPECT_FALSE(out.cancelled);
  return Sender<Body>::seen();
}

TEST(NarrowState, SalesFollowsAnAlignmentMessageOnlyOnceItArrives) {
  // Weekly boundaries at days 0, 7, 14, ...; the message arrives on day 10.
  const auto to_sales = [](const World& w) -> const Mechanism& { return w.sales; };
  const auto aligned = [](const World& w) { return w.sales.aligned() ? 1.0 : 0.0; };
  const std::vector<double> seen =
      Readings(Short(false), +to_sales, SalesAligned{false}, kernel::Days(10), +aligned, true);
  ASSERT_GE(seen.size(), 3u);
  EXPECT_EQ(seen[0], 1.0);  // day 0
  EXPECT_EQ(seen[1], 1.0);  // day 7: still on its way
  for (std::size_t week = 2; week < seen.size(); ++week) EXPECT_EQ(seen[week], 0.0) << week;
}

TEST(NarrowState, TheMarketShipsCapabilityOnlyWhenTheReleaseArrives) {
  const auto to_market = [](const World& w) -> const Mechanism& { return w.market; };
  const auto capability = [](const World& w) { return w.market.capability()[0]; };
  const CapabilityShipped release{0, 0.2, false};
  const std::vector<double> plain =
      Readings(Short(true), +to_market, release, kernel::Days(24), +capability, false);
  const std::vector<double> sent =
      Readings(Short(true), +to_market, release, kernel::Days(24), +capability, true);
  ASSERT_EQ(plain.size(), sent.size());
  ASSERT_GE(plain.size(), 5u);
  // Days 0, 7, 14, 21: identical; from day 28 the release has landed.
  for (std::size_t week = 0; week < 4; ++week) EXPECT_EQ(plain[week], sent[week]) << week;
  EXPECT_GT(sent[4], plain[4]);
}

// Deliver: the receiver handles the message inside the sender's call.
struct Nudge {
  static constexpr std::string_view kEventKind = "test/nudge";
  int value = 0;
};

class Nudged : public Mechanism {
 public:
  void Receive(const Message& message) override {
    const Nudge* nudge = message.As<Nudge>();
    ASSERT_NE(nudge, nullptr);
    total += nudge->value;
    last = message.header();
  }
  int total = 0;
  MessageHeader last;
};

TEST(NarrowState, DeliverActsAtOnceWithoutAnEvent) {
  kernel::Simulation sim;
  Messages messages(sim);
  Nudged a, b;
  const std::vector<Mechanism*> run = {&a, &b};
  messages.Attach(run);
  messages.Deliver(a, b, Nudge{5}, Route{2, 3});
  EXPECT_EQ(b.total, 5);
  EXPECT_EQ(a.total, 0);
  EXPECT_EQ(b.last.type, "test/nudge");
  EXPECT_EQ(b.last.sender, 0);
  EXPECT_EQ(b.last.receiver, 1);
  EXPECT_EQ(b.last.from_agent, 2);
  EXPECT_EQ(b.last.to_agent, 3);
  EXPECT_EQ(b.last.sent, b.last.arrival);
  EXPECT_EQ(sim.events_processed(), 0u);
  EXPECT_EQ(messages.SentCount<Nudge>(), 0u);  // not kept
}

}  // namespace
}  // namespace orgsim::model
