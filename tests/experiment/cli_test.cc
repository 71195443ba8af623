// End-to-end tests of `orgsim run`, `sweep`, `merge` and `export` through the
// built binary: determinism (threads, shards + merge, SIGKILL + resume),
// refusal of invalid input before anything runs, I/O errors, JSON output.
// Runs rows are compared as `orgsim export` CSV (every column, key order).
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "engine/io/results_store.h"
#include "tests/experiment/cli_harness.h"
#include "tests/testing/files.h"

namespace {

namespace fs = std::filesystem;

std::string Binary() { return (orgsim::test::BinaryDir() / "orgsim").string(); }
std::string Fixture(const std::string& name) {
  return orgsim::test::SourcePath("tests/experiment/data/" + name);
}

using orgsim::cli_test::ReadFile;
using Result = orgsim::cli_test::CliResult;

class CliTest : public orgsim::cli_test::FolderTest {
 protected:
  // Runs `orgsim ARGS` in the test's folder.
  Result Orgsim(const std::string& args) {
    return orgsim::cli_test::RunInFolder(dir_, Binary() + " " + args);
  }

  // True when the model itself crashes on the fixture (a signal, which no
  // layer above it can turn into a failed row). Tests fail on it: a crash
  // must never pass as a skip.
  bool ModelCrashes() {
    static int probe = -2;
    if (probe == -2) {
      probe =
          Orgsim("run " + Fixture("small_company.textproto") + " --no-sweep -n 1 -q --db probe.db")
              .exit_code;
      fs::remove(Path("probe.db"));
    }
    return probe >= 128;
  }

  void WaitForStoredRuns(const std::string& db_name, long runs) {
    orgsim::cli_test::WaitForStoredRuns(Path(db_name), runs);
  }

  std::string ExportRuns(const std::string& db) {
    Result r = Orgsim("export --db " + db + " --format csv --table runs");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
};

int CountLines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

TEST_F(CliTest, RunPrintsTheComparisonTableAndStoresEveryRun) {
  ASSERT_FALSE(ModelCrashes()) << "model bug: orgsim run of the fixture dies by a signal";
  const Result r =
      Orgsim("run " + Fixture("small_company.textproto") + " --no-sweep --db a.db --threads 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("profit_total (currency)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("95% CI"), std::string::npos);
  EXPECT_NE(r.out.find("Paired differences (arm - project_mode"), std::string::npos);
  EXPECT_NE(r.out.find("Wilcoxon p"), std::string::npos);
  EXPECT_NE(r.out.find("CRN var. red."), std::string::npos);
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << "progress bar on a non-terminal";
  const std::string csv = ExportRuns("a.db");
  EXPECT_EQ(CountLines(csv), 1 + 2 * 6);  // header + 2 arms x 6 replications
  EXPECT_NE(csv.find("point,arm,replication,seed,stream_key,status,error,fingerprint,"
                     "revenue_total,profit_total"),
            std::string::npos);
}

TEST_F(CliTest, ReplicationsAreNotSilentlyIdentical) {
  ASSERT_FALSE(ModelCrashes()) << "model bug: orgsim run of the fixture dies by a signal";
  ASSERT_EQ(
      Orgsim("run " + Fixture("small_company.textproto") + " --no-sweep --db a.db -q").exit_code,
      0);
  std::istringstream csv(ExportRuns("a.db"));
  std::string line;
  std::getline(csv, line);
  std::vector<std::string> fingerprints;
  while (std::getline(csv, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    ASSERT_GT(cells.size(), 8u);
    EXPECT_EQ(cells[5], "ok");
    fingerprints.push_back(cells[7]);
  }
  std::sort(fingerprints.begin(), fingerprints.end());
  EXPECT_EQ(std::unique(fingerprints.begin(), fingerprints.end()), fingerprints.end())
      << "two runs share a fingerprint";
}

TEST_F(CliTest, RowsAreIdenticalForOneAndTwoThreads) {
  ASSERT_FALSE(ModelCrashes()) << "model bug: orgsim run of the fixture dies by a signal";
  const std::string s = Fixture("small_company.textproto");
  ASSERT_EQ(Orgsim("run " + s + " --no-sweep --db t1.db --threads 1 -q -n 10").exit_code, 0);
  ASSERT_EQ(
      Orgsim("run " + s + " --no-sweep --db t2.db --threads 2 -q -n 10 --commit-rows 3").exit_code,
      0);
  EXPECT_EQ(ExportRuns("t1.db"), ExportRuns("t2.db"));
}

// The headline scenario's rows (every metric and the event-sequence
// fingerprint of each run) are pinned in a golden file, so any change of the
// model's behaviour shows up as a diff to review; and they are the same with
// one and two threads. Regenerate after an intended model change with
//   ORGSIM_UPDATE_GOLDEN=1 ctest -R Golden
TEST_F(CliTest, HeadlineGoldenRowsAreStableAndThreadIndependent) {
  ASSERT_FALSE(ModelCrashes()) << "model bug: orgsim run of the fixture dies by a signal";
  const std::string s = orgsim::test::SourcePath("scenarios/product_led_vs_project_mode.textproto");
  ASSERT_EQ(Orgsim("run " + s + " --db g1.db --threads 1 -q -n 3").exit_code, 0);
  ASSERT_EQ(Orgsim("run " + s + " --db g2.db --threads 2 -q -n 3 --commit-rows 2").exit_code, 0);
  const std::string rows = ExportRuns("g1.db");
  EXPECT_EQ(rows, ExportRuns("g2.db"));
  const fs::path golden = Fixture("headline_golden.csv");
  const char* update = std::getenv("ORGSIM_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(golden, std::ios::binary) << rows;
    GTEST_SKIP() << "rewrote " << golden;
  }
  ASSERT_TRUE(fs::exists(golden)) << golden << " missing; create it with ORGSIM_UPDATE_GOLDEN=1";
  EXPECT_EQ(rows, ReadFile(golden))
      << "the headline scenario's runs changed; if intended, regenerate with "
         "ORGSIM_UPDATE_GOLDEN=1 ctest -R Golden and review the diff";
}

// `validate --flatten` of a file with a base gives a self-contained file that
// runs to the same rows and is the same experiment (same scenario hash: a
// database written from one resumes from the other).
TEST_F(CliTest, FlattenedScenarioRunsToTheSameRowsAsItsBaseChain) {
  ASSERT_FALSE(ModelCrashes()) << "model bug: orgsim run of the fixture dies by a signal";
  const std::string s = orgsim::test::SourcePath("scenarios/product_led_vs_project_mode.textproto");
  const Result flat = Orgsim("validate --flatten " + s);
  ASSERT_EQ(flat.exit_code, 0) << flat.err;
  EXPECT_EQ(flat.err, "");
  EXPECT_EQ(flat.out.find("base:"), std::string::npos) << "the flattened file names no base";
  EXPECT_NE(flat.out.find("name: \"eng_core\""), std::string::npos) << "the base's teams are in";
  std::ofstream(Path("flat.textproto"), std::ios::binary) << flat.out;
  ASSERT_EQ(Orgsim("run " + s + " --db based.db -q -n 2").exit_code, 0);
  ASSERT_EQ(Orgsim("run flat.textproto --db flat.db -q -n 2").exit_code, 0);
  EXPECT_EQ(ExportRuns("based.db"), ExportRuns("flat.db"));
  const Result resumed = Orgsim("run flat.textproto --db based.db -q -n 2 --resume");
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  // A different scenario is refused on resume (the check has teeth).
  std::string changed = flat.out;
  changed.replace(changed.find("seed: 20261127"), 14, "seed: 20261128");
  std::ofstream(Path("changed.textproto"), std::ios::binary) << changed;
  EXPECT_NE(Orgsim("run changed.textproto --db based.db -q -n 2 --resume").exit_code, 0);
}

TEST_F(CliTest, FlattenTakesOneValidFile) {
  EXPECT_EQ(Orgsim("validate --flatten a.textproto b.textproto").exit_code, 2);
  std::ofstream(Path("bad.textproto")) << "name: \"x\"\nhorizon_dayz: 3\n";
  const Result bad = Orgsim("validate --flatten bad.textproto");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.out, "");
  EXPECT_EQ(bad.err,
            "bad.textproto:2:1: error: Scenario has no field \"horizon_dayz\"; did you mean "
            "\"horizon_days\"?\n");
}

TEST_F(CliTest, ShardedAndMergedSweepEqualsTheUnshardedSweep) {
  ASSERT_FALSE(ModelCrashes()) << "model bug: orgsim run of the fixture dies by a signal";
  const std::string s = Fixture("small_company.textproto");
  ASSERT_EQ(Orgsim("sweep " + s + " --db full.db -q -n 3").exit_code, 0);
  std::string shards;
  for (int k = 0; k < 3; ++k) {
    const std::string db = "shard" + std::to_string(k) + ".db";
    const Result r = Orgsim("sweep " + s + " --db " + db + " -q -n 3 --threads 1 --shard " +
                            std::to_string(k) + "/3");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    shards += " " + db;
  }
  const Result merged = Orgsim("merge --db merged.db" + shards);
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_EQ(ExportRuns("full.db"), ExportRuns("merged.db"));
  EXPECT_EQ(Orgsim("export --db full.db --format csv --table points").out,
            Orgsim("export --db merged.db --format csv --table points").out);
}

TEST_F(CliTest, MergeReportsMissingShardsAndRejectsDuplicates) {
  ASSERT_FALSE(ModelCrashes()) << "model bug: orgsim run of the fixture dies by a signal";
  const std::string s = Fixture("small_company.textproto");
  ASSERT_EQ(Orgsim("sweep " + s + " --db s0.db -q -n 2 --shard 0/2").exit_code, 0);
  const Result partial = Orgsim("merge --db m.db s0.db");
  EXPECT_EQ(partial.exit_code, 1);
  EXPECT_NE(partial.err.find("keys of the experiment are in no shard"), std::string::npos)
      << partial.err;
  EXPECT_NE(partial.err.find("arm project_mode"), std::string::npos);
  const Result dup = Orgsim("merge --db m2.db s0.db s0.db");
  EXPECT_EQ(dup.exit_code, 2);
  EXPECT_NE(dup.err.find("already merged"), std::string::npos) << dup.err;
  ASSERT_EQ(Orgsim("sweep " + s + " --db other_seed.db -q -n 2 --seed 99 --shard 1/2").exit_code,
            0);
  const Result seed = Orgsim("merge --db m3.db s0.db other_seed.db");
  EXPECT_EQ(seed.exit_code, 2);
  EXPECT_NE(seed.err.find("seed"), std::string::npos) << seed.err;
}

TEST_F(CliTest, KilledRunResumesToTheSameRowsAsAnUninterruptedOne) {
  ASSERT_FALSE(ModelCrashes()) << "model bug: orgsim run of the fixture dies by a signal";
  const std::string s = Fixture("small_company.textproto");
  const int reps = 400;
  ASSERT_EQ(Orgsim("run " + s + " --no-sweep --db full.db -q -n " + std::to_string(reps)).exit_code,
            0);
  // Start a run in the background, SIGKILL it once some batches are in.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string db = Path("killed.db");
    const std::string n = std::to_string(reps);
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    execl(Binary().c_str(), "orgsim", "run", s.c_str(), "--no-sweep", "--db", db.c_str(), "-q",
          "-n", n.c_str(), "--threads", "1", "--commit-rows", "4", static_cast<char*>(nullptr));
    _exit(127);
  }
  WaitForStoredRuns("killed.db", 24);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run finished before it could be killed";
  const std::string partial = ExportRuns("killed.db");
  EXPECT_LT(CountLines(partial), 1 + 2 * reps) << "nothing left to resume";
  // Without --resume the database is refused; with it, it completes.
  EXPECT_EQ(
      Orgsim("run " + s + " --no-sweep --db killed.db -q -n " + std::to_string(reps)).exit_code, 2);
  const Result resumed =
      Orgsim("run " + s + " --no-sweep --db killed.db --resume -n " + std::to_string(reps));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.err.find("already stored"), std::string::npos) << resumed.err;
  EXPECT_EQ(ExportRuns("killed.db"), ExportRuns("full.db"));
}

TEST_F(CliTest, InvalidScenarioIsRefusedBeforeAnythingRuns) {
  std::ofstream(Path("bad.textproto")) << "name: \"bad\"\nreplications: 0\nhorizon_days: -5\n";
  const Result r = Orgsim("run bad.textproto --db bad.db");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.textproto:2:"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(Path("bad.db")));
  EXPECT_FALSE(fs::exists(Path("results")));
  const Result missing = Orgsim("run no_such_file.textproto");
  EXPECT_EQ(missing.exit_code, 2);
}

TEST_F(CliTest, UnwritableDatabasePathIsAClearError) {
  std::ofstream(Path("plainfile")) << "x";
  const Result r =
      Orgsim("run " + Fixture("small_company.textproto") + " --no-sweep --db plainfile/x.db -q");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("plainfile"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(CliTest, DefaultDatabaseGoesUnderResults) {
  ASSERT_FALSE(ModelCrashes()) << "model bug: orgsim run of the fixture dies by a signal";
  ASSERT_EQ(Orgsim("run " + Fixture("small_company.textproto") + " --no-sweep -q -n 2").exit_code,
            0);
  EXPECT_TRUE(fs::exists(Path("results/small_company.db")));
  ASSERT_EQ(
      Orgsim("sweep " + Fixture("small_company.textproto") + " -q -n 1 --shard 1/2").exit_code, 0);
  EXPECT_TRUE(fs::exists(Path("results/small_company.sweep.shard-1-of-2.db")));
}

TEST_F(CliTest, JsonSummaryFollowsTheResultsProto) {
  ASSERT_FALSE(ModelCrashes()) << "model bug: orgsim run of the fixture dies by a signal";
  const Result r = Orgsim("run " + Fixture("small_company.textproto") +
                          " --no-sweep --db a.db -q --json summary.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto json = nlohmann::json::parse(ReadFile(Path("summary.json")));
  EXPECT_EQ(json["scenario"], "small_company");
  EXPECT_EQ(json["seed"], "7");  // uint64 as a string (proto3 JSON mapping)
  EXPECT_EQ(json["baseline"], "project_mode");
  ASSERT_EQ(json["arms"].size(), 2u);
  EXPECT_EQ(json["arms"][0]["runsOk"], "6");
  bool found = false;
  for (const auto& d : json["differences"]) {
    if (d["metric"] == "profit_total") {
      found = true;
      EXPECT_EQ(d["arm"], "product_led");
      EXPECT_TRUE(d.contains("ci95Low"));
      EXPECT_TRUE(d.contains("varianceReduction"));
    }
  }
  EXPECT_TRUE(found);
  // --json - prints only JSON on stdout.
  const Result piped = Orgsim("run " + Fixture("small_company.textproto") + " --no-sweep" +
                              " --db a.db --resume -q --json -");
  ASSERT_EQ(piped.exit_code, 0);
  EXPECT_NO_THROW({
    const auto parsed = nlohmann::json::parse(piped.out);
    EXPECT_EQ(parsed["scenario"], "small_company");
  });
}

TEST_F(CliTest, JsonSummaryMarksMetricsCensoredAtTheHorizon) {
  ASSERT_FALSE(ModelCrashes()) << "model bug: orgsim run of the fixture dies by a signal";
  const Result r = Orgsim("run " + Fixture("small_company.textproto") +
                          " --no-sweep --db a.db -q -n 2 --json summary.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto json = nlohmann::json::parse(ReadFile(Path("summary.json")));
  // Marked where the console and the report mark it, and nowhere else.
  int marked = 0;
  auto check = [&](const nlohmann::json& entry) {
    const bool censored = entry["metric"] == "time_to_pmf_days";
    EXPECT_EQ(entry.value("censoredAtHorizon", false), censored) << entry;
    marked += censored ? 1 : 0;
  };
  for (const auto& arm : json["arms"]) {
    for (const auto& metric : arm["metrics"]) check(metric);
  }
  for (const auto& difference : json["differences"]) check(difference);
  EXPECT_EQ(marked, 3) << "time_to_pmf_days in both arms and in their difference";
}

TEST_F(CliTest, SaltelliSweepPrintsSobolIndices) {
  ASSERT_FALSE(ModelCrashes()) << "model bug: orgsim run of the fixture dies by a signal";
  const Result r =
      Orgsim("sweep " + Fixture("small_saltelli.textproto") + " --db s.db -q --json sweep.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Sobol indices"), std::string::npos) << r.out;
  const auto json = nlohmann::json::parse(ReadFile(Path("sweep.json")));
  EXPECT_EQ(json["points"].size(), 8u * 4u);
  EXPECT_EQ(json["sobol"].size(), 2u * 2u);  // 2 metrics x 2 parameters
  for (const auto& index : json["sobol"]) {
    EXPECT_TRUE(index.contains("arm") && !index["arm"].get<std::string>().empty()) << index;
  }
  const Result points = Orgsim("export --db s.db --format csv --table points");
  EXPECT_NE(points.out.find("point,block,sample,column_index,"), std::string::npos);
  EXPECT_NE(points.out.find(",AB,"), std::string::npos);
}

TEST_F(CliTest, ExportRefusesUnknownTablesAndMissingDatabases) {
  ASSERT_FALSE(ModelCrashes()) << "model bug: orgsim run of the fixture dies by a signal";
  ASSERT_EQ(Orgsim("run " + Fixture("small_company.textproto") + " --no-sweep --db a.db -q -n 1")
                .exit_code,
            0);
  EXPECT_EQ(Orgsim("export --db a.db --table nope").exit_code, 2);
  EXPECT_EQ(Orgsim("export --db missing.db").exit_code, 2);
  const Result json = Orgsim("export --db a.db --format json --table batches");
  ASSERT_EQ(json.exit_code, 0);
  const auto batches = nlohmann::json::parse(json.out);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0]["status"], "complete");
  EXPECT_EQ(batches[0]["runs_written"], 2);
}

// ---------------------------------------------------------------------------
// The results store never reports from a damaged database (issue 20).
// ---------------------------------------------------------------------------

// Flips `count` random bytes past the first page, as the review did.
void FlipBytes(const std::string& path, std::uint64_t seed, int count) {
  std::string bytes = ReadFile(path);
  std::mt19937_64 rng(seed);
  for (int i = 0; i < count; ++i) {
    const std::size_t at = 4096 + rng() % (bytes.size() - 4096);
    bytes[at] = static_cast<char>(bytes[at] ^ 0xff);
  }
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

TEST_F(CliTest, ResumeExportReportAndMergeRefuseADamagedDatabaseWithExit1) {
  ASSERT_FALSE(ModelCrashes()) << "model bug: orgsim run of the fixture dies by a signal";
  const std::string s = Fixture("small_company.textproto");
  const std::string run =
      "run " + s + " --no-sweep -n 40 --seed 99 --timeseries --commit-rows 7 --threads 1 -q";
  ASSERT_EQ(Orgsim(run + " --db ref.db").exit_code, 0);
  const std::string reference = ExportRuns("ref.db");
  fs::copy_file(Path("ref.db"), Path("d.db"));
  ASSERT_EQ(Orgsim("report --db d.db -o ref.html").exit_code, 0);
  const std::string reference_html = ReadFile(Path("ref.html"));
  int refused = 0;
  for (std::uint64_t seed : {2, 14, 3, 5, 8, 21}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    auto damaged = [&]() {
      for (const char* f : {"d.db", "d.db-wal", "d.db-shm", "m.db", "r.html"}) fs::remove(Path(f));
      fs::copy_file(Path("ref.db"), Path("d.db"));
      FlipBytes(Path("d.db"), seed, 20);
    };
    auto check_refusal = [&](const Result& r, const std::string& command) {
      EXPECT_EQ(r.exit_code, 1) << command << ": " << r.err;
      EXPECT_NE(r.err.find("damaged"), std::string::npos) << command << ": " << r.err;
      ++refused;
    };
    damaged();
    Result r = Orgsim("export --db d.db --format csv --table runs");
    if (r.exit_code == 0) {
      EXPECT_EQ(r.out, reference) << "export: wrong rows with exit 0";
    } else {
      check_refusal(r, "export");
    }
    damaged();
    r = Orgsim("report --db d.db -o r.html");
    if (r.exit_code == 0) {
      EXPECT_EQ(ReadFile(Path("r.html")), reference_html) << "report: wrong report with exit 0";
    } else {
      check_refusal(r, "report");
      EXPECT_FALSE(fs::exists(Path("r.html")));
    }
    damaged();
    r = Orgsim("merge -q --db m.db d.db");
    if (r.exit_code == 0) {
      EXPECT_EQ(ExportRuns("m.db"), reference) << "merge: wrong rows with exit 0";
    } else {
      check_refusal(r, "merge");
      EXPECT_FALSE(fs::exists(Path("m.db")));
    }
    damaged();
    r = Orgsim(run + " --resume --db d.db");
    if (r.exit_code == 0) {
      EXPECT_EQ(ExportRuns("d.db"), reference) << "resume: wrong rows with exit 0";
    } else {
      check_refusal(r, "run --resume");
      EXPECT_NE(r.err.find("the database is damaged at d.db"), std::string::npos) << r.err;
      EXPECT_NE(r.err.find("rerun into a new --db"), std::string::npos) << r.err;
    }
  }
  EXPECT_GT(refused, 0) << "no seed damaged anything";
}

TEST_F(CliTest, ResumeLeavesFailedRowsAloneUnlessRetryFailed) {
  ASSERT_FALSE(ModelCrashes()) << "model bug: orgsim run of the fixture dies by a signal";
  const std::string run =
      "run " + Fixture("small_company.textproto") + " --no-sweep -n 8 --timeseries -q";
  ASSERT_EQ(Orgsim(run + " --db ref.db").exit_code, 0);
  ASSERT_EQ(Orgsim(run + " --db x.db").exit_code, 0);
  {  // Replace two stored runs by failed ones, as a run out of memory stores them.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(Path("x.db").c_str(), &db), SQLITE_OK);
    for (const char* table : {"runs", "timeseries", "checksums"}) {
      const std::string sql = std::string("DELETE FROM ") + table +
                              " WHERE arm = 'product_led' AND replication IN (2, 5)";
      ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    }
    sqlite3_close(db);
    auto stored = orgsim::io::ResultsStore::OpenReadOnly(Path("x.db"));
    ASSERT_TRUE(stored.ok()) << stored.status().ToString();
    const orgsim::io::StoreManifest manifest = (*stored)->manifest();
    stored->reset();
    auto store = orgsim::io::ResultsStore::OpenForWriting(Path("x.db"), manifest, {.resume = true});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    std::vector<orgsim::experiment::RunRecord> failed(2);
    failed[0].key = {0, 1, 2};
    failed[1].key = {0, 1, 5};
    for (auto& r : failed) r.error = "std::bad_alloc";
    ASSERT_TRUE((*store)->Write(failed).ok());
  }
  Result r = Orgsim(run + " --db x.db --resume");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("--resume left 2 failed runs alone"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--retry-failed"), std::string::npos) << r.err;
  EXPECT_EQ(Orgsim(run + " --db x.db --retry-failed").exit_code, 2) << "needs --resume";
  r = Orgsim(run + " --db x.db --resume --retry-failed");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ExportRuns("x.db"), ExportRuns("ref.db"));
  const Result series = Orgsim("export --db x.db --table timeseries");
  EXPECT_EQ(series.out, Orgsim("export --db ref.db --table timeseries").out);
}

TEST_F(CliTest, ASecondWriterIsRefusedAtStart) {
  ASSERT_FALSE(ModelCrashes()) << "model bug: orgsim run of the fixture dies by a signal";
  const std::string s = Fixture("small_company.textproto");
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string db = Path("x.db");
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    execl(Binary().c_str(), "orgsim", "run", s.c_str(), "--no-sweep", "--db", db.c_str(), "-q",
          "-n", "4000", "--threads", "1", "--commit-rows", "4", static_cast<char*>(nullptr));
    _exit(127);
  }
  WaitForStoredRuns("x.db", 8);
  const Result second = Orgsim("run " + s + " --no-sweep --db x.db -q -n 4000 --resume");
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the first run finished before the test";
  EXPECT_EQ(second.exit_code, 1) << second.err;
  EXPECT_NE(second.err.find("x.db is being written by another orgsim process (pid " +
                            std::to_string(child) + ")"),
            std::string::npos)
      << second.err;
  EXPECT_EQ(second.err.find("UNIQUE"), std::string::npos) << second.err;
  // (KilledRunResumesToTheSameRowsAsAnUninterruptedOne resumes after a kill -9:
  // the dead writer's lock does not block it.)
}

TEST_F(CliTest, DbMustBeARegularFile) {
  const bool journal_before = fs::exists("/dev/null-journal");
  const Result r =
      Orgsim("run " + Fixture("small_company.textproto") + " --no-sweep -n 1 -q --db /dev/null");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("/dev/null is not a regular file"), std::string::npos) << r.err;
  if (!journal_before) {
    EXPECT_FALSE(fs::exists("/dev/null-journal"));
  }
}

TEST_F(CliTest, FailedExportsAndJsonLeaveNoEmptyFiles) {
  ASSERT_FALSE(ModelCrashes()) << "model bug: orgsim run of the fixture dies by a signal";
  ASSERT_EQ(Orgsim("run " + Fixture("small_company.textproto") + " --no-sweep --db a.db -q -n 2")
                .exit_code,
            0);
  EXPECT_EQ(Orgsim("export --db a.db --table nope -o out.csv").exit_code, 2);
  EXPECT_FALSE(fs::exists(Path("out.csv"))) << "a failed export left a file";
  ASSERT_EQ(Orgsim("export --db a.db -o out.csv").exit_code, 0);
  EXPECT_EQ(ReadFile(Path("out.csv")), ExportRuns("a.db"));
  fs::create_directories(Path("j"));
  const Result json = Orgsim("run " + Fixture("small_company.textproto") +
                             " --db a.db -q -n 2 --resume --json j/summary.json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto summary = nlohmann::json::parse(ReadFile(Path("j/summary.json")), nullptr, false);
  EXPECT_FALSE(summary.is_discarded()) << "a truncated JSON summary";
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
  }
}

}  // namespace
