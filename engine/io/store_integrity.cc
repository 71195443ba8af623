#include "engine/io/store_integrity.h"

#include <sqlite3.h>

#include <cmath>
#include <cstring>
#include <string>

namespace orgsim::io {
namespace {

enum Tag : unsigned char { kNull = 0, kInt = 1, kDouble = 2, kText = 3, kBlob = 4 };

// Finalizes on scope exit.
struct Query {
  Query(sqlite3* db, const char* sql) { rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr); }
  ~Query() { sqlite3_finalize(stmt); }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  sqlite3_stmt* stmt = nullptr;
  int rc = SQLITE_OK;
};

std::string ColumnText(sqlite3_stmt* stmt, int c) {
  const unsigned char* p = sqlite3_column_text(stmt, c);
  return p == nullptr ? std::string()
                      : std::string(reinterpret_cast<const char*>(p),
                                    static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)));
}

// The (point, arm, replication) of columns 0..2.
struct Key {
  std::int64_t point = 0;
  std::string arm;
  std::int64_t replication = 0;
  static Key Of(sqlite3_stmt* stmt) {
    return {sqlite3_column_int64(stmt, 0), ColumnText(stmt, 1), sqlite3_column_int64(stmt, 2)};
  }
  bool operator==(const Key&) const = default;
  std::string ToString() const {
    return "(point " + std::to_string(point) + ", arm " + arm + ", replication " +
           std::to_string(replication) + ")";
  }
};

Status QuickCheck(sqlite3* db, const std::string& path) {
  Query q(db, "PRAGMA quick_check(3)");
  if (q.rc == SQLITE_NOTADB) {
    return IoError(path + " is not an SQLite database (" + sqlite3_errmsg(db) + ")");
  }
  if (q.rc != SQLITE_OK) return DamagedDatabaseError(path, sqlite3_errmsg(db));
  std::string problems;
  int rc;
  while ((rc = sqlite3_step(q.stmt)) == SQLITE_ROW) {
    std::string line = ColumnText(q.stmt, 0);
    if (line == "ok") continue;
    const std::string header = "*** in database main ***\n";
    if (line.rfind(header, 0) == 0) line.erase(0, header.size());
    for (char& c : line) {
      if (c == '\n') c = ' ';
    }
    problems += (problems.empty() ? "" : "; ") + line;
  }
  if (rc != SQLITE_DONE) return DamagedDatabaseError(path, sqlite3_errmsg(db));
  if (!problems.empty()) return DamagedDatabaseError(path, "quick_check: " + problems);
  return Status::Ok();
}

// `fixed`, then the names in `table` (in index order) as quoted
// identifiers: the digested columns of runs (metrics) or timeseries (series).
Status DigestedColumns(sqlite3* db, const std::string& path, const char* fixed, const char* table,
                       std::string* columns) {
  *columns = fixed;
  // metric_index / series_index are the INTEGER PRIMARY KEY, i.e. the rowid.
  const std::string sql = std::string("SELECT name FROM ") + table + " ORDER BY rowid";
  Query q(db, sql.c_str());
  if (q.rc != SQLITE_OK) return DamagedDatabaseError(path, sqlite3_errmsg(db));
  int rc;
  while ((rc = sqlite3_step(q.stmt)) == SQLITE_ROW) {
    *columns += ", \"";
    for (char c : ColumnText(q.stmt, 0))
      *columns += c == '"' ? std::string("\"\"") : std::string(1, c);
    *columns += '"';
  }
  if (rc != SQLITE_DONE) return DamagedDatabaseError(path, sqlite3_errmsg(db));
  return Status::Ok();
}

// Recomputes the checksums: runs and checksums are stepped in the same key
// order and must pair up one to one; timeseries rows are folded per key.
Status VerifyChecksums(sqlite3* db, const std::string& path) {
  auto failed = [&](const std::string& what) { return DamagedDatabaseError(path, what); };
  auto sql_error = [&]() { return failed(sqlite3_errmsg(db)); };
  std::string run_columns, series_columns;
  ORGSIM_RETURN_IF_ERROR(DigestedColumns(db, path, kDigestedRunColumns, "metrics", &run_columns));
  ORGSIM_RETURN_IF_ERROR(
      DigestedColumns(db, path, kDigestedSeriesColumns, "series", &series_columns));
  const std::string runs_sql =
      "SELECT " + run_columns + " FROM runs ORDER BY point, arm, replication";
  Query runs(db, runs_sql.c_str());
  Query sums(db,
             "SELECT point, arm, replication, run FROM checksums ORDER BY point, arm, replication");
  if (runs.rc != SQLITE_OK || sums.rc != SQLITE_OK) return sql_error();
  const int columns = sqlite3_column_count(runs.stmt);
  for (;;) {
    const int r = sqlite3_step(runs.stmt);
    const int c = sqlite3_step(sums.stmt);
    if (r == SQLITE_DONE && c == SQLITE_DONE) break;
    if ((r != SQLITE_ROW && r != SQLITE_DONE) || (c != SQLITE_ROW && c != SQLITE_DONE)) {
      return sql_error();
    }
    if (r != SQLITE_ROW)
      return failed("checksum of a missing runs row " + Key::Of(sums.stmt).ToString());
    if (c != SQLITE_ROW)
      return failed("runs row " + Key::Of(runs.stmt).ToString() + " has no checksum");
    const Key key = Key::Of(runs.stmt);
    if (!(key == Key::Of(sums.stmt))) {
      return failed("runs row " + key.ToString() + " does not match the checksum keys");
    }
    RowDigest digest;
    for (int i = 0; i < columns; ++i) digest.AddColumn(runs.stmt, i);
    if (digest.value() != sqlite3_column_int64(sums.stmt, 3)) {
      return failed("runs row " + key.ToString() + " does not match its checksum");
    }
  }

  const std::string series_sql =
      "SELECT " + series_columns + " FROM timeseries ORDER BY point, arm, replication, month";
  Query series(db, series_sql.c_str());
  Query series_sums(db,
                    "SELECT point, arm, replication, series FROM checksums "
                    "ORDER BY point, arm, replication");
  if (series.rc != SQLITE_OK || series_sums.rc != SQLITE_OK) return sql_error();
  const int series_width = sqlite3_column_count(series.stmt);
  int s = sqlite3_step(series.stmt);
  int c;
  while ((c = sqlite3_step(series_sums.stmt)) == SQLITE_ROW) {
    const Key key = Key::Of(series_sums.stmt);
    RowDigest digest;
    while (s == SQLITE_ROW && Key::Of(series.stmt) == key) {
      for (int i = 0; i < series_width; ++i) digest.AddColumn(series.stmt, i);
      s = sqlite3_step(series.stmt);
    }
    if (s != SQLITE_ROW && s != SQLITE_DONE) return sql_error();
    if (digest.value() != sqlite3_column_int64(series_sums.stmt, 3)) {
      return failed("the time series of run " + key.ToString() + " does not match its checksum");
    }
  }
  if (c != SQLITE_DONE) return sql_error();
  if (s == SQLITE_ROW) {
    return failed("timeseries row of run " + Key::Of(series.stmt).ToString() + " has no checksum");
  }
  if (s != SQLITE_DONE) return sql_error();
  return Status::Ok();
}

}  // namespace

void RowDigest::Bytes(const void* data, std::size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    hash_ ^= p[i];
    hash_ *= 0x100000001b3ULL;
  }
}

void RowDigest::AddNull() {
  const unsigned char tag = kNull;
  Bytes(&tag, 1);
}

void RowDigest::AddInt(std::int64_t value) {
  const unsigned char tag = kInt;
  Bytes(&tag, 1);
  Bytes(&value, sizeof(value));
}

void RowDigest::AddDouble(double value) {
  if (std::isnan(value)) return AddNull();
  if (value == 0) value = 0;  // SQLite may store -0.0 as the integer 0
  const unsigned char tag = kDouble;
  Bytes(&tag, 1);
  Bytes(&value, sizeof(value));
}

void RowDigest::AddText(std::string_view text) {
  const unsigned char tag = kText;
  Bytes(&tag, 1);
  const std::uint64_t size = text.size();
  Bytes(&size, sizeof(size));
  Bytes(text.data(), text.size());
}

void RowDigest::AddColumn(sqlite3_stmt* stmt, int c) {
  switch (sqlite3_column_type(stmt, c)) {
    case SQLITE_NULL:
      return AddNull();
    case SQLITE_INTEGER:
      return AddInt(sqlite3_column_int64(stmt, c));
    case SQLITE_FLOAT:
      return AddDouble(sqlite3_column_double(stmt, c));
    case SQLITE_TEXT:
      return AddText(ColumnText(stmt, c));
    default: {  // never written; a flipped serial type can turn text into a blob
      const unsigned char tag = kBlob;
      Bytes(&tag, 1);
      const void* data = sqlite3_column_blob(stmt, c);
      Bytes(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)));
    }
  }
}

Status DamagedDatabaseError(const std::string& path, const std::string& detail) {
  return DataLossError("the database is damaged at " + path + " (" + detail +
                       "); the runs it holds cannot be trusted; rerun into a new --db");
}

bool HasChecksums(sqlite3* db) {
  Query q(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'checksums'");
  return q.rc == SQLITE_OK && sqlite3_step(q.stmt) == SQLITE_ROW &&
         sqlite3_column_int64(q.stmt, 0) > 0;
}

Status VerifyResultsDatabase(sqlite3* db, const std::string& path, std::string* note) {
  note->clear();
  // One read transaction: a concurrent writer's commits never split the scan.
  if (sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return DamagedDatabaseError(path, sqlite3_errmsg(db));
  }
  Status status = QuickCheck(db, path);
  if (status.ok()) {
    if (HasChecksums(db)) {
      status = VerifyChecksums(db, path);
    } else {
      Query runs(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'runs'");
      if (runs.rc == SQLITE_OK && sqlite3_step(runs.stmt) == SQLITE_ROW &&
          sqlite3_column_int64(runs.stmt, 0) > 0) {
        *note = path +
                " has no row checksums (an older orgsim wrote it): SQLite's page checks "
                "passed, but a changed value inside a row cannot be detected";
      }
    }
  }
  (void)sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  return status;
}

}  // namespace orgsim::io
