// The results store: schema, batching, resume checks, failure handling
// (disk full, unwritable paths, SIGKILL), summaries, export and merge.
#include "engine/io/results_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/experiment/runner.h"
#include "engine/experiment/statistics.h"
#include "engine/io/atomic_file.h"
#include "engine/io/sqlite_statement.h"
#include "tests/testing/status_matchers.h"

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
  EXPECT_OK(store);
  return store.ok() ? std::move(*store) : nullptr;
}

std::vector<std::string> Dump(const std::string& path, const std::string& table = "runs") {
  auto store = ResultsStore::OpenReadOnly(path);
  EXPECT_OK(store);
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
  sqlite3* db = internal::DatabaseHandle(*store);
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
  EXPECT_EQ(rows[0],
            "0\tproduct_led\t3\t42\t42/0/3\tfailed\tInvariantError: cash is NaN\tNULL\tNULL\tNULL");
  EXPECT_EQ(*store->CountRuns(/*failed_only=*/true), 1u);
}

TEST_F(StoreTest, RefusesToOverwriteRunsWithoutResume) {
  {
    auto store = MustOpen(Path("x.db"), TestManifest());
    ASSERT_TRUE(store->Write(std::vector<RunRecord>{MakeRecord({0, 0, 0})}).ok());
  }
  auto again = ResultsStore::OpenForWriting(Path("x.db"), TestManifest());
  ASSERT_FALSE(again.ok());
  EXPECT_THAT(again, test::StatusIs(StatusCode::kFailedPrecondition));
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
  ASSERT_TRUE(
      store->Write(std::vector<RunRecord>{MakeRecord({0, 1, 2}), MakeRecord({0, 0, 4})}).ok());
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
  Status status;
  for (std::size_t i = 0; i < records.size(); i += 50) {
    status = store->Write(std::span(records).subspan(i, 50));
    if (!status.ok()) break;
    committed += 50;
  }
  ASSERT_FALSE(status.ok()) << "the page cap never filled";
  EXPECT_THAT(status, test::StatusIs(StatusCode::kIoError));
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
  EXPECT_THAT(store, test::StatusIs(StatusCode::kIoError));
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
  ASSERT_OK(report);
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
  ASSERT_OK(report);
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
  ASSERT_OK(merged);
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
  EXPECT_THAT(dup, test::StatusIs(StatusCode::kAlreadyExists));
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

// ---------------------------------------------------------------------------
// Integrity: damaged databases are refused, never summarised (issue 20).
// ---------------------------------------------------------------------------

namespace integrity {

// A complete database of `reps` replications (2 arms, series), closed, so
// everything is in the main file.
void WriteComplete(const std::string& path, std::uint32_t reps, std::size_t batch = 7) {
  const experiment::WorkPlan plan{.points = 1, .arms = 2, .replications = reps};
  auto store = MustOpen(path, TestManifest(reps));
  const auto records = AllRecords(plan);
  for (std::size_t i = 0; i < records.size(); i += batch) {
    const std::size_t n = std::min(batch, records.size() - i);
    ASSERT_TRUE(store->Write(std::span(records).subspan(i, n)).ok());
  }
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Runs `sql` on the database behind the store's back.
int ExecSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc;
}

// Every (point, arm, metric) summary and paired comparison, as text (bitwise
// doubles via %a), for exact comparison of two reports.
std::vector<std::string> SummaryLines(const experiment::ExperimentReport& r) {
  std::vector<std::string> lines;
  char buffer[256];
  lines.push_back("runs " + std::to_string(r.runs) + " failed " + std::to_string(r.failed_runs));
  for (const auto& point : r.points) {
    for (const auto& arm : point.arms) {
      for (std::size_t k = 0; k < arm.metrics.size(); ++k) {
        const auto& m = arm.metrics[k];
        std::snprintf(buffer, sizeof(buffer), "%s %zu n=%llu %a %a %a %a %a", arm.arm.c_str(), k,
                      static_cast<unsigned long long>(m.n), m.mean, m.sd, m.median, m.min, m.max);
        lines.push_back(buffer);
      }
    }
    for (const auto& paired : point.paired) {
      for (std::size_t k = 0; k < paired.metrics.size(); ++k) {
        const auto& m = paired.metrics[k];
        std::snprintf(buffer, sizeof(buffer), "%s %zu n=%llu %a %a %a", paired.arm.c_str(), k,
                      static_cast<unsigned long long>(m.n), m.mean_diff, m.sd_diff, m.t_pvalue);
        lines.push_back(buffer);
      }
    }
  }
  return lines;
}

// Overwrites 8 big-endian bytes of `value` (a REAL as SQLite stores it) with
// one bit flipped; false when the value is not in the file.
bool FlipBitInsideStoredDouble(const std::string& path, double value) {
  std::string bytes = ReadBytes(path);
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  std::string pattern(8, '\0');
  for (int i = 0; i < 8; ++i) pattern[i] = static_cast<char>((bits >> (56 - 8 * i)) & 0xff);
  const auto at = bytes.find(pattern);
  if (at == std::string::npos) return false;
  bytes[at + 7] = static_cast<char>(bytes[at + 7] ^ 0x01);
  WriteBytes(path, bytes);
  return true;
}

}  // namespace integrity

TEST_F(StoreTest, SummarizeAndExportRefuseADatabaseDamagedAfterOpening) {
  integrity::WriteComplete(Path("x.db"), 400);
  auto store = ResultsStore::OpenReadOnly(Path("x.db"));
  ASSERT_OK(store);
  // Damage every page holding an arm name (runs and timeseries leaves)
  // behind the open connection's back, and drop its page cache: the row
  // loops of Summarize then meet SQLITE_CORRUPT after the verification.
  std::string bytes = integrity::ReadBytes(Path("x.db"));
  int damaged = 0;
  for (std::size_t page = 4096; page + 4096 <= bytes.size(); page += 4096) {
    const std::string content = bytes.substr(page, 4096);
    if (content.find("product_led") == std::string::npos) continue;
    if (++damaged % 2 == 0) bytes[page] = static_cast<char>(0x6b);  // an invalid page type
  }
  ASSERT_GT(damaged, 2);
  integrity::WriteBytes(Path("x.db"), bytes);
  sqlite3_db_release_memory(internal::DatabaseHandle(**store));
  auto report = (*store)->Summarize({});
  ASSERT_FALSE(report.ok()) << "summarised a damaged database: "
                            << integrity::SummaryLines(*report)[1];
  EXPECT_THAT(report, test::StatusIs(StatusCode::kDataLoss)) << report.status().ToString();
  std::ostringstream out;
  EXPECT_FALSE(ExportTable(**store, "runs", ExportFormat::kCsv, out).ok());
}

// Interrupts the connection after `limit` virtual-machine steps.
int InterruptAfter(void* counter) {
  auto* c = static_cast<std::pair<long, long>*>(counter);
  return ++c->first > c->second ? 1 : 0;
}

TEST_F(StoreTest, SummarizeNeverReturnsPartialResultsWhenAStepFails) {
  integrity::WriteComplete(Path("x.db"), 300);
  auto store = ResultsStore::OpenReadOnly(Path("x.db"));
  ASSERT_TRUE(store.ok());
  auto full = (*store)->Summarize({});
  ASSERT_TRUE(full.ok());
  const auto expected = integrity::SummaryLines(*full);
  // Count the steps of one Summarize, then fail it at 150 points along the
  // way (SQLITE_INTERRUPT): each is an error or the full answer.
  std::pair<long, long> counter{0, std::numeric_limits<long>::max()};
  sqlite3_progress_handler(internal::DatabaseHandle(**store), 1, InterruptAfter, &counter);
  ASSERT_TRUE((*store)->Summarize({}).ok());
  const long total = counter.first;
  ASSERT_GT(total, 1000);
  int failed = 0;
  for (long limit = 0; limit < total; limit += total / 150) {
    counter = {0, limit};
    auto report = (*store)->Summarize({});
    if (report.ok()) {
      EXPECT_EQ(integrity::SummaryLines(*report), expected) << "interrupted after " << limit;
    } else {
      ++failed;
    }
  }
  EXPECT_GT(failed, 140);
  sqlite3_progress_handler(internal::DatabaseHandle(**store), 0, nullptr, nullptr);
}

TEST_F(StoreTest, OpeningADamagedDatabaseIsRefusedWithThePlainMessage) {
  integrity::WriteComplete(Path("x.db"), 200);
  std::string bytes = integrity::ReadBytes(Path("x.db"));
  std::mt19937_64 rng(14);
  for (int i = 0; i < 20; ++i) {
    const std::size_t at = 4096 + rng() % (bytes.size() - 4096);
    bytes[at] = static_cast<char>(bytes[at] ^ 0xff);
  }
  integrity::WriteBytes(Path("x.db"), bytes);
  auto read = ResultsStore::OpenReadOnly(Path("x.db"));
  ASSERT_FALSE(read.ok());
  EXPECT_THAT(read, test::StatusIs(StatusCode::kDataLoss));
  EXPECT_NE(read.status().message().find("the database is damaged at " + Path("x.db")),
            std::string::npos)
      << read.status().message();
  EXPECT_NE(
      read.status().message().find("the runs it holds cannot be trusted; rerun into a new --db"),
      std::string::npos);
  auto resume = ResultsStore::OpenForWriting(Path("x.db"), TestManifest(200), {.resume = true});
  ASSERT_FALSE(resume.ok());
  EXPECT_THAT(resume, test::StatusIs(StatusCode::kDataLoss));
  EXPECT_FALSE(MergeShards(Path("m.db"), {Path("x.db")}).ok());
  EXPECT_FALSE(fs::exists(Path("m.db")));
}

TEST_F(StoreTest, ABitFlipInsideAStoredValueIsCaughtByItsRowChecksum) {
  integrity::WriteComplete(Path("x.db"), 20);
  // Arm 1, replication 1: 100 + 7 * (37 % 13) + 1.1, a non-integral REAL.
  const double value = MakeRecord({0, 1, 1}).metrics[0];
  ASSERT_NE(value, std::floor(value));
  ASSERT_TRUE(integrity::FlipBitInsideStoredDouble(Path("x.db"), value));
  EXPECT_EQ(IntegrityCheck(Path("x.db")), "ok") << "SQLite's own checks cannot see this";
  auto read = ResultsStore::OpenReadOnly(Path("x.db"));
  ASSERT_FALSE(read.ok());
  EXPECT_THAT(read, test::StatusIs(StatusCode::kDataLoss));
  EXPECT_NE(read.status().message().find("(point 0, arm product_led, replication 1) does not "
                                         "match its checksum"),
            std::string::npos)
      << read.status().message();
}

TEST_F(StoreTest, AChangedTimeSeriesValueIsCaughtByItsChecksum) {
  integrity::WriteComplete(Path("x.db"), 5);
  ASSERT_EQ(integrity::ExecSql(Path("x.db"),
                               "UPDATE timeseries SET revenue = revenue + 1 WHERE arm = "
                               "'project_mode' AND replication = 3 AND month = 1"),
            SQLITE_OK);
  auto read = ResultsStore::OpenReadOnly(Path("x.db"));
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("time series of run (point 0, arm project_mode, "
                                         "replication 3)"),
            std::string::npos)
      << read.status().message();
}

TEST_F(StoreTest, DatabasesWithoutChecksumsAreReadAsUnverifiedWithAWarning) {
  integrity::WriteComplete(Path("old.db"), 6);
  // As an orgsim before checksums wrote it.
  ASSERT_EQ(integrity::ExecSql(Path("old.db"), "DROP TABLE checksums"), SQLITE_OK);
  auto read = ResultsStore::OpenReadOnly(Path("old.db"));
  ASSERT_OK(read);
  EXPECT_NE((*read)->integrity_note().find("no row checksums"), std::string::npos)
      << (*read)->integrity_note();
  EXPECT_EQ(Dump(Path("old.db")).size(), 12u);
  read->reset();
  {  // Resuming keeps it unverified (no checksums for some rows only).
    auto store = MustOpen(Path("old.db"), TestManifest(7), {.resume = true});
    ASSERT_NE(store, nullptr);
    EXPECT_FALSE(store->integrity_note().empty());
    ASSERT_TRUE(store->Write(std::vector<RunRecord>{MakeRecord({0, 0, 6})}).ok());
  }
  auto merged = MergeShards(Path("m.db"), {Path("old.db")});
  ASSERT_OK(merged);
  ASSERT_EQ(merged->notes.size(), 1u);
  auto out = ResultsStore::OpenReadOnly(Path("m.db"));
  ASSERT_OK(out);
  EXPECT_FALSE((*out)->integrity_note().empty());
  EXPECT_EQ(Dump(Path("m.db")), Dump(Path("old.db")));
  // A database with checksums has no note.
  integrity::WriteComplete(Path("new.db"), 2);
  auto fresh = ResultsStore::OpenReadOnly(Path("new.db"));
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ((*fresh)->integrity_note(), "");
}

TEST_F(StoreTest, DeleteFailedRunsLetsAResumeRunThemAgain) {
  const experiment::WorkPlan plan{.points = 1, .arms = 2, .replications = 4};
  auto store = MustOpen(Path("x.db"), TestManifest(4));
  std::vector<RunRecord> records = AllRecords(plan);
  records[3].ok = false;
  records[3].error = "bad_alloc";
  records[3].metrics.clear();
  records[5].ok = false;
  records[5].error = "bad_alloc";
  ASSERT_TRUE(store->Write(records).ok());
  EXPECT_EQ(*store->CountRuns(true), 2u);
  auto deleted = store->DeleteFailedRuns();
  ASSERT_OK(deleted);
  EXPECT_EQ(*deleted, 2u);
  EXPECT_EQ(*store->CountRuns(true), 0u);
  const auto done = store->StoredKeys(plan);
  EXPECT_FALSE((*done)[plan.DenseIndex(records[3].key)]);
  EXPECT_FALSE((*done)[plan.DenseIndex(records[5].key)]);
  ASSERT_TRUE(
      store->Write(std::vector<RunRecord>{MakeRecord(records[3].key), MakeRecord(records[5].key)})
          .ok());
  EXPECT_TRUE(store->Verify().ok());
  store.reset();
  integrity::WriteComplete(Path("ref.db"), 4);
  EXPECT_EQ(Dump(Path("x.db")), Dump(Path("ref.db")));
}

TEST_F(StoreTest, ASecondWriterIsRefusedAtStartWithAClearMessage) {
  auto first = MustOpen(Path("x.db"), TestManifest());
  ASSERT_NE(first, nullptr);
  auto second = ResultsStore::OpenForWriting(Path("x.db"), TestManifest(), {.resume = true});
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(second, test::StatusIs(StatusCode::kIoError));
  EXPECT_NE(second.status().message().find("is being written by another orgsim process (pid " +
                                           std::to_string(getpid()) + ")"),
            std::string::npos)
      << second.status().message();
  EXPECT_TRUE(ResultsStore::OpenReadOnly(Path("x.db")).ok()) << "readers need no lock";
  first.reset();
  EXPECT_FALSE(fs::exists(Path("x.db-lock"))) << "a clean close removes the sidecar";
  EXPECT_NE(MustOpen(Path("x.db"), TestManifest(), {.resume = true}), nullptr);
}

TEST_F(StoreTest, AKilledWritersLockDoesNotBlockResume) {
  const std::string path = Path("x.db");
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = ResultsStore::OpenForWriting(path, TestManifest());
    if (!store.ok()) _exit(3);
    if (!(*store)->Write(std::vector<RunRecord>{MakeRecord({0, 0, 0})}).ok()) _exit(4);
    (void)!write(ready[1], "x", 1);
    pause();
    _exit(0);
  }
  close(ready[1]);
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1) << "the child could not open the store";
  close(ready[0]);
  // While it lives, the lock holds.
  EXPECT_FALSE(ResultsStore::OpenForWriting(path, TestManifest(), {.resume = true}).ok());
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_TRUE(fs::exists(Path("x.db-lock"))) << "kill -9 leaves the sidecar file";
  auto store = MustOpen(path, TestManifest(), {.resume = true});
  ASSERT_NE(store, nullptr) << "the dead writer's lock blocked the resume";
  EXPECT_EQ(*store->CountRuns(), 1u);
}

TEST_F(StoreTest, DbThatIsNotARegularFileIsRefused) {
  const bool journal_before = fs::exists("/dev/null-journal");
  auto store = ResultsStore::OpenForWriting("/dev/null", TestManifest());
  ASSERT_FALSE(store.ok());
  EXPECT_THAT(store, test::StatusIs(StatusCode::kInvalidArgument));
  EXPECT_NE(store.status().message().find("not a regular file"), std::string::npos)
      << store.status().message();
  if (!journal_before) {
    EXPECT_FALSE(fs::exists("/dev/null-journal"));
  }
  EXPECT_FALSE(fs::exists("/dev/null-lock"));
  fs::create_directories(Path("folder.db"));
  EXPECT_FALSE(ResultsStore::OpenForWriting(Path("folder.db"), TestManifest()).ok());
}

TEST_F(StoreTest, AKilledMergeLeavesNothingThatBlocksARetry) {
  const StoreManifest manifest = TestManifest(20000);
  const experiment::WorkPlan full{.points = 1, .arms = 2, .replications = 20000};
  std::vector<std::string> shards;
  for (std::uint32_t k = 0; k < 2; ++k) {
    experiment::WorkPlan plan = full;
    plan.shard = {k, 2};
    shards.push_back(Path("shard" + std::to_string(k) + ".db"));
    auto store = MustOpen(shards.back(), manifest);
    ASSERT_TRUE(store->Write(AllRecords(plan)).ok());
  }
  const std::string output = Path("out/merged.db");
  fs::create_directories(Path("out"));
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(MergeShards(output, shards).ok() ? 0 : 1);
  // Kill it as soon as its temporary database appears.
  bool started = false;
  for (int i = 0; i < 200000 && !started; ++i) {
    for (const auto& entry : fs::directory_iterator(Path("out"))) {
      started = started || entry.path().filename().string().find(".tmp-") != std::string::npos;
    }
    if (!started) usleep(50);
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(started);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the merge finished before it could be killed";
  EXPECT_FALSE(fs::exists(output)) << "a killed merge left a half-merged output";
  auto merged = MergeShards(output, shards);
  ASSERT_OK(merged);
  EXPECT_EQ(merged->rows, 40000u);
  EXPECT_EQ(merged->missing_count, 0u);
  EXPECT_FALSE(fs::exists(output + "-wal"));
}

TEST_F(StoreTest, ExportToAFullDiskLeavesNoEmptyOrTruncatedFile) {
  integrity::WriteComplete(Path("x.db"), 200);
  auto store = ResultsStore::OpenReadOnly(Path("x.db"));
  ASSERT_TRUE(store.ok());
  auto export_runs = [&](std::ostream& out) {
    return ExportTable(**store, "runs", ExportFormat::kJson, out);
  };
  // A new file: nothing at all on failure.
  Status status = WriteFileAtomically(Path("runs.json"), export_runs, {.max_bytes = 4096});
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status, test::StatusIs(StatusCode::kIoError));
  EXPECT_NE(status.message().find("No space left on device"), std::string::npos)
      << status.message();
  EXPECT_FALSE(fs::exists(Path("runs.json")));
  // An existing file keeps its old content.
  integrity::WriteBytes(Path("runs.json"), "old");
  EXPECT_FALSE(WriteFileAtomically(Path("runs.json"), export_runs, {.max_bytes = 4096}).ok());
  EXPECT_EQ(integrity::ReadBytes(Path("runs.json")), "old");
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos)
        << entry.path() << " left behind";
  }
  // With room, the whole table.
  ASSERT_TRUE(WriteFileAtomically(Path("runs.json"), export_runs).ok());
  std::ostringstream direct;
  ASSERT_TRUE(export_runs(direct).ok());
  EXPECT_EQ(integrity::ReadBytes(Path("runs.json")), direct.str());
}

// SQLite-style corruption testing: random byte flips in the database and in
// its WAL, and truncations, at many seeds. Resume, export, summarize and
// merge must each either refuse (an error Status) or give the right answer:
// the reference rows and statistics, or, where the damage dropped whole
// committed batches (a WAL frame failing its checksum rolls the database
// back to an earlier commit), a subset of the reference rows that says it
// is incomplete. Never a wrong number with OK.
class CorruptionTest : public StoreTest {
 protected:
  static constexpr std::uint32_t kReps = 60;

  void SetUp() override {
    StoreTest::SetUp();
    integrity::WriteComplete(Path("ref.db"), kReps);
    reference_runs_ = Dump(Path("ref.db"));
    reference_series_ = Dump(Path("ref.db"), "timeseries");
    auto ref = ResultsStore::OpenReadOnly(Path("ref.db"));
    ASSERT_TRUE(ref.ok());
    auto summary = (*ref)->Summarize({});
    ASSERT_TRUE(summary.ok());
    reference_summary_ = integrity::SummaryLines(*summary);
    // The same rows with the last commits still in the WAL: copied while
    // the writer is open (no checkpoint yet).
    const experiment::WorkPlan plan{.points = 1, .arms = 2, .replications = kReps};
    auto store = MustOpen(Path("wal.db"), TestManifest(kReps));
    ASSERT_TRUE(internal::DatabaseHandle(*store) != nullptr);
    ASSERT_EQ(sqlite3_exec(internal::DatabaseHandle(*store), "PRAGMA wal_autocheckpoint=0", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    const auto records = AllRecords(plan);
    for (std::size_t i = 0; i < records.size(); i += 7) {
      ASSERT_TRUE(
          store->Write(std::span(records).subspan(i, std::min<std::size_t>(7, records.size() - i)))
              .ok());
      if (i == 42) {
        ASSERT_EQ(sqlite3_exec(internal::DatabaseHandle(*store), "PRAGMA wal_checkpoint(TRUNCATE)",
                               nullptr, nullptr, nullptr),
                  SQLITE_OK);
      }
    }
    wal_db_ = integrity::ReadBytes(Path("wal.db"));
    wal_ = integrity::ReadBytes(Path("wal.db-wal"));
    ASSERT_GT(wal_.size(), 32u);
    store.reset();
    db_ = integrity::ReadBytes(Path("ref.db"));
  }

  // Checks every command on the damaged database `name` (+ optional WAL).
  void CheckEveryCommand(const std::string& db_bytes, const std::string& wal_bytes,
                         const std::string& what) {
    SCOPED_TRACE(what);
    const std::string path = Path("damaged.db");
    auto install = [&]() {
      for (const char* suffix : {"", "-wal", "-shm", "-lock"}) fs::remove(path + suffix);
      fs::remove(Path("merged.db"));
      integrity::WriteBytes(path, db_bytes);
      if (!wal_bytes.empty()) integrity::WriteBytes(path + "-wal", wal_bytes);
    };
    const std::set<std::string> runs(reference_runs_.begin(), reference_runs_.end());
    const std::set<std::string> series(reference_series_.begin(), reference_series_.end());
    auto subset = [](const std::vector<std::string>& lines, const std::set<std::string>& of) {
      for (const auto& line : lines) {
        if (of.count(line) == 0) return false;
      }
      return true;
    };

    // export (and what summarize/report read).
    install();
    {
      auto store = ResultsStore::OpenReadOnly(path);
      ++(store.ok() ? opened_ : refused_);
      if (store.ok()) {
        auto lines = (*store)->DumpTable("runs");
        auto ts = (*store)->DumpTable("timeseries");
        auto summary = (*store)->Summarize({});
        if (lines.ok()) {
          EXPECT_TRUE(subset(*lines, runs)) << "export gave rows that were never stored";
        }
        if (ts.ok()) {
          EXPECT_TRUE(subset(*ts, series)) << "export gave series never stored";
        }
        if (summary.ok()) {
          ++(summary->runs == summary->expected_runs ? complete_ : partial_);
          if (summary->runs == summary->expected_runs) {
            EXPECT_EQ(integrity::SummaryLines(*summary), reference_summary_)
                << "a complete-looking summary with wrong numbers";
          } else if (lines.ok()) {
            EXPECT_EQ(summary->runs, lines->size()) << "the summary miscounts its runs";
          }
        }
      }
    }
    // merge.
    install();
    {
      auto merged = MergeShards(Path("merged.db"), {path});
      if (merged.ok()) {
        auto out = ResultsStore::OpenReadOnly(Path("merged.db"));
        ASSERT_OK(out);
        auto lines = (*out)->DumpTable("runs");
        ASSERT_TRUE(lines.ok());
        EXPECT_TRUE(subset(*lines, runs)) << "merge copied rows that were never stored";
        EXPECT_EQ(merged->rows + merged->missing_count, 2u * kReps);
      } else {
        EXPECT_FALSE(fs::exists(Path("merged.db")));
      }
    }
    // resume: either refused, or completes to exactly the reference.
    install();
    {
      auto store = ResultsStore::OpenForWriting(path, TestManifest(kReps), {.resume = true});
      if (store.ok()) {
        const experiment::WorkPlan plan{.points = 1, .arms = 2, .replications = kReps};
        auto done = (*store)->StoredKeys(plan);
        ASSERT_OK(done);
        std::vector<RunRecord> missing;
        for (const RunRecord& r : AllRecords(plan)) {
          if (!(*done)[plan.DenseIndex(r.key)]) missing.push_back(r);
        }
        const Status written = (*store)->Write(missing);
        if (written.ok()) {
          auto summary = (*store)->Summarize({});
          ASSERT_OK(summary);
          EXPECT_EQ(integrity::SummaryLines(*summary), reference_summary_);
          EXPECT_EQ(*(*store)->DumpTable("runs"), reference_runs_);
          EXPECT_EQ(*(*store)->DumpTable("timeseries"), reference_series_);
        }
      }
    }
  }

  std::vector<std::string> reference_runs_, reference_series_, reference_summary_;
  std::string db_, wal_db_, wal_;
  // Outcomes of the export step: each test checks it met the cases it is
  // about (refusals; earlier snapshots), so it cannot pass vacuously.
  int refused_ = 0, opened_ = 0, complete_ = 0, partial_ = 0;
};

std::string FlipRandomBytes(std::string bytes, std::mt19937_64& rng, std::size_t from) {
  if (bytes.size() <= from) return bytes;
  const int flips = 1 + static_cast<int>(rng() % 20);
  for (int i = 0; i < flips; ++i) {
    const std::size_t at = from + rng() % (bytes.size() - from);
    bytes[at] = static_cast<char>(bytes[at] ^ (1 + rng() % 255));
  }
  return bytes;
}

TEST_F(CorruptionTest, RandomByteFlipsInTheDatabaseNeverGiveAWrongAnswer) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    std::mt19937_64 rng(seed);
    CheckEveryCommand(FlipRandomBytes(db_, rng, 0), "", "db flip seed " + std::to_string(seed));
  }
  EXPECT_GT(refused_, 20) << "most flips must be caught";
}

TEST_F(CorruptionTest, RandomByteFlipsInTheWalNeverGiveAWrongAnswer) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    std::mt19937_64 rng(seed);
    CheckEveryCommand(wal_db_, FlipRandomBytes(wal_, rng, 0),
                      "wal flip seed " + std::to_string(seed));
  }
  // A flipped WAL frame fails its checksum: SQLite reads the database as of
  // the commit before it, which resume completes.
  EXPECT_GT(partial_, 20);
}

TEST_F(CorruptionTest, TruncatedDatabasesAndWalsNeverGiveAWrongAnswer) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20; ++i) {
    const std::size_t db_cut = rng() % db_.size();
    CheckEveryCommand(db_.substr(0, db_cut), "", "db cut at " + std::to_string(db_cut));
    const std::size_t wal_cut = rng() % wal_.size();
    CheckEveryCommand(wal_db_, wal_.substr(0, wal_cut), "wal cut at " + std::to_string(wal_cut));
  }
  EXPECT_GT(refused_, 0);
  EXPECT_GT(partial_, 0);
}

}  // namespace
}  // namespace orgsim::io
