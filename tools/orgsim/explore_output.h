// What `orgsim explore` prints at the end, computed from the results
// database alone (io::AnalyzeExplore), so a merged set of shards prints
// exactly what one process would have: per comparison (each arm against the
// baseline) and metric, the win-shares (Benjamini–Hochberg, raw, Holm), the
// PRIM boxes where the baseline wins and where the claim fails, and the
// sensitivity ranking of the uncertainties; or the same as JSON (--json
// PATH, '-' = stdout without the text).
//
//   ExploreRequest r{.command = "explore", .json = "-", .metrics = {"profit_total"}};
//   return PrintExploreSummary(*store, r);   // an ExitCode
#pragma once

#include <string>
#include <vector>

#include "engine/io/explore_results.h"
#include "engine/io/results_store.h"

namespace orgsim::cli {

struct ExploreRequest {
  std::string command;               // for messages
  std::string json;                  // --json PATH, "-" or "" (none)
  std::vector<std::string> metrics;  // the metrics compared (at least one)
};

// The report as text (what stdout shows).
std::string FormatExploreReport(const io::ExploreReport& report);

// The report as JSON (schema in docs/results.md, "Explore summary").
std::string ExploreReportJson(const io::ExploreReport& report, const std::string& database);

// Analyzes `store` and prints it; returns kExitOk, or kExitFailure when runs
// failed or the summary cannot be computed or written.
int PrintExploreSummary(const io::ResultsStore& store, const ExploreRequest& request);

}  // namespace orgsim::cli
