#include "engine/io/diagnostics.h"

#include <algorithm>
#include <cstddef>
#include <tuple>
#include <utility>

namespace orgsim::io {

std::string FormatDiagnostic(const Diagnostic& diagnostic) {
  // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict for
  // `s += ":" + std::to_string(n)` (GCC bug 105329).
  std::string out = diagnostic.file;
  if (diagnostic.line > 0) {
    out.push_back(':');
    out.append(std::to_string(diagnostic.line));
    out.push_back(':');
    out.append(std::to_string(diagnostic.column));
  }
  out.append(diagnostic.severity == Severity::kError ? ": error: " : ": warning: ");
  out.append(diagnostic.message);
  return out;
}

std::string FormatDiagnostics(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += FormatDiagnostic(d) + "\n";
  return out;
}

void SortDiagnostics(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
                   });
  // Drop exact duplicates (the same rule can fire twice on one field, e.g.
  // through two arms); equal diagnostics share a position, so only the run of
  // equal positions needs scanning.
  std::vector<Diagnostic> unique;
  unique.reserve(diagnostics.size());
  std::size_t run_start = 0;
  for (Diagnostic& d : diagnostics) {
    if (!unique.empty() && std::tie(unique.back().file, unique.back().line, unique.back().column) !=
                               std::tie(d.file, d.line, d.column)) {
      run_start = unique.size();
    }
    if (std::find(unique.begin() + static_cast<std::ptrdiff_t>(run_start), unique.end(), d) ==
        unique.end()) {
      unique.push_back(std::move(d));
    }
  }
  diagnostics = std::move(unique);
}

bool HasErrors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

}  // namespace orgsim::io
