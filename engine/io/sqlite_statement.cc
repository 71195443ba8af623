#include "engine/io/sqlite_statement.h"

#include "engine/io/results_store.h"
#include "engine/io/store_integrity.h"

namespace orgsim::io::internal {

sqlite3* DatabaseHandle(const ResultsStore& store) { return store.db_; }

std::string Quote(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Literal(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

Status Exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errmsg(db);
    sqlite3_free(error);
    return IoError(message);
  }
  return Status::Ok();
}

Status StepDone(int rc, sqlite3* db, const std::string& path) {
  if (rc == SQLITE_DONE) return Status::Ok();
  if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) {
    return DamagedDatabaseError(path, sqlite3_errmsg(db));
  }
  return IoError(path + ": " + sqlite3_errmsg(db));
}

StatusOr<std::int64_t> QueryInt(sqlite3* db, const std::string& sql, const std::string& path) {
  Statement s;
  ORGSIM_RETURN_IF_ERROR(s.Prepare(db, sql));
  int rc = s.Step();
  if (rc != SQLITE_ROW) {
    if (rc == SQLITE_DONE) return IoError(path + ": no result (in: " + sql + ")");
    return StepDone(rc, db, path);
  }
  const std::int64_t value = s.Int(0);
  if (rc = s.Step(); rc != SQLITE_DONE) return StepDone(rc, db, path);
  return value;
}

}  // namespace orgsim::io::internal
