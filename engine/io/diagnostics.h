// Compiler-style diagnostics for scenario files.
//
// Every problem the loader finds in a scenario file becomes a Diagnostic that
// points at the offending text (1-based line and column) and says what was
// expected. They print in GNU format, so editors and CI logs can jump to them:
//
//   std::vector<Diagnostic> diags = ...;
//   SortDiagnostics(diags);
//   for (const Diagnostic& d : diags) std::cerr << FormatDiagnostic(d) << "\n";
//   // scenarios/x.textproto:12:5: error: headcount is 0; expected a value > 0 (people)
#pragma once

#include <string>
#include <vector>

namespace orgsim::io {

enum class Severity { kError, kWarning };

// One problem found in one file. line and column are 1-based; 0 means "the
// file as a whole" (e.g. it cannot be read).
struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  Severity severity = Severity::kError;
  std::string message;

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

// "FILE:LINE:COL: error: MESSAGE" (or "FILE: error: MESSAGE" when line is 0).
// A problem in a base file (`base:`) carries, at the end of its message, one
// line "included from FILE:LINE" per `base:` that led to it, innermost first.
std::string FormatDiagnostic(const Diagnostic& diagnostic);

// Every diagnostic formatted, one per line, each line ending in '\n'.
std::string FormatDiagnostics(const std::vector<Diagnostic>& diagnostics);

// Sorts by (file, line, column), keeping the order of equal positions, and
// drops exact duplicates.
void SortDiagnostics(std::vector<Diagnostic>& diagnostics);

// True when any diagnostic is an error (warnings do not fail a load).
bool HasErrors(const std::vector<Diagnostic>& diagnostics);

}  // namespace orgsim::io
