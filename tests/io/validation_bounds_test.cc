// Validation bounds what it accepts: referenced GraphML files are checked
// before they are opened (a FIFO must not hang) and their edge values
// range-checked like explicit edges; the vertex attribute the docs name is
// read; a scenario whose estimated cost per run exceeds the limits is
// refused unless allow_large, and so is a sweep with a design point above
// them; a graph too dense to measure is refused; and files a confined load
// references must lie inside its folder.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "engine/io/scenario_loader.h"
#include "engine/io/sweep_cost.h"

namespace orgsim::io {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class GraphMlFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("orgsim_bounds_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "graphs");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes a scenario using graphs/org.graphml and loads it.
  LoadResult Load(const LoadOptions& options = {},
                  const std::string& graphml_path = "graphs/org.graphml") {
    std::ofstream(dir_ / "s.textproto") << R"pb(name: "g"
organization {
  teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 2 }
  teams { name: "sales" role: ROLE_SALES initial_headcount: 1 }
  graph { generator: GRAPH_GRAPHML graphml_path: ")pb"
                                        << graphml_path << R"pb(" } }
market { segments { name: "smb" } }
)pb";
    return LoadScenarioFile((dir_ / "s.textproto").string(), options);
  }

  // A GraphML file with endpoints named through `attribute`, edges eng-sales
  // and sales-market, the first carrying `edge_data`.
  void WriteGraph(const std::string& attribute, const std::string& edge_data) {
    std::ofstream(dir_ / "graphs/org.graphml")
        << "<?xml version=\"1.0\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
        << "<key id=\"a\" for=\"node\" attr.name=\"" << attribute << "\" attr.type=\"string\"/>\n"
        << "<key id=\"l\" for=\"edge\" attr.name=\"latency_days\" attr.type=\"double\"/>\n"
        << "<key id=\"f\" for=\"edge\" attr.name=\"fidelity\" attr.type=\"double\"/>\n"
        << "<graph edgedefault=\"undirected\">\n"
        << "<node id=\"e\"><data key=\"a\">eng</data></node>\n"
        << "<node id=\"s\"><data key=\"a\">sales</data></node>\n"
        << "<node id=\"m\"><data key=\"a\">market</data></node>\n"
        << "<edge source=\"e\" target=\"s\">" << edge_data << "</edge>\n"
        << "<edge source=\"s\" target=\"m\"/>\n"
        << "</graph></graphml>\n";
  }

  fs::path dir_;
};

TEST_F(GraphMlFiles, AFifoIsRefusedWithoutBeingOpened) {
  ASSERT_EQ(::mkfifo((dir_ / "graphs/org.graphml").c_str(), 0600), 0);
  // Opening the FIFO would block here forever (no writer).
  LoadResult result = Load();
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(FormatDiagnostics(result.diagnostics), HasSubstr("not a regular file"));
}

TEST_F(GraphMlFiles, EdgeValuesAreRangeCheckedLikeExplicitEdges) {
  for (const std::string bad :
       {"<data key=\"l\">nan</data>", "<data key=\"l\">1e308</data>", "<data key=\"l\">-3</data>",
        "<data key=\"f\">nan</data>", "<data key=\"f\">1.5</data>", "<data key=\"f\">0</data>"}) {
    WriteGraph("name", bad);
    LoadResult result = Load();
    ASSERT_FALSE(result.ok()) << bad;
    const std::string text = FormatDiagnostics(result.diagnostics);
    EXPECT_THAT(text, HasSubstr("edge eng - sales")) << bad;
    EXPECT_THAT(text, HasSubstr("is not in")) << bad;
  }
  WriteGraph("name", "<data key=\"l\">2.5</data><data key=\"f\">0.6</data>");
  LoadResult ok = Load();
  ASSERT_TRUE(ok.ok()) << FormatDiagnostics(ok.diagnostics);
}

TEST_F(GraphMlFiles, VerticesMayNameTheirEndpointInTheTeamAttributeTheDocsName) {
  WriteGraph("team", "");
  LoadResult result = Load();
  EXPECT_TRUE(result.ok()) << FormatDiagnostics(result.diagnostics);
  WriteGraph("name", "");
  result = Load();
  EXPECT_TRUE(result.ok()) << FormatDiagnostics(result.diagnostics);
}

TEST_F(GraphMlFiles, AConfinedLoadRefusesFilesOutsideItsFolder) {
  WriteGraph("name", "");
  fs::create_directories(dir_ / "inner");
  fs::copy_file(dir_ / "graphs/org.graphml", dir_ / "outside.graphml");
  const std::string root = fs::canonical(dir_).string();
  auto confined = [](const std::string& folder) {
    LoadOptions options;
    options.confine_files_to = folder;
    return options;
  };
  // Inside the folder: accepted.
  LoadResult inside = Load(confined(root));
  EXPECT_TRUE(inside.ok()) << FormatDiagnostics(inside.diagnostics);
  // Confined to graphs/: the scenario's own file lies outside.
  LoadResult outside = Load(confined(root + "/graphs"), "../outside.graphml");
  ASSERT_FALSE(outside.ok());
  EXPECT_THAT(FormatDiagnostics(outside.diagnostics), HasSubstr("outside the scenarios folder"));
  LoadResult absolute = Load(confined(root + "/inner"), "/etc/hostname");
  ASSERT_FALSE(absolute.ok());
  EXPECT_THAT(FormatDiagnostics(absolute.diagnostics), HasSubstr("outside the scenarios folder"));
}

// One engineer, 10,000 arrivals a day for 100 years: billions of events.
const char* kFlood = R"pb(name: "flood"
horizon_days: 36500
organization { teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 1 } }
work { exogenous_arrival_rate_per_day: 10000 }
mechanisms { market: false sales: false }
)pb";

TEST(ValidationCost, AScenarioEstimatedAboveTheLimitsIsRefusedWithTheEstimate) {
  LoadResult result = LoadScenarioText(kFlood, "flood.textproto", "");
  ASSERT_FALSE(result.ok());
  const std::string text = FormatDiagnostics(result.diagnostics);
  EXPECT_THAT(text, HasSubstr("flood.textproto:2:1: error: one run is estimated at about"));
  EXPECT_THAT(text, HasSubstr("events"));
  EXPECT_THAT(text, HasSubstr("GB of memory"));
  EXPECT_THAT(text, HasSubstr("--allow-large"));
}

TEST(ValidationCost, ABacklogThatOutgrowsTheEngineersIsRefused) {
  // Few events (3e6) but a backlog growing for ten years: every pull scans
  // it, so the run takes minutes.
  LoadResult result = LoadScenarioText(R"pb(name: "growing"
horizon_days: 3650
organization { teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 30 } }
work { exogenous_arrival_rate_per_day: 300 effort_mean_days: 0.05 }
mechanisms { market: false sales: false }
)pb",
                                       "growing.textproto", "");
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(FormatDiagnostics(result.diagnostics),
              HasSubstr("backlog steps (a growing backlog)"));
}

TEST(ValidationCost, AllowLargeAcceptsIt) {
  LoadResult result =
      LoadScenarioText(kFlood, "flood.textproto", "", LoadOptions::AllowingLarge(true));
  EXPECT_TRUE(result.ok()) << FormatDiagnostics(result.diagnostics);
}

TEST(ValidationCost, ArmsAboveTheLimitsAreNamed) {
  const std::string text = std::string(R"pb(name: "arms"
organization { teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 1 } }
mechanisms { market: false sales: false }
arms { name: "calm" }
arms { name: "flood" set { path: "horizon_days" value: 36500 }
       set { path: "work.exogenous_arrival_rate_per_day" value: 10000 } }
)pb");
  LoadResult result = LoadScenarioText(text, "arms.textproto", "");
  ASSERT_FALSE(result.ok());
  const std::string diagnostics = FormatDiagnostics(result.diagnostics);
  EXPECT_THAT(diagnostics, HasSubstr("arm \"flood\": one run is estimated at about"));
  EXPECT_THAT(diagnostics, ::testing::Not(HasSubstr("arm \"calm\"")));
}

// One engineer for ten years; each arm alone is cheap, the sweep's last
// arrival rate (10,000 a day, a backlog far outgrowing the engineers) is not.
const char* kCheapArmsCostlySweep = R"pb(name: "reach"
horizon_days: 3650
organization { teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 1 } }
work { exogenous_arrival_rate_per_day: 1 }
mechanisms { market: false sales: false }
arms { name: "a" }
arms { name: "b" set { path: "organization.teams[eng].initial_headcount" value: 2 } }
experiment {
  baseline: "a"
  sweep {
    parameters { path: "work.exogenous_arrival_rate_per_day" values: 1 values: 10 values: 10000 }
  }
}
)pb";

TEST(ValidationCost, ASweepDesignPointAboveTheLimitsIsRefusedForEachArm) {
  LoadResult result = LoadScenarioText(kCheapArmsCostlySweep, "reach.textproto", "");
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.diagnostics);
  const std::vector<Diagnostic> refused = SweepCostDiagnostics(*result.scenario);
  ASSERT_EQ(refused.size(), 2u) << FormatDiagnostics(refused);
  const std::string text = FormatDiagnostics(refused);
  // At experiment.sweep (line 10), point 2 of both arms, the load's wording.
  EXPECT_THAT(text, HasSubstr("reach.textproto:10:3: error: design point 2 "
                              "(work.exogenous_arrival_rate_per_day = 10000), arm \"a\": one run "
                              "is estimated at about"));
  EXPECT_THAT(text,
              HasSubstr("design point 2 (work.exogenous_arrival_rate_per_day = 10000), arm \"b\""));
  EXPECT_THAT(text, HasSubstr("pass --allow-large to run it anyway"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("design point 1 ")));
}

TEST(ValidationCost, ASweepWithinTheLimitsAtEveryPointPasses) {
  std::string within = kCheapArmsCostlySweep;
  within.replace(within.find("values: 10000 "), 13, "values: 50");
  LoadResult result = LoadScenarioText(within, "reach.textproto", "");
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.diagnostics);
  EXPECT_TRUE(SweepCostDiagnostics(*result.scenario).empty());
}

TEST(ValidationCost, ASampledSweepReachingALongHorizonNamesTheFirstPointsAndCountsTheRest) {
  // A backlog growing by 100 items a day is affordable over a year, not over
  // decades: most of a Latin hypercube over horizon_days in [365, 36500]
  // is above the limits.
  const char* sampled = R"pb(name: "long"
organization { teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 1 } }
work { exogenous_arrival_rate_per_day: 100 }
horizon_days: 365
mechanisms { market: false sales: false }
experiment {
  sweep {
    latin_hypercube { count: 20 }
    parameters { path: "horizon_days" min: 365 max: 36500 }
  }
}
)pb";
  LoadResult result = LoadScenarioText(sampled, "long.textproto", "");
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.diagnostics);
  const std::vector<Diagnostic> refused = SweepCostDiagnostics(*result.scenario);
  ASSERT_EQ(refused.size(), 4u) << FormatDiagnostics(refused);
  EXPECT_THAT(refused[0].message, HasSubstr("(horizon_days = "));
  EXPECT_THAT(refused[3].message, ::testing::StartsWith("and "));
  EXPECT_THAT(refused[3].message,
              HasSubstr(" more design points x arms are estimated above the limits per run"));
}

TEST(ValidationCost, TooManyArmsAreRefusedBeforeTheyAreBuilt) {
  std::string text =
      "name: \"many\"\norganization { teams { name: \"eng\" role: ROLE_ENGINEERING "
      "initial_headcount: 1 } }\nmechanisms { market: false sales: false }\n";
  for (int i = 0; i <= kMaxArms; ++i) text += "arms { name: \"a" + std::to_string(i) + "\" }\n";
  LoadResult result = LoadScenarioText(text, "many.textproto", "");
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(
      FormatDiagnostics(result.diagnostics),
      HasSubstr("many.textproto:10004:1: error: the scenario declares 10001 arms; at most 10000"));
}

TEST(ValidationCost, AGraphTooDenseToMeasureIsRefusedWithAClearMessage) {
  // 2,005 agents, random edges with probability 0.19: measuring all paths
  // would not finish.
  LoadResult result = LoadScenarioText(R"pb(name: "dense"
organization {
  teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 200 }
  teams { name: "eng2" role: ROLE_ENGINEERING initial_headcount: 200 }
  teams { name: "eng3" role: ROLE_ENGINEERING initial_headcount: 200 }
  teams { name: "eng4" role: ROLE_ENGINEERING initial_headcount: 200 }
  teams { name: "eng5" role: ROLE_ENGINEERING initial_headcount: 200 }
  teams { name: "eng6" role: ROLE_ENGINEERING initial_headcount: 200 }
  teams { name: "eng7" role: ROLE_ENGINEERING initial_headcount: 200 }
  teams { name: "eng8" role: ROLE_ENGINEERING initial_headcount: 200 }
  teams { name: "eng9" role: ROLE_ENGINEERING initial_headcount: 200 }
  teams { name: "sales" role: ROLE_SALES initial_headcount: 200 }
  teams { name: "pm" role: ROLE_PRODUCT initial_headcount: 5 }
  graph { generator: GRAPH_RANDOM random_edge_probability: 0.19 }
}
market { segments { name: "smb" } }
)pb",
                                       "dense.textproto", "");
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(FormatDiagnostics(result.diagnostics), HasSubstr("too large to measure"));
}

}  // namespace
}  // namespace orgsim::io
