// `orgsim sweep FILE`: the scenario's sweep design (grid, Latin hypercube or
// Saltelli) x arms x replications, optionally one shard of it.
//
//   orgsim sweep scenarios/claims/c10_people_sense.textproto --replications 20
//   orgsim sweep x.textproto --shard 2/8 --db results/x.shard2.db   # one of 8 shards
//   orgsim merge --db results/x.db results/x.shard*.db               # then combine
//
// Shard K of N owns the runs (point, replication) whose run number
// replication * points + point is K mod N (engine/experiment/sharding.h): a
// pure function of the indices that interleaves the design points. Saltelli
// designs print first-order and total Sobol indices with bootstrap CIs.
#include <memory>

#include "tools/orgsim/experiment_command.h"
#include "tools/orgsim/subcommand.h"

namespace orgsim::cli {
namespace {

const SubcommandRegistrar kSweep{
    "sweep", "Run the scenario's sweep design x arms x replications (optionally one shard)",
    [](CLI::App& app) -> Action {
      auto options = std::make_shared<ExperimentCommandOptions>();
      options->command = "sweep";
      AddExperimentFlags(app, *options);
      app.add_option("--shard", options->shard,
                     "Run only shard K of N (K/N, 0-based, e.g. "
                     "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT)");
      app.footer(
          "Evaluates every design point of experiment.sweep for every compared arm and\n"
          "replication. With --shard K/N only the runs of shard K are evaluated and stored\n"
          "(default database results/<scenario>.sweep.shard-K-of-N.db); combine the shards\n"
          "with `orgsim merge`. Prints per-point summaries (first 10 points) and, for Saltelli\n"
          "designs, Sobol indices. Exit codes as for `orgsim run`.");
      return [options] { return RunExperimentCommand(*options); };
    }};

}  // namespace
}  // namespace orgsim::cli
