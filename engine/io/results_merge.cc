// MergeShards: shard databases into one (results_store.h).
#include <sqlite3.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "engine/io/atomic_file.h"
#include "engine/io/results_schema.h"
#include "engine/io/results_store.h"
#include "engine/io/sqlite_statement.h"
#include "engine/io/store_integrity.h"

namespace orgsim::io {

using experiment::RunKey;
using internal::CompareManifests;
using internal::Exec;
using internal::kFixedRunColumns;
using internal::kFixedSeriesColumns;
using internal::Literal;
using internal::Quote;
using internal::Statement;
using internal::StepDone;

namespace {

// Removes a database file and its sidecars.
void RemoveDatabaseFiles(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix, ec);
  }
}

// Copies every shard into the open database `db` (a fresh store that
// becomes `output`).
Status CopyShards(sqlite3* db, const StoreManifest& manifest,
                  const std::vector<std::string>& shards, bool copy_checksums,
                  const std::string& output) {
  std::string run_columns, series_columns;
  for (const char* c : kFixedRunColumns)
    run_columns += std::string(run_columns.empty() ? "" : ", ") + c;
  for (const auto& metric : manifest.metrics) run_columns += ", " + Quote(metric.name);
  for (const char* c : kFixedSeriesColumns) {
    series_columns += std::string(series_columns.empty() ? "" : ", ") + c;
  }
  for (const auto& s : manifest.series) series_columns += ", " + Quote(s);
  for (std::size_t i = 0; i < shards.size(); ++i) {
    Status status = Exec(db, "ATTACH DATABASE " + Literal(shards[i]) + " AS shard");
    if (!status.ok()) return IoError("cannot attach " + shards[i] + ": " + status.message());
    // Duplicates: keys this shard shares with what is merged already.
    Statement dup;
    status = dup.Prepare(db,
                         "SELECT point, arm, replication FROM shard.runs INTERSECT "
                         "SELECT point, arm, replication FROM main.runs ORDER BY 1, 2, 3 LIMIT 5");
    std::string duplicates;
    int rc = SQLITE_DONE;
    while (status.ok() && (rc = dup.Step()) == SQLITE_ROW) {
      duplicates += (duplicates.empty() ? "" : ", ") + std::string("(point ") +
                    std::to_string(dup.Int(0)) + ", arm " + dup.Text(1) + ", replication " +
                    std::to_string(dup.Int(2)) + ")";
    }
    if (status.ok()) status = StepDone(rc, db, shards[i]);
    dup = Statement();
    if (!status.ok()) {
      (void)Exec(db, "DETACH DATABASE shard");
      return status;
    }
    if (!duplicates.empty()) {
      (void)Exec(db, "DETACH DATABASE shard");
      return AlreadyExistsError(
          shards[i] + " holds runs already merged from an earlier shard: " + duplicates +
          (shards.size() > 1 ? " (was a shard given twice, or run with another --shard split?)"
                             : ""));
    }
    status = Exec(db, "BEGIN IMMEDIATE");
    if (status.ok()) {
      status = Exec(db, "INSERT INTO main.runs (" + run_columns + ") SELECT " + run_columns +
                            " FROM shard.runs");
    }
    if (status.ok()) {
      status = Exec(db, "INSERT INTO main.timeseries (" + series_columns + ") SELECT " +
                            series_columns + " FROM shard.timeseries");
    }
    if (status.ok() && copy_checksums) {
      status = Exec(db, "INSERT INTO main.checksums SELECT * FROM shard.checksums");
    }
    if (status.ok()) {
      status = Exec(db,
                    "INSERT INTO main.batches (command, shard, threads, host, pid, "
                    "orgsim_version, started_at, finished_at, wall_seconds, runs_written, "
                    "runs_failed, commits, status) SELECT command, shard, threads, host, pid, "
                    "orgsim_version, started_at, finished_at, wall_seconds, runs_written, "
                    "runs_failed, commits, status FROM shard.batches ORDER BY batch");
    }
    if (status.ok()) status = Exec(db, "COMMIT");
    if (!status.ok()) {
      (void)Exec(db, "ROLLBACK");
      (void)Exec(db, "DETACH DATABASE shard");
      return IoError("merging " + shards[i] + " into " + output + " failed: " + status.message() +
                     " (nothing was written to " + output + ")");
    }
    ORGSIM_RETURN_IF_ERROR(Exec(db, "DETACH DATABASE shard"));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<MergeReport> MergeShards(const std::string& output, const std::vector<std::string>& shards,
                                  std::size_t max_missing_listed) {
  if (shards.empty()) return InvalidArgumentError("merge needs at least one shard");
  std::error_code ec;
  if (std::filesystem::exists(output, ec)) {
    return FailedPreconditionError(output + " already exists; merge writes a new database");
  }
  // Check every shard (integrity included) against the first before writing anything.
  std::vector<std::unique_ptr<ResultsStore>> inputs;
  MergeReport report;
  bool all_checksummed = true;
  for (const std::string& path : shards) {
    auto store = ResultsStore::OpenReadOnly(path);
    if (!store.ok()) return store.status();
    if (!inputs.empty()) {
      ORGSIM_RETURN_IF_ERROR(CompareManifests(inputs.front()->manifest(), (*store)->manifest(),
                                              shards.front(), path,
                                              /*allow_more_replications=*/false));
    }
    if (!(*store)->integrity_note().empty()) {
      all_checksummed = false;
      report.notes.push_back((*store)->integrity_note());
    }
    inputs.push_back(std::move(*store));
  }
  const StoreManifest& manifest = inputs.front()->manifest();
  report.arms = manifest.arms;
  // Built under a temporary name in the output's folder, renamed when complete.
  const std::string tmp = TemporaryPathFor(output);
  RemoveDatabaseFiles(tmp);
  auto fail = [&](Status status) {
    RemoveDatabaseFiles(tmp);
    return status;
  };
  {
    // Unverified shards make an unverified output (no checksums to copy).
    auto out = ResultsStore::OpenForWriting(tmp, manifest, {.row_checksums = all_checksummed});
    if (!out.ok()) return fail(out.status());
    sqlite3* db = internal::DatabaseHandle(**out);
    Status copied = CopyShards(db, manifest, shards, all_checksummed, output);
    if (!copied.ok()) {
      out->reset();
      return fail(copied);
    }
    std::string command = "merge";
    for (const auto& s : shards) command += " " + s;
    Status batch = (*out)->BeginBatch({.command = command, .shard = "", .threads = 1});
    if (batch.ok()) batch = (*out)->EndBatch("complete");
    // Everything into the main file, so the rename moves the whole database.
    if (batch.ok()) batch = Exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    if (!batch.ok()) {
      out->reset();
      return fail(batch);
    }
    auto rows = (*out)->CountRuns(false);
    if (!rows.ok()) {
      out->reset();
      return fail(rows.status());
    }
    report.rows = *rows;
    const experiment::WorkPlan full{.points = static_cast<std::uint32_t>(manifest.design.size()),
                                    .arms = static_cast<std::uint32_t>(manifest.arms.size()),
                                    .replications = manifest.replications};
    auto stored = (*out)->StoredKeys(full);
    if (!stored.ok()) {
      out->reset();
      return fail(stored.status());
    }
    for (std::uint64_t u = 0; u < full.UnitCount(); ++u) {
      const RunKey key = full.Unit(u);
      if ((*stored)[full.DenseIndex(key)]) continue;
      ++report.missing_count;
      if (report.missing.size() < max_missing_listed) report.missing.push_back(key);
    }
  }
  if (std::filesystem::exists(output, ec)) {
    return fail(
        FailedPreconditionError(output + " appeared while merging; the merge was not written"));
  }
  if (std::rename(tmp.c_str(), output.c_str()) != 0) {
    return fail(IoError("cannot rename " + tmp + " to " + output + ": " + std::strerror(errno)));
  }
  RemoveDatabaseFiles(tmp);  // an empty -wal/-shm of the temporary name, if any
  return report;
}

}  // namespace orgsim::io
