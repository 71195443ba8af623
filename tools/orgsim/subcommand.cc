#include "tools/orgsim/subcommand.h"

#include <algorithm>
#include <utility>

namespace orgsim::cli {
namespace {

// Function-local static: safe to use from other translation units' static
// initialisers, whatever their order.
std::vector<Subcommand>& Registry() {
  static std::vector<Subcommand> registry;
  return registry;
}

std::string& CommandLineStorage() {
  static std::string line;
  return line;
}

std::string ShellQuoted(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789_-+=/.,:@%") == std::string::npos) {
    return word;
  }
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

void SetCommandLine(int argc, const char* const* argv) {
  std::string& line = CommandLineStorage();
  line = "orgsim";
  for (int i = 1; i < argc; ++i) line += " " + ShellQuoted(argv[i]);
}

const std::string& CommandLine() { return CommandLineStorage(); }

std::vector<Subcommand> RegisteredSubcommands() {
  std::vector<Subcommand> sorted = Registry();
  std::sort(sorted.begin(), sorted.end(),
            [](const Subcommand& a, const Subcommand& b) { return a.name < b.name; });
  return sorted;
}

SubcommandRegistrar::SubcommandRegistrar(std::string name, std::string description,
                                         SubcommandSetup setup) {
  Registry().push_back({std::move(name), std::move(description), std::move(setup)});
}

}  // namespace orgsim::cli
