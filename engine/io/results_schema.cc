#include "engine/io/results_schema.h"

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/io/sqlite_statement.h"
#include "engine/io/store_integrity.h"

namespace orgsim::io::internal {

using experiment::DesignKind;

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
  if (name == "explore") return DesignKind::kExplore;
  return DesignKind::kSinglePoint;
}

// Compares what identifies an experiment; `what` names the other side.
Status CompareManifests(const StoreManifest& stored, const StoreManifest& wanted,
                        const std::string& path, const std::string& what,
                        bool allow_more_replications) {
  auto mismatch = [&](const std::string& field, const std::string& a, const std::string& b) {
    return FailedPreconditionError(path + " holds results of " + field + " " + a + ", but " + what +
                                   " has " + b);
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
    return mismatch("design",
                    std::string(experiment::DesignKindName(stored.design.kind())) + " with " +
                        std::to_string(stored.design.size()) + " points",
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
    return FailedPreconditionError(path + " holds " + words(stored.series) + ", but " + what +
                                   " has " + words(wanted.series));
  }
  if (!allow_more_replications && stored.replications != wanted.replications) {
    return mismatch("replications", std::to_string(stored.replications),
                    std::to_string(wanted.replications) + " replications");
  }
  return Status::Ok();
}

}  // namespace orgsim::io::internal
