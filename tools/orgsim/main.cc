// orgsim: the command line. Subcommands register themselves (subcommand.h).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <exception>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "tools/orgsim/choices.h"
#include "tools/orgsim/subcommand.h"

namespace {

// "unknown flag --replication; did you mean --replications?" for every word
// of argv that looks like a flag `sub` does not have ("" when none).
std::string UnknownFlags(const CLI::App& sub, int argc, char** argv) {
  std::vector<std::string> names;
  for (const CLI::Option* option : sub.get_options()) {
    for (const std::string& n : option->get_lnames()) names.push_back("--" + n);
    for (const std::string& n : option->get_snames()) names.push_back("-" + n);
  }
  std::string message;
  for (int i = 2; i < argc; ++i) {
    std::string word = argv[i];
    if (word == "--") break;
    if (word.size() < 2 || word[0] != '-' || (word[1] >= '0' && word[1] <= '9')) continue;
    word = word.substr(0, word.find('='));
    if (word.rfind("--", 0) != 0 && word.size() > 2) word = word.substr(0, 2);  // -n5
    if (std::find(names.begin(), names.end(), word) != names.end()) continue;
    message += (message.empty() ? "" : "\norgsim: error: ") + std::string("unknown flag ") + word +
               " for `orgsim " + sub.get_name() + "`";
    const std::string near = orgsim::cli::NearestName(word, names);
    if (!near.empty()) message += "; did you mean " + near + "?";
  }
  return message;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace orgsim::cli;
  CLI::App app{
      "orgsim — discrete-event, agent-based organizational simulation.\n"
      "Compares organizational designs (product-led vs project mode, ...) "
      "over many stochastic replications.",
      "orgsim"};
  orgsim::cli::SetCommandLine(argc, argv);
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("orgsim ") + ORGSIM_VERSION);

  std::map<const CLI::App*, Action> actions;
  std::vector<std::string> names;
  for (const Subcommand& sub : RegisteredSubcommands()) {
    names.push_back(sub.name);
    CLI::App* sub_app = app.add_subcommand(sub.name, sub.description);
    actions[sub_app] = sub.setup(*sub_app);
  }

  // A first word that is no subcommand is a mistyped one, even before --help.
  if (argc > 1 && argv[1][0] != '-' &&
      std::find(names.begin(), names.end(), std::string(argv[1])) == names.end()) {
    std::cerr << "orgsim: error: " << UnknownValueMessage("subcommand", argv[1], names) << "\n"
              << "Run 'orgsim --help' for the subcommands.\n";
    return kExitUsage;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One clear line plus a pointer to --help; usage errors exit 2.
    std::string message = e.what();
    if (argc > 1 && argv[1][0] != '-' &&
        (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr ||
         dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr)) {
      const std::string unknown = UnknownFlags(*app.get_subcommand(argv[1]), argc, argv);
      if (!unknown.empty()) message = unknown;
    }
    std::cerr << "orgsim: error: " << message << "\n"
              << "Run 'orgsim --help' or 'orgsim SUBCOMMAND --help' for usage.\n";
    return kExitUsage;
  }

  for (const CLI::App* sub_app : app.get_subcommands()) {
    try {
      return actions.at(sub_app)();
    } catch (const std::exception& e) {
      std::cerr << "orgsim " << sub_app->get_name() << ": internal error: " << e.what() << "\n";
      return kExitInternal;
    }
  }
  return kExitUsage;
}
