// The run API of the organization model: one replication in, metrics out.
//
// Used by experiments (many threads; one call per replication, no shared
// mutable state), validation, `orgsim trace`, and the web UI. Every call
// builds its own kernel::Simulation and its own random streams from
// `replication_key`, so results are a pure function of (config, key).
//
//   ModelConfig config = HeadlineCompany();          // presets.h
//   kernel::StreamKey key{.seed = 42, .design_point = 0, .replication = 7};
//   RunOutcome out = RunReplication(config, key, RunOptions{});
//   double profit = out.metrics[MetricIndex("profit_total")];
//
// Common random numbers: market and customer randomness comes from streams
// named "market/..." that do not depend on the organization; org-side draws
// come from "org/..." streams named after teams and purposes. Replication r
// of every arm therefore faces the same market, as far as the market does
// not react to what the org does.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/status.h"
#include "engine/kernel/rng.h"
#include "engine/kernel/sim_time.h"
#include "engine/model/config.h"

namespace orgsim::model {

// ---------------------------------------------------------------------------
// Metric catalog
// ---------------------------------------------------------------------------

// Which way a metric is good: reports colour effects and word findings by
// it. kNeither for counts and structure (ceremonies, hires, centrality) whose
// value is not good or bad in itself.
enum class Better { kHigher, kLower, kNeither };

// One entry of the catalog: results are vectors aligned to MetricCatalog().
struct MetricInfo {
  std::string_view name;
  std::string_view unit;
  std::string_view description;
  Better better = Better::kNeither;
  // Words for a room (the workshop page, a chart title): sentence case, at
  // most ~40 characters, no abbreviation a manager would have to look up
  // beyond the page's glossary (MRR, ARR, PMF). "" = show the name.
  std::string_view label;
};

// The metrics every run reports, in a fixed order (append only; never
// reorder: stored results rely on it). Each is declared once, with its
// computation, by the mechanism that owns it (metric_registry.h); see
// docs/model.md for definitions.
std::span<const MetricInfo> MetricCatalog();

// Index of `name` in MetricCatalog(). Throws InvariantError if unknown.
std::size_t MetricIndex(std::string_view name);

// ---------------------------------------------------------------------------
// Tracing
// ---------------------------------------------------------------------------

// One step of the story of a run (`orgsim trace`, the workshop UI). Tracing
// only reads state: it never draws a random number or schedules an event.
struct TraceEvent {
  kernel::SimTime time = 0;
  int agent = -1;               // agent id (graph vertex), -1 = none/market
  std::string_view agent_name;  // e.g. "pm/0", "sales/2", "market"
  std::string_view kind;        // e.g. "release", "deal_won", "decision"
  double value1 = 0.0;          // kind-specific key values (documented per
  double value2 = 0.0;          //   kind in docs/model.md)
  std::string text;             // short human-readable line
};

using TraceSink = std::function<void(const TraceEvent&)>;

struct RunOptions {
  // Record one TimePoint per month (after the books) in RunOutcome::series.
  bool record_timeseries = false;
  // Receives the story of the run; empty = no tracing.
  TraceSink trace;
  // Fill RunOutcome's diagnostic fields (market_draws, account_revenue_sum);
  // for tests of common random numbers and revenue accounting.
  bool record_stream_draws = false;
  // When set, the run stops soon after *cancel becomes true (the kernel
  // reads it between events) and returns with RunOutcome::cancelled.
  const std::atomic<bool>* cancel = nullptr;
};

// ---------------------------------------------------------------------------
// Outcome
// ---------------------------------------------------------------------------

// State at a month end.
struct TimePoint {
  double day = 0.0;
  double revenue = 0.0;  // this month
  double profit = 0.0;   // this month
  double cash = 0.0;
  double customers = 0.0;  // active accounts
  double mrr = 0.0;
  double fit = 0.0;  // market-weighted product fit (0–1)
  double wip = 0.0;  // items in delivery
  double headcount = 0.0;
  double alignment = 0.0;  // share of functions aligned with the plan
};

struct RunOutcome {
  std::vector<double> metrics;    // aligned to MetricCatalog()
  std::vector<TimePoint> series;  // empty unless record_timeseries
  // Simulation::fingerprint() mixed with every stream's draw count.
  std::uint64_t fingerprint = 0;
  std::uint64_t events = 0;
  // Stopped through RunOptions::cancel: metrics and series are empty.
  bool cancelled = false;
  // Diagnostics (only with RunOptions::record_stream_draws): words drawn
  // from all market-side streams, and the sum over accounts of price ×
  // active time (equals revenue_total).
  std::uint64_t market_draws = 0;
  double account_revenue_sum = 0.0;

  double Metric(std::string_view name) const { return metrics[MetricIndex(name)]; }
};

class PreparedModelImpl;

// A validated configuration with everything that does not change within a
// run computed once: the roster, the communication graph and its measures
// (paths, betweenness, components). Immutable and safe to share between
// threads; experiments prepare once per design point and run many
// replications on it.
class PreparedModel {
 public:
  // Checks `config` (CheckConfig, config_rules.h) and precomputes. For
  // configurations from user input: InvalidArgument with the field path
  // (e.g. "organization.pm.people_sense = 1.4 not in [0, 1]"), or when the
  // communication graph cannot be built (an unreadable GraphML file).
  static StatusOr<PreparedModel> Create(const ModelConfig& config);

  // As Create, for configurations built in code, where a bad one is a bug:
  // throws kernel::InvariantError instead of returning an error.
  explicit PreparedModel(const ModelConfig& config);
  ~PreparedModel();
  PreparedModel(PreparedModel&&) noexcept;
  PreparedModel& operator=(PreparedModel&&) noexcept;

  const ModelConfig& config() const;
  const PreparedModelImpl& impl() const { return *impl_; }

 private:
  std::unique_ptr<PreparedModelImpl> impl_;
};

// Runs one replication. `replication_key.stream` is ignored (streams are
// derived by name). Thread-safe: concurrent calls share nothing mutable.
RunOutcome RunReplication(const PreparedModel& model, const kernel::StreamKey& replication_key,
                          const RunOptions& options = {});

// Convenience: PreparedModel(config) then RunReplication. Prefer preparing
// once when running many replications of one configuration.
RunOutcome RunReplication(const ModelConfig& config, const kernel::StreamKey& replication_key,
                          const RunOptions& options = {});

}  // namespace orgsim::model
