// `orgsim validate FILE...`: check scenario files and report every error.
//
// Prints "FILE: ok (SUMMARY)" on stdout for each valid file and every
// diagnostic of an invalid one on stderr as FILE:LINE:COL: error: MESSAGE.
// Exit 0 when every file is valid, 2 (kExitUsage) when any is not. With
// --flatten, prints the one FILE merged over its bases (`base:`) as a single
// text-format scenario on stdout instead.
//
//   orgsim validate scenarios/*.textproto scenarios/claims/*.textproto
//   orgsim validate --flatten scenarios/product_led_vs_project_mode.textproto > flat.textproto
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "engine/io/scenario_loader.h"
#include "engine/io/sweep_cost.h"
#include "tools/orgsim/subcommand.h"

namespace orgsim::cli {
namespace {

int RunFlatten(const std::string& file, bool allow_large) {
  io::LoadResult result = io::LoadScenarioFile(file, io::LoadOptions::AllowingLarge(allow_large));
  std::cerr << io::FormatDiagnostics(result.diagnostics);
  if (!result.ok()) return kExitUsage;
  std::cout << result.scenario->flat_text << std::flush;
  return std::cout ? kExitOk : kExitFailure;
}

int RunValidate(const std::vector<std::string>& files, bool quiet, bool allow_large) {
  int exit_code = kExitOk;
  for (const std::string& file : files) {
    io::LoadResult result = io::LoadScenarioFile(file, io::LoadOptions::AllowingLarge(allow_large));
    std::cerr << io::FormatDiagnostics(result.diagnostics);
    if (!result.ok()) {
      exit_code = kExitUsage;
      continue;
    }
    // What `orgsim sweep` would refuse: a design point over the limits per run.
    if (const auto refused = allow_large ? std::vector<io::Diagnostic>{}
                                         : io::SweepCostDiagnostics(*result.scenario);
        !refused.empty()) {
      std::cerr << io::FormatDiagnostics(refused);
      exit_code = kExitUsage;
      continue;
    }
    if (!quiet) std::cout << file << ": ok (" << io::Summary(*result.scenario) << ")" << std::endl;
  }
  std::cout.flush();
  return exit_code;
}

const SubcommandRegistrar kValidate{
    "validate", "Check scenario files and report every error as FILE:LINE:COL (exit 2 if any)",
    [](CLI::App& app) -> Action {
      auto files = std::make_shared<std::vector<std::string>>();
      auto quiet = std::make_shared<bool>(false);
      auto flatten = std::make_shared<bool>(false);
      app.add_option("FILE", *files, "Scenario files (Protobuf text format, *.textproto)")
          ->required();
      app.add_flag("-q,--quiet", *quiet, "Print nothing for valid files");
      auto allow_large = std::make_shared<bool>(false);
      app.add_flag(
          "--allow-large", *allow_large,
          "Accept scenarios whose estimated cost per run exceeds the limits (docs/model.md)");
      app.add_flag("--flatten", *flatten,
                   "Print the one FILE merged over its base files as one scenario on stdout");
      app.footer(
          "Prints 'FILE: ok (summary)' for each valid file and every error of an invalid one\n"
          "on stderr as FILE:LINE:COL: error: MESSAGE. Exit status: 0 all valid, 2 otherwise.\n"
          "--flatten FILE prints the merged scenario instead; running it gives the same\n"
          "results (and scenario hash) as running FILE.\n"
          "The format is documented in docs/scenario-format.md.");
      return [files, quiet, flatten, allow_large]() -> int {
        if (!*flatten) return RunValidate(*files, *quiet, *allow_large);
        if (files->size() != 1) {
          std::cerr << "orgsim validate: --flatten takes exactly one FILE\n";
          return kExitUsage;
        }
        return RunFlatten(files->front(), *allow_large);
      };
    }};

}  // namespace
}  // namespace orgsim::cli
