#include "engine/io/experiment_record.h"

#include <sqlite3.h>

#include <map>
#include <set>

#include "engine/io/sqlite_statement.h"

namespace orgsim::io {
namespace {

Status Check(sqlite3* db, int rc, const char* what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return Status::Ok();
  return IoError(std::string("cannot ") + what + " the experiment record: " + sqlite3_errmsg(db));
}

}  // namespace

ExperimentRecord RecordOf(const StoreManifest& manifest, const std::string& command,
                          const std::string& shard, const std::string& argv) {
  return {.command = command,
          .scenario_sha256 = manifest.scenario_sha256,
          .seed = manifest.seed,
          .replications = manifest.replications,
          .series = !manifest.series.empty(),
          .design = experiment::DesignKindName(manifest.design.kind()),
          .points = manifest.design.size(),
          .shard = shard,
          .argv = argv};
}

std::string SeriesWords(bool series) {
  return series ? "with monthly series" : "without time series";
}

Status WriteExperimentRecord(ResultsStore& store, const ExperimentRecord& r) {
  sqlite3* db = internal::DatabaseHandle(store);
  ORGSIM_RETURN_IF_ERROR(
      Check(db,
            sqlite3_exec(db,
                         "CREATE TABLE IF NOT EXISTS experiment (key TEXT PRIMARY KEY, "
                         "value TEXT NOT NULL) WITHOUT ROWID",
                         nullptr, nullptr, nullptr),
            "create"));
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"command", r.command},
      {"scenario_sha256", r.scenario_sha256},
      {"seed", std::to_string(r.seed)},
      {"replications", std::to_string(r.replications)},
      {"series", r.series ? "monthly" : "none"},
      {"design", r.design},
      {"points", std::to_string(r.points)},
      {"shard", r.shard},
  };
  sqlite3_stmt* s = nullptr;
  ORGSIM_RETURN_IF_ERROR(Check(
      db,
      sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO experiment VALUES (?, ?)", -1, &s, nullptr),
      "write"));
  Status status =
      Check(db, sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), "write");
  for (const auto& [key, value] : rows) {
    if (!status.ok()) break;
    sqlite3_reset(s);
    sqlite3_bind_text(s, 1, key.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, value.c_str(), -1, SQLITE_TRANSIENT);
    status = Check(db, sqlite3_step(s), "write");
  }
  sqlite3_finalize(s);
  if (status.ok()) {
    // The command that started the database stays; later resumes are in `batches`.
    status = Check(db,
                   sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO experiment VALUES ('argv', ?)", -1,
                                      &s, nullptr),
                   "write");
    if (status.ok()) {
      sqlite3_bind_text(s, 1, r.argv.c_str(), -1, SQLITE_TRANSIENT);
      status = Check(db, sqlite3_step(s), "write");
    }
    sqlite3_finalize(s);
  }
  if (status.ok()) {
    status = Check(db, sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), "write");
  }
  if (!status.ok()) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  return status;
}

StatusOr<std::optional<ExperimentRecord>> ReadExperimentRecord(const ResultsStore& store) {
  sqlite3* db = internal::DatabaseHandle(store);
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE name = 'experiment'", -1, &s,
                         nullptr) != SQLITE_OK) {
    return IoError(std::string("cannot read the experiment record: ") + sqlite3_errmsg(db));
  }
  const bool present = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) > 0;
  sqlite3_finalize(s);
  if (!present) return std::optional<ExperimentRecord>();
  std::map<std::string, std::string> values;
  if (sqlite3_prepare_v2(db, "SELECT key, value FROM experiment", -1, &s, nullptr) != SQLITE_OK) {
    return IoError(std::string("cannot read the experiment record: ") + sqlite3_errmsg(db));
  }
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    values[reinterpret_cast<const char*>(sqlite3_column_text(s, 0))] =
        reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
  }
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) {
    return IoError(std::string("cannot read the experiment record: ") + sqlite3_errmsg(db));
  }
  ExperimentRecord r;
  try {
    r.command = values["command"];
    r.scenario_sha256 = values["scenario_sha256"];
    r.seed = std::stoull(values["seed"]);
    r.replications = static_cast<std::uint32_t>(std::stoul(values["replications"]));
    r.series = values["series"] == "monthly";
    r.design = values["design"];
    r.points = std::stoull(values["points"]);
    r.shard = values["shard"];
    r.argv = values["argv"];
  } catch (const std::exception&) {
    return IoError("the experiment record is damaged (a number does not parse)");
  }
  return std::optional<ExperimentRecord>(std::move(r));
}

std::string ShardOfDatabase(const ResultsStore& store) {
  auto record = ReadExperimentRecord(store);
  if (record.ok() && record->has_value()) return (*record)->shard;
  sqlite3_stmt* s = nullptr;
  std::string shard;
  if (sqlite3_prepare_v2(internal::DatabaseHandle(store),
                         "SELECT shard FROM batches WHERE shard != '' ORDER BY batch LIMIT 1", -1,
                         &s, nullptr) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW) {
    shard = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  }
  sqlite3_finalize(s);
  return shard;
}

StatusOr<std::vector<std::uint32_t>> ShardsWithMissingKeys(const ResultsStore& store,
                                                           std::uint32_t shard_count) {
  const StoreManifest& m = store.manifest();
  const experiment::WorkPlan full{.points = static_cast<std::uint32_t>(m.design.size()),
                                  .arms = static_cast<std::uint32_t>(m.arms.size()),
                                  .replications = m.replications};
  auto stored = store.StoredKeys(full);
  if (!stored.ok()) return stored.status();
  std::set<std::uint32_t> shards;
  for (std::uint64_t u = 0; u < full.UnitCount(); ++u) {
    const experiment::RunKey key = full.Unit(u);
    if ((*stored)[full.DenseIndex(key)]) continue;
    shards.insert(experiment::ShardOf(key.point, key.replication, full.points,
                                      shard_count == 0 ? 1 : shard_count));
  }
  return std::vector<std::uint32_t>(shards.begin(), shards.end());
}

}  // namespace orgsim::io
