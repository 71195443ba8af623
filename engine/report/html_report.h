// `orgsim report`: one self-contained HTML file from a results database.
//
// Inline SVG charts and inline CSS only — no scripts, fonts or links to
// fetch — so the file opens offline and can be mailed around. Contents:
// the scenario (name, description, seed, SHA-256), a summary table per arm
// (means with 95% CIs), per key metric each arm's distribution on a shared
// axis next to the paired differences against the baseline arm with CI bars,
// fan charts (median and 10–90% band per month) of revenue, profit,
// customers and cash when time series were stored, for sweeps the metric
// against each lever and the Sobol indices, and each arm's communication
// graph with the PM's betweenness.
//
// Deterministic: the same database gives the same bytes (no timestamps, no
// paths, statistics from the store's canonical-order summaries).
//
//   StatusOr<std::string> html = BuildHtmlReport("results/headline.db", {});
//   if (!html.ok()) { std::cerr << html.status().ToString(); return 1; }
//   WriteFile("report.html", *html);
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/base/status.h"

namespace orgsim::report {

struct ReportOptions {
  // Folder that relative paths inside the stored scenario text (GraphML
  // files) are resolved against when the arms are re-loaded for the graph
  // pictures.
  std::string scenario_base_dir = ".";
  // Metrics that get distribution, difference and sweep charts; empty = the
  // scenario's experiment.metrics, else a default set of key outcomes.
  // Every stored metric is in the summary table regardless.
  std::vector<std::string> metrics = {};
  // Sweeps: metric-vs-lever charts for at most this many metrics.
  std::size_t max_sweep_metrics = 4;
  // Sweeps: rows of the design-point table.
  std::size_t max_point_rows = 40;
};

// Reads the database at `db_path` (read-only) and renders the report.
StatusOr<std::string> BuildHtmlReport(const std::string& db_path,
                                      const ReportOptions& options = {});

// The metrics charted when neither the options nor the scenario name any.
std::vector<std::string> DefaultReportMetrics();

}  // namespace orgsim::report
