// Base files (`base:`): loading a chain, merge by name, `remove:` of a base
// entry, cycles, the flattened text and the scenario hash.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/io/folder.h"
#include "engine/io/scenario_loader.h"

namespace orgsim::io {
namespace {

namespace fs = std::filesystem;

class BaseFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("orgsim_base_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
            std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "companies");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }

  fs::path dir_;
};

const char kCompany[] = R"pb(# A small company.
name: "company"
horizon_days: 90
organization {
  teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 4 }
  teams { name: "sales" role: ROLE_SALES initial_headcount: 2 reports_to: "eng" }
}
market {
  problem_dimensions: 3
  segments { name: "smb" need_weights: [1, 2, 3] price_per_month: 500 }
}
)pb";

std::vector<std::string> TeamNames(const model::ModelConfig& config) {
  std::vector<std::string> names;
  for (const auto& team : config.organization.teams) names.push_back(team.name);
  return names;
}

TEST_F(BaseFiles, FieldsMergeOverTheBaseByNameAndUnnamedListsAreReplaced) {
  Write("companies/company.textproto", kCompany);
  const std::string top = Write("top.textproto", R"pb(
base: "companies/company.textproto"
name: "top"
organization {
  teams { name: "eng" initial_headcount: 6 }
  teams { name: "design" role: ROLE_DESIGN initial_headcount: 1 reports_to: "eng" }
}
market { segments { name: "smb" need_weights: [3, 2, 1] } }
)pb");
  LoadResult result = LoadScenarioFile(top);
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.diagnostics);
  const LoadedScenario& s = *result.scenario;
  EXPECT_EQ(s.name, "top");
  EXPECT_TRUE(s.has_base);
  EXPECT_EQ(s.horizon_days, 90);  // from the base
  EXPECT_EQ(TeamNames(s.base), (std::vector<std::string>{"eng", "sales", "design"}));
  EXPECT_EQ(s.base.organization.teams[0].initial_headcount, 6);  // merged field-wise
  EXPECT_EQ(s.base.organization.teams[1].initial_headcount, 2);
  ASSERT_EQ(s.base.market.segments.size(), 1u);
  EXPECT_EQ(s.base.market.segments[0].need_weights, (std::vector<double>{3, 2, 1}));
  EXPECT_EQ(s.base.market.segments[0].price_per_month, 500);  // kept from the base
  EXPECT_EQ(s.flat_text.find("base:"), std::string::npos) << s.flat_text;
}

TEST_F(BaseFiles, NestedBasesAndAnArmRemovingABaseTeam) {
  Write("companies/company.textproto", kCompany);
  Write("companies/grown.textproto", R"pb(
base: "company.textproto"
name: "grown"
horizon_days: 180
organization { teams { name: "support" role: ROLE_CUSTOMER_SUCCESS initial_headcount: 1 reports_to: "sales" } }
)pb");
  const std::string top = Write("top.textproto", R"pb(
base: "companies/grown.textproto"
name: "top"
arms { name: "all" }
arms {
  name: "no_support"
  remove: "organization.teams[support]"
}
)pb");
  LoadResult result = LoadScenarioFile(top);
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.diagnostics);
  const LoadedScenario& s = *result.scenario;
  EXPECT_EQ(s.horizon_days, 180);
  EXPECT_EQ(TeamNames(s.arms[0].config), (std::vector<std::string>{"eng", "sales", "support"}));
  EXPECT_EQ(TeamNames(s.arms[1].config), (std::vector<std::string>{"eng", "sales"}));
}

TEST_F(BaseFiles, ArmsOfTheBaseMergeByNameAndNewOnesAppend) {
  Write("companies/company.textproto", std::string(kCompany) + R"pb(
arms { name: "a" description: "from the base" }
arms { name: "b" set { path: "organization.pm.mandate" value: 0.9 } }
)pb");
  const std::string top = Write("top.textproto", R"pb(
base: "companies/company.textproto"
arms { name: "b" description: "described here" }
arms { name: "c" }
)pb");
  LoadResult result = LoadScenarioFile(top);
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.diagnostics);
  const LoadedScenario& s = *result.scenario;
  ASSERT_EQ(s.arms.size(), 3u);
  EXPECT_EQ(s.arms[1].name, "b");
  EXPECT_EQ(s.arms[1].description, "described here");
  EXPECT_DOUBLE_EQ(s.arms[1].config.organization.pm.mandate, 0.9);  // its `set` kept
  EXPECT_EQ(s.arms[2].name, "c");
}

TEST_F(BaseFiles, ACycleIsAnErrorThatNamesTheChain) {
  Write("a.textproto", "base: \"b.textproto\"\nname: \"a\"\n");
  Write("b.textproto", "name: \"b\"\nbase: \"a.textproto\"\n");
  LoadResult result = LoadScenarioFile((dir_ / "a.textproto").string());
  ASSERT_FALSE(result.ok());
  const std::string a = (dir_ / "a.textproto").string();
  const std::string b = (dir_ / "b.textproto").string();
  EXPECT_EQ(FormatDiagnostics(result.diagnostics),
            b + ":2:1: error: base files form a cycle: " + a + " -> " + b + " -> " + a +
                "\nincluded from " + a + ":1\n");
}

TEST_F(BaseFiles, AMissingBaseIsReportedAtTheBaseField) {
  const std::string top = Write("top.textproto", "name: \"t\"\n\nbase: \"nope.textproto\"\n");
  LoadResult result = LoadScenarioFile(top);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(FormatDiagnostics(result.diagnostics), top + ":3:1: error: cannot read base \"" +
                                                       (dir_ / "nope.textproto").string() +
                                                       "\": No such file or directory\n");
}

TEST_F(BaseFiles, BasesAreNotReadWhenExternalFilesAreDisabled) {
  Write("companies/company.textproto", kCompany);
  LoadResult result = LoadScenarioText("base: \"companies/company.textproto\"\n", "t.textproto",
                                       dir_.string(), LoadOptions::Offline());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(FormatDiagnostics(result.diagnostics).find("external files are disabled"),
            std::string::npos);
}

TEST(IsInsideFolder, ComparesWholePathSegments) {
  EXPECT_TRUE(IsInsideFolder("/srv/s/a.textproto", "/srv/s"));
  EXPECT_TRUE(IsInsideFolder("/srv/s/companies/b.textproto", "/srv/s"));
  EXPECT_FALSE(IsInsideFolder("/srv/sx/a.textproto", "/srv/s"));
  EXPECT_FALSE(IsInsideFolder("/srv/s", "/srv/s"));
  EXPECT_FALSE(IsInsideFolder("/etc/hostname", "/srv/s"));
}

TEST_F(BaseFiles, ABaseOutsideTheConfinedFolderIsRefused) {
  Write("companies/company.textproto", kCompany);
  fs::create_directories(dir_ / "room");
  const std::string inside =
      Write("room/in.textproto", "base: \"../companies/company.textproto\"\n");
  LoadOptions options;
  options.confine_files_to = fs::weakly_canonical(dir_ / "room").string();
  LoadResult result = LoadScenarioFile(inside, options);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(FormatDiagnostics(result.diagnostics).find("lies outside the scenarios folder"),
            std::string::npos)
      << FormatDiagnostics(result.diagnostics);
  options.confine_files_to = fs::weakly_canonical(dir_).string();
  EXPECT_TRUE(LoadScenarioFile(inside, options).ok());
}

TEST_F(BaseFiles, TheFlatTextIsTheSameScenarioWithTheSameHash) {
  Write("companies/company.textproto", kCompany);
  const std::string top = Write("top.textproto", R"pb(# Top.
base: "companies/company.textproto"
name: "top"
arms { name: "a" } arms { name: "b" set { path: "organization.pm.mandate" value: 0.9 } }
)pb");
  LoadResult with_base = LoadScenarioFile(top);
  ASSERT_TRUE(with_base.ok()) << FormatDiagnostics(with_base.diagnostics);
  const LoadedScenario& s = *with_base.scenario;
  EXPECT_EQ(s.flat_text.rfind("# Top.\n", 0), 0u) << "the file's header comment leads";
  LoadResult flat = LoadScenarioText(s.flat_text, "flat.textproto", dir_.string());
  ASSERT_TRUE(flat.ok()) << FormatDiagnostics(flat.diagnostics);
  EXPECT_FALSE(flat.scenario->has_base);
  EXPECT_EQ(flat.scenario->sha256, s.sha256);
  EXPECT_EQ(flat.scenario->flat_text, s.flat_text);  // flattening is idempotent
  ASSERT_EQ(flat.scenario->arms.size(), s.arms.size());
  for (std::size_t i = 0; i < s.arms.size(); ++i) {
    EXPECT_EQ(TeamNames(flat.scenario->arms[i].config), TeamNames(s.arms[i].config));
    EXPECT_EQ(flat.scenario->arms[i].config.organization.pm.mandate,
              s.arms[i].config.organization.pm.mandate);
  }
}

TEST_F(BaseFiles, TheHashIsThatOfTheMergedScenarioNotOfTheFileBytes) {
  Write("companies/company.textproto", kCompany);
  const std::string top = Write("top.textproto", R"pb(
base: "companies/company.textproto"
name: "top"
)pb");
  // The same scenario written out in one file, in another order and with
  // comments.
  const std::string same = Write("same.textproto", R"pb(
market { segments { price_per_month: 500 name: "smb" need_weights: 1 need_weights: 2 need_weights: 3 }
         problem_dimensions: 3 }
name: "top"  # renamed
organization {
  teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 4 }
  teams { name: "sales" role: ROLE_SALES initial_headcount: 2 reports_to: "eng" }
}
horizon_days: 90.0
)pb");
  const std::string other = Write("other.textproto", R"pb(
base: "companies/company.textproto"
name: "top"
horizon_days: 91
)pb");
  LoadResult a = LoadScenarioFile(top);
  LoadResult b = LoadScenarioFile(same);
  LoadResult c = LoadScenarioFile(other);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok())
      << FormatDiagnostics(a.diagnostics) << FormatDiagnostics(b.diagnostics)
      << FormatDiagnostics(c.diagnostics);
  EXPECT_EQ(a.scenario->sha256, b.scenario->sha256);
  EXPECT_NE(a.scenario->sha256, c.scenario->sha256);
  EXPECT_EQ(a.scenario->sha256.size(), 64u);
}

TEST_F(BaseFiles, ABaseGraphmlPathStaysRelativeToTheBase) {
  std::string company = kCompany;
  company.replace(company.find("organization {"), 14,
                  "organization {\n  graph { generator: GRAPH_GRAPHML graphml_path: "
                  "\"org.graphml\" }");
  Write("companies/company.textproto", company);
  const std::string top =
      Write("top.textproto", "base: \"companies/company.textproto\"\nname: \"top\"\n");
  LoadResult result = LoadScenarioFile(top);
  ASSERT_FALSE(result.ok());  // the GraphML file does not exist: the message names its path
  EXPECT_NE(FormatDiagnostics(result.diagnostics)
                .find("cannot read GraphML file \"" + (dir_ / "companies/org.graphml").string()),
            std::string::npos)
      << FormatDiagnostics(result.diagnostics);
}

}  // namespace
}  // namespace orgsim::io
