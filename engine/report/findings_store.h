// The results database of one `orgsim findings` run (the defaults' cells or
// the explore of a claim): opened to continue when --resume finds the same
// scenario version, seed and arms, otherwise replaced — but only ever an
// orgsim results database or an empty file, never anything else at the path.
#pragma once

#include <memory>
#include <string>

#include "engine/base/status.h"
#include "engine/experiment/runner.h"
#include "engine/io/results_store.h"

namespace orgsim::report {

struct FindingsStore {
  std::unique_ptr<io::ResultsStore> store;
  bool replaced = false;  // an existing database was removed first
};

// DataLoss for a damaged database; FailedPrecondition for a file at the path
// that is not a results database.
StatusOr<FindingsStore> OpenFindingsStore(const std::string& db_path,
                                          const io::StoreManifest& manifest, bool resume);

// Runs the units of `plan` not yet stored into `store` as one batch
// (`command` names it), and closes the batch as complete, interrupted or
// failed. A runner failure (a sink error) is returned as the status; failed
// runs are counted in the report.
StatusOr<experiment::RunnerReport> RunFindingsBatch(io::ResultsStore& store,
                                                    const experiment::WorkPlan& plan,
                                                    const experiment::RunFunction& run,
                                                    const std::string& command,
                                                    experiment::RunnerOptions options);

}  // namespace orgsim::report
