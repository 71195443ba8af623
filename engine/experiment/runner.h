// The parallel replication runner: evaluates a WorkPlan's units on oneTBB
// and streams their records, in unit order, to a RecordSink in batches.
//
// What it guarantees (the properties issue 5 asks for):
//  * Deterministic output: records reach the sink in the plan's unit order
//    whatever the thread count (a serial-in-order pipeline stage), and each
//    record is a pure function of its RunKey.
//  * Failure isolation: a run that throws (kernel::InvariantError or any
//    std::exception) becomes a record with ok = false and the error text;
//    the other runs and the batch go on.
//  * Bounded memory: at most ~4 x threads records are in flight and at most
//    one batch waits for the sink, however many units the plan has.
//  * Batched durability: the sink receives a batch every `commit_rows`
//    records or `commit_seconds`, whichever comes first (one transaction per
//    batch in the results store), so a killed process loses at most the
//    batch in flight.
//  * A sink error (disk full, unwritable file) stops the run at once and is
//    reported; earlier batches stay written.
//
//   RunnerOptions options{.threads = 2};
//   RunnerReport report = RunPlan(plan, [&](const RunKey& key, RunRecord& r) {
//     r.metrics = Simulate(key);               // may throw
//   }, store, options);
//   if (!report.status.ok()) ...
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/experiment/sharding.h"

namespace orgsim::experiment {

// The outcome of one unit: a row of the `runs` table (and its time series).
struct RunRecord {
  RunKey key;
  bool ok = false;
  std::string error = {};  // why it failed; empty when ok
  std::uint64_t fingerprint = 0;
  std::vector<double> metrics = {};  // aligned to the experiment's metric list
  // Optional monthly series, row-major: months x (series columns).
  std::vector<double> series = {};
};

// Receives batches of records in unit order.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // Stores `records` atomically (all or none). Called from one thread at a
  // time.
  virtual Status Write(std::span<const RunRecord> records) = 0;
};

// Evaluates one unit: fills record.metrics (and optionally fingerprint and
// series); record.key is already set. May throw to signal a failed run.
// Called concurrently from several threads.
using RunFunction = std::function<void(const RunKey& key, RunRecord& record)>;

struct RunnerProgress {
  std::uint64_t done = 0;  // units finished by this process (ok or failed)
  std::uint64_t failed = 0;
  std::uint64_t total = 0;  // units this process has to run
  double elapsed_seconds = 0;
};

struct RunnerOptions {
  int threads = 0;                // 0 = every core (tbb default concurrency)
  std::size_t commit_rows = 256;  // records per sink batch, at most
  double commit_seconds = 2.0;    // and a batch at least this often
  // Resume: units for which this returns true are skipped.
  std::function<bool(const RunKey&)> already_done = {};
  // Called after each record is handed over (from one thread at a time).
  std::function<void(const RunnerProgress&)> progress = {};
  // When it becomes true, no new unit starts; units in flight finish and
  // are written (SIGINT handling).
  const std::atomic<bool>* stop_requested = nullptr;
};

struct RunnerReport {
  Status status;                // the sink's error, if any
  std::uint64_t planned = 0;    // units of the plan's shard
  std::uint64_t skipped = 0;    // already done (resume)
  std::uint64_t completed = 0;  // ran and written, ok
  std::uint64_t failed = 0;     // ran and written, failed
  std::uint64_t batches = 0;    // sink writes
  bool stopped = false;         // stop_requested ended it early
  double wall_seconds = 0;
  int threads = 0;
};

// Runs every unit of `plan` not already done with `run` and writes the
// records to `sink`.
RunnerReport RunPlan(const WorkPlan& plan, const RunFunction& run, RecordSink& sink,
                     const RunnerOptions& options = {});

}  // namespace orgsim::experiment
