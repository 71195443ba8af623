// A toy mechanism plugged into a replication through the Mechanism interface
// alone (mechanism.h, messages.h, mechanisms.h: RunReplicationWith): it
// registers a kernel handler, acts at every weekly boundary, sends itself a
// typed message that arrives a day later, and reports one new metric. The
// whole mechanism is this file; nothing in engine/model names it. The tests
// check that the hooks run when the interface says and that plugging it in
// leaves every built-in result except the event count unchanged.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/mechanisms.h"
#include "engine/model/messages.h"
#include "engine/model/presets.h"
#include "engine/model/world.h"

namespace orgsim::model {
namespace {

// What the toy sends itself every week: the week's number.
struct WeekNote {
  static constexpr std::string_view kEventKind = "toy/week_note";
  int week = 0;
};

class Toy : public Mechanism {
 public:
  explicit Toy(World& world) : w_(world) {}

  void RegisterHandlers(kernel::Simulation& sim) override {
    w_.messages.Declare<WeekNote>();
    audit_ = sim.RegisterHandler("toy/audit", [this](kernel::EventPayload) { ++audits_; });
  }
  void Init() override { w_.sim.Schedule(kernel::Days(1), audit_); }
  void OnPhase(const PhaseTick& tick) override {
    if (tick.phase != Phase::kWeek) return;
    // Market state is readable (const) from any phase.
    ASSERT_GE(w_.market.MarketFit(), 0.0);
    last_header_ = w_.messages.Send(*this, *this, WeekNote{weeks_++}, kernel::Days(1));
  }
  void Receive(const Message& message) override {
    const WeekNote* note = message.As<WeekNote>();
    ASSERT_NE(note, nullptr);
    EXPECT_EQ(note->week, received_);  // arrives in sending order
    EXPECT_EQ(message.header().arrival, w_.sim.Now());
    EXPECT_EQ(message.header().arrival - message.header().sent, kernel::Days(1));
    ++received_;
  }

  static std::vector<MetricDef> Metrics() {
    return {DefineMetric<Toy>(
        {"toy_notes_received", "messages", "Week notes the toy received", Better::kNeither,
         "Notes the toy received"},
        [](const Toy& toy, const World&) { return static_cast<double>(toy.received_); })};
  }

  int weeks() const { return weeks_; }
  int audits() const { return audits_; }
  const MessageHeader& last_header() const { return last_header_; }

 private:
  World& w_;
  kernel::HandlerId audit_ = 0;
  int weeks_ = 0;
  int received_ = 0;
  int audits_ = 0;
  MessageHeader last_header_;
};

kernel::StreamKey Key() { return {.seed = 5, .design_point = 0, .replication = 1}; }

ModelConfig ShortHeadline() {
  ModelConfig c = HeadlineCompany();
  c.horizon_days = 120;  // weekly boundaries at 0, 7, ..., 119: 18 of them
  c.warmup_days = 30;
  return c;
}

TEST(ToyMechanism, ReportsItsMetricAfterTheCatalog) {
  const PreparedModel model(ShortHeadline());
  const std::vector<MechanismModule> extra = {OwnedModule<Toy>("toy", Toy::Metrics())};
  const RunOutcome out = RunReplicationWith(model, Key(), {}, extra);
  ASSERT_EQ(out.metrics.size(), MetricCatalog().size() + 1);
  EXPECT_EQ(ExtraMetricIndex(extra, "toy_notes_received"), MetricCatalog().size());
  // 18 notes sent (days 0 ... 119), each arriving a day later (1 ... 120 <= horizon).
  EXPECT_EQ(out.metrics[MetricCatalog().size()], 18.0);
}

TEST(ToyMechanism, LeavesEveryBuiltInResultButTheEventCountAlone) {
  const PreparedModel model(ShortHeadline());
  const std::vector<MechanismModule> extra = {OwnedModule<Toy>("toy", Toy::Metrics())};
  const RunOutcome plain = RunReplication(model, Key());
  const RunOutcome with_toy = RunReplicationWith(model, Key(), {}, extra);
  for (std::size_t i = 0; i < MetricCatalog().size(); ++i) {
    const std::string_view name = MetricCatalog()[i].name;
    if (name == "events") continue;
    EXPECT_EQ(plain.metrics[i], with_toy.metrics[i]) << name;
  }
  // 18 notes and one audit.
  EXPECT_EQ(with_toy.Metric("events"), plain.Metric("events") + 19);
  EXPECT_NE(with_toy.fingerprint, plain.fingerprint);  // new event kinds ran
}

// The toy's header as seen from inside a run: sender and receiver are the
// toy itself, listed after the built-in modules.
class HeaderProbe : public Toy {
 public:
  explicit HeaderProbe(World& world) : Toy(world) {}
  void Finish(kernel::SimTime end) override {
    const int self = static_cast<int>(BuiltInMechanisms().size());
    EXPECT_EQ(last_header().sender, self);
    EXPECT_EQ(last_header().receiver, self);
    EXPECT_EQ(last_header().type, WeekNote::kEventKind);
    EXPECT_EQ(last_header().sequence, static_cast<std::uint32_t>(weeks() - 1));
    EXPECT_EQ(last_header().sent, kernel::Days(7 * (weeks() - 1)));
    EXPECT_LE(last_header().arrival, end);
    EXPECT_EQ(audits(), 1);
    finished = true;
  }
  static inline bool finished = false;
};

TEST(ToyMechanism, MessageHeaderNamesSenderReceiverAndTimes) {
  const PreparedModel model(ShortHeadline());
  HeaderProbe::finished = false;
  const std::vector<MechanismModule> extra = {OwnedModule<HeaderProbe>("probe", {})};
  (void)RunReplicationWith(model, Key(), {}, extra);
  EXPECT_TRUE(HeaderProbe::finished);
}

TEST(ToyMechanism, DuplicateMetricNameIsRefused) {
  const PreparedModel model(ShortHeadline());
  std::vector<MetricDef> clash = Toy::Metrics();
  clash[0].info.name = "revenue_total";
  const std::vector<MechanismModule> extra = {OwnedModule<Toy>("toy", clash)};
  EXPECT_THROW((void)RunReplicationWith(model, Key(), {}, extra), kernel::InvariantError);
}

// Two loggers show the hook contract: every hook runs on every mechanism in
// list order, phases come at their documented boundaries, and Finish runs
// once at the horizon after the last event.
std::vector<std::string>* hook_log = nullptr;

template <int kId>
class Logger : public Mechanism {
 public:
  explicit Logger(World& world) : w_(world) {}
  void RegisterHandlers(kernel::Simulation&) override { Log("register"); }
  void Init() override { Log("init"); }
  void OnPhase(const PhaseTick& tick) override {
    const double day = kernel::ToDays(w_.sim.Now());
    switch (tick.phase) {
      case Phase::kWeek:
        if (day < 15) Log("week@" + std::to_string(static_cast<int>(day)));
        break;
      case Phase::kMonthEnd:
        if (tick.index <= 2) Log("month" + std::to_string(tick.index));
        break;
      default:
        break;
    }
  }
  void Finish(kernel::SimTime end) override {
    EXPECT_EQ(w_.sim.Now(), end);
    Log("finish");
  }

 private:
  void Log(const std::string& what) { hook_log->push_back(what + "/" + std::to_string(kId)); }
  World& w_;
};

TEST(ToyMechanism, HooksRunInListOrderAtTheirBoundaries) {
  std::vector<std::string> log;
  hook_log = &log;
  const PreparedModel model(ShortHeadline());
  const std::vector<MechanismModule> extra = {OwnedModule<Logger<1>>("first", {}),
                                              OwnedModule<Logger<2>>("second", {})};
  (void)RunReplicationWith(model, Key(), {}, extra);
  hook_log = nullptr;
  // Every mechanism registers its handlers before any Init runs.
  std::vector<std::string> registered(log.begin(), log.begin() + 2);
  EXPECT_EQ(registered, (std::vector<std::string>{"register/1", "register/2"}));
  std::vector<std::string> rest(log.begin() + 2, log.end());
  std::vector<std::string> expected_rest = {
      "init/1",    "init/2",   "week@0/1", "week@0/2", "week@7/1", "week@7/2", "week@14/1",
      "week@14/2", "month1/1", "month1/2", "month2/1", "month2/2", "finish/1", "finish/2"};
  EXPECT_EQ(rest, expected_rest);
}

}  // namespace
}  // namespace orgsim::model
