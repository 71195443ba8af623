#include "engine/model/run.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "engine/kernel/check.h"
#include "engine/model/config_rules.h"
#include "engine/model/mechanisms.h"
#include "engine/model/metric_registry.h"
#include "engine/model/phase.h"
#include "engine/model/prepared.h"
#include "engine/model/world.h"

namespace orgsim::model {

StatusOr<PreparedModel> PreparedModel::Create(const ModelConfig& config) {
  ORGSIM_RETURN_IF_ERROR(CheckConfig(config));
  try {
    return PreparedModel(config);
  } catch (const kernel::InvariantError& e) {  // the graph builder's checks
    return InvalidArgumentError(std::string("cannot build the model: ") + e.what());
  }
}

PreparedModel::PreparedModel(const ModelConfig& config)
    : impl_(std::make_unique<PreparedModelImpl>(config)) {}
PreparedModel::~PreparedModel() = default;
PreparedModel::PreparedModel(PreparedModel&&) noexcept = default;
PreparedModel& PreparedModel::operator=(PreparedModel&&) noexcept = default;
const ModelConfig& PreparedModel::config() const { return impl_->config; }

namespace {

// The recurring phase boundaries (phase.h): one kernel event kind each,
// which calls every mechanism's OnPhase in list order and schedules the
// next boundary. Weeks and plans start at 0, sprints at the end of the
// first sprint, months at the first month end (payload: the month, 1-based).
class PhaseClock {
 public:
  PhaseClock(World& world, std::span<Mechanism* const> mechanisms)
      : w_(world), mechanisms_(mechanisms) {}

  void RegisterHandlers() {
    kernel::Simulation& sim = w_.sim;
    const OperatingModelConfig& op = w_.cfg.organization.operating;
    weekly_ = sim.RegisterHandler("model/weekly", [this](kernel::EventPayload) {
      Boundary({Phase::kWeek}, weekly_, kernel::Days(7));
    });
    sprint_ = sim.RegisterHandler("model/sprint", [this, &op](kernel::EventPayload) {
      Boundary({Phase::kSprint}, sprint_, kernel::Days(op.sprint_length_days));
    });
    planning_ = sim.RegisterHandler("model/planning", [this, &op](kernel::EventPayload) {
      ApplyDueLeverChanges(w_);  // lever_schedule.h: due changes before the plan
      Boundary({Phase::kPlanning}, planning_, kernel::Days(op.planning_interval_days));
    });
    month_ = sim.RegisterHandler("model/month", [this](kernel::EventPayload month) {
      const int index = static_cast<int>(month);
      Dispatch({Phase::kMonthEnd, index});
      const kernel::SimTime next = static_cast<kernel::SimTime>(index + 1) * kernel::kTicksPerMonth;
      if (next <= w_.horizon) {
        w_.sim.ScheduleAt(next, month_, static_cast<kernel::EventPayload>(index + 1),
                          Priority(Phase::kMonthEnd));
      }
    });
  }

  // Schedules the first boundary of every phase.
  void Start() {
    const OperatingModelConfig& op = w_.cfg.organization.operating;
    if (kernel::kTicksPerMonth <= w_.horizon) {
      w_.sim.ScheduleAt(kernel::kTicksPerMonth, month_, 1, Priority(Phase::kMonthEnd));
    }
    w_.sim.ScheduleAt(0, weekly_, 0, Priority(Phase::kWeek));
    w_.sim.ScheduleAt(0, planning_, 0, Priority(Phase::kPlanning));
    if (kernel::Days(op.sprint_length_days) <= w_.horizon) {
      w_.sim.ScheduleAt(kernel::Days(op.sprint_length_days), sprint_, 0, Priority(Phase::kSprint));
    }
  }

 private:
  void Dispatch(const PhaseTick& tick) {
    for (Mechanism* m : mechanisms_) m->OnPhase(tick);
  }
  void Boundary(const PhaseTick& tick, kernel::HandlerId self, kernel::SimTime period) {
    Dispatch(tick);
    const kernel::SimTime next = w_.sim.Now() + period;
    if (next <= w_.horizon) w_.sim.ScheduleAt(next, self, 0, Priority(tick.phase));
  }

  World& w_;
  std::span<Mechanism* const> mechanisms_;
  kernel::HandlerId weekly_ = 0, sprint_ = 0, planning_ = 0, month_ = 0;
};

// The metric layout of the built-ins plus `extra` (built per call only when
// there are extra modules).
MetricLayout LayOut(std::span<const MechanismModule* const> modules) {
  std::vector<const std::vector<MetricDef>*> defs;
  for (const MechanismModule* module : modules) defs.push_back(&module->metrics);
  return LayOutMetrics(defs, /*require_catalog=*/true);
}

std::vector<const MechanismModule*> ModuleList(std::span<const MechanismModule> extra) {
  std::vector<const MechanismModule*> modules;
  for (const MechanismModule& module : BuiltInMechanisms()) modules.push_back(&module);
  for (const MechanismModule& module : extra) modules.push_back(&module);
  return modules;
}

}  // namespace

RunOutcome RunReplicationWith(const PreparedModel& model, const kernel::StreamKey& replication_key,
                              const RunOptions& options, std::span<const MechanismModule> extra) {
  World w(model.impl(), replication_key, options);
  const std::vector<const MechanismModule*> modules = ModuleList(extra);
  std::vector<Mechanism*> mechanisms;
  for (const MechanismModule* module : modules) mechanisms.push_back(&module->attach(w));
  w.mechanisms = mechanisms;
  w.messages.Attach(mechanisms);
  PhaseClock clock(w, mechanisms);
  for (Mechanism* m : mechanisms) m->RegisterHandlers(w.sim);
  clock.RegisterHandlers();
  for (Mechanism* m : mechanisms) m->Init();
  clock.Start();
  w.sim.SetStopFlag(options.cancel);
  w.sim.RunUntil(w.horizon);

  RunOutcome out;
  if (w.sim.stopped_by_flag()) {
    out.cancelled = true;
    out.events = w.sim.events_processed();
    return out;
  }
  for (Mechanism* m : mechanisms) m->Finish(w.horizon);
  static const MetricLayout built_in = LayOut(ModuleList({}));
  const MetricLayout layout = extra.empty() ? MetricLayout{} : LayOut(modules);
  const MetricLayout& used = extra.empty() ? built_in : layout;
  out.metrics.assign(used.catalog.size(), 0.0);
  for (const MetricSlot& slot : used.slots) {
    out.metrics[slot.index] = slot.def->compute(*mechanisms[slot.module], w);
  }
  out.events = w.sim.events_processed();
  w.rng.MixInto(w.sim);
  out.fingerprint = w.sim.fingerprint();
  out.series = std::move(w.series);
  if (options.record_stream_draws) {
    out.market_draws = w.rng.MarketDraws();
    for (const Account& a : w.market.accounts()) out.account_revenue_sum += a.accrued;
  }
  return out;
}

std::size_t ExtraMetricIndex(std::span<const MechanismModule> extra, std::string_view name) {
  const MetricLayout layout = LayOut(ModuleList(extra));
  for (std::size_t i = 0; i < layout.catalog.size(); ++i) {
    if (layout.catalog[i].name == name) return i;
  }
  ORGSIM_CHECK(false, "unknown metric '" << name << "'");
  return 0;
}

RunOutcome RunReplication(const PreparedModel& model, const kernel::StreamKey& replication_key,
                          const RunOptions& options) {
  return RunReplicationWith(model, replication_key, options, {});
}

RunOutcome RunReplication(const ModelConfig& config, const kernel::StreamKey& replication_key,
                          const RunOptions& options) {
  const PreparedModel model(config);
  return RunReplication(model, replication_key, options);
}

}  // namespace orgsim::model
