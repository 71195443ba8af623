// `orgsim summarize --db PATH`: print the summary `orgsim run` / `orgsim
// sweep` print at the end (per arm, paired comparisons, per-lever effects,
// Sobol indices) from any results database, including a merged one, without
// running anything. An explore database prints what `orgsim explore`
// prints (win-shares, PRIM boxes, sensitivity).
//
//   orgsim merge --db results/x.db results/x.sweep.shard-*-of-4.db
//   orgsim summarize --db results/x.db --json summary.json
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "engine/io/results_store.h"
#include "tools/orgsim/experiment_output.h"
#include "tools/orgsim/explore_output.h"
#include "tools/orgsim/subcommand.h"

namespace orgsim::cli {
namespace {

struct SummarizeFlags {
  std::string db;
  std::string json;
  std::vector<std::string> metrics;
};

int RunSummarize(const SummarizeFlags& flags) {
  auto store = io::ResultsStore::OpenReadOnly(flags.db);
  if (!store.ok()) {
    std::cerr << "orgsim summarize: error: " << store.status().message() << "\n";
    return store.status().code() == StatusCode::kIoError ? kExitFailure : kExitUsage;
  }
  if (const std::string unknown = UnknownMetricError(**store, flags.metrics); !unknown.empty()) {
    std::cerr << "orgsim summarize: error: " << unknown << "\n";
    return kExitUsage;
  }
  if ((*store)->manifest().design.kind() == experiment::DesignKind::kExplore) {
    std::vector<std::string> metrics = flags.metrics;
    if (metrics.empty()) {
      const std::vector<std::string> key = StoredKeyMetrics(**store);
      metrics.push_back(key.empty() ? "profit_total" : key.front());
    }
    return PrintExploreSummary(**store,
                               {.command = "summarize", .json = flags.json, .metrics = metrics});
  }
  return PrintExperimentSummary(
      **store, {.command = "summarize", .json = flags.json, .metrics = flags.metrics});
}

const SubcommandRegistrar kSummarize{
    "summarize", "Print the summary, paired comparisons and Sobol indices of a results database",
    [](CLI::App& app) -> Action {
      auto flags = std::make_shared<SummarizeFlags>();
      app.add_option("--db", flags->db, "Results database (run, sweep, shard or merged)")
          ->required();
      app.add_option("--json", flags->json,
                     "Also write the JSON summary to PATH ('-' = stdout, no table)");
      app.add_option(
          "--metric", flags->metrics,
          "Metric of the table (repeatable; default: the scenario's experiment.metrics)");
      app.footer(
          "Prints what `orgsim run` or `orgsim sweep` print at the end, computed from the\n"
          "database alone (nothing runs): use it after `orgsim merge`. Exit: 0 ok, 1 the\n"
          "database holds failed runs or cannot be read, 2 no such database or bad flags.");
      return [flags] { return RunSummarize(*flags); };
    }};

}  // namespace
}  // namespace orgsim::cli
