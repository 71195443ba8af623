// Naming the valid values when a user gives one that does not exist, with a
// "did you mean" for a near miss (subcommands, flags, --metric, --arm,
// --format, --table).
//
//   NearestName("rn", {"run", "sweep"})          // "run"
//   UnknownValueMessage("metric", "profit", metrics)
//   // unknown metric "profit"; did you mean "profit_total"? (valid: cash_end, ...)
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace orgsim::cli {

// The candidate closest to `word` (io::ClosestNames: edit distance ignoring
// case, or a name that `word` shortens), or "" when none is close.
std::string NearestName(const std::string& word, const std::vector<std::string>& candidates);

// `unknown WHAT "VALUE"; did you mean "X"? (valid: A, B, C)`; the list is cut
// after 20 names.
std::string UnknownValueMessage(const std::string& what, const std::string& value,
                                const std::vector<std::string>& valid);

// A CLI11 validator accepting only `valid`, with UnknownValueMessage's words.
CLI::Validator OneOf(const std::string& what, std::vector<std::string> valid);

}  // namespace orgsim::cli
