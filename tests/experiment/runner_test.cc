#include "engine/experiment/runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "engine/kernel/check.h"
#include "engine/kernel/rng.h"

namespace orgsim::experiment {
namespace {

// Collects what the runner writes; can be told to fail from batch k on.
class MemorySink : public RecordSink {
 public:
  Status Write(std::span<const RunRecord> records) override {
    ++batches;
    if (fail_from_batch >= 0 && batches > fail_from_batch) {
      return IoError("disk full (simulated)");
    }
    for (const RunRecord& r : records) rows.push_back(r);
    return Status::Ok();
  }
  std::vector<RunRecord> rows;
  int batches = 0;
  int fail_from_batch = -1;
};

// A run whose metrics depend only on the key (through a keyed stream), with
// some work so threads interleave.
void KeyedRun(const RunKey& key, RunRecord& record) {
  kernel::RandomStream rng(
      kernel::StreamKey{.seed = 5, .design_point = key.point, .replication = key.replication});
  double sum = 0;
  for (int i = 0; i < 2000; ++i) sum += rng.NextUniform();
  record.metrics = {sum, static_cast<double>(key.arm)};
  record.fingerprint = rng.NextU64();
}

bool SameRows(const std::vector<RunRecord>& a, const std::vector<RunRecord>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].key != b[i].key || a[i].ok != b[i].ok || a[i].metrics != b[i].metrics ||
        a[i].fingerprint != b[i].fingerprint || a[i].error != b[i].error) {
      return false;
    }
  }
  return true;
}

TEST(RunPlan, WritesEveryUnitInPlanOrder) {
  const WorkPlan plan{.points = 3, .arms = 2, .replications = 10};
  MemorySink sink;
  const RunnerReport report = RunPlan(plan, KeyedRun, sink, {.threads = 2, .commit_rows = 7});
  ASSERT_TRUE(report.status.ok());
  EXPECT_EQ(report.completed, 60u);
  EXPECT_EQ(report.failed, 0u);
  ASSERT_EQ(sink.rows.size(), 60u);
  for (std::size_t u = 0; u < sink.rows.size(); ++u) EXPECT_EQ(sink.rows[u].key, plan.Unit(u));
  EXPECT_EQ(sink.batches, 9);  // ceil(60 / 7)
}

TEST(RunPlan, OutputDoesNotDependOnThreadCount) {
  const WorkPlan plan{.points = 2, .arms = 3, .replications = 25};
  MemorySink one, two, four;
  RunPlan(plan, KeyedRun, one, {.threads = 1});
  RunPlan(plan, KeyedRun, two, {.threads = 2});
  RunPlan(plan, KeyedRun, four, {.threads = 4, .commit_rows = 3});
  EXPECT_TRUE(SameRows(one.rows, two.rows));
  EXPECT_TRUE(SameRows(one.rows, four.rows));
}

TEST(RunPlan, AThrowingRunBecomesAFailedRowAndOthersGoOn) {
  const WorkPlan plan{.points = 1, .arms = 2, .replications = 6};
  MemorySink sink;
  const RunnerReport report =
      RunPlan(plan,
              [](const RunKey& key, RunRecord& record) {
                record.metrics = {1.0};
                if (key.replication == 2 && key.arm == 1) {
                  ORGSIM_CHECK(false, "cash went NaN in replication " << key.replication);
                }
                if (key.replication == 4) throw std::runtime_error("plain failure");
              },
              sink, {.threads = 2, .commit_rows = 100});
  ASSERT_TRUE(report.status.ok());
  EXPECT_EQ(report.completed, 9u);
  EXPECT_EQ(report.failed, 3u);
  ASSERT_EQ(sink.rows.size(), 12u);
  const RunRecord& invariant = sink.rows[2 * 2 + 1];
  EXPECT_FALSE(invariant.ok);
  EXPECT_NE(invariant.error.find("cash went NaN in replication 2"), std::string::npos);
  EXPECT_TRUE(invariant.metrics.empty());
  EXPECT_EQ(sink.rows[4 * 2].error, "plain failure");
  EXPECT_TRUE(sink.rows[0].ok);
}

TEST(RunPlan, ResumeSkipsDoneUnitsAndCompletesTheSameRows) {
  const WorkPlan plan{.points = 2, .arms = 2, .replications = 8};
  MemorySink full;
  RunPlan(plan, KeyedRun, full, {.threads = 2});
  // First attempt keeps only every third unit; the resumed one fills the rest.
  std::set<RunKey> done;
  for (std::size_t i = 0; i < full.rows.size(); i += 3) done.insert(full.rows[i].key);
  MemorySink resumed;
  const RunnerReport report =
      RunPlan(plan, KeyedRun, resumed,
              {.threads = 2, .already_done = [&](const RunKey& k) { return done.count(k) > 0; }});
  EXPECT_EQ(report.skipped, done.size());
  EXPECT_EQ(resumed.rows.size() + done.size(), full.rows.size());
  std::map<RunKey, RunRecord> merged;
  for (const RunRecord& r : full.rows) {
    if (done.count(r.key)) merged[r.key] = r;
  }
  for (const RunRecord& r : resumed.rows) {
    EXPECT_EQ(done.count(r.key), 0u);
    merged[r.key] = r;
  }
  std::vector<RunRecord> merged_rows;
  for (auto& [key, r] : merged) merged_rows.push_back(r);
  std::vector<RunRecord> full_sorted = full.rows;
  std::sort(full_sorted.begin(), full_sorted.end(),
            [](const RunRecord& a, const RunRecord& b) { return a.key < b.key; });
  EXPECT_TRUE(SameRows(merged_rows, full_sorted));
}

TEST(RunPlan, SinkErrorStopsTheRunAndKeepsEarlierBatches) {
  const WorkPlan plan{.points = 1, .arms = 1, .replications = 100};
  MemorySink sink;
  sink.fail_from_batch = 2;
  const RunnerReport report = RunPlan(plan, KeyedRun, sink, {.threads = 2, .commit_rows = 10});
  EXPECT_FALSE(report.status.ok());
  EXPECT_EQ(report.status.code(), StatusCode::kIoError);
  EXPECT_EQ(sink.rows.size(), 20u);
  EXPECT_EQ(report.completed, 20u);
  EXPECT_EQ(sink.batches, 3);  // no writes after the failing one
}

TEST(RunPlan, StopRequestEndsEarlyWithoutLosingFinishedRuns) {
  const WorkPlan plan{.points = 1, .arms = 1, .replications = 1000};
  MemorySink sink;
  std::atomic<bool> stop{false};
  const RunnerReport report = RunPlan(plan, KeyedRun, sink,
                                      {.threads = 2,
                                       .progress =
                                           [&](const RunnerProgress& p) {
                                             if (p.done == 50) stop = true;
                                           },
                                       .stop_requested = &stop});
  EXPECT_TRUE(report.stopped);
  EXPECT_GE(sink.rows.size(), 50u);
  EXPECT_LT(sink.rows.size(), 1000u);
  // Written rows are a prefix of the plan.
  for (std::size_t u = 0; u < sink.rows.size(); ++u) EXPECT_EQ(sink.rows[u].key, plan.Unit(u));
}

TEST(RunPlan, ReportsProgressUpToTheTotal) {
  const WorkPlan plan{.points = 1, .arms = 2, .replications = 10};
  MemorySink sink;
  RunnerProgress last;
  RunPlan(plan, KeyedRun, sink, {.threads = 2, .progress = [&](const RunnerProgress& p) {
                                   EXPECT_GE(p.done, last.done);
                                   last = p;
                                 }});
  EXPECT_EQ(last.done, 20u);
  EXPECT_EQ(last.total, 20u);
}

}  // namespace
}  // namespace orgsim::experiment
