#include "engine/io/results_store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/experiment/statistics.h"
#include "engine/io/atomic_file.h"
#include "engine/io/sqlite_statement.h"
#include "engine/io/store_integrity.h"
#include "engine/io/store_lock.h"

namespace orgsim::io {
namespace {

using experiment::DesignKind;
using internal::Exec;
using internal::Literal;
using internal::QueryInt;
using internal::Quote;
using internal::Statement;
using internal::StepDone;
using experiment::RunKey;
using experiment::RunRecord;

constexpr const char* kFixedRunColumns[] = {"point",     "arm",    "replication", "seed",
                                            "stream_key", "status", "error",       "fingerprint"};
constexpr const char* kFixedSeriesColumns[] = {"point", "arm", "replication", "month"};

double SteadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string HostName() {
  char buffer[256] = {};
  if (gethostname(buffer, sizeof(buffer) - 1) != 0) return "unknown";
  return buffer;
}

std::string Hex64(std::uint64_t value) {
  char buffer[17];
  std::snprintf(buffer, sizeof(buffer), "%016" PRIx64, value);
  return buffer;
}

std::string StreamKeyText(std::uint64_t seed, const RunKey& key) {
  return std::to_string(seed) + "/" + std::to_string(key.point) + "/" +
         std::to_string(key.replication);
}

std::string SchemaSql(const StoreManifest& m, bool row_checksums) {
  std::ostringstream sql;
  sql << "CREATE TABLE scenario (\n"
         "  id INTEGER PRIMARY KEY CHECK (id = 1),\n"
         "  name TEXT NOT NULL,\n"
         "  sha256 TEXT NOT NULL,\n"
         "  seed INTEGER NOT NULL,\n"
         "  replications INTEGER NOT NULL,\n"
         "  design TEXT NOT NULL,\n"
         "  points INTEGER NOT NULL,\n"
         "  baseline TEXT NOT NULL,\n"
         "  orgsim_version TEXT NOT NULL,\n"
         "  schema_version INTEGER NOT NULL,\n"
         "  text TEXT NOT NULL);\n"
         "CREATE TABLE arms (arm_index INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,\n"
         "  baseline INTEGER NOT NULL);\n"
         "CREATE TABLE metrics (metric_index INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,\n"
         "  unit TEXT NOT NULL);\n"
         "CREATE TABLE series (series_index INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"
         "CREATE TABLE parameters (parameter_index INTEGER PRIMARY KEY, path TEXT NOT NULL,\n"
         "  low REAL, high REAL, integer INTEGER NOT NULL, log_scale INTEGER NOT NULL);\n";
  sql << "CREATE TABLE points (point INTEGER PRIMARY KEY, block TEXT, sample INTEGER,\n"
         "  column_index INTEGER";
  for (const auto& p : m.design.parameters()) sql << ",\n  " << Quote(p.name) << " REAL NOT NULL";
  sql << ");\n";
  sql << "CREATE TABLE runs (\n"
         "  point INTEGER NOT NULL,\n"
         "  arm TEXT NOT NULL,\n"
         "  replication INTEGER NOT NULL,\n"
         "  seed INTEGER NOT NULL,\n"
         "  stream_key TEXT NOT NULL,\n"
         "  status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),\n"
         "  error TEXT,\n"
         "  fingerprint TEXT";
  for (const auto& metric : m.metrics) sql << ",\n  " << Quote(metric.name) << " REAL";
  sql << ",\n  PRIMARY KEY (point, arm, replication)) WITHOUT ROWID;\n";
  sql << "CREATE TABLE timeseries (\n"
         "  point INTEGER NOT NULL, arm TEXT NOT NULL, replication INTEGER NOT NULL,\n"
         "  month INTEGER NOT NULL";
  for (const auto& s : m.series) sql << ",\n  " << Quote(s) << " REAL";
  sql << ",\n  PRIMARY KEY (point, arm, replication, month)) WITHOUT ROWID;\n";
  sql << "CREATE TABLE batches (\n"
         "  batch INTEGER PRIMARY KEY AUTOINCREMENT,\n"
         "  command TEXT NOT NULL,\n"
         "  shard TEXT NOT NULL,\n"
         "  threads INTEGER NOT NULL,\n"
         "  host TEXT NOT NULL,\n"
         "  pid INTEGER NOT NULL,\n"
         "  orgsim_version TEXT NOT NULL,\n"
         "  started_at TEXT NOT NULL,\n"
         "  finished_at TEXT,\n"
         "  wall_seconds REAL,\n"
         "  runs_written INTEGER NOT NULL DEFAULT 0,\n"
         "  runs_failed INTEGER NOT NULL DEFAULT 0,\n"
         "  commits INTEGER NOT NULL DEFAULT 0,\n"
         "  status TEXT NOT NULL);\n";
  if (row_checksums) sql << kChecksumsTableSql;
  return sql.str();
}

Status CheckColumnNames(const StoreManifest& m) {
  std::set<std::string> names(std::begin(kFixedRunColumns), std::end(kFixedRunColumns));
  for (const auto& metric : m.metrics) {
    if (!names.insert(metric.name).second) {
      return InvalidArgumentError("metric name '" + metric.name +
                                              "' collides with another runs column");
    }
  }
  std::set<std::string> series(std::begin(kFixedSeriesColumns), std::end(kFixedSeriesColumns));
  for (const auto& s : m.series) {
    if (!series.insert(s).second) {
      return InvalidArgumentError("series name '" + s + "' collides");
    }
  }
  std::set<std::string> params = {"point", "block", "sample", "column_index"};
  for (const auto& p : m.design.parameters()) {
    if (!params.insert(p.name).second) {
      return InvalidArgumentError("sweep parameter '" + p.name +
                                              "' appears twice or collides with a points column");
    }
  }
  if (m.arms.empty() || m.baseline_arm >= m.arms.size()) {
    return InvalidArgumentError("the manifest needs arms and a valid baseline");
  }
  return Status::Ok();
}

Status WriteManifest(sqlite3* db, const StoreManifest& m) {
  Statement s;
  ORGSIM_RETURN_IF_ERROR(s.Prepare(
      db,
      "INSERT INTO scenario (id, name, sha256, seed, replications, design, points, baseline, "
      "orgsim_version, schema_version, text) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s.BindText(1, m.scenario_name);
  s.BindText(2, m.scenario_sha256);
  s.BindInt(3, static_cast<std::int64_t>(m.seed));
  s.BindInt(4, m.replications);
  s.BindText(5, experiment::DesignKindName(m.design.kind()));
  s.BindInt(6, static_cast<std::int64_t>(m.design.size()));
  s.BindText(7, m.arms[m.baseline_arm]);
  s.BindText(8, m.orgsim_version);
  s.BindInt(9, kResultsSchemaVersion);
  s.BindText(10, m.scenario_text);
  if (s.Step() != SQLITE_DONE) return IoError(sqlite3_errmsg(db));

  ORGSIM_RETURN_IF_ERROR(s.Prepare(db, "INSERT INTO arms VALUES (?, ?, ?)"));
  for (std::size_t i = 0; i < m.arms.size(); ++i) {
    s.Reset();
    s.BindInt(1, static_cast<std::int64_t>(i));
    s.BindText(2, m.arms[i]);
    s.BindInt(3, i == m.baseline_arm ? 1 : 0);
    if (s.Step() != SQLITE_DONE) return IoError(sqlite3_errmsg(db));
  }
  ORGSIM_RETURN_IF_ERROR(s.Prepare(db, "INSERT INTO metrics VALUES (?, ?, ?)"));
  for (std::size_t i = 0; i < m.metrics.size(); ++i) {
    s.Reset();
    s.BindInt(1, static_cast<std::int64_t>(i));
    s.BindText(2, m.metrics[i].name);
    s.BindText(3, m.metrics[i].unit);
    if (s.Step() != SQLITE_DONE) return IoError(sqlite3_errmsg(db));
  }
  ORGSIM_RETURN_IF_ERROR(s.Prepare(db, "INSERT INTO series VALUES (?, ?)"));
  for (std::size_t i = 0; i < m.series.size(); ++i) {
    s.Reset();
    s.BindInt(1, static_cast<std::int64_t>(i));
    s.BindText(2, m.series[i]);
    if (s.Step() != SQLITE_DONE) return IoError(sqlite3_errmsg(db));
  }
  const auto& params = m.design.parameters();
  ORGSIM_RETURN_IF_ERROR(s.Prepare(db, "INSERT INTO parameters VALUES (?, ?, ?, ?, ?, ?)"));
  for (std::size_t i = 0; i < params.size(); ++i) {
    s.Reset();
    s.BindInt(1, static_cast<std::int64_t>(i));
    s.BindText(2, params[i].name);
    s.BindDouble(3, params[i].low);
    s.BindDouble(4, params[i].high);
    s.BindInt(5, params[i].integer ? 1 : 0);
    s.BindInt(6, params[i].log_scale ? 1 : 0);
    if (s.Step() != SQLITE_DONE) return IoError(sqlite3_errmsg(db));
  }
  std::string sql = "INSERT INTO points VALUES (?, ?, ?, ?";
  for (std::size_t i = 0; i < params.size(); ++i) sql += ", ?";
  sql += ")";
  ORGSIM_RETURN_IF_ERROR(s.Prepare(db, sql));
  const bool saltelli = m.design.kind() == DesignKind::kSaltelli;
  for (std::size_t p = 0; p < m.design.size(); ++p) {
    s.Reset();
    s.BindInt(1, static_cast<std::int64_t>(p));
    if (saltelli) {
      const experiment::SaltelliRole& role = m.design.role(p);
      s.BindText(2, experiment::SaltelliBlockName(role.block));
      s.BindInt(3, role.sample);
      if (role.block == experiment::SaltelliRole::Block::kAB ||
          role.block == experiment::SaltelliRole::Block::kBA) {
        s.BindInt(4, role.column);
      }
    }
    const auto values = m.design.values(p);
    for (std::size_t i = 0; i < values.size(); ++i) {
      s.BindDouble(static_cast<int>(5 + i), values[i]);
    }
    if (s.Step() != SQLITE_DONE) return IoError(sqlite3_errmsg(db));
  }
  return Status::Ok();
}

DesignKind DesignKindFromName(const std::string& name) {
  if (name == "grid") return DesignKind::kGrid;
  if (name == "lhs") return DesignKind::kLatinHypercube;
  if (name == "saltelli") return DesignKind::kSaltelli;
  return DesignKind::kSinglePoint;
}

// Compares what identifies an experiment; `what` names the other side.
Status CompareManifests(const StoreManifest& stored, const StoreManifest& wanted,
                        const std::string& path, const std::string& what,
                        bool allow_more_replications) {
  auto mismatch = [&](const std::string& field, const std::string& a, const std::string& b) {
    return FailedPreconditionError(path + " holds results of " + field + " " + a +
                                               ", but " + what + " has " + b);
  };
  if (stored.scenario_sha256 != wanted.scenario_sha256) {
    return mismatch("scenario '" + stored.scenario_name + "' with sha256",
                    stored.scenario_sha256.substr(0, 12),
                    "sha256 " + wanted.scenario_sha256.substr(0, 12) +
                        " (the scenario file changed; use another --db)");
  }
  if (stored.seed != wanted.seed) {
    return mismatch("seed", std::to_string(stored.seed), "seed " + std::to_string(wanted.seed));
  }
  if (stored.design.kind() != wanted.design.kind() ||
      stored.design.size() != wanted.design.size()) {
    return mismatch("design", std::string(experiment::DesignKindName(stored.design.kind())) +
                                  " with " + std::to_string(stored.design.size()) + " points",
                    std::string(experiment::DesignKindName(wanted.design.kind())) + " with " +
                        std::to_string(wanted.design.size()) + " points");
  }
  if (stored.arms != wanted.arms) return mismatch("arms", "(stored list)", "another arm list");
  std::vector<std::string> a, b;
  for (const auto& m : stored.metrics) a.push_back(m.name);
  for (const auto& m : wanted.metrics) b.push_back(m.name);
  if (a != b) {
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    const std::string first_a = i < a.size() ? "'" + a[i] + "'" : "none";
    const std::string first_b = i < b.size() ? "'" + b[i] + "'" : "none";
    return FailedPreconditionError(
        path + " holds " + std::to_string(a.size()) + " metric columns and " + what + " has " +
        std::to_string(b.size()) + "; they first differ at column " + std::to_string(i + 1) + " (" +
        first_a + " vs " + first_b + "): another orgsim version's metric catalog");
  }
  if (stored.series != wanted.series) {
    const auto words = [](const std::vector<std::string>& series) {
      return series.empty() ? std::string("no time series") : std::string("monthly time series");
    };
    return FailedPreconditionError(path + " holds " + words(stored.series) + ", but " +
                                               what + " has " + words(wanted.series));
  }
  if (!allow_more_replications && stored.replications != wanted.replications) {
    return mismatch("replications", std::to_string(stored.replications),
                    std::to_string(wanted.replications) + " replications");
  }
  return Status::Ok();
}

}  // namespace

struct ResultsStore::Statements {
  Statement insert_run;
  Statement insert_series;
  Statement insert_checksum;
  Statement update_batch;
};

ResultsStore::ResultsStore(std::string path, sqlite3* db)
    : path_(std::move(path)), db_(db), statements_(std::make_unique<Statements>()) {}

ResultsStore::~ResultsStore() {
  statements_.reset();  // finalize before closing
  sqlite3_close_v2(db_);
}

Status ResultsStore::LoadManifest() {
  Statement s;
  Status status = s.Prepare(db_,
                            "SELECT name, sha256, seed, replications, design, baseline, "
                            "orgsim_version, text, schema_version FROM scenario WHERE id = 1");
  if (!status.ok()) return IoError(path_ + " is not an orgsim results database (no scenario table)");
  if (const int rc = s.Step(); rc != SQLITE_ROW) {
    if (rc != SQLITE_DONE) return StepDone(rc, db_, path_);
    return IoError(path_ + " is not an orgsim results database (no scenario row)");
  }
  StoreManifest& m = manifest_;
  m.scenario_name = s.Text(0);
  m.scenario_sha256 = s.Text(1);
  m.seed = static_cast<std::uint64_t>(s.Int(2));
  m.replications = static_cast<std::uint32_t>(s.Int(3));
  const DesignKind kind = DesignKindFromName(s.Text(4));
  const std::string baseline = s.Text(5);
  m.orgsim_version = s.Text(6);
  m.scenario_text = s.Text(7);
  if (s.Int(8) != kResultsSchemaVersion) {
    return FailedPreconditionError(path_ + " has results schema version " +
                                               std::to_string(s.Int(8)) + "; this orgsim reads " +
                                               std::to_string(kResultsSchemaVersion));
  }
  ORGSIM_RETURN_IF_ERROR(s.Prepare(db_, "SELECT name, baseline FROM arms ORDER BY arm_index"));
  m.arms.clear();
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    if (s.Int(1) != 0) m.baseline_arm = static_cast<std::uint32_t>(m.arms.size());
    m.arms.push_back(s.Text(0));
  }
  ORGSIM_RETURN_IF_ERROR(StepDone(rc, db_, path_));
  (void)baseline;
  ORGSIM_RETURN_IF_ERROR(s.Prepare(db_, "SELECT name, unit FROM metrics ORDER BY metric_index"));
  m.metrics.clear();
  while ((rc = s.Step()) == SQLITE_ROW) m.metrics.push_back({s.Text(0), s.Text(1)});
  ORGSIM_RETURN_IF_ERROR(StepDone(rc, db_, path_));
  ORGSIM_RETURN_IF_ERROR(s.Prepare(db_, "SELECT name FROM series ORDER BY series_index"));
  m.series.clear();
  while ((rc = s.Step()) == SQLITE_ROW) m.series.push_back(s.Text(0));
  ORGSIM_RETURN_IF_ERROR(StepDone(rc, db_, path_));
  std::vector<experiment::ParameterRange> params;
  ORGSIM_RETURN_IF_ERROR(s.Prepare(
      db_, "SELECT path, low, high, integer, log_scale FROM parameters ORDER BY parameter_index"));
  while ((rc = s.Step()) == SQLITE_ROW) {
    params.push_back({.name = s.Text(0), .low = s.Double(1), .high = s.Double(2),
                      .integer = s.Int(3) != 0, .log_scale = s.Int(4) != 0});
  }
  ORGSIM_RETURN_IF_ERROR(StepDone(rc, db_, path_));
  std::string sql = "SELECT block, sample, column_index";
  for (const auto& p : params) sql += ", " + Quote(p.name);
  sql += " FROM points ORDER BY point";
  ORGSIM_RETURN_IF_ERROR(s.Prepare(db_, sql));
  std::vector<double> values;
  std::vector<experiment::SaltelliRole> roles;
  std::size_t points = 0;
  while ((rc = s.Step()) == SQLITE_ROW) {
    ++points;
    if (kind == DesignKind::kSaltelli) {
      const std::string block = s.Text(0);
      experiment::SaltelliRole role;
      role.block = block == "A"    ? experiment::SaltelliRole::Block::kA
                   : block == "B"  ? experiment::SaltelliRole::Block::kB
                   : block == "AB" ? experiment::SaltelliRole::Block::kAB
                                   : experiment::SaltelliRole::Block::kBA;
      role.sample = static_cast<std::uint32_t>(s.Int(1));
      role.column = static_cast<std::uint32_t>(s.Int(2));
      roles.push_back(role);
    }
    for (std::size_t i = 0; i < params.size(); ++i) values.push_back(s.Double(static_cast<int>(3 + i)));
  }
  ORGSIM_RETURN_IF_ERROR(StepDone(rc, db_, path_));
  if (params.empty() && points != 1) {
    return IoError(path_ + ": points table is inconsistent with its parameters");
  }
  m.design = experiment::Design(kind, std::move(params), std::move(values), std::move(roles));
  checksums_ = HasChecksums(db_);
  return Status::Ok();
}

Status ResultsStore::Verify() const { return VerifyResultsDatabase(db_, path_, &integrity_note_); }

StatusOr<std::unique_ptr<ResultsStore>> ResultsStore::OpenForWriting(const std::string& path,
                                                                     const StoreManifest& manifest,
                                                                     const OpenOptions& options) {
  ORGSIM_RETURN_IF_ERROR(CheckColumnNames(manifest));
  std::error_code ec;
  const bool existed = std::filesystem::exists(path, ec);
  if (existed && !std::filesystem::is_regular_file(path, ec)) {
    // SQLite would open /dev/null and create /dev/null-journal next to it.
    return InvalidArgumentError(
        path + " is not a regular file; --db takes the path of a results database to create "
               "or resume");
  }
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!existed && !parent.empty()) {
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return IoError("cannot create folder " + parent.string() + " for " + path + ": " +
                     ec.message());
    }
  }
  auto lock = WriterLock::Acquire(path);
  if (!lock.ok()) return lock.status();
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                 nullptr);
  std::unique_ptr<ResultsStore> store(new ResultsStore(path, raw));
  store->lock_ = std::move(*lock);
  if (rc != SQLITE_OK) {
    return IoError("cannot open " + path + " for writing: " +
                   (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3* db = store->db_;
  sqlite3_busy_timeout(db, 10000);
  if (existed) ORGSIM_RETURN_IF_ERROR(store->Verify());
  // WAL: readers never block the writer, and a killed writer leaves the
  // database consistent. synchronous=NORMAL is durable against process
  // crashes (SIGKILL); an OS crash may drop the last transactions but never
  // corrupts.
  Status status = Exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
  if (!status.ok()) {
    return IoError("cannot use " + path + " as a results database: " + status.message());
  }
  if (options.max_page_count > 0) {
    ORGSIM_RETURN_IF_ERROR(
        Exec(db, "PRAGMA max_page_count=" + std::to_string(options.max_page_count)));
  }
  auto has_scenario = QueryInt(db, "SELECT count(*) FROM sqlite_master WHERE name = 'scenario'", path);
  if (!has_scenario.ok()) {
    return IoError(path + " is not an SQLite database (" + has_scenario.status().message() + ")");
  }
  if (*has_scenario == 0) {
    auto tables = QueryInt(db, "SELECT count(*) FROM sqlite_master", path);
    if (!tables.ok() || *tables != 0) {
      return FailedPreconditionError(
          path + " is an SQLite database but not an orgsim results database; use another --db");
    }
    ORGSIM_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
    Status created = Exec(db, SchemaSql(manifest, options.row_checksums));
    if (created.ok()) created = WriteManifest(db, manifest);
    if (!created.ok()) {
      (void)Exec(db, "ROLLBACK");
      return IoError("cannot create results database " + path + ": " + created.message());
    }
    status = Exec(db, "COMMIT");
    if (!status.ok()) {
      return IoError("cannot create results database " + path + ": " + status.message());
    }
  } else {
    ORGSIM_RETURN_IF_ERROR(store->LoadManifest());
    ORGSIM_RETURN_IF_ERROR(CompareManifests(store->manifest_, manifest, path, "this experiment",
                                            /*allow_more_replications=*/true));
    auto runs = QueryInt(db, "SELECT count(*) FROM runs", path);
    if (!runs.ok()) return runs.status();
    if (*runs > 0 && !options.resume) {
      return FailedPreconditionError(
          path + " already holds " + std::to_string(*runs) + " runs of scenario '" +
          store->manifest_.scenario_name +
          "'; pass --resume to continue it (stored runs are skipped), or --db to write elsewhere");
    }
    if (manifest.replications > store->manifest_.replications) {
      ORGSIM_RETURN_IF_ERROR(Exec(db, "UPDATE scenario SET replications = " +
                                          std::to_string(manifest.replications) +
                                          " WHERE id = 1"));
    }
  }
  ORGSIM_RETURN_IF_ERROR(store->LoadManifest());

  // Prepared inserts.
  const StoreManifest& m = store->manifest_;
  std::string sql = "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?";
  for (std::size_t i = 0; i < m.metrics.size(); ++i) sql += ", ?";
  sql += ")";
  ORGSIM_RETURN_IF_ERROR(store->statements_->insert_run.Prepare(db, sql));
  sql = "INSERT INTO timeseries VALUES (?, ?, ?, ?";
  for (std::size_t i = 0; i < m.series.size(); ++i) sql += ", ?";
  sql += ")";
  ORGSIM_RETURN_IF_ERROR(store->statements_->insert_series.Prepare(db, sql));
  if (store->checksums_) {
    ORGSIM_RETURN_IF_ERROR(store->statements_->insert_checksum.Prepare(
        db, "INSERT INTO checksums VALUES (?, ?, ?, ?, ?)"));
  }
  ORGSIM_RETURN_IF_ERROR(store->statements_->update_batch.Prepare(
      db,
      "UPDATE batches SET finished_at = ?, wall_seconds = ?, runs_written = ?, runs_failed = ?, "
      "commits = ?, status = ? WHERE batch = ?"));
  return store;
}

StatusOr<std::unique_ptr<ResultsStore>> ResultsStore::OpenReadOnly(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return NotFoundError("no results database at " + path);
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<ResultsStore> store(new ResultsStore(path, raw));
  if (rc != SQLITE_OK) {
    return IoError("cannot open " + path + ": " +
                   (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(store->db_, 10000);
  ORGSIM_RETURN_IF_ERROR(store->Verify());
  ORGSIM_RETURN_IF_ERROR(store->LoadManifest());
  return store;
}

Status ResultsStore::BeginBatch(const BatchInfo& info) {
  Statement s;
  ORGSIM_RETURN_IF_ERROR(s.Prepare(
      db_,
      "INSERT INTO batches (command, shard, threads, host, pid, orgsim_version, started_at, "
      "status) VALUES (?, ?, ?, ?, ?, ?, ?, 'running')"));
  s.BindText(1, info.command);
  s.BindText(2, info.shard);
  s.BindInt(3, info.threads);
  s.BindText(4, HostName());
  s.BindInt(5, static_cast<std::int64_t>(getpid()));
  s.BindText(6, manifest_.orgsim_version);
  s.BindText(7, UtcNow());
  if (s.Step() != SQLITE_DONE) {
    return IoError("cannot write to " + path_ + ": " + sqlite3_errmsg(db_));
  }
  batch_id_ = sqlite3_last_insert_rowid(db_);
  batch_written_ = batch_failed_ = batch_commits_ = 0;
  batch_started_ = SteadySeconds();
  return Status::Ok();
}

Status ResultsStore::EndBatch(const std::string& status) {
  if (batch_id_ == 0) return Status::Ok();
  Statement& u = statements_->update_batch;
  u.Reset();
  u.BindText(1, UtcNow());
  u.BindDouble(2, SteadySeconds() - batch_started_);
  u.BindInt(3, static_cast<std::int64_t>(batch_written_));
  u.BindInt(4, static_cast<std::int64_t>(batch_failed_));
  u.BindInt(5, static_cast<std::int64_t>(batch_commits_));
  u.BindText(6, status);
  u.BindInt(7, batch_id_);
  const int rc = u.Step();
  u.Reset();
  batch_id_ = 0;
  if (rc != SQLITE_DONE) return IoError("cannot update " + path_ + ": " + sqlite3_errmsg(db_));
  return Status::Ok();
}

Status ResultsStore::Write(std::span<const RunRecord> records) {
  if (records.empty()) return Status::Ok();
  auto fail = [&](const std::string& what) {
    const std::string message = sqlite3_errmsg(db_);
    const int code = sqlite3_errcode(db_);
    (void)Exec(db_, "ROLLBACK");
    std::string hint;
    if (code == SQLITE_FULL) {
      hint = " (the disk or the database size limit is full)";
    } else if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_IOERR ||
               code == SQLITE_PERM) {
      hint = " (the file or its folder is not writable)";
    }
    return IoError("writing " + std::to_string(records.size()) + " runs to " + path_ +
                   " failed while " + what + ": " + message + hint +
                   ". This batch was rolled back; the runs committed before it are intact. Free "
                   "space or fix the path, then rerun with --resume.");
  };
  if (Status s = Exec(db_, "BEGIN IMMEDIATE"); !s.ok()) return fail("starting a transaction");
  Statement& insert = statements_->insert_run;
  Statement& series = statements_->insert_series;
  Statement& checksum = statements_->insert_checksum;
  const std::size_t metric_count = manifest_.metrics.size();
  const std::size_t series_width = manifest_.series.size();
  std::uint64_t failed = 0;
  for (const RunRecord& r : records) {
    if (r.key.arm >= manifest_.arms.size()) {
      (void)Exec(db_, "ROLLBACK");
      return InternalError("record with arm index " + std::to_string(r.key.arm));
    }
    const std::string& arm = manifest_.arms[r.key.arm];
    // The digest follows the row's columns in order (store_integrity.h).
    RowDigest digest;
    const std::string stream_key = StreamKeyText(manifest_.seed, r.key);
    const std::int64_t seed = static_cast<std::int64_t>(manifest_.seed);
    insert.Reset();
    insert.BindInt(1, r.key.point);
    insert.BindText(2, arm);
    insert.BindInt(3, r.key.replication);
    insert.BindInt(4, seed);
    insert.BindText(5, stream_key);
    insert.BindText(6, r.ok ? "ok" : "failed");
    digest.AddInt(r.key.point);
    digest.AddText(arm);
    digest.AddInt(r.key.replication);
    digest.AddInt(seed);
    digest.AddText(stream_key);
    digest.AddText(r.ok ? "ok" : "failed");
    if (r.ok) {
      const std::string fingerprint = Hex64(r.fingerprint);
      insert.BindNull(7);
      insert.BindText(8, fingerprint);
      digest.AddNull();
      digest.AddText(fingerprint);
      if (r.metrics.size() != metric_count) {
        (void)Exec(db_, "ROLLBACK");
        return InternalError("record has " + std::to_string(r.metrics.size()) +
                                         " metrics, the store " + std::to_string(metric_count));
      }
      for (std::size_t i = 0; i < metric_count; ++i) {
        insert.BindDouble(static_cast<int>(9 + i), r.metrics[i]);
        digest.AddDouble(r.metrics[i]);
      }
    } else {
      ++failed;
      insert.BindText(7, r.error);
      insert.BindNull(8);
      digest.AddText(r.error);
      digest.AddNull();
      for (std::size_t i = 0; i < metric_count; ++i) digest.AddNull();
    }
    if (insert.Step() != SQLITE_DONE) {
      return fail("inserting run (point " + std::to_string(r.key.point) + ", arm " + arm +
                  ", replication " + std::to_string(r.key.replication) + ")");
    }
    RowDigest series_digest;
    if (r.ok && series_width > 0 && !r.series.empty()) {
      const std::size_t months = r.series.size() / series_width;
      for (std::size_t month = 0; month < months; ++month) {
        series.Reset();
        series.BindInt(1, r.key.point);
        series.BindText(2, arm);
        series.BindInt(3, r.key.replication);
        series.BindInt(4, static_cast<std::int64_t>(month));
        series_digest.AddInt(r.key.point);
        series_digest.AddText(arm);
        series_digest.AddInt(r.key.replication);
        series_digest.AddInt(static_cast<std::int64_t>(month));
        for (std::size_t c = 0; c < series_width; ++c) {
          const double value = r.series[month * series_width + c];
          series.BindDouble(static_cast<int>(5 + c), value);
          series_digest.AddDouble(value);
        }
        if (series.Step() != SQLITE_DONE) return fail("inserting a time series");
      }
    }
    if (checksums_) {
      checksum.Reset();
      checksum.BindInt(1, r.key.point);
      checksum.BindText(2, arm);
      checksum.BindInt(3, r.key.replication);
      checksum.BindInt(4, digest.value());
      checksum.BindInt(5, series_digest.value());
      if (checksum.Step() != SQLITE_DONE) return fail("inserting a checksum");
    }
  }
  if (batch_id_ != 0) {
    Statement& u = statements_->update_batch;
    u.Reset();
    u.BindText(1, UtcNow());
    u.BindDouble(2, SteadySeconds() - batch_started_);
    u.BindInt(3, static_cast<std::int64_t>(batch_written_ + records.size()));
    u.BindInt(4, static_cast<std::int64_t>(batch_failed_ + failed));
    u.BindInt(5, static_cast<std::int64_t>(batch_commits_ + 1));
    u.BindText(6, "running");
    u.BindInt(7, batch_id_);
    if (u.Step() != SQLITE_DONE) return fail("updating the batches table");
  }
  if (Exec(db_, "COMMIT").ok() == false) return fail("committing");
  insert.Reset();
  series.Reset();
  checksum.Reset();
  batch_written_ += records.size();
  batch_failed_ += failed;
  ++batch_commits_;
  return Status::Ok();
}

StatusOr<std::vector<bool>> ResultsStore::StoredKeys(const experiment::WorkPlan& plan) const {
  std::map<std::string, std::uint32_t> arm_index;
  for (std::size_t i = 0; i < manifest_.arms.size(); ++i) {
    arm_index[manifest_.arms[i]] = static_cast<std::uint32_t>(i);
  }
  std::vector<bool> done(plan.TotalUnits(), false);
  Statement s;
  ORGSIM_RETURN_IF_ERROR(s.Prepare(db_, "SELECT point, arm, replication FROM runs"));
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    const auto it = arm_index.find(s.Text(1));
    if (it == arm_index.end()) continue;
    const RunKey key{static_cast<std::uint32_t>(s.Int(0)), it->second,
                     static_cast<std::uint32_t>(s.Int(2))};
    if (key.point >= plan.points || key.replication >= plan.replications) continue;
    done[plan.DenseIndex(key)] = true;
  }
  ORGSIM_RETURN_IF_ERROR(StepDone(rc, db_, path_));
  return done;
}

StatusOr<std::uint64_t> ResultsStore::DeleteFailedRuns() {
  auto failed = CountRuns(true);
  if (!failed.ok() || *failed == 0) return failed;
  const std::string failed_keys =
      " WHERE (point, arm, replication) IN (SELECT point, arm, replication FROM runs WHERE "
      "status = 'failed')";
  Status status = Exec(db_, "BEGIN IMMEDIATE");
  if (status.ok() && checksums_) status = Exec(db_, "DELETE FROM checksums" + failed_keys);
  if (status.ok()) status = Exec(db_, "DELETE FROM timeseries" + failed_keys);
  if (status.ok()) status = Exec(db_, "DELETE FROM runs WHERE status = 'failed'");
  if (status.ok()) status = Exec(db_, "COMMIT");
  if (!status.ok()) {
    (void)Exec(db_, "ROLLBACK");
    return IoError("cannot delete the failed runs of " + path_ + ": " + status.message());
  }
  return failed;
}

StatusOr<std::uint64_t> ResultsStore::CountRuns(bool failed_only) const {
  auto n = QueryInt(db_, failed_only ? "SELECT count(*) FROM runs WHERE status = 'failed'"
                                     : "SELECT count(*) FROM runs",
                  path_);
  if (!n.ok()) return n.status();
  return static_cast<std::uint64_t>(*n);
}

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
Status CopyShards(sqlite3* db, const StoreManifest& manifest, const std::vector<std::string>& shards,
                  bool copy_checksums, const std::string& output) {
  std::string run_columns, series_columns;
  for (const char* c : kFixedRunColumns) run_columns += std::string(run_columns.empty() ? "" : ", ") + c;
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
    return FailedPreconditionError(output +
                                               " already exists; merge writes a new database");
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
    return fail(FailedPreconditionError(
        output + " appeared while merging; the merge was not written"));
  }
  if (std::rename(tmp.c_str(), output.c_str()) != 0) {
    return fail(IoError("cannot rename " + tmp + " to " + output + ": " + std::strerror(errno)));
  }
  RemoveDatabaseFiles(tmp);  // an empty -wal/-shm of the temporary name, if any
  return report;
}

}  // namespace orgsim::io
