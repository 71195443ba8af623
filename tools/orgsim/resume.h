// Settling the flags of `orgsim run|sweep` against the database they write
// to, so that `--resume` continues exactly the experiment stored there.
//
// With --resume, a flag left out is taken from the database (replications,
// seed, time series, shard); a flag that contradicts it is an error that
// says what is stored and what was asked. A larger -n extends the
// experiment. Without --resume, a database that holds runs is refused.
//
//   auto stored = ReadStoredExperiment(db_path);      // nullopt: nothing there yet
//   if (stored.ok() && *stored) status = SettleAgainstStored(**stored, db_path, options);
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/base/status.h"
#include "engine/io/experiment_record.h"
#include "engine/io/results_store.h"
#include "tools/orgsim/experiment_command.h"

namespace orgsim::cli {

struct StoredExperiment {
  io::StoreManifest manifest;
  std::optional<io::ExperimentRecord> record;  // absent in older databases
  std::uint64_t runs = 0;
};

// What `path` holds, or std::nullopt when it is missing or is no readable
// orgsim database (opening it for writing then says why); DataLoss when it
// is a damaged one.
StatusOr<std::optional<StoredExperiment>> ReadStoredExperiment(const std::string& path);

// "120 replications with monthly series" (plus the shard when there is one).
std::string DescribeStored(const StoredExperiment& stored);

// Fills the flags `options` leaves out from `stored` and refuses those that
// contradict it (FailedPrecondition, in words). Notes such as "extending to
// 200 replications" go to `note`.
Status SettleAgainstStored(const StoredExperiment& stored, const std::string& path,
                           ExperimentCommandOptions& options, std::string& note);

}  // namespace orgsim::cli
