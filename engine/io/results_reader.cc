#include "engine/io/results_reader.h"

#include <sqlite3.h>

#include <algorithm>
#include <utility>

#include "engine/io/sqlite_statement.h"

namespace orgsim::io {

using internal::Quote;
using internal::Statement;
using internal::StepDone;

StatusOr<std::unique_ptr<ResultsReader>> ResultsReader::Open(const std::string& path) {
  StatusOr<std::unique_ptr<ResultsStore>> store = ResultsStore::OpenReadOnly(path);
  if (!store.ok()) return store.status();
  return std::unique_ptr<ResultsReader>(new ResultsReader(std::move(store).value()));
}

ResultsReader::ResultsReader(std::unique_ptr<ResultsStore> store) : store_(std::move(store)) {}
ResultsReader::~ResultsReader() = default;

const std::string& ResultsReader::path() const { return store_->path(); }
const StoreManifest& ResultsReader::manifest() const { return store_->manifest(); }
const std::string& ResultsReader::integrity_note() const { return store_->integrity_note(); }

StatusOr<experiment::ExperimentReport> ResultsReader::Summarize(
    const SummarizeOptions& options) const {
  return store_->Summarize(options);
}

StatusOr<std::uint64_t> ResultsReader::CountRuns(bool failed_only) const {
  return store_->CountRuns(failed_only);
}

StatusOr<std::optional<ExperimentRecord>> ResultsReader::Record() const {
  return ReadExperimentRecord(*store_);
}

int ResultsReader::ArmIndex(const std::string& name) const {
  const std::vector<std::string>& arms = manifest().arms;
  for (std::size_t a = 0; a < arms.size(); ++a) {
    if (arms[a] == name) return static_cast<int>(a);
  }
  return -1;
}

StatusOr<std::vector<RunValues>> ResultsReader::ReadRuns(
    std::uint32_t point, const std::vector<std::string>& metrics) const {
  for (const std::string& metric : metrics) {
    bool known = false;
    for (const auto& column : manifest().metrics) known = known || column.name == metric;
    // (SQLite would read an unknown "quoted" column as a string literal.)
    if (!known) return InvalidArgumentError(path() + " has no metric column '" + metric + "'");
  }
  sqlite3* db = internal::DatabaseHandle(*store_);
  std::string sql = "SELECT arm, replication";
  for (const std::string& metric : metrics) sql += ", " + Quote(metric);
  sql += " FROM runs WHERE point = ? AND status = 'ok' ORDER BY arm, replication";
  Statement s;
  ORGSIM_RETURN_IF_ERROR(s.Prepare(db, sql));
  s.BindInt(1, point);
  std::vector<RunValues> runs;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    const int arm = ArmIndex(s.Text(0));
    if (arm < 0) continue;
    RunValues run{.arm = static_cast<std::uint32_t>(arm),
                  .replication = static_cast<std::uint32_t>(s.Int(1)),
                  .values = {}};
    run.values.reserve(metrics.size());
    for (std::size_t m = 0; m < metrics.size(); ++m)
      run.values.push_back(s.Double(static_cast<int>(m) + 2));
    runs.push_back(std::move(run));
  }
  ORGSIM_RETURN_IF_ERROR(StepDone(rc, db, path()));
  return runs;
}

StatusOr<std::vector<SeriesValue>> ResultsReader::ReadSeries(std::uint32_t point,
                                                             const std::string& series) const {
  const std::vector<std::string>& columns = manifest().series;
  if (std::find(columns.begin(), columns.end(), series) == columns.end()) {
    return InvalidArgumentError(path() + " has no time series '" + series + "'");
  }
  sqlite3* db = internal::DatabaseHandle(*store_);
  Statement s;
  ORGSIM_RETURN_IF_ERROR(
      s.Prepare(db, "SELECT arm, replication, month, " + Quote(series) +
                        " FROM timeseries WHERE point = ? ORDER BY arm, month, " + Quote(series)));
  s.BindInt(1, point);
  std::vector<SeriesValue> values;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    const int arm = ArmIndex(s.Text(0));
    if (arm < 0) continue;
    values.push_back({.arm = static_cast<std::uint32_t>(arm),
                      .replication = static_cast<std::uint32_t>(s.Int(1)),
                      .month = s.Int(2),
                      .value = s.Double(3)});
  }
  ORGSIM_RETURN_IF_ERROR(StepDone(rc, db, path()));
  return values;
}

}  // namespace orgsim::io
