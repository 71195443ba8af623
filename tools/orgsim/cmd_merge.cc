// `orgsim merge --db OUT SHARD.db...`: combine shard databases.
//
//   orgsim merge --db results/x.db results/x.sweep.shard-*-of-4.db
//
// Checks that every shard holds the same scenario (SHA-256), seed,
// replications, design, arms and metrics; refuses duplicate (point, arm,
// replication) rows; reports the keys of the full experiment that no shard
// holds. OUT must not exist; it appears only when the merge is complete (a
// temporary file in its folder is renamed). Exit: 0 merged and complete; 1
// merged but keys are missing, a damaged shard, or an I/O error; 2
// mismatched or duplicate shards, or bad arguments.
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/experiment/sharding.h"
#include "engine/io/experiment_record.h"
#include "engine/io/results_store.h"
#include "tools/orgsim/subcommand.h"

namespace orgsim::cli {
namespace {

// Names the shards that own the missing keys: those given whose database is
// incomplete, and those of the split no database was given for.
void PrintShardsToRerun(const std::string& output, const std::vector<std::string>& shards) {
  std::map<std::uint32_t, std::string> given;  // shard index -> database
  std::uint32_t count = 0;
  for (const std::string& path : shards) {
    auto store = io::ResultsStore::OpenReadOnly(path);
    if (!store.ok()) continue;
    auto spec = experiment::ParseShardSpec(io::ShardOfDatabase(**store));
    if (!spec.ok() || !spec->sharded()) continue;
    count = spec->count;
    given[spec->index] = path;
  }
  auto merged = io::ResultsStore::OpenReadOnly(output);
  if (count == 0 || !merged.ok()) {
    std::cerr << "Run the missing shards (or rerun them with --resume) and merge again.\n";
    return;
  }
  auto missing = io::ShardsWithMissingKeys(**merged, count);
  if (!missing.ok()) return;
  std::cerr << "Shards to rerun (orgsim sweep FILE --shard K/" << count
            << " --db SHARD.db --resume), then merge again into a new --db:\n";
  for (std::uint32_t k : *missing) {
    const auto it = given.find(k);
    std::cerr << "  shard " << k << "/" << count << ": "
              << (it == given.end() ? std::string("no database of it was given")
                                    : it->second + " is incomplete")
              << "\n";
  }
}

int RunMerge(const std::string& output, const std::vector<std::string>& shards, bool quiet) {
  auto merged = io::MergeShards(output, shards);
  if (!merged.ok()) {
    std::cerr << "orgsim merge: error: " << merged.status().message() << "\n";
    const auto code = merged.status().code();
    return code == StatusCode::kIoError || code == StatusCode::kDataLoss ? kExitFailure
                                                                         : kExitUsage;
  }
  for (const std::string& note : merged->notes)
    std::cerr << "orgsim merge: warning: " << note << "\n";
  if (!quiet) {
    std::cout << "Merged " << shards.size() << " shard(s): " << merged->rows << " runs -> "
              << output << "\n";
  }
  if (merged->missing_count > 0) {
    std::cerr << "orgsim merge: " << merged->missing_count
              << " (point, arm, replication) keys of the experiment are in no shard, e.g.:\n";
    for (const auto& key : merged->missing) {
      std::cerr << "  point " << key.point << ", arm " << merged->arms[key.arm] << ", replication "
                << key.replication << "\n";
    }
    PrintShardsToRerun(output, shards);
    return kExitFailure;
  }
  return kExitOk;
}

const SubcommandRegistrar kMerge{
    "merge", "Combine shard result databases into one (checks scenario, seed, duplicates)",
    [](CLI::App& app) -> Action {
      auto output = std::make_shared<std::string>();
      auto shards = std::make_shared<std::vector<std::string>>();
      auto quiet = std::make_shared<bool>(false);
      app.add_option("--db", *output, "The merged database to create (must not exist)")->required();
      app.add_option("SHARD", *shards, "Shard databases written by `orgsim sweep --shard`")
          ->required();
      app.add_flag("-q,--quiet", *quiet, "Print nothing on success");
      app.footer(
          "Exit: 0 merged and complete, 1 merged but some keys are missing (listed on\n"
          "stderr), 2 shards of different scenarios/seeds, duplicate keys, or bad arguments.");
      return [output, shards, quiet] { return RunMerge(*output, *shards, *quiet); };
    }};

}  // namespace
}  // namespace orgsim::cli
