// Reading tables out whole: ResultTables, ResultsStore::DumpTable and
// ExportTable (CSV and JSON; results_store.h).
#include <sqlite3.h>

#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include "engine/io/results_store.h"
#include "engine/io/sqlite_statement.h"

namespace orgsim::io {

using internal::Quote;
using internal::Statement;
using internal::StepDone;

std::vector<std::string> ResultTables() {
  return {"scenario", "arms",       "metrics", "series",    "parameters", "points",
          "runs",     "timeseries", "batches", "checksums", "experiment"};
}

namespace {

std::string OrderByFor(const std::string& table) {
  if (table == "runs") return " ORDER BY point, arm, replication";
  if (table == "timeseries") return " ORDER BY point, arm, replication, month";
  return " ORDER BY 1";
}

// Exported runs of a sweep carry each parameter's value at the run's point.
std::string ExportSql(const StoreManifest& m, const std::string& table) {
  if (table != "runs" || m.design.parameters().empty()) {
    return "SELECT * FROM " + Quote(table) + OrderByFor(table);
  }
  std::string sql = "SELECT runs.*";
  for (const auto& p : m.design.parameters()) sql += ", points." + Quote(p.name);
  return sql + " FROM runs JOIN points ON points.point = runs.point" +
         " ORDER BY runs.point, runs.arm, runs.replication";
}

Status CheckTable(const std::string& table) {
  const auto tables = ResultTables();
  if (std::find(tables.begin(), tables.end(), table) == tables.end()) {
    std::string list;
    for (const auto& t : tables) list += (list.empty() ? "" : ", ") + t;
    return InvalidArgumentError("unknown table '" + table + "' (tables: " + list + ")");
  }
  return Status::Ok();
}

// A cell as text: integers in decimal, doubles with 17 significant digits
// (round-trip exact), NULL as `null_text`.
std::string CellText(sqlite3_stmt* stmt, int c, const char* null_text) {
  switch (sqlite3_column_type(stmt, c)) {
    case SQLITE_NULL:
      return null_text;
    case SQLITE_INTEGER:
      return std::to_string(sqlite3_column_int64(stmt, c));
    case SQLITE_FLOAT: {
      char buffer[40];
      std::snprintf(buffer, sizeof(buffer), "%.17g", sqlite3_column_double(stmt, c));
      return buffer;
    }
    default: {
      const unsigned char* p = sqlite3_column_text(stmt, c);
      return std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)));
    }
  }
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof(buffer), "\\u%04x", c);
          out += buffer;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

}  // namespace

StatusOr<std::vector<std::string>> ResultsStore::DumpTable(const std::string& table) const {
  ORGSIM_RETURN_IF_ERROR(CheckTable(table));
  Statement s;
  ORGSIM_RETURN_IF_ERROR(s.Prepare(db_, "SELECT * FROM " + Quote(table) + OrderByFor(table)));
  std::vector<std::string> lines;
  const int columns = sqlite3_column_count(s.get());
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    std::string line;
    for (int c = 0; c < columns; ++c) {
      if (c > 0) line += '\t';
      line += CellText(s.get(), c, "NULL");
    }
    lines.push_back(std::move(line));
  }
  ORGSIM_RETURN_IF_ERROR(StepDone(rc, db_, path_));
  return lines;
}

Status ExportTable(const ResultsStore& store, const std::string& table, ExportFormat format,
                   std::ostream& out) {
  ORGSIM_RETURN_IF_ERROR(CheckTable(table));
  Statement s;
  sqlite3* db = internal::DatabaseHandle(store);
  ORGSIM_RETURN_IF_ERROR(s.Prepare(db, ExportSql(store.manifest(), table)));
  const int columns = sqlite3_column_count(s.get());
  std::vector<std::string> names;
  for (int c = 0; c < columns; ++c) names.push_back(sqlite3_column_name(s.get(), c));
  if (format == ExportFormat::kCsv) {
    for (int c = 0; c < columns; ++c) out << (c > 0 ? "," : "") << CsvField(names[c]);
    out << "\n";
  } else {
    out << "[";
  }
  int rc;
  bool first = true;
  while ((rc = s.Step()) == SQLITE_ROW) {
    if (format == ExportFormat::kCsv) {
      for (int c = 0; c < columns; ++c) {
        out << (c > 0 ? "," : "") << CsvField(CellText(s.get(), c, ""));
      }
      out << "\n";
    } else {
      out << (first ? "\n  {" : ",\n  {");
      for (int c = 0; c < columns; ++c) {
        out << (c > 0 ? ", " : "") << JsonString(names[c]) << ": ";
        const int type = sqlite3_column_type(s.get(), c);
        if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
          out << JsonString(CellText(s.get(), c, ""));
        } else if (type == SQLITE_FLOAT && !std::isfinite(sqlite3_column_double(s.get(), c))) {
          out << "null";  // JSON has no infinities
        } else {
          out << CellText(s.get(), c, "null");
        }
      }
      out << "}";
    }
    first = false;
    if (!out) return IoError("cannot write the export (output closed or disk full)");
  }
  ORGSIM_RETURN_IF_ERROR(StepDone(rc, db, store.path()));
  if (format == ExportFormat::kJson) out << (first ? "]\n" : "\n]\n");
  out.flush();
  if (!out) return IoError("cannot write the export (output closed or disk full)");
  return Status::Ok();
}

}  // namespace orgsim::io
