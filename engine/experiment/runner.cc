#include "engine/experiment/runner.h"

#include <chrono>
#include <exception>
#include <memory>
#include <utility>
#include <vector>

#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

namespace orgsim::experiment {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

RunnerReport RunPlan(const WorkPlan& plan, const RunFunction& run, RecordSink& sink,
                     const RunnerOptions& options) {
  const Clock::time_point start = Clock::now();
  RunnerReport report;
  report.threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  report.planned = plan.UnitCount();

  // Count the work left first, so progress has a true total.
  if (options.already_done) {
    for (std::uint64_t u = 0; u < report.planned; ++u) {
      if (options.already_done(plan.Unit(u))) ++report.skipped;
    }
  }
  RunnerProgress progress{.total = report.planned - report.skipped};

  std::vector<RunRecord> pending;
  pending.reserve(options.commit_rows);
  Clock::time_point last_commit = Clock::now();
  bool sink_failed = false;

  auto flush = [&]() {
    if (pending.empty() || sink_failed) return;
    Status status = sink.Write(pending);
    ++report.batches;
    if (!status.ok()) {
      sink_failed = true;
      report.status = std::move(status);
      return;
    }
    for (const RunRecord& r : pending) (r.ok ? report.completed : report.failed) += 1;
    pending.clear();
    last_commit = Clock::now();
  };

  std::uint64_t cursor = 0;
  const std::size_t tokens = static_cast<std::size_t>(report.threads) * 4;
  tbb::task_arena arena(report.threads);
  arena.execute([&] {
    tbb::parallel_pipeline(
        tokens,
        // Stage 1: the next unit not yet done, in plan order.
        tbb::make_filter<void, RunRecord*>(
            tbb::filter_mode::serial_in_order,
            [&](tbb::flow_control& fc) -> RunRecord* {
              if (sink_failed ||
                  (options.stop_requested != nullptr && options.stop_requested->load())) {
                if (!sink_failed && cursor < report.planned) report.stopped = true;
                fc.stop();
                return nullptr;
              }
              while (cursor < report.planned) {
                const RunKey key = plan.Unit(cursor++);
                if (options.already_done && options.already_done(key)) continue;
                auto* record = new RunRecord;
                record->key = key;
                return record;
              }
              fc.stop();
              return nullptr;
            }) &
            // Stage 2: run it, in parallel; exceptions become failed records.
            tbb::make_filter<RunRecord*, RunRecord*>(
                tbb::filter_mode::parallel,
                [&](RunRecord* record) -> RunRecord* {
                  try {
                    run(record->key, *record);
                    record->ok = true;
                  } catch (const std::exception& e) {
                    record->ok = false;
                    record->error = e.what();
                  } catch (...) {
                    record->ok = false;
                    record->error = "unknown exception";
                  }
                  if (!record->ok) {
                    record->metrics.clear();
                    record->series.clear();
                    record->fingerprint = 0;
                    if (record->error.empty()) record->error = "run failed (no message)";
                  }
                  return record;
                }) &
            // Stage 3: in unit order, batch and hand to the sink.
            tbb::make_filter<RunRecord*, void>(
                tbb::filter_mode::serial_in_order, [&](RunRecord* raw) {
                  std::unique_ptr<RunRecord> record(raw);
                  if (sink_failed) return;
                  ++progress.done;
                  if (!record->ok) ++progress.failed;
                  pending.push_back(std::move(*record));
                  if (pending.size() >= options.commit_rows ||
                      SecondsSince(last_commit) >= options.commit_seconds) {
                    flush();
                  }
                  if (options.progress) {
                    progress.elapsed_seconds = SecondsSince(start);
                    options.progress(progress);
                  }
                }));
  });
  flush();
  report.wall_seconds = SecondsSince(start);
  return report;
}

}  // namespace orgsim::experiment
