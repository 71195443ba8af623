// The summary of an experiment and its text rendering.
//
// Plain structs filled by the results store (engine/io/results_store.h,
// which streams stored rows through the builders of statistics.h), printed
// as a comparison table by FormatComparisonTable and as JSON by
// engine/io/results_json.h (orgsim.v1.RunSummary).
//
//   ExperimentReport report = store->Summarize({.metrics = key_metrics}).value();
//   std::cout << FormatComparisonTable(report, {.max_points = 10});
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/experiment/sensitivity.h"
#include "engine/experiment/statistics.h"

namespace orgsim::experiment {

// A metric as the store knows it.
struct MetricInfoRow {
  std::string name;
  std::string unit;
};

struct ArmReport {
  std::string arm;
  std::uint64_t ok_runs = 0;
  std::uint64_t failed_runs = 0;
  std::vector<Summary> metrics;  // aligned to ExperimentReport::metrics
};

// arm - baseline, per metric.
struct PairedReport {
  std::string arm;
  std::string baseline;
  std::vector<PairedComparison> metrics;  // aligned to ExperimentReport::metrics
};

struct PointReport {
  std::uint32_t point = 0;
  std::vector<double> parameter_values;  // aligned to ExperimentReport::parameters
  std::vector<ArmReport> arms;
  std::vector<PairedReport> paired;
};

// Sobol indices of one (arm, metric) over a Saltelli sweep, computed from the
// per-point means over replications.
struct SobolReport {
  std::string arm;
  std::string metric;
  SobolResult result;  // indices aligned to ExperimentReport::parameters
};

struct ExperimentReport {
  std::string scenario;
  std::string scenario_sha256;
  std::string orgsim_version;
  std::uint64_t seed = 0;
  std::uint32_t replications = 0;
  std::string design;  // "single", "grid", "lhs", "saltelli"
  std::string baseline;
  std::vector<std::string> arm_names;   // in arm order
  std::vector<MetricInfoRow> metrics;   // the summarized metrics
  std::vector<std::string> parameters;  // sweep parameter paths
  std::vector<PointReport> points;      // one per design point, in order
  std::vector<SobolReport> sobol;       // Saltelli sweeps only
  std::uint64_t runs = 0;               // rows in the store
  std::uint64_t failed_runs = 0;
  std::uint64_t expected_runs = 0;  // points x arms x replications
};

struct TableOptions {
  std::size_t max_points = 20;  // sweeps: print at most this many points
  bool show_paired = true;
};

// The comparison table: per arm mean, 95% CI and median of each metric;
// paired differences vs the baseline with CI, d_z, P(A>B), p-values, and the
// CRN variance reduction; for sweeps the effect of each lever over its
// range (lever_effects.h); Sobol indices for Saltelli sweeps.
std::string FormatComparisonTable(const ExperimentReport& report, const TableOptions& options = {});

// Metrics whose value is the horizon when their event never happens
// (time_to_pmf_days): their summaries are marked "censored at the horizon".
bool IsCensoredAtHorizon(const std::string& metric);

// A total Sobol index above 1 by more than half its CI: replication noise,
// not the model, made it (warned about under the Sobol table).
bool SobolNoiseInflated(const SobolIndex& index);

// A number in at most `significant` significant digits, without exponent
// for everyday magnitudes ("1.23M", "-0.0421", "n/a" for NaN).
std::string FormatNumber(double value, int significant = 4);

// A p-value as text ("<1e-16", "0.0028", "0.31").
std::string FormatPValue(double p);

}  // namespace orgsim::experiment
