// Writes a file all or nothing: into a temporary file in the same folder,
// flushed and synced, then renamed over the target. A full disk, a write
// error or a kill leaves the target as it was (no empty or truncated file).
// A target that exists and is not a regular file (/dev/stdout, a FIFO) is
// written directly.
//
//   Status s = WriteFileAtomically("out.csv", [&](std::ostream& out) {
//     return ExportTable(store, "runs", ExportFormat::kCsv, out);
//   });
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

#include "engine/base/status.h"

namespace orgsim::io {

struct AtomicWriteOptions {
  // Test seam: writes past this many bytes fail as on a full disk. 0 = none.
  std::uint64_t max_bytes = 0;
};

// Calls `write` with a stream into the temporary file; IoError (the target
// untouched, the temporary removed) when it or the file system fails.
Status WriteFileAtomically(const std::string& path,
                           const std::function<Status(std::ostream&)>& write,
                           const AtomicWriteOptions& options = {});

// A temporary path next to `path` (same folder, so rename(2) is atomic).
std::string TemporaryPathFor(const std::string& path);

}  // namespace orgsim::io
