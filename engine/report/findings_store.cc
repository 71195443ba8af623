#include "engine/report/findings_store.h"

#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

namespace orgsim::report {

namespace fs = std::filesystem;

StatusOr<FindingsStore> OpenFindingsStore(const std::string& db_path,
                                          const io::StoreManifest& manifest, bool resume) {
  FindingsStore out;
  if (fs::exists(db_path)) {
    bool keep = false;
    bool is_results_db = false;
    {
      auto existing = io::ResultsStore::OpenReadOnly(db_path);
      if (existing.status().code() == StatusCode::kDataLoss) return existing.status();
      is_results_db = existing.ok();
      keep = resume && existing.ok() &&
             (*existing)->manifest().scenario_sha256 == manifest.scenario_sha256 &&
             (*existing)->manifest().seed == manifest.seed &&
             (*existing)->manifest().arms == manifest.arms &&
             (*existing)->manifest().design.size() == manifest.design.size();
    }
    if (!keep) {
      if (!is_results_db && fs::file_size(db_path) > 0) {
        return FailedPreconditionError(
            db_path + " exists and is not an orgsim results database; not replacing it");
      }
      std::error_code ignored;
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        fs::remove(db_path + suffix, ignored);
      }
      out.replaced = true;
    }
  }
  auto opened = io::ResultsStore::OpenForWriting(db_path, manifest, {.resume = true});
  if (!opened.ok()) return opened.status();
  out.store = std::move(*opened);
  return out;
}

StatusOr<experiment::RunnerReport> RunFindingsBatch(io::ResultsStore& store,
                                                    const experiment::WorkPlan& plan,
                                                    const experiment::RunFunction& run,
                                                    const std::string& command,
                                                    experiment::RunnerOptions options) {
  auto stored = store.StoredKeys(plan);
  if (!stored.ok()) return stored.status();
  const std::vector<bool> done = std::move(*stored);
  Status status = store.BeginBatch({.command = command, .shard = "", .threads = options.threads});
  if (!status.ok()) return status;
  options.already_done = [&done, &plan](const experiment::RunKey& key) {
    return static_cast<bool>(done[plan.DenseIndex(key)]);
  };
  const experiment::RunnerReport report = experiment::RunPlan(plan, run, store, options);
  const char* batch_status = !report.status.ok() ? "failed"
                             : report.stopped    ? "interrupted"
                                                 : "complete";
  Status end = store.EndBatch(batch_status);
  if (!report.status.ok()) return report.status;
  if (!end.ok()) return end;
  return report;
}

}  // namespace orgsim::report
