// `orgsim findings`: runs every claim scenario (scenarios/claims/*.textproto)
// plus the headline and the stable-market scenarios with paired replications
// and writes the findings document (docs/findings.md and docs/findings.html)
// from the results databases (results/findings/<scenario>.db).
//
//   orgsim findings                          # default replications, ~minutes on 2 cores
//   orgsim findings --resume                 # continue an interrupted run
//   orgsim findings --quick --out /tmp/f.md --results-dir /tmp/r scenarios/claims/c09_*.textproto
//
// Exit codes: 0 ok; 1 some runs failed (the document is still written and
// counts them) or a file could not be written; 2 bad flags, or a scenario
// that does not load (the document is still written, its section says why);
// 130 interrupted (continue with --resume).
#include <signal.h>
#include <tbb/info.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/report/findings.h"
#include "engine/report/findings_explore.h"
#include "tools/orgsim/stop_signals.h"
#include "tools/orgsim/subcommand.h"

namespace orgsim::cli {
namespace {

namespace fs = std::filesystem;

struct FindingsFlags {
  std::vector<std::string> files;
  std::optional<std::uint32_t> replications;
  bool quick = false;
  int threads = 0;
  std::string out = "docs/findings.md";
  std::string html = "docs/findings.html";
  std::string results_dir = "results/findings";
  bool resume = false;
  bool quiet = false;
  std::optional<std::uint32_t> explore_points;
  std::optional<std::uint32_t> explore_replications;
  bool no_explore = false;
};

bool WriteAtomically(const std::string& path, const std::string& text) {
  std::error_code ec;
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      std::remove(tmp.c_str());
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

// The command line that regenerates the document: only the flags that
// change its content (not --threads, --out, --html, --resume, --quiet).
std::string RegenerateCommand(const FindingsFlags& flags) {
  std::string command = "orgsim findings";
  if (flags.quick) command += " --quick";
  if (flags.replications) command += " --replications " + std::to_string(*flags.replications);
  if (flags.no_explore) command += " --no-explore";
  if (flags.explore_points) command += " --explore-points " + std::to_string(*flags.explore_points);
  if (flags.explore_replications)
    command += " --explore-replications " + std::to_string(*flags.explore_replications);
  if (flags.results_dir != "results/findings") command += " --results-dir " + flags.results_dir;
  for (const std::string& file : flags.files) command += " " + file;
  return command;
}

std::string DbPathFor(const std::string& results_dir, const std::string& scenario_path,
                      const std::string& suffix = ".db") {
  return (fs::path(results_dir) / (fs::path(scenario_path).stem().string() + suffix)).string();
}

// The explore of one scenario into <results>/<scenario>.explore.db and its
// "where it holds" (ScenarioFindings::explore). A scenario with nothing to
// explore gets a note, not an error.
int Explore(const FindingsFlags& flags, const std::string& path, report::ScenarioFindings& f,
            std::size_t index, std::size_t count, int threads) {
  const std::string db = DbPathFor(flags.results_dir, path, ".explore.db");
  const report::FindingsExploreOptions options{
      .points = flags.explore_points.value_or(flags.quick ? report::kQuickFindingsExplorePoints
                                                          : report::kDefaultFindingsExplorePoints),
      .replications = flags.explore_replications.value_or(
          flags.quick ? report::kQuickFindingsExploreReplications
                      : report::kDefaultFindingsExploreReplications),
      .threads = threads,
      .resume = flags.resume,
      .stop_requested = StopSignals::Flag(),
      .progress = {},
      .orgsim_version = ORGSIM_VERSION};
  auto run = report::RunFindingsExplore(path, db, options);
  if (!run.ok()) {
    if (run.status().code() == StatusCode::kFailedPrecondition) {
      f.explore_note = run.status().message();
      return kExitOk;
    }
    std::cerr << "orgsim findings: " << path << ": explore: " << run.status().message() << "\n";
    f.explore_note = "the explore failed: " + run.status().message();
    return kExitFailure;
  }
  if (!flags.quiet) {
    char line[256];
    std::snprintf(line, sizeof(line),
                  "[%zu/%zu] %s: explore %u points x %u replications, %llu runs", index + 1, count,
                  path.c_str(), options.points, options.replications,
                  static_cast<unsigned long long>(run->completed + run->failed));
    std::cerr << line << " in " << std::lround(run->wall_seconds) << " s -> " << db << "\n";
  }
  if (run->stopped) {
    std::cerr << "orgsim findings: interrupted; continue with: " << RegenerateCommand(flags)
              << " --resume\n";
    return kExitInterrupted;
  }
  std::vector<bool> is_outcome;
  for (report::MetricRole role : f.roles)
    is_outcome.push_back(role == report::MetricRole::kOutcome);
  auto analysed =
      report::AnalyzeFindingsExplore(db, report::ExploredMetrics(f.metrics, is_outcome));
  if (!analysed.ok()) {
    std::cerr << "orgsim findings: " << db << ": " << analysed.status().message() << "\n";
    f.explore_note = "the explore could not be analysed: " + analysed.status().message();
    return kExitFailure;
  }
  f.explore = std::move(*analysed);
  return run->failed > 0 ? kExitFailure : kExitOk;
}

int RunFindings(const FindingsFlags& flags) {
  const std::vector<std::string> scenarios =
      flags.files.empty() ? report::DefaultFindingsScenarios(".") : flags.files;
  if (scenarios.empty()) {
    std::cerr << "orgsim findings: error: no scenarios/claims/*.textproto here; run it from the "
                 "repository root or name scenario files\n";
    return kExitUsage;
  }
  const std::uint32_t replications = flags.replications.value_or(
      flags.quick ? report::kQuickFindingsReplications : report::kDefaultFindingsReplications);
  const int threads = flags.threads > 0 ? flags.threads : tbb::info::default_concurrency();

  StopSignals signals;  // the first Ctrl-C or SIGTERM ends after the runs in flight

  std::uint64_t failed = 0;
  int exit_code = kExitOk;
  double total_seconds = 0;
  std::vector<report::ScenarioFindings> findings;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const std::string& path = scenarios[i];
    const std::string db = DbPathFor(flags.results_dir, path);
    report::FindingsRunOptions options{.replications = replications,
                                       .threads = threads,
                                       .resume = flags.resume,
                                       .stop_requested = StopSignals::Flag(),
                                       .orgsim_version = ORGSIM_VERSION};
    auto run = report::RunFindingsScenario(path, db, options);
    if (!run.ok()) {
      // One broken scenario must not cost the others their findings: its
      // section says why it was not run, and the exit code says so too.
      std::cerr << "orgsim findings: " << path << ": " << run.status().message() << "\n";
      exit_code = std::max(exit_code, run.status().code() == StatusCode::kInvalidArgument ||
                                              run.status().code() == StatusCode::kFailedPrecondition
                                          ? static_cast<int>(kExitUsage)
                                          : static_cast<int>(kExitFailure));
      findings.push_back(report::FailedFindings(path, run.status().message()));
      continue;
    }
    total_seconds += run->wall_seconds;
    if (!flags.quiet) {
      char line[256];
      std::snprintf(line, sizeof(line), "[%zu/%zu] %s: %llu cells x %u replications, %llu runs",
                    i + 1, scenarios.size(), path.c_str(),
                    static_cast<unsigned long long>(run->cells), replications,
                    static_cast<unsigned long long>(run->completed + run->failed));
      std::cerr << line << " in " << std::lround(run->wall_seconds) << " s";
      if (run->skipped > 0) std::cerr << ", " << run->skipped << " already stored";
      if (run->failed > 0) std::cerr << ", " << run->failed << " FAILED";
      std::cerr << " -> " << db << "\n";
    }
    if (run->stopped) {
      std::cerr << "orgsim findings: interrupted; continue with: " << RegenerateCommand(flags)
                << " --resume\n";
      return kExitInterrupted;
    }
    auto analysed = report::AnalyzeFindings(db, path);
    if (!analysed.ok()) {
      std::cerr << "orgsim findings: " << db << ": " << analysed.status().message() << "\n";
      exit_code = std::max(exit_code, static_cast<int>(kExitFailure));
      findings.push_back(report::FailedFindings(path, analysed.status().message()));
      continue;
    }
    failed += analysed->failed_runs;
    if (flags.no_explore) {
      analysed->explore_note = "--no-explore";
    } else {
      const int explored = Explore(flags, path, *analysed, i, scenarios.size(), threads);
      if (explored == kExitInterrupted) return kExitInterrupted;
      exit_code = std::max(exit_code, explored);
    }
    findings.push_back(std::move(*analysed));
  }

  const report::DocumentHeader header{.command = RegenerateCommand(flags),
                                      .replications = replications,
                                      .results_dir = flags.results_dir};
  if (!WriteAtomically(flags.out, report::FindingsMarkdown(findings, header))) {
    std::cerr << "orgsim findings: error: cannot write " << flags.out << "\n";
    return kExitFailure;
  }
  if (!flags.html.empty() && !WriteAtomically(flags.html, report::FindingsHtml(findings, header))) {
    std::cerr << "orgsim findings: error: cannot write " << flags.html << "\n";
    return kExitFailure;
  }
  if (!flags.quiet) {
    std::cerr << "orgsim findings: " << scenarios.size() << " scenarios, "
              << std::lround(total_seconds) << " s of runs on " << threads << " threads -> "
              << flags.out << (flags.html.empty() ? "" : ", " + flags.html) << "\n";
  }
  if (failed > 0) {
    std::cerr << "orgsim findings: " << failed
              << " runs failed; they are excluded and counted in the document\n";
    exit_code = std::max(exit_code, static_cast<int>(kExitFailure));
  }
  return exit_code;
}

const SubcommandRegistrar kFindings{
    "findings", "Run the claim scenarios and write the findings document (docs/findings.md)",
    [](CLI::App& app) -> Action {
      auto flags = std::make_shared<FindingsFlags>();
      app.add_option("FILE", flags->files,
                     "Scenario files (default: scenarios/claims/*.textproto, the headline and "
                     "the stable market)");
      app.add_option("--replications,-n", flags->replications,
                     "Replications per cell (default " +
                         std::to_string(report::kDefaultFindingsReplications) + "; --quick " +
                         std::to_string(report::kQuickFindingsReplications) + ")")
          ->check(CLI::Range(2u, 1000000u));
      app.add_flag("--quick", flags->quick, "Few replications (for tests and a first look)");
      app.add_option("--threads,-j", flags->threads, "Worker threads (default: every core)")
          ->check(CLI::Range(0, 4096));
      app.add_option("--out,-o", flags->out, "Markdown document")->capture_default_str();
      app.add_option("--html", flags->html, "HTML document ('' = none)")->capture_default_str();
      app.add_option("--results-dir", flags->results_dir,
                     "Folder of the results databases (<scenario>.db)")
          ->capture_default_str();
      app.add_flag("--resume", flags->resume,
                   "Keep the stored runs of unchanged scenarios and run only the missing ones");
      app.add_flag("-q,--quiet", flags->quiet, "No progress lines on stderr");
      app.add_option("--explore-points", flags->explore_points,
                     "Latin-hypercube points of each claim's explore (default " +
                         std::to_string(report::kDefaultFindingsExplorePoints) + "; --quick " +
                         std::to_string(report::kQuickFindingsExplorePoints) + ")")
          ->check(CLI::Range(1u, 100000u));
      app.add_option("--explore-replications", flags->explore_replications,
                     "Paired replications per explore point (default " +
                         std::to_string(report::kDefaultFindingsExploreReplications) +
                         "; --quick " + std::to_string(report::kQuickFindingsExploreReplications) +
                         ")")
          ->check(CLI::Range(2u, 1000000u));
      app.add_flag("--no-explore", flags->no_explore,
                   "Only the defaults: skip the explore of each claim over its uncertainties");
      app.footer(
          "Every cell (arm x sweep point) of a scenario runs replication r on the same random\n"
          "streams, so every effect is a paired difference with a 95% CI, Cohen's d_z and\n"
          "P(A>B). Then each claim's comparison runs again through `orgsim explore` at\n"
          "--explore-points points of its uncertainties (<results-dir>/<scenario>.explore.db), "
          "and\n"
          "the document says where in that space the claim holds and where it fails (PRIM).\n"
          "Without --resume the databases are rebuilt. Run from the repository root.");
      return [flags] { return RunFindings(*flags); };
    }};

}  // namespace
}  // namespace orgsim::cli
