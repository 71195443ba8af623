// JSON summaries of experiments: `orgsim run --json` and `orgsim sweep --json`.
//
// Converts an experiment::ExperimentReport to the orgsim.v1 messages of
// proto/orgsim/results.proto (ExperimentSummary for a single-point run,
// SweepSummary for a sweep) and prints them with protobuf's JSON printer, so
// the JSON follows the .proto schema (lowerCamelCase names, 64-bit integers as
// strings, NaN as "NaN").
//
//   std::string json = RunSummaryJson(report, "results/x.db");
//   std::cout << json;
#pragma once

#include <string>

#include "engine/experiment/report.h"

namespace orgsim::io {

// orgsim.v1.ExperimentSummary of point 0 (a `run`), pretty-printed JSON.
std::string RunSummaryJson(const experiment::ExperimentReport& report, const std::string& db_path);

// orgsim.v1.SweepSummary (every point and the Sobol indices), pretty-printed.
std::string SweepSummaryJson(const experiment::ExperimentReport& report,
                             const std::string& db_path);

}  // namespace orgsim::io
