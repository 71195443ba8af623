// orgsim-experiment-bench: replication throughput, store cost and memory of
// the experiment layer on a real scenario (whole-process measurements).
//
//   orgsim-experiment-bench --scenario scenarios/product_led_vs_project_mode.textproto
//       --replications 200 --threads 2 --store sqlite --db /tmp/b.db --summary
//
// Prints one JSON object: runs, seconds, runs_per_s, peak_rss_kb, and the
// settings. experiment_bench.sh runs the comparisons the issue asks for
// (1 vs 2 threads vs two independent processes, store on vs off, peak RSS
// at N and 10N replications).
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include "engine/experiment/runner.h"
#include "engine/io/experiment_setup.h"
#include "engine/io/results_store.h"
#include "engine/io/scenario_loader.h"

namespace {

// Discards records (the "store off" baseline) but touches them so nothing
// is optimised away.
class NullSink : public orgsim::experiment::RecordSink {
 public:
  orgsim::Status Write(std::span<const orgsim::experiment::RunRecord> records) override {
    for (const auto& r : records) checksum_ += r.metrics.empty() ? 0.0 : r.metrics[0];
    return orgsim::Status::Ok();
  }
  double checksum_ = 0;
};

// Forwards to the store and adds up the wall time spent inside Write(): the
// store's own cost, robust to other load on the machine.
class TimedSink : public orgsim::experiment::RecordSink {
 public:
  explicit TimedSink(orgsim::experiment::RecordSink& inner) : inner_(inner) {}
  orgsim::Status Write(std::span<const orgsim::experiment::RunRecord> records) override {
    const auto t0 = std::chrono::steady_clock::now();
    orgsim::Status status = inner_.Write(records);
    seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return status;
  }
  double seconds_ = 0;

 private:
  orgsim::experiment::RecordSink& inner_;
};

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"orgsim experiment-layer benchmark"};
  std::string scenario_path = "scenarios/product_led_vs_project_mode.textproto";
  std::uint32_t replications = 100;
  int threads = 1;
  std::string store_kind = "sqlite";
  std::string db = "/tmp/orgsim-experiment-bench.db";
  bool summary = false;
  app.add_option("--scenario", scenario_path);
  app.add_option("--replications", replications);
  app.add_option("--threads", threads);
  app.add_option("--store", store_kind)->check(CLI::IsMember({"sqlite", "none"}));
  app.add_option("--db", db);
  app.add_flag("--summary", summary, "Also summarize from the database, as `orgsim run`");
  CLI11_PARSE(app, argc, argv);

  orgsim::io::LoadResult loaded = orgsim::io::LoadScenarioFile(scenario_path);
  if (!loaded.ok()) {
    std::cerr << orgsim::io::FormatDiagnostics(loaded.diagnostics);
    return 2;
  }
  auto setup = orgsim::io::SetUpExperiment(
      *loaded.scenario, {.replications = replications, .orgsim_version = "bench"});
  if (!setup.ok()) {
    std::cerr << setup.status().ToString() << "\n";
    return 2;
  }
  const orgsim::experiment::WorkPlan plan = setup->Plan();
  const auto start = std::chrono::steady_clock::now();
  orgsim::experiment::RunnerReport report;
  double summary_seconds = 0;
  double store_seconds = 0;
  if (store_kind == "none") {
    NullSink sink;
    report = orgsim::experiment::RunPlan(plan, setup->run, sink, {.threads = threads});
  } else {
    std::filesystem::remove(db);
    std::filesystem::remove(db + "-wal");
    std::filesystem::remove(db + "-shm");
    auto store = orgsim::io::ResultsStore::OpenForWriting(db, setup->manifest);
    if (!store.ok()) {
      std::cerr << store.status().ToString() << "\n";
      return 1;
    }
    TimedSink timed(**store);
    report = orgsim::experiment::RunPlan(plan, setup->run, timed, {.threads = threads});
    store_seconds = timed.seconds_;
    if (summary) {
      const auto s0 = std::chrono::steady_clock::now();
      auto r = (*store)->Summarize({});
      if (!r.ok()) return 1;
      summary_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - s0).count();
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() -
      summary_seconds;
  if (!report.status.ok()) {
    std::cerr << report.status.ToString() << "\n";
    return 1;
  }
  const auto runs = report.completed + report.failed;
  std::printf(
      "{\"scenario\": \"%s\", \"replications\": %u, \"threads\": %d, \"store\": \"%s\", "
      "\"runs\": %llu, \"failed\": %llu, \"seconds\": %.4f, \"runs_per_s\": %.2f, "
      "\"store_seconds\": %.4f, \"summary_seconds\": %.4f, \"peak_rss_kb\": %ld}\n",
      loaded.scenario->name.c_str(), replications, report.threads, store_kind.c_str(),
      static_cast<unsigned long long>(runs), static_cast<unsigned long long>(report.failed),
      seconds, runs / seconds, store_seconds, summary_seconds, PeakRssKb());
  return 0;
}
