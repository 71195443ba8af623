// What a results database records about the experiment it holds, so that
// `--resume` continues exactly that experiment and a reader knows how it was
// started: the `experiment` table (key, value), one row per field below.
//
// The scenario table already holds the seed, replications and design; this
// record repeats them next to what it alone knows (series on or off, the
// shard, the command and its full command line), so one table answers "what
// is in this file". Databases written before it have no such table; readers
// fall back to the manifest.
//
//   WriteExperimentRecord(store, RecordOf(store.manifest(), "run", "", argv));
//   auto record = ReadExperimentRecord(store);   // std::nullopt if absent
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/experiment/sharding.h"
#include "engine/io/results_store.h"

namespace orgsim::io {

struct ExperimentRecord {
  std::string command;  // "run", "sweep" or "merge"
  std::string scenario_sha256;
  std::uint64_t seed = 0;
  std::uint32_t replications = 0;
  bool series = false;  // monthly time series stored
  std::string design;   // "single", "grid", "lhs", "saltelli"
  std::uint64_t points = 1;
  std::string shard;  // "K/N", or "" for the whole experiment
  std::string argv;   // the command line that started the database
};

// The record of `manifest` written by `command` (argv = its command line).
ExperimentRecord RecordOf(const StoreManifest& manifest, const std::string& command,
                          const std::string& shard, const std::string& argv);

// Creates the `experiment` table if needed and stores `record`; an `argv`
// already stored is kept (it names the command that started the database).
Status WriteExperimentRecord(ResultsStore& store, const ExperimentRecord& record);

// The stored record, or std::nullopt for a database written before records.
StatusOr<std::optional<ExperimentRecord>> ReadExperimentRecord(const ResultsStore& store);

// The shard `store` holds ("K/N", "" for a whole experiment): its record's,
// else the first sharded `batches` row's (databases written before records).
std::string ShardOfDatabase(const ResultsStore& store);

// "with monthly series" or "without time series".
std::string SeriesWords(bool series);

// Shards of a `shard_count`-way split that own at least one (point, arm,
// replication) key missing from `store` (ascending).
StatusOr<std::vector<std::uint32_t>> ShardsWithMissingKeys(const ResultsStore& store,
                                                           std::uint32_t shard_count);

}  // namespace orgsim::io
