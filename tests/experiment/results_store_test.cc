// The results store: schema, batching, resume checks, failure handling
// (disk full, unwritable paths, SIGKILL), summaries, export and merge.
#include "engine/io/results_store.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/experiment/runner.h"
#include "engine/experiment/statistics.h"

namespace orgsim::io {
namespace {

using experiment::RunKey;
using experiment::RunRecord;
namespace fs = std::filesystem;

// A fresh scratch folder per test.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("orgsim_store_" + std::string(info->name()) + "_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

StoreManifest TestManifest(std::uint32_t replications = 10, std::uint64_t seed = 42) {
  StoreManifest m;
  m.scenario_name = "test_scenario";
  m.scenario_text = "name: \"test_scenario\"\n";
  m.scenario_sha256 = std::string(64, 'a');
  m.orgsim_version = "0.0.test";
  m.seed = seed;
  m.replications = replications;
  m.arms = {"project_mode", "product_led"};
  m.baseline_arm = 0;
  m.metrics = {{"profit_total", "USD"}, {"customers_end", "accounts"}};
  m.series = {"day", "revenue"};
  return m;
}

// Deterministic record for a key: arm 1 = arm 0 + 1 + small noise (so the
// paired test is meaningful).
RunRecord MakeRecord(const RunKey& key) {
  RunRecord r;
  r.key = key;
  r.ok = true;
  const double base = 100.0 + 7.0 * ((key.replication * 37 + key.point * 11) % 13);
  r.metrics = {base + key.arm * (1.0 + 0.1 * (key.replication % 3)), 5.0 + key.replication};
  r.fingerprint = 0x9e3779b97f4a7c15ULL * (key.replication + 1) + key.arm;
  r.series = {30.0, base / 10, 60.0, base / 5};
  return r;
}

std::vector<RunRecord> AllRecords(const experiment::WorkPlan& plan) {
  std::vector<RunRecord> records;
  for (std::uint64_t u = 0; u < plan.UnitCount(); ++u) records.push_back(MakeRecord(plan.Unit(u)));
  return records;
}

std::unique_ptr<ResultsStore> MustOpen(const std::string& path, const StoreManifest& m,
                                       OpenOptions options = {}) {
  auto store = ResultsStore::OpenForWriting(path, m, options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(*store) : nullptr;
}

std::vector<std::string> Dump(const std::string& path, const std::string& table = "runs") {
  auto store = ResultsStore::OpenReadOnly(path);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  auto lines = (*store)->DumpTable(table);
  EXPECT_TRUE(lines.ok());
  return *lines;
}

std::string IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nullptr);
  std::string result = sqlite3_step(s) == SQLITE_ROW
                           ? reinterpret_cast<const char*>(sqlite3_column_text(s, 0))
                           : "no result";
  sqlite3_finalize(s);
  sqlite3_close(db);
  return result;
}

TEST_F(StoreTest, CreatesTheDocumentedSchemaInWalMode) {
  const std::string path = Path("sub/dir/x.db");  // parent folders are created
  auto store = MustOpen(path, TestManifest());
  ASSERT_NE(store, nullptr);
  const std::vector<RunRecord> records = {MakeRecord({0, 0, 0}), MakeRecord({0, 1, 0})};
  ASSERT_TRUE(store->Write(records).ok());
  const auto rows = Dump(path);
  ASSERT_EQ(rows.size(), 2u);
  // point, arm, replication, seed, stream_key, status, error, fingerprint, metrics...
  EXPECT_EQ(rows[0], "0\tproduct_led\t0\t42\t42/0/0\tok\tNULL\t9e3779b97f4a7c16\t101\t5");
  EXPECT_EQ(rows[1], "0\tproject_mode\t0\t42\t42/0/0\tok\tNULL\t9e3779b97f4a7c15\t100\t5");
  sqlite3* db = store->handle();
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "wal");
  sqlite3_finalize(s);
  // runs has no rowid (no insertion-order column).
  EXPECT_NE(sqlite3_prepare_v2(db, "SELECT rowid FROM runs", -1, &s, nullptr), SQLITE_OK);
  sqlite3_finalize(s);
  EXPECT_EQ(Dump(path, "timeseries").size(), 4u);
  EXPECT_EQ(Dump(path, "scenario").size(), 1u);
}

TEST_F(StoreTest, RowsDoNotDependOnInsertionOrderOrBatching) {
  const experiment::WorkPlan plan{.points = 1, .arms = 2, .replications = 20};
  std::vector<RunRecord> records = AllRecords(plan);
  {
    auto store = MustOpen(Path("a.db"), TestManifest(20));
    ASSERT_TRUE(store->Write(records).ok());
  }
  std::mt19937 shuffle_rng(3);
  std::shuffle(records.begin(), records.end(), shuffle_rng);
  {
    auto store = MustOpen(Path("b.db"), TestManifest(20));
    for (std::size_t i = 0; i < records.size(); i += 3) {
      const std::size_t n = std::min<std::size_t>(3, records.size() - i);
      ASSERT_TRUE(store->Write(std::span(records).subspan(i, n)).ok());
    }
  }
  EXPECT_EQ(Dump(Path("a.db")), Dump(Path("b.db")));
  EXPECT_EQ(Dump(Path("a.db"), "timeseries"), Dump(Path("b.db"), "timeseries"));
}

TEST_F(StoreTest, FailedRunsKeepTheirErrorAndNullMetrics) {
  auto store = MustOpen(Path("x.db"), TestManifest());
  RunRecord failed;
  failed.key = {0, 1, 3};
  failed.ok = false;
  failed.error = "InvariantError: cash is NaN";
  ASSERT_TRUE(store->Write(std::vector<RunRecord>{failed}).ok());
  const auto rows = Dump(Path("x.db"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], "0\tproduct_led\t3\t42\t42/0/3\tfailed\tInvariantError: cash is NaN\tNULL\tNULL\tNULL");
  EXPECT_EQ(*store->CountRuns(/*failed_only=*/true), 1u);
}

TEST_F(StoreTest, RefusesToOverwriteRunsWithoutResume) {
  {
    auto store = MustOpen(Path("x.db"), TestManifest());
    ASSERT_TRUE(store->Write(std::vector<RunRecord>{MakeRecord({0, 0, 0})}).ok());
  }
  auto again = ResultsStore::OpenForWriting(Path("x.db"), TestManifest());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), experiment::StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("--resume"), std::string::npos);
  EXPECT_TRUE(ResultsStore::OpenForWriting(Path("x.db"), TestManifest(), {.resume = true}).ok());
}

TEST_F(StoreTest, ResumeRefusesAnotherScenarioOrSeed) {
  { auto store = MustOpen(Path("x.db"), TestManifest()); }
  StoreManifest other = TestManifest();
  other.scenario_sha256 = std::string(64, 'b');
  auto a = ResultsStore::OpenForWriting(Path("x.db"), other, {.resume = true});
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("scenario file changed"), std::string::npos);
  auto b = ResultsStore::OpenForWriting(Path("x.db"), TestManifest(10, 7), {.resume = true});
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("seed"), std::string::npos);
}

TEST_F(StoreTest, ResumeWithMoreReplicationsExtendsTheExperiment) {
  { auto store = MustOpen(Path("x.db"), TestManifest(10)); }
  auto store = MustOpen(Path("x.db"), TestManifest(30), {.resume = true});
  EXPECT_EQ(store->manifest().replications, 30u);
}

TEST_F(StoreTest, StoredKeysMarksExactlyTheWrittenUnits) {
  const experiment::WorkPlan plan{.points = 1, .arms = 2, .replications = 5};
  auto store = MustOpen(Path("x.db"), TestManifest(5));
  ASSERT_TRUE(store->Write(std::vector<RunRecord>{MakeRecord({0, 1, 2}), MakeRecord({0, 0, 4})}).ok());
  const auto done = store->StoredKeys(plan);
  ASSERT_TRUE(done.ok());
  for (std::uint64_t u = 0; u < plan.UnitCount(); ++u) {
    const RunKey k = plan.Unit(u);
    const bool expected = (k == RunKey{0, 1, 2}) || (k == RunKey{0, 0, 4});
    EXPECT_EQ((*done)[plan.DenseIndex(k)], expected);
  }
}

TEST_F(StoreTest, DiskFullRollsBackTheBatchAndKeepsCommittedRows) {
  const experiment::WorkPlan plan{.points = 1, .arms = 2, .replications = 5000};
  const std::vector<RunRecord> records = AllRecords(plan);
  auto store = MustOpen(Path("x.db"), TestManifest(5000), {.max_page_count = 60});
  std::size_t committed = 0;
  experiment::Status status;
  for (std::size_t i = 0; i < records.size(); i += 50) {
    status = store->Write(std::span(records).subspan(i, 50));
    if (!status.ok()) break;
    committed += 50;
  }
  ASSERT_FALSE(status.ok()) << "the page cap never filled";
  EXPECT_EQ(status.code(), experiment::StatusCode::kIoError);
  EXPECT_NE(status.message().find("full"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("rolled back"), std::string::npos);
  EXPECT_GT(committed, 0u);
  store.reset();
  EXPECT_EQ(IntegrityCheck(Path("x.db")), "ok");
  EXPECT_EQ(Dump(Path("x.db")).size(), committed);
}

TEST_F(StoreTest, UnwritablePathIsAClearError) {
  std::ofstream(Path("file")) << "not a folder";
  auto store = ResultsStore::OpenForWriting(Path("file/x.db"), TestManifest());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), experiment::StatusCode::kIoError);
  EXPECT_NE(store.status().message().find("file/x.db"), std::string::npos)
      << store.status().message();
}

TEST_F(StoreTest, RefusesFilesThatAreNotResultsDatabases) {
  std::ofstream(Path("text.db")) << "this is not sqlite at all, just some text........";
  EXPECT_FALSE(ResultsStore::OpenForWriting(Path("text.db"), TestManifest()).ok());
  sqlite3* db = nullptr;
  sqlite3_open(Path("other.db").c_str(), &db);
  sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto other = ResultsStore::OpenForWriting(Path("other.db"), TestManifest());
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("not an orgsim results database"), std::string::npos);
  EXPECT_FALSE(ResultsStore::OpenReadOnly(Path("missing.db")).ok());
}

TEST_F(StoreTest, SigkillMidRunLeavesAConsistentDatabaseThatResumesToTheSameRows) {
  const experiment::WorkPlan plan{.points = 1, .arms = 2, .replications = 3000};
  const StoreManifest manifest = TestManifest(3000);
  {
    auto store = MustOpen(Path("full.db"), manifest);
    ASSERT_TRUE(store->Write(AllRecords(plan)).ok());
  }
  // A child writes batches of 20 forever-ish; the parent kills it mid-stream.
  const std::string path = Path("killed.db");
  { auto store = MustOpen(path, manifest); }
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = ResultsStore::OpenForWriting(path, manifest, {.resume = true});
    if (!store.ok()) _exit(3);
    const auto records = AllRecords(plan);
    for (std::size_t i = 0; i < records.size(); i += 20) {
      if (!(*store)->Write(std::span(records).subspan(i, 20)).ok()) _exit(4);
    }
    _exit(0);
  }
  // Wait until some batches are in, then SIGKILL.
  for (int i = 0; i < 2000; ++i) {
    usleep(1000);
    auto s = ResultsStore::OpenReadOnly(path);
    if (s.ok() && *(*s)->CountRuns() >= 200) break;
  }
  kill(child, SIGKILL);
  int wstatus = 0;
  waitpid(child, &wstatus, 0);
  EXPECT_EQ(IntegrityCheck(path), "ok");
  const std::size_t kept = Dump(path).size();
  EXPECT_EQ(kept % 20, 0u) << "a batch was half-written";
  EXPECT_GE(kept, 200u);
  // Resume: write only the missing ones.
  {
    auto store = MustOpen(path, manifest, {.resume = true});
    const auto done = store->StoredKeys(plan);
    ASSERT_TRUE(done.ok());
    std::vector<RunRecord> missing;
    for (const RunRecord& r : AllRecords(plan)) {
      if (!(*done)[plan.DenseIndex(r.key)]) missing.push_back(r);
    }
    ASSERT_TRUE(store->Write(missing).ok());
  }
  EXPECT_EQ(Dump(path), Dump(Path("full.db")));
}

TEST_F(StoreTest, SummarizeMatchesTheInMemoryStatistics) {
  const experiment::WorkPlan plan{.points = 1, .arms = 2, .replications = 40};
  const std::vector<RunRecord> records = AllRecords(plan);
  auto store = MustOpen(Path("x.db"), TestManifest(40));
  ASSERT_TRUE(store->Write(records).ok());
  auto report = store->Summarize({});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  std::vector<double> base, alt;
  for (const RunRecord& r : records) (r.key.arm == 0 ? base : alt).push_back(r.metrics[0]);
  const experiment::Summary expected = experiment::Summarize(alt);
  const experiment::Summary& got = report->points[0].arms[1].metrics[0];
  EXPECT_EQ(got.n, 40u);
  EXPECT_DOUBLE_EQ(got.mean, expected.mean);
  EXPECT_DOUBLE_EQ(got.sd, expected.sd);
  EXPECT_DOUBLE_EQ(got.median, expected.median);
  EXPECT_DOUBLE_EQ(got.ci_low, expected.ci_low);
  const experiment::PairedComparison pc = experiment::ComparePaired(alt, base);
  ASSERT_EQ(report->points[0].paired.size(), 1u);
  const experiment::PairedComparison& gp = report->points[0].paired[0].metrics[0];
  EXPECT_EQ(report->points[0].paired[0].arm, "product_led");
  EXPECT_DOUBLE_EQ(gp.mean_diff, pc.mean_diff);
  EXPECT_DOUBLE_EQ(gp.t_pvalue, pc.t_pvalue);
  EXPECT_DOUBLE_EQ(gp.wilcoxon_pvalue, pc.wilcoxon_pvalue);
  EXPECT_DOUBLE_EQ(gp.variance_reduction, pc.variance_reduction);
  EXPECT_EQ(report->runs, 80u);
  EXPECT_EQ(report->expected_runs, 80u);
  EXPECT_GT(gp.variance_reduction, 0.9);  // the arms share their "streams"
  const std::string table = experiment::FormatComparisonTable(*report);
  EXPECT_NE(table.find("profit_total (USD)"), std::string::npos) << table;
  EXPECT_NE(table.find("CRN var. red."), std::string::npos);
}

// The summary reads each metric in one pass over the runs (linear in the
// number of arms); with many arms, missing replications and failed runs it
// must still give exactly the in-memory statistics, pairs matched by
// replication.
TEST_F(StoreTest, SummaryOfManyArmsWithGapsMatchesTheInMemoryStatistics) {
  constexpr std::uint32_t kArms = 40, kReplications = 9;
  StoreManifest m = TestManifest(kReplications);
  m.arms.clear();
  for (std::uint32_t a = 0; a < kArms; ++a) m.arms.push_back("arm" + std::to_string(a));
  m.baseline_arm = 3;
  std::vector<RunRecord> records;
  std::vector<std::vector<std::pair<std::uint32_t, double>>> stored(kArms);
  for (std::uint32_t a = 0; a < kArms; ++a) {
    for (std::uint32_t r = 0; r < kReplications; ++r) {
      if ((a * 7 + r * 3) % 5 == 0) continue;  // never run
      RunRecord record = MakeRecord(RunKey{.point = 0, .arm = a, .replication = r});
      record.metrics[0] += a * 0.25 + ((a * 13 + r * 5) % 7);
      if ((a + r) % 11 == 0) {  // failed: no metrics
        record.ok = false;
        record.error = "boom";
        record.metrics.clear();
        record.series.clear();
      } else {
        stored[a].emplace_back(r, record.metrics[0]);
      }
      records.push_back(record);
    }
  }
  auto store = MustOpen(Path("x.db"), m);
  ASSERT_TRUE(store->Write(records).ok());
  auto report = store->Summarize({});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  std::size_t pair_index = 0;
  for (std::uint32_t a = 0; a < kArms; ++a) {
    std::vector<double> values;
    for (const auto& [r, v] : stored[a]) values.push_back(v);
    const experiment::Summary& got = report->points[0].arms[a].metrics[0];
    EXPECT_EQ(got.n, values.size()) << a;
    if (!values.empty()) {
      const experiment::Summary expected = experiment::Summarize(values);
      EXPECT_DOUBLE_EQ(got.mean, expected.mean) << a;
      EXPECT_DOUBLE_EQ(got.median, expected.median) << a;
      EXPECT_DOUBLE_EQ(got.q25, expected.q25) << a;
    }
    if (a == m.baseline_arm) continue;
    std::vector<double> x, y;
    for (const auto& [r, v] : stored[a]) {
      for (const auto& [rb, vb] : stored[m.baseline_arm]) {
        if (rb == r) {
          x.push_back(v);
          y.push_back(vb);
        }
      }
    }
    const experiment::PairedReport& paired = report->points[0].paired[pair_index++];
    EXPECT_EQ(paired.arm, m.arms[a]);
    const experiment::PairedComparison& gp = paired.metrics[0];
    EXPECT_EQ(gp.n, x.size()) << a;
    if (x.size() >= 2) {
      const experiment::PairedComparison pc = experiment::ComparePaired(x, y);
      EXPECT_DOUBLE_EQ(gp.mean_diff, pc.mean_diff) << a;
      EXPECT_DOUBLE_EQ(gp.wilcoxon_pvalue, pc.wilcoxon_pvalue) << a;
    }
  }
}

TEST_F(StoreTest, SummarizeOfAnUnknownMetricIsAnError) {
  auto store = MustOpen(Path("x.db"), TestManifest());
  EXPECT_FALSE(store->Summarize({.metrics = {"no_such_metric"}}).ok());
}

TEST_F(StoreTest, ExportsCsvAndJson) {
  auto store = MustOpen(Path("x.db"), TestManifest());
  RunRecord failed;
  failed.key = {0, 0, 1};
  failed.error = "bad, \"quoted\"\nline";
  ASSERT_TRUE(store->Write(std::vector<RunRecord>{MakeRecord({0, 0, 0}), failed}).ok());
  std::ostringstream csv;
  ASSERT_TRUE(ExportTable(*store, "runs", ExportFormat::kCsv, csv).ok());
  EXPECT_EQ(csv.str(),
            "point,arm,replication,seed,stream_key,status,error,fingerprint,profit_total,"
            "customers_end\n"
            "0,project_mode,0,42,42/0/0,ok,,9e3779b97f4a7c15,100,5\n"
            "0,project_mode,1,42,42/0/1,failed,\"bad, \"\"quoted\"\"\nline\",,,\n");
  std::ostringstream json;
  ASSERT_TRUE(ExportTable(*store, "arms", ExportFormat::kJson, json).ok());
  EXPECT_EQ(json.str(),
            "[\n  {\"arm_index\": 0, \"name\": \"project_mode\", \"baseline\": 1},\n"
            "  {\"arm_index\": 1, \"name\": \"product_led\", \"baseline\": 0}\n]\n");
  std::ostringstream bad;
  EXPECT_FALSE(ExportTable(*store, "sqlite_master", ExportFormat::kCsv, bad).ok());
}

TEST_F(StoreTest, MergeOfShardsEqualsTheUnshardedStore) {
  const StoreManifest manifest = TestManifest(9);
  const experiment::WorkPlan full{.points = 1, .arms = 2, .replications = 9};
  {
    auto store = MustOpen(Path("full.db"), manifest);
    ASSERT_TRUE(store->Write(AllRecords(full)).ok());
  }
  std::vector<std::string> shards;
  for (std::uint32_t k = 0; k < 3; ++k) {
    experiment::WorkPlan plan = full;
    plan.shard = {k, 3};
    shards.push_back(Path("shard" + std::to_string(k) + ".db"));
    auto store = MustOpen(shards.back(), manifest);
    ASSERT_TRUE(store->Write(AllRecords(plan)).ok());
  }
  auto merged = MergeShards(Path("merged.db"), shards);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(merged->rows, 18u);
  EXPECT_EQ(merged->missing_count, 0u);
  EXPECT_EQ(Dump(Path("merged.db")), Dump(Path("full.db")));
  EXPECT_EQ(Dump(Path("merged.db"), "timeseries"), Dump(Path("full.db"), "timeseries"));
  // Output must not exist yet.
  EXPECT_FALSE(MergeShards(Path("merged.db"), shards).ok());
}

TEST_F(StoreTest, MergeRejectsDuplicatesAndReportsMissingKeys) {
  const StoreManifest manifest = TestManifest(4);
  const experiment::WorkPlan full{.points = 1, .arms = 2, .replications = 4};
  experiment::WorkPlan shard0 = full;
  shard0.shard = {0, 2};
  {
    auto store = MustOpen(Path("s0.db"), manifest);
    ASSERT_TRUE(store->Write(AllRecords(shard0)).ok());
  }
  auto dup = MergeShards(Path("m1.db"), {Path("s0.db"), Path("s0.db")});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), experiment::StatusCode::kAlreadyExists);
  EXPECT_NE(dup.status().message().find("(point 0, arm product_led, replication 0)"),
            std::string::npos)
      << dup.status().message();
  EXPECT_FALSE(fs::exists(Path("m1.db")));  // no half-merged output left behind
  auto partial = MergeShards(Path("m2.db"), {Path("s0.db")});
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->rows, 4u);
  EXPECT_EQ(partial->missing_count, 4u);
  ASSERT_EQ(partial->missing.size(), 4u);
  EXPECT_EQ(partial->missing[0], (RunKey{0, 0, 1}));
}

TEST_F(StoreTest, MergeRejectsShardsOfAnotherSeed) {
  { auto a = MustOpen(Path("a.db"), TestManifest(4, 1)); }
  { auto b = MustOpen(Path("b.db"), TestManifest(4, 2)); }
  auto merged = MergeShards(Path("m.db"), {Path("a.db"), Path("b.db")});
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.status().message().find("seed"), std::string::npos);
  EXPECT_FALSE(fs::exists(Path("m.db")));
}

}  // namespace
}  // namespace orgsim::io
