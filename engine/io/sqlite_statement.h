// SQLite plumbing shared by the results store and its reader (internal to
// engine/io: nothing outside this folder includes it, except tests that
// inject faults into a store's connection).
//
//   Statement s;
//   ORGSIM_RETURN_IF_ERROR(s.Prepare(db, "SELECT count(*) FROM runs"));
//   while ((rc = s.Step()) == SQLITE_ROW) ... s.Int(0) ...
//   ORGSIM_RETURN_IF_ERROR(StepDone(rc, db, path));  // DataLoss when corrupt
//
// Not thread-safe: a connection and its statements belong to one thread at
// a time (the store's owner).
#pragma once

#include <sqlite3.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "engine/base/status.h"

namespace orgsim::io {

class ResultsStore;

namespace internal {

// The connection of `store`, for engine/io's own files and fault-injection
// tests (the public ResultsStore API has no handle).
sqlite3* DatabaseHandle(const ResultsStore& store);

// A double-quoted SQL identifier ("a""b" for a"b).
std::string Quote(const std::string& name);

// A single-quoted SQL string literal.
std::string Literal(const std::string& text);

// A prepared statement that finalizes itself.
class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}
  Statement& operator=(Statement&& other) noexcept {
    std::swap(stmt_, other.stmt_);
    return *this;
  }
  ~Statement() { sqlite3_finalize(stmt_); }

  Status Prepare(sqlite3* db, const std::string& sql) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
      return IoError(std::string(sqlite3_errmsg(db)) + " (in: " + sql.substr(0, 200) + ")");
    }
    return Status::Ok();
  }
  sqlite3_stmt* get() const { return stmt_; }

  void Reset() {
    if (stmt_ == nullptr) return;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  void BindInt(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void BindDouble(int i, double v) {
    // SQLite stores NaN as NULL anyway; make it explicit.
    if (std::isnan(v)) {
      sqlite3_bind_null(stmt_, i);
    } else {
      sqlite3_bind_double(stmt_, i, v);
    }
  }
  void BindText(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void BindNull(int i) { sqlite3_bind_null(stmt_, i); }

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }

  std::int64_t Int(int c) const { return sqlite3_column_int64(stmt_, c); }
  double Double(int c) const {
    return sqlite3_column_type(stmt_, c) == SQLITE_NULL ? std::numeric_limits<double>::quiet_NaN()
                                                        : sqlite3_column_double(stmt_, c);
  }
  std::string Text(int c) const {
    const unsigned char* p = sqlite3_column_text(stmt_, c);
    return p == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(p),
                                      static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c)));
  }
  bool IsNull(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// Runs `sql` (no rows expected); IoError with SQLite's message.
Status Exec(sqlite3* db, const std::string& sql);

// The error that ended a row loop early (DataLoss for SQLITE_CORRUPT and
// SQLITE_NOTADB, else IoError naming `path`), or OK for SQLITE_DONE.
Status StepDone(int rc, sqlite3* db, const std::string& path);

// Runs a query that returns one integer.
StatusOr<std::int64_t> QueryInt(sqlite3* db, const std::string& sql, const std::string& path);

}  // namespace internal
}  // namespace orgsim::io
