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

}  // namespace

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
