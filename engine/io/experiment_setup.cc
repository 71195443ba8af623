#include "engine/io/experiment_setup.h"

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/kernel/rng.h"
#include "engine/model/run.h"

namespace orgsim::io {
namespace {

using experiment::Design;
using experiment::ParameterRange;
using experiment::RunKey;
using experiment::RunRecord;

// The model's monthly TimePoint fields, in the order of the timeseries
// columns.
const std::vector<std::string>& SeriesColumns() {
  static const std::vector<std::string> columns = {"day",       "revenue",  "profit", "cash",
                                                   "customers", "mrr",      "fit",    "wip",
                                                   "headcount", "alignment"};
  return columns;
}

void FlattenSeries(const std::vector<model::TimePoint>& series, std::vector<double>& out) {
  out.clear();
  out.reserve(series.size() * SeriesColumns().size());
  for (const model::TimePoint& t : series) {
    out.insert(out.end(), {t.day, t.revenue, t.profit, t.cash, t.customers, t.mrr, t.fit, t.wip,
                           t.headcount, t.alignment});
  }
}

// A failed preparation is remembered as its error, so every run of that
// (point, arm) fails fast with the same message.
struct PreparedEntry {
  std::shared_ptr<const model::PreparedModel> model;
  std::string error;
};

// What every run needs; shared by all threads, immutable except the cache.
class RunState {
 public:
  RunState(const LoadedScenario& scenario, std::vector<ArmVariant> arms, Design design,
           std::uint64_t seed, bool series, std::size_t cache_capacity)
      : scenario_(scenario),
        arms_(std::move(arms)),
        design_(std::move(design)),
        seed_(seed),
        series_(series),
        cache_capacity_(cache_capacity) {}

  void Run(const RunKey& key, RunRecord& record) {
    const std::shared_ptr<const PreparedEntry> entry = Prepared(key.point, key.arm);
    if (!entry->model) throw std::runtime_error(entry->error);
    const kernel::StreamKey stream_key{
        .seed = seed_,
        .design_point = experiment::StreamDesignPoint(design_.kind(), key.point),
        .replication = key.replication,
        .stream = 0};
    model::RunOptions options;
    options.record_timeseries = series_;
    model::RunOutcome out = model::RunReplication(*entry->model, stream_key, options);
    record.metrics = std::move(out.metrics);
    record.fingerprint = out.fingerprint;
    if (series_) FlattenSeries(out.series, record.series);
  }

 private:
  // Prepares `config`; a configuration the model rejects becomes the
  // entry's error (its runs fail with it), not an exception.
  static void Prepare(const model::ModelConfig& config, PreparedEntry& entry) {
    StatusOr<model::PreparedModel> prepared = model::PreparedModel::Create(config);
    if (!prepared.ok()) {
      entry.error = prepared.status().message();
      return;
    }
    entry.model = std::make_shared<const model::PreparedModel>(std::move(prepared).value());
  }

  std::shared_ptr<const PreparedEntry> Prepared(std::uint32_t point, std::uint32_t arm) {
    const std::pair<std::uint32_t, std::uint32_t> key{point, arm};
    {
      std::lock_guard<std::mutex> lock(mutex_);
      const auto it = cache_.find(key);
      if (it != cache_.end()) return it->second;
    }
    // Prepare outside the lock (two threads may both prepare the same entry;
    // the results are identical, so either copy serves).
    auto entry = std::make_shared<PreparedEntry>();
    try {
      const ArmVariant& variant = arms_[arm];
      if (design_.parameters().empty() && variant.overrides.empty()) {
        Prepare(scenario_.arms[variant.arm].config, *entry);
      } else {
        // The design's parameter names are field paths (sweep parameters or
        // explore uncertainties), applied over the arm's own settings.
        std::vector<std::pair<std::string, double>> overrides = variant.overrides;
        const std::span<const double> values =
            design_.parameters().empty() ? std::span<const double>() : design_.values(point);
        for (std::size_t p = 0; p < values.size(); ++p) {
          overrides.emplace_back(design_.parameters()[p].name, values[p]);
        }
        StatusOr<model::ModelConfig> config = ConfigFor(scenario_, variant.arm, overrides);
        if (!config.ok()) {
          entry->error = "design point " + std::to_string(point) + ": " + config.status().message();
        } else {
          Prepare(*config, *entry);
        }
      }
    } catch (const std::exception& e) {
      entry->model.reset();
      entry->error = e.what();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    const auto [it, inserted] = cache_.emplace(key, entry);
    if (inserted) {
      order_.push_back(key);
      if (cache_capacity_ > 0 && order_.size() > cache_capacity_) {
        cache_.erase(order_.front());
        order_.pop_front();
      }
    }
    return it->second;
  }

  const LoadedScenario scenario_;
  const std::vector<ArmVariant> arms_;
  const Design design_;
  const std::uint64_t seed_;
  const bool series_;
  const std::size_t cache_capacity_;
  std::mutex mutex_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::shared_ptr<const PreparedEntry>> cache_;
  std::deque<std::pair<std::uint32_t, std::uint32_t>> order_;
};

}  // namespace

std::vector<std::string> DefaultKeyMetrics() {
  return {"profit_total",
          "revenue_total",
          "customers_end",
          "survived",
          "time_to_pmf_days",
          "customer_value_delivered",
          "cycle_time_mean_days",
          "rework_fraction",
          "alignment"};
}

Design DesignFromSweep(const SweepSpec& sweep) {
  if (sweep.design == SweepDesign::kNone || sweep.params.empty()) return Design();
  std::vector<ParameterRange> params;
  for (const SweepParameter& p : sweep.params) {
    params.push_back({.name = p.path,
                      .low = p.low,
                      .high = p.high,
                      .integer = p.integer,
                      .log_scale = p.log_scale,
                      .values = p.grid});
  }
  switch (sweep.design) {
    case SweepDesign::kGrid:
      return experiment::GridDesign(std::move(params));
    case SweepDesign::kLatinHypercube:
      return experiment::LatinHypercubeDesign(std::move(params), sweep.count, sweep.seed);
    case SweepDesign::kSaltelli:
      return experiment::SaltelliDesign(std::move(params), sweep.count, sweep.seed,
                                        sweep.second_order
                                            ? experiment::SobolOrder::kSecondOrder
                                            : experiment::SobolOrder::kFirstAndTotal);
    case SweepDesign::kNone:
      break;
  }
  return Design();
}

Design ExploreDesignOf(const std::vector<Uncertainty>& uncertainties, std::uint32_t points,
                       std::uint64_t seed) {
  std::vector<ParameterRange> params;
  for (const Uncertainty& u : uncertainties) {
    params.push_back({.name = u.path,
                      .low = u.low,
                      .high = u.high,
                      .integer = u.integer,
                      .log_scale = u.distribution == UncertaintyDistribution::kLogUniform,
                      .triangular = u.distribution == UncertaintyDistribution::kTriangular,
                      .mode = u.mode,
                      .values = {}});
  }
  return experiment::ExploreDesign(std::move(params), points, seed);
}

experiment::WorkPlan ExperimentSetup::Plan(const experiment::ShardSpec& shard) const {
  return experiment::WorkPlan{.points = static_cast<std::uint32_t>(manifest.design.size()),
                              .arms = static_cast<std::uint32_t>(manifest.arms.size()),
                              .replications = manifest.replications,
                              .shard = shard};
}

StoreManifest ScenarioManifest(const LoadedScenario& scenario, const std::string& orgsim_version,
                               std::uint64_t seed, std::uint32_t replications) {
  StoreManifest m;
  m.scenario_name = scenario.name;
  // Self-contained: a file with a base is stored flattened.
  m.scenario_text = scenario.has_base ? scenario.flat_text : scenario.text;
  m.scenario_sha256 = scenario.sha256;
  m.orgsim_version = orgsim_version;
  m.seed = seed;
  m.replications = replications;
  for (const model::MetricInfo& info : model::MetricCatalog()) {
    m.metrics.push_back({std::string(info.name), std::string(info.unit)});
  }
  return m;
}

StatusOr<ExperimentSetup> SetUpExperiment(const LoadedScenario& scenario,
                                          const ExperimentSetupOptions& options) {
  ExperimentSetup setup;
  setup.manifest =
      ScenarioManifest(scenario, options.orgsim_version, options.seed.value_or(scenario.seed),
                       options.replications.value_or(scenario.replications));
  StoreManifest& m = setup.manifest;
  if (m.replications == 0) {
    return InvalidArgumentError("replications must be at least 1");
  }

  std::vector<ArmVariant> arms = options.arm_variants;
  m.baseline_arm = 0;
  if (arms.empty()) {
    std::vector<std::size_t> arm_indices = scenario.experiment.arms;
    if (arm_indices.empty()) {
      for (std::size_t i = 0; i < scenario.arms.size(); ++i) arm_indices.push_back(i);
    }
    for (std::size_t i = 0; i < arm_indices.size(); ++i) {
      arms.push_back(
          {.name = scenario.arms[arm_indices[i]].name, .arm = arm_indices[i], .overrides = {}});
      if (arm_indices[i] == scenario.experiment.baseline)
        m.baseline_arm = static_cast<std::uint32_t>(i);
    }
  }
  if (arms.empty()) return InvalidArgumentError("the scenario has no arms");
  for (const ArmVariant& variant : arms) {
    if (variant.arm >= scenario.arms.size()) {
      return InvalidArgumentError("arm variant '" + variant.name + "' names no declared arm");
    }
    m.arms.push_back(variant.name);
  }

  if (options.series == SeriesChoice::kMonthly) m.series = SeriesColumns();

  if (options.design == DesignChoice::kExplore) {
    if (scenario.uncertainties.empty()) {
      return orgsim::InvalidArgumentError(
          scenario.path +
          " declares no uncertainties (uncertainties { path: ... low: ... high: "
          "... }, usually in its base company)");
    }
    for (const Uncertainty& u : scenario.uncertainties) {
      for (const ArmVariant& variant : options.arm_variants) {
        for (const auto& [path, value] : variant.overrides) {
          if (path == u.path) {
            return orgsim::InvalidArgumentError("uncertainty '" + u.path +
                                                "' is a lever of this comparison (arm " +
                                                variant.name + "); explore would overwrite it");
          }
        }
      }
      if (u.set_by_arms.empty() || !options.arm_variants.empty()) continue;
      std::string arms;
      for (const std::string& a : u.set_by_arms) arms += (arms.empty() ? "" : ", ") + a;
      return orgsim::InvalidArgumentError(
          "uncertainty '" + u.path + "' is a lever of this comparison: arm " + arms +
          " sets it differently from the baseline " +
          scenario.arms[scenario.experiment.baseline].name +
          "; explore would overwrite it at every point. Declare the scenario's own "
          "`uncertainties` without it");
    }
    if (options.explore_points == 0) {
      return orgsim::InvalidArgumentError("explore needs at least one point");
    }
    m.design = ExploreDesignOf(scenario.uncertainties, options.explore_points, m.seed);
  }
  if (options.design == DesignChoice::kScenarioSweep) {
    if (scenario.experiment.sweep.design == SweepDesign::kNone) {
      return InvalidArgumentError(
          scenario.path + " declares no sweep (experiment.sweep); use `orgsim run` for its arms");
    }
    m.design = DesignFromSweep(scenario.experiment.sweep);
  }

  setup.key_metrics =
      scenario.experiment.metrics.empty() ? DefaultKeyMetrics() : scenario.experiment.metrics;
  for (const std::string& name : setup.key_metrics) {
    bool known = false;
    for (const auto& metric : m.metrics) known = known || metric.name == name;
    if (!known) {
      return InvalidArgumentError("metric '" + name + "' is not in the model's metric catalog");
    }
  }

  auto state =
      std::make_shared<RunState>(scenario, std::move(arms), m.design, m.seed,
                                 options.series == SeriesChoice::kMonthly, options.prepared_cache);
  setup.run = [state](const RunKey& key, RunRecord& record) { state->Run(key, record); };
  return setup;
}

}  // namespace orgsim::io
