// `orgsim validate` as a user runs it: exit codes, stdout and stderr.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/testing/files.h"

namespace orgsim {
namespace {

namespace fs = std::filesystem;

struct Output {
  int exit_code = -1;
  std::string out;
  std::string err;
};

using test::ReadFile;

// Runs `orgsim ARGS` (ARGS already shell-quoted) in the repository root.
Output RunOrgsim(const std::string& args) {
  const std::string binary_dir = test::BinaryDir().string();
  const std::string source_dir = test::SourceDir().string();
  // ctest runs tests as parallel processes: name the capture files per process.
  const fs::path tmp = fs::path(::testing::TempDir());
  const std::string tag = std::to_string(::getpid());
  const fs::path out = tmp / ("orgsim_cli_out_" + tag + ".txt");
  const fs::path err = tmp / ("orgsim_cli_err_" + tag + ".txt");
  const std::string command = "cd '" + source_dir + "' && '" + binary_dir + "/orgsim' " + args +
                              " >'" + out.string() + "' 2>'" + err.string() + "'";
  int status = std::system(command.c_str());
  Output result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadFile(out);
  result.err = ReadFile(err);
  return result;
}

fs::path WriteScenario(const std::string& name, const std::string& text) {
  fs::path path = fs::path(::testing::TempDir()) / (std::to_string(::getpid()) + "_" + name);
  std::ofstream(path) << text;
  return path;
}

const std::string kValid = R"pb(name: "cli"
horizon_days: 90
organization {
  teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 4 }
  teams { name: "sales" role: ROLE_SALES initial_headcount: 1 reports_to: "eng" }
}
market { segments { name: "smb" } }
arms { name: "a" } arms { name: "b" set { path: "organization.pm.mandate" value: 0.9 } }
)pb";

TEST(ValidateCli, ValidFileSaysOkWithASummaryAndExitsZero) {
  fs::path file = WriteScenario("cli_valid.textproto", kValid);
  Output r = RunOrgsim("validate '" + file.string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, file.string() +
                       ": ok (2 arms (baseline a), 2 teams / 5 people, horizon 90 days, 100 "
                       "replications, no sweep)\n");
  EXPECT_EQ(r.err, "");
}

TEST(ValidateCli, InvalidFilePrintsEveryErrorAndExitsTwo) {
  fs::path file = WriteScenario("cli_invalid.textproto",
                                kValid + "replications: 0\nexperiment { baseline: \"zz\" }\n");
  Output r = RunOrgsim("validate '" + file.string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, file.string() +
                       ":9:1: error: replications is 0; expected a whole number in [1, "
                       "10000000]\n" +
                       file.string() +
                       ":10:14: error: baseline arm \"zz\" is not defined (arms: \"a\", \"b\")\n");
}

TEST(ValidateCli, ValidFilesStillGetTheirOkLineNextToInvalidOnes) {
  fs::path good = WriteScenario("cli_good.textproto", kValid);
  fs::path bad = WriteScenario("cli_bad.textproto", "name: \"x\"\nbogus: 1\n");
  Output r = RunOrgsim("validate '" + bad.string() + "' '" + good.string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find(good.string() + ": ok ("), std::string::npos) << r.out;
  EXPECT_EQ(r.err, bad.string() +
                       ":2:1: error: Scenario has no field \"bogus\"; its fields are: name, "
                       "description, seed, replications, horizon_days, warmup_days, "
                       "organization, market, work, delivery, sales, finance, pmf, mechanisms, "
                       "arms, experiment, base, uncertainties, schedule\n");
}

TEST(ValidateCli, MissingFileIsOneClearLine) {
  Output r = RunOrgsim("validate no/such.textproto");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "no/such.textproto: error: cannot read file: No such file or directory\n");
}

TEST(ValidateCli, AByteOrderMarkIsNotAnError) {
  fs::path file = WriteScenario("cli_bom.textproto", std::string("\xEF\xBB\xBF") + kValid);
  Output r = RunOrgsim("validate '" + file.string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(": ok ("), std::string::npos) << r.out;
}

TEST(ValidateCli, AnUnreadableFileIsAReadErrorNotAnInternalError) {
  if (!fs::exists("/proc/self/mem")) GTEST_SKIP() << "no /proc/self/mem here";
  Output r = RunOrgsim("validate /proc/self/mem");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("/proc/self/mem: error: cannot read file"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
}

TEST(ValidateCli, HelpWorks) {
  Output r = RunOrgsim("validate --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("FILE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("docs/scenario-format.md"), std::string::npos) << r.out;
}

TEST(ValidateCli, UsageErrorsExitTwo) {
  Output no_file = RunOrgsim("validate");
  EXPECT_EQ(no_file.exit_code, 2);
  EXPECT_NE(no_file.err.find("FILE is required"), std::string::npos) << no_file.err;
  Output bad_flag = RunOrgsim("validate --bogus x.textproto");
  EXPECT_EQ(bad_flag.exit_code, 2);
  EXPECT_NE(bad_flag.err.find("--bogus"), std::string::npos) << bad_flag.err;
}

TEST(ValidateCli, EveryShippedScenarioValidates) {
  Output r = RunOrgsim("validate $(find scenarios -name '*.textproto' | sort)");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
}

}  // namespace
}  // namespace orgsim

namespace orgsim {
namespace {

TEST(GraphCli, ExportsAnArmAsDotOrGraphml) {
  fs::path file = WriteScenario("cli_graph.textproto", kValid);
  Output dot = RunOrgsim("graph '" + file.string() + "' --arm b --format dot");
  EXPECT_EQ(dot.exit_code, 0) << dot.err;
  EXPECT_NE(dot.out.find("eng/0"), std::string::npos) << dot.out;
  Output graphml = RunOrgsim("graph '" + file.string() + "' --format graphml");
  EXPECT_EQ(graphml.exit_code, 0) << graphml.err;
  EXPECT_NE(graphml.out.find("<graphml"), std::string::npos);
  Output unknown = RunOrgsim("graph '" + file.string() + "' --arm zz");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err,
            "orgsim graph: error: " + file.string() + ": unknown arm \"zz\" (valid: a, b)\n");
  Output near = RunOrgsim("graph '" + file.string() + "' --arm bb");
  EXPECT_EQ(near.exit_code, 2);
  EXPECT_NE(near.err.find("unknown arm \"bb\"; did you mean \"b\"?"), std::string::npos)
      << near.err;
  Output bad_format = RunOrgsim("graph '" + file.string() + "' --format graphm");
  EXPECT_EQ(bad_format.exit_code, 2);
  EXPECT_NE(bad_format.err.find("unknown format \"graphm\"; did you mean \"graphml\"?"),
            std::string::npos)
      << bad_format.err;
}

}  // namespace
}  // namespace orgsim
