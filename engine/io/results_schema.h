// The results database's schema (internal to engine/io): the SQL that
// creates it, the manifest tables written once per database, and the
// comparison that refuses a database of another experiment. docs/results.md
// documents the tables.
#pragma once

#include <sqlite3.h>

#include <string>

#include "engine/base/status.h"
#include "engine/experiment/designs.h"
#include "engine/io/results_store.h"

namespace orgsim::io::internal {

// The key and bookkeeping columns of `runs` and `timeseries`, before the
// metric and series columns.
inline constexpr const char* kFixedRunColumns[] = {
    "point", "arm", "replication", "seed", "stream_key", "status", "error", "fingerprint"};
inline constexpr const char* kFixedSeriesColumns[] = {"point", "arm", "replication", "month"};

// CREATE TABLE statements for `m` (with the `checksums` table when
// row_checksums).
std::string SchemaSql(const StoreManifest& m, bool row_checksums);

// InvalidArgument when a metric or series name would clash with a fixed
// column or another name.
Status CheckColumnNames(const StoreManifest& m);

// Writes the scenario, arms, metrics, series, parameters and points rows.
Status WriteManifest(sqlite3* db, const StoreManifest& m);

// "grid", "lhs", "saltelli"; anything else is a single point.
experiment::DesignKind DesignKindFromName(const std::string& name);

// FailedPrecondition naming the first difference in what identifies an
// experiment (scenario SHA-256, seed, design, arms, metrics, series,
// replications unless allow_more_replications); `what` names the other side.
Status CompareManifests(const StoreManifest& stored, const StoreManifest& wanted,
                        const std::string& path, const std::string& what,
                        bool allow_more_replications);

}  // namespace orgsim::io::internal
