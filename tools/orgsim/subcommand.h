// Subcommands of the `orgsim` command line.
//
// Each subcommand lives in its own tools/orgsim/cmd_<name>.cc and registers
// itself with a static SubcommandRegistrar, so main.cc never changes when one
// is added:
//
//   namespace {
//   const orgsim::cli::SubcommandRegistrar kValidate{
//       "validate", "Check scenario files and report every error",
//       [](CLI::App& app) -> orgsim::cli::Action {
//         auto files = std::make_shared<std::vector<std::string>>();
//         app.add_option("FILE", *files)->required();
//         return [files] { return RunValidate(*files); };
//       }};
//   }  // namespace
//
// Exit codes shared by every subcommand (see ExitCode).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace orgsim::cli {

// Process exit codes. Scripts rely on them; never renumber.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,   // the work ran but failed (a run error, a failed check)
  kExitUsage = 2,     // bad input: flags, missing or malformed files
  kExitInternal = 3,  // a bug or an unexpected exception
  kExitInterrupted = 130,
};

// What a subcommand does once its flags are parsed; returns the exit code.
using Action = std::function<int()>;

// Declares a subcommand's flags on `app` and returns the action to run.
using SubcommandSetup = std::function<Action(CLI::App& app)>;

struct Subcommand {
  std::string name;
  std::string description;
  SubcommandSetup setup;
};

// All registered subcommands, sorted by name (registration order is the
// unspecified static-initialisation order, so never rely on it).
std::vector<Subcommand> RegisteredSubcommands();

// The process's command line, words quoted for a POSIX shell where needed
// (recorded in results databases so an experiment says how it was started).
void SetCommandLine(int argc, const char* const* argv);
const std::string& CommandLine();

// Registers a subcommand at static-initialisation time.
struct SubcommandRegistrar {
  SubcommandRegistrar(std::string name, std::string description, SubcommandSetup setup);
};

}  // namespace orgsim::cli
