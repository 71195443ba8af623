// The command line keeps its word (issue 17): `--resume` continues exactly
// the stored experiment, contradicting flags are refused in words, every
// mistyped subcommand, flag or value is named with a "did you mean",
// `summarize` prints after a merge what the sweep printed, exported runs of
// a sweep carry their parameter values. Through the built binary.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "tests/experiment/cli_harness.h"
#include "tests/testing/files.h"

namespace {

namespace fs = std::filesystem;

const std::string kBinary = (orgsim::test::BinaryDir() / "orgsim").string();
const std::string kSmall =
    orgsim::test::SourcePath("tests/experiment/data/small_company.textproto");
const std::string kSaltelli =
    orgsim::test::SourcePath("tests/experiment/data/small_saltelli.textproto");

using orgsim::cli_test::ReadFile;
using Result = orgsim::cli_test::CliResult;

class CliContract : public orgsim::cli_test::FolderTest {
 protected:
  // `orgsim ARGS` in the test's folder; stdout and stderr captured.
  Result Orgsim(const std::string& args) { return Shell(kBinary + " " + args); }
  Result Shell(const std::string& command_line) {
    return orgsim::cli_test::RunInFolder(dir_, command_line);
  }

  std::string Export(const std::string& db, const std::string& table = "runs") {
    const Result r = Orgsim("export --db " + db + " --format csv --table " + table);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  std::map<std::string, std::string> ExperimentRecord(const std::string& db) {
    std::map<std::string, std::string> record;
    sqlite3* handle = nullptr;
    sqlite3_open_v2(Path(db).c_str(), &handle, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(handle, "SELECT key, value FROM experiment", -1, &s, nullptr) ==
        SQLITE_OK) {
      while (sqlite3_step(s) == SQLITE_ROW) {
        record[reinterpret_cast<const char*>(sqlite3_column_text(s, 0))] =
            reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
      }
    }
    sqlite3_finalize(s);
    sqlite3_close(handle);
    return record;
  }

  void Sql(const std::string& db, const std::string& sql) {
    sqlite3* handle = nullptr;
    ASSERT_EQ(sqlite3_open(Path(db).c_str(), &handle), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(handle);
    sqlite3_close(handle);
  }
};

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(CliContract, DatabaseRecordsTheFullExperiment) {
  ASSERT_EQ(
      Orgsim("run " + kSmall + " --no-sweep -n 3 --seed 11 --timeseries -q --db a.db").exit_code,
      0);
  auto record = ExperimentRecord("a.db");
  EXPECT_EQ(record["command"], "run");
  EXPECT_EQ(record["seed"], "11");
  EXPECT_EQ(record["replications"], "3");
  EXPECT_EQ(record["series"], "monthly");
  EXPECT_EQ(record["design"], "single");
  EXPECT_EQ(record["points"], "1");
  EXPECT_EQ(record["shard"], "");
  EXPECT_EQ(record["scenario_sha256"].size(), 64u);
  EXPECT_TRUE(Has(record["argv"], "-n 3 --seed 11 --timeseries")) << record["argv"];
  EXPECT_TRUE(Has(Export("a.db", "batches"), "-n 3 --seed 11 --timeseries"));
  EXPECT_TRUE(Has(Export("a.db", "experiment"), "replications,3"));

  ASSERT_EQ(Orgsim("sweep " + kSmall + " -n 2 -q --shard 1/3 --db s.db").exit_code, 0);
  record = ExperimentRecord("s.db");
  EXPECT_EQ(record["command"], "sweep");
  EXPECT_EQ(record["design"], "grid");
  EXPECT_EQ(record["points"], "4");
  EXPECT_EQ(record["shard"], "1/3");
  EXPECT_EQ(record["series"], "none");
}

TEST_F(CliContract, ResumeWithNoOtherFlagsContinuesTheStoredExperimentExactly) {
  const std::string flags = " --no-sweep -n 6 --seed 5 --timeseries -q";
  ASSERT_EQ(Orgsim("run " + kSmall + flags + " --db full.db").exit_code, 0);
  ASSERT_EQ(Orgsim("run " + kSmall + flags + " --db part.db").exit_code, 0);
  // What a kill leaves: the later replications missing.
  Sql("part.db",
      "DELETE FROM runs WHERE replication >= 2; DELETE FROM timeseries WHERE replication >= 2;"
      "DELETE FROM checksums WHERE replication >= 2");
  const Result resumed = Orgsim("run " + kSmall + " --db part.db --resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_TRUE(Has(resumed.out, "seed 5, 6 replications")) << resumed.out;
  EXPECT_EQ(Export("part.db"), Export("full.db"));
  EXPECT_EQ(Export("part.db", "timeseries"), Export("full.db", "timeseries"));
}

TEST_F(CliContract, ResumeRefusesFlagsThatContradictTheDatabaseInWords) {
  ASSERT_EQ(Orgsim("run " + kSmall + " --no-sweep -n 4 --timeseries -q --db x.db").exit_code, 0);
  Result r = Orgsim("run " + kSmall + " -n 2 --db x.db --resume");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "orgsim run: error: x.db holds 4 replications with monthly series; -n 2 asks for "
            "fewer: drop -n, or use a new --db\n");
  r = Orgsim("run " + kSmall + " --no-timeseries --db x.db --resume");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "--no-timeseries asks for none: drop --no-timeseries")) << r.err;
  r = Orgsim("run " + kSmall + " --seed 99 --db x.db --resume");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "--seed 99 asks for another: drop --seed")) << r.err;
  r = Orgsim("sweep " + kSmall + " --db x.db --resume");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "continue it with `orgsim run")) << r.err;
  // Without --resume: refused, saying what is stored.
  r = Orgsim("run " + kSmall + " --no-sweep --db x.db");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "(4 replications with monthly series); pass --resume")) << r.err;

  ASSERT_EQ(Orgsim("run " + kSmall + " --no-sweep -n 2 -q --db plain.db").exit_code, 0);
  r = Orgsim("run " + kSmall + " --timeseries --db plain.db --resume");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "orgsim run: error: plain.db holds 2 replications without time series; --timeseries "
            "asks for them: drop --timeseries, or use a new --db\n");
  // A larger -n extends the experiment, and says so.
  r = Orgsim("run " + kSmall + " -n 3 --db plain.db --resume");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.err, "extending plain.db from 2 to 3 replications")) << r.err;
  EXPECT_TRUE(Has(r.out, "Runs stored: 6 of 6")) << r.out;
}

TEST_F(CliContract, InterruptHintPrintsACommandThatContinuesExactly) {
  const std::string flags = " --no-sweep -n 300 --seed 3 --timeseries";
  ASSERT_EQ(Orgsim("run " + kSmall + flags + " -q --db full.db").exit_code, 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string err = Path("interrupted.txt");
    std::freopen("/dev/null", "w", stdout);
    std::freopen(err.c_str(), "w", stderr);
    if (chdir(dir_.c_str()) != 0) _exit(126);
    execl(kBinary.c_str(), "orgsim", "run", kSmall.c_str(), "--no-sweep", "-n", "300", "--seed",
          "3", "--timeseries", "--threads", "1", "--commit-rows", "4", "--db", "cut.db",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  orgsim::cli_test::WaitForStoredRuns(Path("cut.db"), 16);
  kill(child, SIGINT);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 130) << "the run finished before it could be interrupted";
  const std::string err = ReadFile(Path("interrupted.txt"));
  const std::string marker = "Continue with: orgsim ";
  const std::size_t at = err.find(marker);
  ASSERT_NE(at, std::string::npos) << err;
  const std::string hint = err.substr(at + marker.size(), err.find('\n', at) - at - marker.size());
  EXPECT_EQ(hint, "run " + kSmall + " --db cut.db --resume");
  const Result resumed = Shell(kBinary + " " + hint);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(Export("cut.db"), Export("full.db"));
  EXPECT_EQ(Export("cut.db", "timeseries"), Export("full.db", "timeseries"));
}

TEST_F(CliContract, ATinyArrivalRateIsAnEventThatNeverComesNotAnInternalError) {
  const std::string mm1 = orgsim::test::SourcePath("scenarios/validation/mm1.textproto");
  const Result r = Orgsim("trace " + mm1 + " --set work.exogenous_arrival_rate_per_day=1e-9");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(Has(r.err, "internal error")) << r.err;
}

TEST_F(CliContract, RunOnASweepScenarioPointsToSweep) {
  const Result r = Orgsim("run " + kSmall + " -n 1 -q --db a.db");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "declares a sweep")) << r.err;
  EXPECT_TRUE(Has(r.err, "`orgsim sweep " + kSmall + "`")) << r.err;
  EXPECT_FALSE(fs::exists(Path("a.db")));
}

TEST_F(CliContract, MistypedSubcommandsAndFlagsAreNamedWithADidYouMean) {
  Result r = Orgsim("rn " + kSmall);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "unknown subcommand \"rn\"; did you mean \"run\"?")) << r.err;
  r = Orgsim("NOSUCH --help");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "unknown subcommand \"NOSUCH\"")) << r.err;
  r = Orgsim("run " + kSmall + " --replication 10");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(
      Has(r.err, "unknown flag --replication for `orgsim run`; did you mean --replications?"))
      << r.err;
  r = Orgsim("run " + kSmall + " --seed -1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "seed \"-1\" is not a whole number in [0, 9223372036854775807]")) << r.err;
  r = Orgsim("run " + kSmall + " --seed 9223372036854775808");
  EXPECT_EQ(r.exit_code, 2);
}

TEST_F(CliContract, UnknownValuesAreErrorsNamingTheValidOnes) {
  ASSERT_EQ(Orgsim("run " + kSmall + " --no-sweep -n 2 -q --db a.db").exit_code, 0);
  Result r = Orgsim("report --db a.db -o r.html --metric profit --metric customers_end");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "unknown metric \"profit\"; did you mean \"profit_total\"? (valid: "))
      << r.err;
  EXPECT_FALSE(fs::exists(Path("r.html")));
  r = Orgsim("summarize --db a.db --metric cash_ed");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "unknown metric \"cash_ed\"; did you mean \"cash_end\"?")) << r.err;
  r = Orgsim("export --db a.db --table rns");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "unknown table \"rns\"; did you mean \"runs\"?")) << r.err;
  r = Orgsim("export --db a.db --format jsn");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "unknown format \"jsn\"; did you mean \"json\"? (valid: csv, json)"))
      << r.err;
  r = Orgsim("trace " + kSmall + " --arm product_lead");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "unknown arm \"product_lead\"; did you mean \"product_led\"?")) << r.err;
}

TEST_F(CliContract, MissingOutputFolderSaysWhy) {
  ASSERT_EQ(Orgsim("run " + kSmall + " --no-sweep -n 2 -q --db a.db").exit_code, 0);
  Result r = Orgsim("report --db a.db -o nodir2/r.html");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "orgsim report: error: cannot write r.html: folder nodir2 does not exist\n");
  r = Orgsim("summarize --db a.db --json nodir2/s.json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.err, "cannot write s.json: folder nodir2 does not exist")) << r.err;
  r = Orgsim("export --db a.db -o nodir2/runs.csv");
  EXPECT_TRUE(Has(r.err, "folder nodir2 does not exist")) << r.err;
}

// The JSON summary with the database path it names replaced by "DB".
std::string WithoutDb(std::string text, const std::string& db) {
  for (std::size_t at = text.find(db); at != std::string::npos; at = text.find(db, at)) {
    text.replace(at, db.size(), "DB");
  }
  return text;
}

TEST_F(CliContract, SummarizeAfterMergePrintsWhatTheSweepPrinted) {
  const Result full = Orgsim("sweep " + kSaltelli + " -n 2 -q --db full.db --json full.json");
  ASSERT_EQ(full.exit_code, 0) << full.err;
  EXPECT_TRUE(Has(full.out, "Sobol indices")) << full.out;
  EXPECT_TRUE(Has(full.out, "Effect of each lever over its swept range")) << full.out;
  std::string shards;
  for (int k = 0; k < 2; ++k) {
    const std::string db = "s" + std::to_string(k) + ".db";
    ASSERT_EQ(
        Orgsim("sweep " + kSaltelli + " -n 2 -q --shard " + std::to_string(k) + "/2 --db " + db)
            .exit_code,
        0);
    shards += " " + db;
  }
  ASSERT_EQ(Orgsim("merge -q --db merged.db" + shards).exit_code, 0);
  const Result summary = Orgsim("summarize --db merged.db --json merged.json");
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  EXPECT_EQ(summary.out, full.out);
  EXPECT_EQ(WithoutDb(ReadFile(Path("merged.json")), "merged.db"),
            WithoutDb(ReadFile(Path("full.json")), "full.db"));
  const Result json_only = Orgsim("summarize --db merged.db --json -");
  ASSERT_EQ(json_only.exit_code, 0);
  EXPECT_EQ(WithoutDb(json_only.out, "merged.db"),
            WithoutDb(ReadFile(Path("full.json")), "full.db"));
  EXPECT_EQ(Orgsim("summarize --db nosuch.db").exit_code, 2);
}

TEST_F(CliContract, ResumeOfADamagedDatabaseSaysSoBeforeSettlingItsFlags) {
  ASSERT_EQ(Orgsim("run " + kSmall + " --no-sweep -n 2 -q --db d.db").exit_code, 0);
  Sql("d.db", "DELETE FROM checksums WHERE replication = 0");
  const Result r = Orgsim("run " + kSmall + " --db d.db --resume");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(Has(r.err, "damaged")) << r.err;
  EXPECT_FALSE(Has(r.err, "declares a sweep")) << r.err;
}

TEST_F(CliContract, MergeNamesTheShardsToRerun) {
  ASSERT_EQ(Orgsim("sweep " + kSmall + " -n 2 -q --shard 0/3 --db s0.db").exit_code, 0);
  ASSERT_EQ(Orgsim("sweep " + kSmall + " -n 2 -q --shard 2/3 --db s2.db").exit_code, 0);
  Sql("s2.db",
      "DELETE FROM runs WHERE replication = 1; DELETE FROM checksums WHERE replication = 1");
  const Result r = Orgsim("merge --db m.db s0.db s2.db");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.err, "shard 1/3: no database of it was given")) << r.err;
  EXPECT_TRUE(Has(r.err, "shard 2/3: s2.db is incomplete")) << r.err;
  EXPECT_FALSE(Has(r.err, "shard 0/3")) << r.err;
}

TEST_F(CliContract, ExportedRunsOfASweepCarryTheirParameterValues) {
  ASSERT_EQ(Orgsim("sweep " + kSmall + " -n 1 -q --db s.db").exit_code, 0);
  const std::string csv = Export("s.db");
  const std::string header = csv.substr(0, csv.find('\n'));
  EXPECT_TRUE(Has(header,
                  ",organization.pm.people_sense,"
                  "organization.operating.ceremony_hours_per_week"))
      << header;
  // Point 3 of the grid is people_sense 0.8, ceremony 6 (last parameter fastest).
  const Result points = Orgsim("export --db s.db --table points --format json");
  const auto json = nlohmann::json::parse(points.out);
  const Result runs = Orgsim("export --db s.db --format json");
  const auto rows = nlohmann::json::parse(runs.out);
  ASSERT_EQ(rows.size(), 8u);  // 4 points x 2 arms
  for (const auto& row : rows) {
    const auto& point = json.at(row["point"].get<int>());
    EXPECT_EQ(row["organization.pm.people_sense"], point["organization.pm.people_sense"]);
    EXPECT_EQ(row["organization.operating.ceremony_hours_per_week"],
              point["organization.operating.ceremony_hours_per_week"]);
  }
  // A run has no parameters, so no extra columns.
  ASSERT_EQ(Orgsim("run " + kSmall + " --no-sweep -n 1 -q --db r.db").exit_code, 0);
  EXPECT_FALSE(Has(Export("r.db").substr(0, 400), "people_sense"));
}

TEST_F(CliContract, ServeHelpDescribesThePageAndItsExitCodes) {
  const Result r = Orgsim("serve --help");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "Serves the workshop page on --host:--port until Ctrl-C")) << r.out;
  EXPECT_TRUE(Has(r.out, "needs the printed tokens")) << r.out;
  EXPECT_TRUE(Has(r.out,
                  "Exit: 0 stopped by Ctrl-C or SIGTERM; 2 bad flags, an address it cannot "
                  "listen on\n(a port already in use is refused, never shared) or a missing "
                  "--scenarios folder."))
      << r.out;
  // The exit codes it names are the ones it returns: a port out of range is
  // a bad flag; a port another socket holds is refused, never shared.
  EXPECT_EQ(Orgsim("serve --port 70000").exit_code, 2);
  const int held = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(held, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ASSERT_EQ(::bind(held, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(held, 1), 0);
  socklen_t length = sizeof(address);
  ASSERT_EQ(::getsockname(held, reinterpret_cast<sockaddr*>(&address), &length), 0);
  // (timeout: should it listen after all, the test fails instead of hanging)
  const Result busy = Shell("timeout 20 " + kBinary + " serve --scenarios . --port " +
                            std::to_string(ntohs(address.sin_port)));
  ::close(held);
  EXPECT_EQ(busy.exit_code, 2) << busy.err;
  EXPECT_TRUE(Has(busy.err, "already in use")) << busy.err;
}

TEST_F(CliContract, ASweepWithADesignPointAboveTheCostLimitsIsRefusedBeforeItRuns) {
  // Each arm is cheap; the sweep's last arrival rate is not.
  std::ofstream(Path("reach.textproto")) << R"pb(name: "reach"
horizon_days: 3650
organization { teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 1 } }
mechanisms { market: false sales: false }
experiment {
  sweep { parameters { path: "work.exogenous_arrival_rate_per_day" values: 1 values: 10000 } }
}
)pb";
  Result r = Orgsim("sweep reach.textproto --db s.db -q");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(Has(r.err,
                  "reach.textproto:6:3: error: design point 1 "
                  "(work.exogenous_arrival_rate_per_day = 10000), arm \"base\": one run is "
                  "estimated at about"))
      << r.err;
  EXPECT_TRUE(Has(r.err, "pass --allow-large to run it anyway")) << r.err;
  EXPECT_FALSE(fs::exists(Path("s.db"))) << "refused before the database is made";
  r = Orgsim("validate reach.textproto");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(Has(r.err, "design point 1 (work.exogenous_arrival_rate_per_day = 10000)")) << r.err;
  r = Orgsim("validate --allow-large reach.textproto");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // Its arms alone run as usual.
  EXPECT_EQ(Orgsim("run reach.textproto --no-sweep -n 1 -q --db r.db").exit_code, 0);
}

}  // namespace
