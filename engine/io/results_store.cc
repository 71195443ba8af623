#include "engine/io/results_store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
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
#include "engine/io/results_schema.h"
#include "engine/io/sqlite_statement.h"
#include "engine/io/store_integrity.h"
#include "engine/io/store_lock.h"

namespace orgsim::io {
namespace {

using experiment::DesignKind;
using experiment::RunKey;
using experiment::RunRecord;
using internal::CheckColumnNames;
using internal::CompareManifests;
using internal::DesignKindFromName;
using internal::Exec;
using internal::Literal;
using internal::QueryInt;
using internal::Quote;
using internal::SchemaSql;
using internal::Statement;
using internal::StepDone;
using internal::WriteManifest;

double SteadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
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

// The run's kernel::StreamKey (seed / design point / replication) as text;
// an explore design keys every point's replication r alike.
std::string StreamKeyText(std::uint64_t seed, DesignKind kind, const RunKey& key) {
  return std::to_string(seed) + "/" +
         std::to_string(experiment::StreamDesignPoint(kind, key.point)) + "/" +
         std::to_string(key.replication);
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
  if (!status.ok())
    return IoError(path_ + " is not an orgsim results database (no scenario table)");
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
    params.push_back({.name = s.Text(0),
                      .low = s.Double(1),
                      .high = s.Double(2),
                      .integer = s.Int(3) != 0,
                      .log_scale = s.Int(4) != 0});
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
    for (std::size_t i = 0; i < params.size(); ++i)
      values.push_back(s.Double(static_cast<int>(3 + i)));
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
        path +
        " is not a regular file; --db takes the path of a results database to create "
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
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  std::unique_ptr<ResultsStore> store(new ResultsStore(path, raw));
  store->lock_ = std::move(*lock);
  if (rc != SQLITE_OK) {
    return IoError("cannot open " + path +
                   " for writing: " + (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
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
  auto has_scenario =
      QueryInt(db, "SELECT count(*) FROM sqlite_master WHERE name = 'scenario'", path);
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
                                          std::to_string(manifest.replications) + " WHERE id = 1"));
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
    const std::string stream_key = StreamKeyText(manifest_.seed, manifest_.design.kind(), r.key);
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
  auto n = QueryInt(db_,
                    failed_only ? "SELECT count(*) FROM runs WHERE status = 'failed'"
                                : "SELECT count(*) FROM runs",
                    path_);
  if (!n.ok()) return n.status();
  return static_cast<std::uint64_t>(*n);
}

}  // namespace orgsim::io
