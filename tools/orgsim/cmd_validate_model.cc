// `orgsim validate-model`: the analytic validation suite (engine/validation/
// suite.h). Runs degenerate scenarios of the real model against closed
// forms and writes docs/validation.md.
//
//   orgsim validate-model --out docs/validation.md          # the full suite
//   orgsim validate-model --quick --threads 2               # the CI subset
//
// Exit codes: 0 every check passed; 1 a check failed or a scenario did not
// load or run; 2 bad flags or an unwritable --out file.
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "engine/validation/stylized_facts.h"
#include "engine/validation/suite.h"
#include "tools/orgsim/subcommand.h"

namespace orgsim::cli {
namespace {

struct ValidateModelOptions {
  bool quick = false;
  std::optional<std::uint32_t> replications;
  int threads = 0;
  std::optional<std::uint64_t> seed;
  std::string out;
  std::string root = ".";
  bool quiet = false;
  bool no_facts = false;
};

// Replications of each subject of the stylized facts (full and --quick).
constexpr std::uint32_t kFactsReplications = 200;
constexpr std::uint32_t kQuickFactsReplications = 20;

void PrintProgress(const std::string& line) {
  std::cerr << "orgsim validate-model: " << line << "\n";
}

// The command line that regenerates the document (no --threads: results do
// not depend on it; no --root: run from the repository root).
std::string RegenerateCommand(const ValidateModelOptions& o) {
  std::string command = "orgsim validate-model";
  if (o.quick) command += " --quick";
  if (o.replications) command += " --replications " + std::to_string(*o.replications);
  if (o.seed) command += " --seed " + std::to_string(*o.seed);
  if (o.no_facts) command += " --no-facts";
  if (!o.out.empty()) command += " --out " + o.out;
  return command;
}

int RunValidateModel(const ValidateModelOptions& o) {
  validation::SuiteOptions options;
  options.quick = o.quick;
  options.replications = o.replications;
  options.threads = o.threads;
  options.seed = o.seed;
  options.root = o.root;
  if (!o.quiet) options.progress = PrintProgress;
  const validation::SuiteReport report = validation::RunSuite(options);
  std::cout << validation::FormatText(report);
  if (!o.quiet) {
    std::cerr << "orgsim validate-model: " << report.checks.size() << " checks in "
              << static_cast<long long>(report.wall_seconds + 0.5) << " s on " << report.threads
              << " threads\n";
  }
  std::string facts_section;
  if (!o.no_facts) {
    // Medians need fewer replications than the closed forms' means; the
    // quick suite keeps CI short.
    const validation::FactsReport facts =
        validation::RunStylizedFacts({.root = o.root,
                                      .replications = o.replications.value_or(
                                          o.quick ? kQuickFactsReplications : kFactsReplications),
                                      .threads = o.threads,
                                      .seed = o.seed,
                                      .progress = o.quiet ? nullptr : PrintProgress});
    std::cout << validation::FactsText(facts);
    facts_section = validation::FactsMarkdown(facts);
  }
  if (!o.out.empty()) {
    std::ofstream file(o.out, std::ios::binary | std::ios::trunc);
    file << validation::FormatMarkdown(report, RegenerateCommand(o)) << facts_section;
    file.close();
    if (!file) {
      std::cerr << "orgsim validate-model: error: cannot write " << o.out << "\n";
      return kExitUsage;
    }
  }
  return report.AllPass() ? kExitOk : kExitFailure;
}

const SubcommandRegistrar kValidateModel{
    "validate-model",
    "Check the model against closed forms (queues, Bass, schedules, conservation)",
    [](CLI::App& app) -> Action {
      auto o = std::make_shared<ValidateModelOptions>();
      app.add_flag("--quick", o->quick, "The CI subset (fewer replications and scenarios)");
      app.add_option("--replications,-n", o->replications,
                     "Replications of every statistical check (default: each scenario's own; "
                     "fewer with --quick)")
          ->check(CLI::Range(2u, 1000000u));
      app.add_option("--threads,-j", o->threads, "Worker threads (default: every core)")
          ->check(CLI::Range(0, 4096));
      app.add_option("--seed", o->seed,
                     "Master seed for every scenario (default: each scenario's)");
      app.add_option("--out,-o", o->out,
                     "Write the Markdown report here (e.g. docs/validation.md)");
      app.add_option("--root", o->root, "Repository root holding scenarios/ (default: .)");
      app.add_flag("-q,--quiet", o->quiet, "No progress on stderr");
      app.add_flag("--no-facts", o->no_facts,
                   "Skip the stylized facts (published SaaS numbers against the base company)");
      app.footer(
          "Runs degenerate scenarios of the model (scenarios/validation/, plus every shipped\n"
          "scenario for Little's law and two for conservation) through the same loader and\n"
          "runner as `orgsim run`, and PHOLD on the kernel, and compares each estimate with its\n"
          "closed form; the pass rule is in docs/validation.md. Prints one line per check.\n"
          "Then the stylized facts: published operating numbers of Series A-B SaaS companies\n"
          "against the base company's medians (and the headline arms'); they are calibration\n"
          "targets and do not change the exit code.\n"
          "Exit: 0 all pass, 1 a check failed or a scenario did not run, 2 bad flags or --out.");
      return [o] { return RunValidateModel(*o); };
    }};

}  // namespace
}  // namespace orgsim::cli
