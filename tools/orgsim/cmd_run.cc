// `orgsim run FILE`: every arm of a scenario x replications, in parallel,
// stored in SQLite and compared with paired statistics.
//
//   orgsim run scenarios/product_led_vs_project_mode.textproto --replications 1000
//   orgsim run x.textproto --threads 2 --db /tmp/x.db --json - --quiet
//   orgsim run x.textproto --resume            # continue an interrupted run
//
// Also holds the driver shared with `orgsim sweep` (experiment_command.h).
// Exit codes: 0 ok; 1 some runs failed, the store could not be written (or
// another process writes it), or it is damaged; 2 invalid scenario or flags,
// --db not a regular file, or a results database of another experiment;
// 130 interrupted (SIGINT/SIGTERM; rerun with --resume).
#include <signal.h>
#include <tbb/info.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "engine/experiment/runner.h"
#include "engine/experiment/sharding.h"
#include "engine/io/experiment_record.h"
#include "engine/io/experiment_setup.h"
#include "engine/io/results_store.h"
#include "engine/io/scenario_loader.h"
#include "engine/io/sweep_cost.h"
#include "tools/orgsim/experiment_command.h"
#include "tools/orgsim/experiment_output.h"
#include "tools/orgsim/explore_output.h"
#include "tools/orgsim/resume.h"
#include "tools/orgsim/stop_signals.h"
#include "tools/orgsim/subcommand.h"

namespace orgsim::cli {
namespace {

std::string Duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--";
  const auto s = static_cast<long long>(seconds + 0.5);
  char buffer[32];
  if (s >= 3600) {
    std::snprintf(buffer, sizeof(buffer), "%lldh%02lldm", s / 3600, (s % 3600) / 60);
  } else if (s >= 60) {
    std::snprintf(buffer, sizeof(buffer), "%lldm%02llds", s / 60, s % 60);
  } else {
    std::snprintf(buffer, sizeof(buffer), "%llds", s);
  }
  return buffer;
}

// A one-line progress bar on stderr, redrawn at most 10 times a second.
class ProgressBar {
 public:
  void Update(const experiment::RunnerProgress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (p.done != p.total && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    const double fraction = p.total == 0 ? 1.0 : static_cast<double>(p.done) / p.total;
    const int width = 30;
    const int filled = static_cast<int>(fraction * width);
    std::string bar(static_cast<std::size_t>(filled), '=');
    if (filled < width) bar += '>';
    bar.resize(width, ' ');
    const double rate = p.elapsed_seconds > 0 ? p.done / p.elapsed_seconds : 0.0;
    const double eta = rate > 0 ? (p.total - p.done) / rate : NAN;
    char line[200];
    std::snprintf(line, sizeof(line), "\r[%s] %llu/%llu runs  %.1f runs/s  ETA %s%s  ", bar.c_str(),
                  static_cast<unsigned long long>(p.done), static_cast<unsigned long long>(p.total),
                  rate, Duration(eta).c_str(),
                  p.failed > 0 ? ("  failed " + std::to_string(p.failed)).c_str() : "");
    std::fputs(line, stderr);
    std::fflush(stderr);
    drawn_ = true;
  }
  void Finish() {
    if (drawn_) std::fputs("\n", stderr);
  }

 private:
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
};

std::string DefaultDbPath(const std::string& scenario_name, const std::string& command,
                          const experiment::ShardSpec& shard) {
  std::string path = "results/" + scenario_name;
  if (command == "sweep" || command == "explore") path += "." + command;
  if (shard.sharded()) {
    path += ".shard-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count);
  }
  return path + ".db";
}

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kNotFound:
      return kExitUsage;
    case StatusCode::kInternal:
      return kExitInternal;
    default:
      return kExitFailure;
  }
}

}  // namespace

void AddExperimentFlags(CLI::App& app, ExperimentCommandOptions& o) {
  app.add_option("FILE", o.file, "Scenario file (Protobuf text format)")->required();
  app.add_option("--replications,-n", o.replications,
                 "Replications per arm (and design point); default: the scenario's")
      ->check(CLI::Range(1u, 10000000u));
  app.add_option("--seed", o.seed, "Master seed in [0, 2^63-1]; default: the scenario's")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            // CLI11 would wrap "-1" to 2^64-1; stored seeds are SQLite int64s.
            std::uint64_t value = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (ec != std::errc() || end != text.data() + text.size() ||
                value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
              return "seed \"" + text + "\" is not a whole number in [0, 9223372036854775807]";
            }
            return "";
          },
          "SEED"));
  app.add_option("--threads,-j", o.threads, "Worker threads (default: every core)")
      ->check(CLI::Range(0, 4096));
  app.add_option("--db", o.db, "Results database (default: results/<scenario>[.sweep].db)");
  app.add_option("--json", o.json, "Write the JSON summary to PATH ('-' = stdout, no table)");
  app.add_flag("--resume", o.resume,
               "Continue the database: skip (point, arm, replication) rows already stored");
  app.add_flag("--retry-failed", o.retry_failed,
               "With --resume: run again the rows stored as failed (otherwise they are kept)")
      ->needs("--resume");
  app.add_flag("-q,--quiet", o.quiet, "No progress bar or notes on stderr");
  CLI::Option* series =
      app.add_flag("--timeseries", o.timeseries, "Also store each run's monthly time series");
  app.add_flag("--no-timeseries", o.no_timeseries,
               "Store no time series (the default; with --resume: insist the database has none)")
      ->excludes(series);
  app.add_option("--commit-rows", o.commit_rows, "Runs per database transaction (default 256)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  app.add_flag("--allow-large", o.allow_large,
               "Run a scenario whose estimated cost per run exceeds the validation limits");
}

int RunExperimentCommand(const ExperimentCommandOptions& asked) {
  ExperimentCommandOptions o = asked;
  const bool sweep = o.command == "sweep";
  const bool explore = o.command == "explore";
  io::LoadResult loaded =
      io::LoadScenarioFile(o.file, io::LoadOptions::AllowingLarge(o.allow_large));
  std::cerr << io::FormatDiagnostics(loaded.diagnostics);
  if (!loaded.ok()) return kExitUsage;
  const io::LoadedScenario& scenario = *loaded.scenario;
  auto fail = [&](const Status& status) {
    std::cerr << "orgsim " << o.command << ": error: " << status.message() << "\n";
    return ExitCodeFor(status);
  };

  auto parse_shard = [&](const std::string& text) -> StatusOr<experiment::ShardSpec> {
    if (text.empty()) return experiment::ShardSpec{};
    return experiment::ParseShardSpec(text);
  };
  auto shard = parse_shard(o.shard);
  if (!shard.ok()) return fail(shard.status());
  const std::string db_path = o.db.empty() ? DefaultDbPath(scenario.name, o.command, *shard) : o.db;

  // What the database already holds settles the flags left out (--resume
  // continues exactly that experiment) and refuses those that contradict it.
  const auto stored = ReadStoredExperiment(db_path);
  if (!stored.ok()) return fail(stored.status());
  if (*stored) {
    std::string note;
    Status settled = SettleAgainstStored(**stored, db_path, o, note);
    if (!settled.ok()) return fail(settled);
    if (!note.empty() && !o.quiet) std::cerr << "orgsim " << o.command << ": " << note << "\n";
    shard = parse_shard(o.shard);
    if (!shard.ok()) return fail(shard.status());
  }

  if (!sweep && !explore && !o.no_sweep &&
      scenario.experiment.sweep.design != io::SweepDesign::kNone) {
    std::cerr << "orgsim run: error: " << o.file
              << " declares a sweep (experiment.sweep); run its design with `orgsim sweep "
              << o.file << "`, or pass --no-sweep to run only the arms at the scenario's values\n";
    return kExitUsage;
  }

  auto setup = io::SetUpExperiment(
      scenario, {.design = explore ? io::DesignChoice::kExplore
                           : sweep ? io::DesignChoice::kScenarioSweep
                                   : io::DesignChoice::kSinglePoint,
                 .seed = o.seed,
                 .replications = o.replications,
                 .series = o.timeseries ? io::SeriesChoice::kMonthly : io::SeriesChoice::kNone,
                 .orgsim_version = ORGSIM_VERSION,
                 .explore_points = o.points.value_or(kDefaultExplorePoints)});
  if (!setup.ok()) return fail(setup.status());
  // (An explore's points are not checked: its uncertainties are constants of
  // the world within plausible ranges, and a point the model cannot afford
  // fails its runs with the reason.)
  if (sweep && !o.allow_large) {
    // Every design point x arm within the limits per run, as load checks each arm.
    const std::vector<io::Diagnostic> refused =
        io::SweepCostDiagnostics(scenario, setup->manifest.design);
    if (!refused.empty()) {
      std::cerr << io::FormatDiagnostics(refused);
      return kExitUsage;
    }
  }

  auto opened = io::ResultsStore::OpenForWriting(db_path, setup->manifest, {.resume = o.resume});
  if (!opened.ok()) return fail(opened.status());
  io::ResultsStore& store = **opened;
  const experiment::WorkPlan plan = setup->Plan(*shard);
  const std::string shard_text = shard->sharded() ? shard->ToString() : "";
  if (!store.integrity_note().empty()) {
    std::cerr << "orgsim " << o.command << ": warning: " << store.integrity_note() << "\n";
  }
  // Failed rows a resume keeps: reported at the end, or deleted to run again.
  std::uint64_t failed_kept = 0;
  if (o.resume) {
    auto failed = o.retry_failed ? store.DeleteFailedRuns() : store.CountRuns(true);
    if (!failed.ok()) {
      std::cerr << "orgsim " << o.command << ": error: " << failed.status().message() << "\n";
      return kExitFailure;
    }
    if (o.retry_failed && *failed > 0 && !o.quiet) {
      std::cerr << "orgsim " << o.command << ": retrying " << *failed << " failed runs\n";
    }
    if (!o.retry_failed) failed_kept = *failed;
  }

  Status status = io::WriteExperimentRecord(
      store, io::RecordOf(store.manifest(), o.command, shard_text, CommandLine()));
  if (!status.ok()) {
    std::cerr << "orgsim " << o.command << ": error: " << status.message() << "\n";
    return kExitFailure;
  }
  // Recorded in `batches`; 0 means every core.
  const int threads = o.threads > 0 ? o.threads : tbb::info::default_concurrency();
  status = store.BeginBatch({.command = CommandLine(), .shard = shard_text, .threads = threads});
  if (!status.ok()) {
    std::cerr << "orgsim " << o.command << ": error: " << status.message() << "\n";
    return kExitFailure;
  }

  std::vector<bool> done;
  if (o.resume) {
    auto stored = store.StoredKeys(plan);
    if (!stored.ok()) {
      std::cerr << "orgsim " << o.command << ": error: " << stored.status().message() << "\n";
      return kExitFailure;
    }
    done = std::move(*stored);
  }

  const bool show_progress = !o.quiet && isatty(STDERR_FILENO) == 1;
  ProgressBar bar;
  experiment::RunnerOptions options{.threads = threads, .commit_rows = o.commit_rows};
  if (o.resume) {
    options.already_done = [&done, &plan](const experiment::RunKey& key) {
      return static_cast<bool>(done[plan.DenseIndex(key)]);
    };
  }
  if (show_progress) {
    options.progress = [&bar](const experiment::RunnerProgress& p) { bar.Update(p); };
  }
  options.stop_requested = StopSignals::Flag();

  experiment::RunnerReport run_report;
  {
    StopSignals signals;
    run_report = experiment::RunPlan(plan, setup->run, store, options);
  }
  bar.Finish();
  const char* batch_status = !run_report.status.ok() ? "failed"
                             : run_report.stopped    ? "interrupted"
                                                     : "complete";
  Status end = store.EndBatch(batch_status);
  if (!run_report.status.ok()) {
    std::cerr << "orgsim " << o.command << ": error: " << run_report.status.message() << "\n";
    return kExitFailure;
  }
  if (!end.ok()) {
    std::cerr << "orgsim " << o.command << ": error: " << end.message() << "\n";
    return kExitFailure;
  }
  if (!o.quiet) {
    std::cerr << "orgsim " << o.command << ": " << (run_report.completed + run_report.failed)
              << " runs in " << Duration(run_report.wall_seconds) << " on " << run_report.threads
              << " threads";
    if (run_report.skipped > 0) std::cerr << ", " << run_report.skipped << " already stored";
    std::cerr << " -> " << db_path << "\n";
  }
  if (failed_kept > 0) {
    std::cerr << "orgsim " << o.command << ": --resume left " << failed_kept
              << " failed runs alone (stored as failed earlier); pass --retry-failed to run "
                 "them again\n";
  }
  if (run_report.stopped) {
    // Everything else (-n, --seed, --timeseries, --shard) is in the database.
    std::cerr << "orgsim " << o.command << ": interrupted; "
              << (run_report.completed + run_report.failed)
              << " runs of this batch are stored. Continue with: orgsim " << o.command << " "
              << o.file << " --db " << db_path << " --resume\n";
    return kExitInterrupted;
  }

  if (shard->sharded()) {
    std::cout << "Shard " << shard->ToString() << ": " << *store.CountRuns() << " runs in "
              << db_path << ". Combine the shards with: orgsim merge --db OUT.db SHARD.db...\n";
    return *store.CountRuns(true) > 0 ? kExitFailure : kExitOk;
  }
  if (explore) {
    return PrintExploreSummary(
        store,
        {.command = o.command,
         .json = o.json,
         .metrics = o.explore_metrics.empty() ? std::vector<std::string>{setup->key_metrics.front()}
                                              : o.explore_metrics});
  }
  return PrintExperimentSummary(
      store, {.command = o.command, .json = o.json, .metrics = setup->key_metrics});
}

namespace {

const SubcommandRegistrar kRun{
    "run", "Run every arm of a scenario x replications in parallel and compare them",
    [](CLI::App& app) -> Action {
      auto options = std::make_shared<ExperimentCommandOptions>();
      options->command = "run";
      AddExperimentFlags(app, *options);
      app.add_flag("--no-sweep", options->no_sweep,
                   "Run only the arms at the scenario's own values when it declares a sweep");
      app.footer(
          "Runs every compared arm of the scenario for --replications replications (a scenario\n"
          "with experiment.sweep is refused, exit 2: use `orgsim sweep`, or --no-sweep)\n"
          "on --threads threads. Replication r of every arm shares its random streams (common\n"
          "random numbers), so paired differences isolate the org design. Every run is stored\n"
          "in SQLite (docs/results.md); the comparison table goes to stdout, a progress bar to\n"
          "stderr when it is a terminal. --resume continues the database's experiment exactly:\n"
          "-n, --seed and --timeseries default to what it holds; a flag that contradicts it is\n"
          "refused (a larger -n extends it); --retry-failed also reruns the rows stored as "
          "failed.\n"
          "Exit: 0 ok, 1 failed runs, I/O error, a damaged database or another writer on it,\n"
          "2 invalid input, 130 interrupted (continue with --resume).");
      return [options] { return RunExperimentCommand(*options); };
    }};

}  // namespace
}  // namespace orgsim::cli
