// The results store: one SQLite database per experiment (or per shard).
//
// Holds the scenario (text, SHA-256, seed, orgsim version), the arms,
// metrics, sweep parameters and design points, one `runs` row per (point,
// arm, replication) with every metric as a column, optional monthly
// `timeseries`, and a `batches` table with the timings, hosts, shards and
// thread counts of the processes that wrote it. docs/results.md documents
// the schema.
//
// Properties:
//  * `runs` and `timeseries` are WITHOUT ROWID tables keyed by (point, arm,
//    replication[, month]) with no wall-clock, host, thread, shard or
//    insertion-order column: identical inputs give identical rows however
//    they were produced (threads, shards + merge, interrupted + resumed).
//  * WAL journal, one transaction per batch of records: a process killed at
//    any moment leaves a consistent database holding every committed batch.
//  * Write errors (disk full, read-only file) roll the batch back, leave the
//    committed rows intact and come back as a clear IoError.
//
//   StoreManifest manifest = ...;   // scenario, arms, metrics, design
//   auto store = ResultsStore::OpenForWriting("results/x.db", manifest,
//                                             {.resume = true}).value();
//   store->BeginBatch({.command = "run", .threads = 2});
//   RunPlan(plan, run, *store, options);   // store is a RecordSink
//   store->EndBatch("complete");
//   ExperimentReport report = store->Summarize({}).value();
//
// Readers (reports, findings) use ResultsReader (results_reader.h), a typed
// read-only view; nothing outside engine/io sees the SQLite connection.
//
// One concept per file: results_store.cc (open, batches, writes),
// results_schema.cc (tables and manifest), results_summary.cc (Summarize),
// results_export.cc (DumpTable, ExportTable), results_merge.cc
// (MergeShards); sqlite_statement.h holds the shared SQLite plumbing.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/experiment/designs.h"
#include "engine/experiment/report.h"
#include "engine/experiment/runner.h"
#include "engine/experiment/sharding.h"

struct sqlite3;

namespace orgsim::io {

class WriterLock;
class ResultsStore;
namespace internal {
sqlite3* DatabaseHandle(const ResultsStore& store);  // sqlite_statement.h
}  // namespace internal

// Bumped when the schema changes incompatibly.
inline constexpr int kResultsSchemaVersion = 1;

// Everything about an experiment that is fixed before it runs.
struct StoreManifest {
  std::string scenario_name;
  std::string scenario_text;
  std::string scenario_sha256;
  std::string orgsim_version;
  std::uint64_t seed = 0;
  std::uint32_t replications = 0;
  std::vector<std::string> arms;                   // in arm index order (RunKey::arm)
  std::uint32_t baseline_arm = 0;                  // index into arms
  std::vector<experiment::MetricInfoRow> metrics;  // `runs` metric columns, in order
  std::vector<std::string> series;                 // `timeseries` value columns (may be empty)
  experiment::Design design;                       // design points (single point for `run`)
};

struct OpenOptions {
  // Continue an existing database of the same scenario and seed (rows
  // already stored are kept and skipped). Without it, a database that
  // already holds runs is refused.
  bool resume = false;
  // A new database keeps a checksum per row (store_integrity.h); false only
  // for merging shards written before checksums existed.
  bool row_checksums = true;
  // Test seam: cap the database size in pages (PRAGMA max_page_count), to
  // exercise disk-full handling deterministically. 0 = no cap.
  std::uint32_t max_page_count = 0;
};

// One process's contribution, recorded in `batches`.
struct BatchInfo {
  std::string command;  // e.g. "run", "sweep --shard 1/4"
  std::string shard;    // "K/N" or "" (unsharded)
  int threads = 0;
};

struct SummarizeOptions {
  // Metric names to summarize; empty = every metric.
  std::vector<std::string> metrics = {};
  // Saltelli designs: bootstrap resamples for the Sobol intervals.
  std::uint32_t sobol_bootstrap = 500;
};

class ResultsStore : public experiment::RecordSink {
 public:
  ~ResultsStore() override;
  ResultsStore(const ResultsStore&) = delete;
  ResultsStore& operator=(const ResultsStore&) = delete;

  // Creates `path` (and its parent folders) with the manifest, or opens it
  // to resume. Fails with FailedPrecondition when the file holds another
  // scenario (SHA-256), another seed, another design or another metric
  // list, or holds runs and !options.resume; with InvalidArgument when
  // `path` exists and is not a regular file; with IoError when the file
  // cannot be created, is not an orgsim results database, or another
  // process writes it (the writer lock, store_lock.h); with DataLoss when
  // an existing file fails VerifyResultsDatabase (store_integrity.h).
  // Resuming with more replications than stored extends the experiment.
  static StatusOr<std::unique_ptr<ResultsStore>> OpenForWriting(const std::string& path,
                                                                const StoreManifest& manifest,
                                                                const OpenOptions& options = {});

  // Opens an existing database for reading (summaries, export, merge),
  // after verifying it: DataLoss when quick_check or a row checksum fails.
  static StatusOr<std::unique_ptr<ResultsStore>> OpenReadOnly(const std::string& path);

  // The integrity check both Open functions run: PRAGMA quick_check and
  // every row checksum (store_integrity.h). Callable again at any time.
  Status Verify() const;
  // "" or a warning from the last Verify(): the database predates row
  // checksums, so its values are unverified. Commands print it.
  const std::string& integrity_note() const { return integrity_note_; }

  const std::string& path() const { return path_; }
  // The manifest as stored (read back from the database).
  const StoreManifest& manifest() const { return manifest_; }

  // Starts this process's `batches` row; Write() keeps it up to date in the
  // same transactions as the rows.
  Status BeginBatch(const BatchInfo& info);
  // Marks the batch "complete", "interrupted" or "failed".
  Status EndBatch(const std::string& status);

  // RecordSink: inserts the records (and their series) in one transaction.
  Status Write(std::span<const experiment::RunRecord> records) override;

  // The keys already stored, as a bitmap over plan.DenseIndex().
  StatusOr<std::vector<bool>> StoredKeys(const experiment::WorkPlan& plan) const;

  // Number of rows in `runs` and how many of them failed.
  StatusOr<std::uint64_t> CountRuns(bool failed_only = false) const;

  // Deletes the rows stored as failed (and their checksums) in one
  // transaction, so a resume runs them again; returns how many.
  StatusOr<std::uint64_t> DeleteFailedRuns();

  // Streams the stored rows through the statistics builders (memory does
  // not grow with the number of replications).
  StatusOr<experiment::ExperimentReport> Summarize(const SummarizeOptions& options) const;

  // Rows of `runs` as text lines (one per row, columns tab-separated, in
  // key order): the canonical dump determinism tests compare.
  StatusOr<std::vector<std::string>> DumpTable(const std::string& table) const;

 private:
  // engine/io's own files reach the connection through this (reports read
  // through ResultsReader, results_reader.h).
  friend sqlite3* internal::DatabaseHandle(const ResultsStore& store);

  ResultsStore(std::string path, sqlite3* db);
  Status LoadManifest();

  std::string path_;
  std::unique_ptr<WriterLock> lock_;  // writers only; released after db_ closes
  sqlite3* db_ = nullptr;
  StoreManifest manifest_;
  bool checksums_ = false;  // the database keeps row checksums
  mutable std::string integrity_note_;
  std::int64_t batch_id_ = 0;  // 0 = no batch open
  std::uint64_t batch_written_ = 0;
  std::uint64_t batch_failed_ = 0;
  std::uint64_t batch_commits_ = 0;
  double batch_started_ = 0;  // steady clock seconds
  struct Statements;
  std::unique_ptr<Statements> statements_;
};

// The tables `orgsim export` knows, in schema order.
std::vector<std::string> ResultTables();

// Writes `table` of the database as CSV (RFC 4180, header row, NULL as an
// empty field, doubles with 17 significant digits) or as JSON (an array of
// objects, NULL as null) to `out`, row by row.
enum class ExportFormat { kCsv, kJson };
Status ExportTable(const ResultsStore& store, const std::string& table, ExportFormat format,
                   std::ostream& out);

// Merges shard databases into `output` (must not exist; written as a
// temporary file in its folder and renamed at the end, so a killed merge
// leaves no output that blocks a retry): checks
// every shard holds the same scenario SHA-256, seed, replications, design,
// arms and metrics; refuses duplicate (point, arm, replication) keys; fills
// `missing` with the keys of the full experiment no shard holds (at most
// `max_missing_listed` of them; `missing_count` counts all).
struct MergeReport {
  std::uint64_t rows = 0;
  // Warnings to print (shards that predate row checksums).
  std::vector<std::string> notes;
  std::uint64_t missing_count = 0;
  std::vector<experiment::RunKey> missing;
  std::vector<std::string> arms;  // arm names, indexed by RunKey::arm
};
StatusOr<MergeReport> MergeShards(const std::string& output, const std::vector<std::string>& shards,
                                  std::size_t max_missing_listed = 20);

}  // namespace orgsim::io
