// ResultsReader: the typed, read-only view of a results database that the
// reports read (the HTML report, findings, anything that shows results).
//
// A results database (results_store.h, docs/results.md) holds one `runs`
// row per (design point, arm, replication) with every metric as a column,
// and optional monthly `timeseries`. Readers ask for what they show, by
// design point, arm and metric name, and get values back; they never write
// SQL or see the SQLite connection, so the schema can change behind this
// header.
//
//   StatusOr<std::unique_ptr<ResultsReader>> reader = ResultsReader::Open("results/x.db");
//   if (!reader.ok()) return reader.status();      // NotFound, IoError, DataLoss
//   const StoreManifest& m = (*reader)->manifest();  // arms, metrics, series, design
//   auto runs = (*reader)->ReadRuns(/*point=*/0, {"profit_total", "survived"});
//   for (const RunValues& run : *runs) ... m.arms[run.arm], run.replication, run.values[0] ...
//
// Errors: Open verifies the file first (DataLoss for a damaged database,
// store_integrity.h); a query that fails part-way returns DataLoss when
// SQLite finds the file corrupt, IoError otherwise. Values are as stored:
// a NULL value (a metric a run did not produce) reads as NaN.
//
// Thread-safety: one reader belongs to one thread at a time (its queries
// share one connection); open one reader per thread to read in parallel.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/base/status.h"
#include "engine/experiment/report.h"
#include "engine/io/experiment_record.h"
#include "engine/io/results_store.h"

namespace orgsim::io {

// One successful run's values, in the order the metrics were asked for.
struct RunValues {
  std::uint32_t arm = 0;  // index into manifest().arms
  std::uint32_t replication = 0;
  std::vector<double> values;  // NaN where the stored value is NULL
};

// One month of one run's time series.
struct SeriesValue {
  std::uint32_t arm = 0;  // index into manifest().arms
  std::uint32_t replication = 0;
  std::int64_t month = 0;
  double value = 0.0;  // NaN where the stored value is NULL
};

class ResultsReader {
 public:
  // Opens and verifies an existing database (ResultsStore::OpenReadOnly):
  // NotFound when there is no file, IoError when it is not a results
  // database, DataLoss when it is damaged.
  static StatusOr<std::unique_ptr<ResultsReader>> Open(const std::string& path);

  const std::string& path() const;
  // Scenario, seed, replications, arms (RunKey::arm order), metric and
  // series columns, and the design points.
  const StoreManifest& manifest() const;
  // "" or the warning that the database predates row checksums.
  const std::string& integrity_note() const;

  // Summary statistics of every (point, arm, metric), paired comparisons
  // against the baseline arm and, for Saltelli designs, Sobol indices.
  StatusOr<experiment::ExperimentReport> Summarize(const SummarizeOptions& options = {}) const;

  // Rows in `runs`, or only the failed ones.
  StatusOr<std::uint64_t> CountRuns(bool failed_only = false) const;

  // How the database was started (command, shard, series on or off);
  // std::nullopt for databases written before the record existed.
  StatusOr<std::optional<ExperimentRecord>> Record() const;

  // The successful runs at design point `point`, ordered by arm name and
  // replication, with the values of `metrics` (manifest metric names;
  // InvalidArgument for another name). Rows of arms the manifest does not
  // name are skipped.
  StatusOr<std::vector<RunValues>> ReadRuns(std::uint32_t point,
                                            const std::vector<std::string>& metrics) const;

  // Every stored month of the time series `series` (a manifest series
  // name, else InvalidArgument) at design point `point`, ordered by arm
  // name, month and value.
  StatusOr<std::vector<SeriesValue>> ReadSeries(std::uint32_t point,
                                                const std::string& series) const;

  ~ResultsReader();
  ResultsReader(const ResultsReader&) = delete;
  ResultsReader& operator=(const ResultsReader&) = delete;

 private:
  explicit ResultsReader(std::unique_ptr<ResultsStore> store);
  // The manifest index of a stored arm name, or -1.
  int ArmIndex(const std::string& name) const;

  std::unique_ptr<ResultsStore> store_;
};

}  // namespace orgsim::io
