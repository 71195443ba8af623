// `orgsim explore FILE`: the scenario's arms at N Latin-hypercube points of
// its deep uncertainties (Scenario.uncertainties, usually from its base
// company), with paired replications, and where in that space each arm
// beats the baseline.
//
//   orgsim explore scenarios/product_led_vs_project_mode.textproto --points 64 -n 100
//   orgsim explore x.textproto --shard 2/8 --out results/x.shard2.db   # one of 8 shards
//   orgsim merge --db results/x.db results/x.shard*.db                 # then combine
//   orgsim summarize --db results/x.db                                 # (rows, as any db)
//
// Replication r of every arm at every point shares its random streams
// (kernel::StreamKey{seed, 0, r}): arms differ by design and points by their
// uncertainties, not by luck. Rows, shards, merge and resume work as for
// `orgsim sweep` (sharding.h: run = replication * points + point). Prints,
// per comparison, the share of the space where each arm is significantly
// better (per-point paired t-test; Benjamini–Hochberg across points, raw and
// Holm beside it), PRIM boxes where the baseline wins and where the claim
// fails, and the uncertainties ranked by their main effect on the paired
// difference.
#include <memory>
#include <string>
#include <vector>

#include "engine/model/run.h"
#include "tools/orgsim/choices.h"
#include "tools/orgsim/experiment_command.h"
#include "tools/orgsim/subcommand.h"

namespace orgsim::cli {
namespace {

std::vector<std::string> MetricNames() {
  std::vector<std::string> names;
  for (const model::MetricInfo& info : model::MetricCatalog()) names.emplace_back(info.name);
  return names;
}

const SubcommandRegistrar kExplore{
    "explore",
    "Run every arm at N points of the scenario's uncertainties; where does each arm win?",
    [](CLI::App& app) -> Action {
      auto options = std::make_shared<ExperimentCommandOptions>();
      options->command = "explore";
      AddExperimentFlags(app, *options);
      app.add_option("--points", options->points,
                     "Latin-hypercube points of the uncertainty space (default " +
                         std::to_string(kDefaultExplorePoints) + ")")
          ->check(CLI::Range(1u, 1000000u));
      app.add_option("--out", options->db, "Results database (same as --db)")
          ->excludes(app.get_option("--db"));
      app.add_option("--shard", options->shard,
                     "Run only shard K of N (K/N, 0-based, e.g. "
                     "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT)");
      app.add_option("--metric", options->explore_metrics,
                     "Metric the arms are compared on (repeatable; default: the scenario's "
                     "first key metric)")
          ->check(OneOf("metric", MetricNames()));
      app.footer(
          "Draws --points points of the uncertainties the scenario declares (uncertainties {\n"
          "path low high [distribution] }, docs/scenario-format.md) as a Latin hypercube seeded\n"
          "by --seed, and runs every compared arm at every point for --replications paired\n"
          "replications, sharing random streams across arms and points. Stored like `orgsim\n"
          "sweep` (default database results/<scenario>.explore[.shard-K-of-N].db); --resume,\n"
          "--shard and `orgsim merge` as there. Then prints, per arm against the baseline: the\n"
          "share of the space where each is significantly better (Benjamini-Hochberg across\n"
          "points; raw and Holm too), PRIM boxes where the baseline wins and where the claim\n"
          "fails, and the sensitivity ranking. Exit codes as for `orgsim run`.");
      return [options] { return RunExperimentCommand(*options); };
    }};

}  // namespace
}  // namespace orgsim::cli
