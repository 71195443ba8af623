// Reading an explore database (`orgsim explore`) back as its conclusions:
// for each compared arm against the baseline and each requested metric,
// the per-point paired effects, win-shares, PRIM boxes and sensitivity
// (engine/experiment/explore_analysis.h). Computed from the database alone,
// so a merged set of shards gives exactly what one process would have.
//
//   auto reader = ResultsReader::Open("results/x.explore.db").value();
//   ExploreReport r = AnalyzeExplore(*reader, {"profit_total"}).value();
//   for (const ExploreMetricComparison& c : r.comparisons) Print(c.arm, c.analysis.shares);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/experiment/explore_analysis.h"
#include "engine/io/results_reader.h"

namespace orgsim::io {

struct ExploreMetricComparison {
  std::string arm;       // A
  std::string baseline;  // B
  std::string metric;
  std::string better;  // "higher", "lower" or "neither" (read as higher)
  experiment::ExploreComparison analysis;
};

struct ExploreReport {
  std::string scenario;
  std::uint64_t seed = 0;
  std::uint32_t replications = 0;
  experiment::ExploreSpace space;
  std::uint64_t runs = 0;  // rows stored
  std::uint64_t failed_runs = 0;
  // Pairs missing because one side failed or is not stored (an incomplete
  // merge); each point's effect uses the replications both arms have.
  std::uint64_t unpaired = 0;
  std::vector<ExploreMetricComparison> comparisons;  // arm-major, then metric
};

// Analyzes the database `reader` reads (results_reader.h: no SQL here).
// Fails with FailedPrecondition when it holds no explore design,
// InvalidArgument for a metric it has no column for.
orgsim::StatusOr<ExploreReport> AnalyzeExplore(const ResultsReader& reader,
                                               const std::vector<std::string>& metrics);

}  // namespace orgsim::io
