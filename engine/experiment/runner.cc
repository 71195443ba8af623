#include "engine/experiment/runner.h"

#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <utility>
#include <vector>

#include "engine/experiment/internal/happens_before.h"

namespace orgsim::experiment {
namespace {

using internal::HandOff;
using internal::TakeOver;

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Runs one unit; an exception becomes a failed record with its message.
void RunOne(const RunFunction& run, RunRecord& record) {
  try {
    run(record.key, record);
    record.ok = true;
  } catch (const std::exception& e) {
    record.ok = false;
    record.error = e.what();
  } catch (...) {
    record.ok = false;
    record.error = "unknown exception";
  }
  if (!record.ok) {
    record.metrics.clear();
    record.series.clear();
    record.fingerprint = 0;
    if (record.error.empty()) record.error = "run failed (no message)";
  }
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
  // Set by stage 3, read by stage 1 while other stages run: atomic.
  std::atomic<bool> sink_failed{false};

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

  // Stage 3's body: batch finished runs in unit order and hand them to the sink.
  auto consume = [&](std::unique_ptr<RunRecord> record) {
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
  };

  std::uint64_t cursor = 0;
  const std::size_t tokens = static_cast<std::size_t>(report.threads) * 4;
  // TBB's worker pool defaults to cores - 1 workers and caps any arena at
  // that (with a warning); --threads above the core count is a user's choice
  // (e.g. a shared node whose cores are not all visible), so honour it.
  tbb::global_control pool(
      tbb::global_control::max_allowed_parallelism,
      std::max<std::size_t>(
          static_cast<std::size_t>(report.threads),
          tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism)));
  tbb::task_arena arena(report.threads);
  // The pipeline's stages are built here, by the calling thread, and run by
  // TBB's workers; TSan cannot see TBB hand the built stages over, so the
  // hand-off is stated on an address a stage can name without reading its
  // own (captured) state: a function-local static (runners in other threads
  // share it, which only adds edges).
  static const char stages_built = 0;
  // Each serial stage hands itself over to its next invocation (TBB runs
  // them one at a time), each token to the next stage; see happens_before.h.
  const tbb::filter<void, void> stages =
      // Stage 1: the next unit not yet done, in plan order.
      tbb::make_filter<void, RunRecord*>(
          tbb::filter_mode::serial_in_order,
          [&](tbb::flow_control& fc) -> RunRecord* {
            TakeOver(&stages_built);
            TakeOver(&cursor);
            RunRecord* next = nullptr;
            if (sink_failed ||
                (options.stop_requested != nullptr && options.stop_requested->load())) {
              if (!sink_failed && cursor < report.planned) report.stopped = true;
            } else {
              while (next == nullptr && cursor < report.planned) {
                const RunKey key = plan.Unit(cursor++);
                if (options.already_done && options.already_done(key)) continue;
                next = new RunRecord;
                next->key = key;
                HandOff(next);
              }
            }
            if (next == nullptr) fc.stop();
            HandOff(&cursor);
            return next;
          }) &
      // Stage 2: run it, in parallel; exceptions become failed records.
      tbb::make_filter<RunRecord*, RunRecord*>(tbb::filter_mode::parallel,
                                               [&](RunRecord* record) -> RunRecord* {
                                                 TakeOver(&stages_built);
                                                 TakeOver(record);
                                                 RunOne(run, *record);
                                                 HandOff(record);
                                                 return record;
                                               }) &
      // Stage 3: in unit order, batch and hand to the sink.
      tbb::make_filter<RunRecord*, void>(tbb::filter_mode::serial_in_order, [&](RunRecord* raw) {
        TakeOver(&stages_built);
        TakeOver(raw);
        TakeOver(&pending);
        consume(std::unique_ptr<RunRecord>(raw));
        HandOff(&pending);
      });
  HandOff(&stages_built);
  HandOff(&cursor);
  HandOff(&pending);
  arena.execute([&] { tbb::parallel_pipeline(tokens, stages); });
  TakeOver(&cursor);
  TakeOver(&pending);
  flush();
  report.wall_seconds = SecondsSince(start);
  return report;
}

}  // namespace orgsim::experiment
