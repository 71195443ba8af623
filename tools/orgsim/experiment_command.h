// The shared driver of `orgsim run`, `orgsim sweep` and `orgsim explore` (defined in
// cmd_run.cc): load and validate the scenario, open the results store, run
// the plan on oneTBB with a progress bar, then print the comparison table
// and the JSON summary.
//
//   ExperimentCommandOptions o{.command = "run", .file = "scenarios/x.textproto"};
//   return RunExperimentCommand(o);   // an ExitCode
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace orgsim::cli {

struct ExperimentCommandOptions {
  std::string command;                        // "run", "sweep" or "explore"
  std::string file;                           // scenario file
  std::optional<std::uint32_t> replications;  // --replications
  std::optional<std::uint64_t> seed;          // --seed
  int threads = 0;                            // --threads (0 = all cores)
  std::string db;                             // --db ("" = default under results/)
  std::string json;                           // --json PATH or "-" ("" = none)
  std::string shard;                          // --shard K/N (sweep only)
  bool resume = false;                        // --resume
  bool retry_failed = false;                  // --retry-failed (with --resume)
  bool quiet = false;                         // --quiet
  bool timeseries = false;                    // --timeseries
  bool no_timeseries = false;                 // --no-timeseries
  bool no_sweep = false;                      // --no-sweep (run only)
  std::size_t commit_rows = 256;              // --commit-rows
  bool allow_large = false;                   // --allow-large
  std::optional<std::uint32_t> points;        // --points (explore only)
  std::vector<std::string> explore_metrics;   // --metric (explore only)
};

// Latin-hypercube points of `orgsim explore` without --points.
inline constexpr std::uint32_t kDefaultExplorePoints = 64;

// Declares the flags run and sweep share on `app`, bound to `options`.
void AddExperimentFlags(CLI::App& app, ExperimentCommandOptions& options);

// Runs the experiment described by `options`; returns an ExitCode. With
// --resume, flags left out come from the database (tools/orgsim/resume.h).
int RunExperimentCommand(const ExperimentCommandOptions& options);

}  // namespace orgsim::cli
