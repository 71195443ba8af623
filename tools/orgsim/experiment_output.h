// What `orgsim run`, `orgsim sweep` and `orgsim summarize` print at the end,
// computed from the results database alone: the comparison table (per arm,
// paired comparisons, per-lever effects of a sweep, Sobol indices with the
// noise warning) on stdout and the JSON summary (--json PATH, '-' = stdout
// without the table). One function, so a merged database summarized later
// prints exactly what the run would have.
//
//   SummaryRequest r{.command = "summarize", .json = "-"};
//   return PrintExperimentSummary(*store, r);   // an ExitCode
#pragma once

#include <string>
#include <vector>

#include "engine/io/results_store.h"

namespace orgsim::cli {

struct SummaryRequest {
  std::string command;               // for messages: "run", "sweep", "summarize"
  std::string json;                  // --json PATH, "-" or "" (none)
  std::vector<std::string> metrics;  // the table's metrics; empty = the scenario's key metrics
};

// The scenario's key metrics (experiment.metrics, else the default set), read
// from the scenario text stored in `store`.
std::vector<std::string> StoredKeyMetrics(const io::ResultsStore& store);

// Summarizes `store` and prints it; returns kExitOk, or kExitFailure when
// runs failed or the summary cannot be computed or written.
int PrintExperimentSummary(const io::ResultsStore& store, const SummaryRequest& request);

// The first of `names` that `store` has no metric column for, as an
// UnknownValueMessage; "" when all are known.
std::string UnknownMetricError(const io::ResultsStore& store,
                               const std::vector<std::string>& names);

// Writes `text` to `path` ("-" = stdout), saying why when it cannot
// (`cannot write r.html: folder ux/nodir2 does not exist`).
bool WriteOutputFile(const std::string& command, const std::string& path, const std::string& text);

// Why `path` cannot be created, in words, or "" when its folder exists.
std::string MissingFolderReason(const std::string& path);

}  // namespace orgsim::cli
