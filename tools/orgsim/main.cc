// orgsim: the command line. Subcommands register themselves (subcommand.h).
#include <exception>
#include <iostream>
#include <map>
#include <string>

#include <CLI/CLI.hpp>

#include "tools/orgsim/subcommand.h"

int main(int argc, char** argv) {
  using namespace orgsim::cli;
  CLI::App app{"orgsim — discrete-event, agent-based organizational simulation.\n"
               "Compares organizational designs (product-led vs project mode, ...) "
               "over many stochastic replications.",
               "orgsim"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("orgsim ") + ORGSIM_VERSION);

  std::map<const CLI::App*, Action> actions;
  for (const Subcommand& sub : RegisteredSubcommands()) {
    CLI::App* sub_app = app.add_subcommand(sub.name, sub.description);
    actions[sub_app] = sub.setup(*sub_app);
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
    std::cerr << "orgsim: error: " << e.what() << "\n"
              << "Run 'orgsim --help' or 'orgsim SUBCOMMAND --help' for usage.\n";
    return kExitUsage;
  }

  for (const CLI::App* sub_app : app.get_subcommands()) {
    try {
      return actions.at(sub_app)();
    } catch (const std::exception& e) {
      std::cerr << "orgsim " << sub_app->get_name() << ": internal error: " << e.what()
                << "\n";
      return kExitInternal;
    }
  }
  return kExitUsage;
}
