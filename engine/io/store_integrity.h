// Integrity of a results database: SQLite's own page checks (PRAGMA
// quick_check) and one checksum per `runs` row and per run's time series,
// kept in the `checksums` table and verified before anything reads values,
// so that a damaged file is refused instead of summarised.
//
//   ORGSIM_RETURN_IF_ERROR(VerifyResultsDatabase(db, path, &note));
//   if (!note.empty()) std::cerr << "orgsim: warning: " << note << "\n";
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace orgsim::io {

// The table holding the checksums; same key as `runs`. `run` covers the
// runs row's kDigestedRunColumns then its metric columns (metrics table
// order); `series` every timeseries row of the run in month order
// (kDigestedSeriesColumns then the series columns; the empty digest when
// it has none). Columns added to runs later are not covered.
inline constexpr const char* kDigestedRunColumns =
    "point, arm, replication, seed, stream_key, status, error, fingerprint";
inline constexpr const char* kDigestedSeriesColumns = "point, arm, replication, month";
inline constexpr const char* kChecksumsTableSql =
    "CREATE TABLE checksums (\n"
    "  point INTEGER NOT NULL, arm TEXT NOT NULL, replication INTEGER NOT NULL,\n"
    "  run INTEGER NOT NULL, series INTEGER NOT NULL,\n"
    "  PRIMARY KEY (point, arm, replication)) WITHOUT ROWID;\n";

// 64-bit FNV-1a over typed values. Any single changed byte changes the
// digest; NaN hashes as NULL and -0 as 0, as SQLite stores them.
class RowDigest {
 public:
  void AddNull();
  void AddInt(std::int64_t value);
  void AddDouble(double value);
  void AddText(std::string_view text);
  // Column `c` of the current row, by its stored type.
  void AddColumn(sqlite3_stmt* stmt, int c);
  std::int64_t value() const { return static_cast<std::int64_t>(hash_); }

 private:
  void Bytes(const void* data, std::size_t size);
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

// The refusal for a damaged database at `path`; `detail` says what failed.
Status DamagedDatabaseError(const std::string& path, const std::string& detail);

// True when the database holds a `checksums` table.
bool HasChecksums(sqlite3* db);

// Runs PRAGMA quick_check and, when the database has checksums, recomputes
// every runs row's and series' checksum, all in one read transaction.
// DataLoss when anything disagrees. A database written before checksums
// existed passes with `note` saying its values are unverified (else "").
Status VerifyResultsDatabase(sqlite3* db, const std::string& path, std::string* note);

}  // namespace orgsim::io
