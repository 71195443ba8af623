// The loader's public API: what a valid scenario turns into, how arms,
// experiments and sweeps resolve, ConfigFor, and file handling.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/io/scenario_loader.h"
#include "engine/io/sha256.h"
#include "engine/model/presets.h"
#include "engine/model/run.h"
#include "tests/testing/files.h"

namespace orgsim::io {
namespace {

// A small valid base: one engineering team, a PM, sales, one segment.
const std::string kBase = R"pb(
name: "t"
horizon_days: 365
organization {
  teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 5 }
  teams { name: "pm" role: ROLE_PRODUCT initial_headcount: 1 reports_to: "eng" }
  teams { name: "sales" role: ROLE_SALES initial_headcount: 2 reports_to: "eng" }
}
market { segments { name: "smb" } segments { name: "enterprise" price_per_month: 9000 } }
)pb";

LoadedScenario MustLoad(const std::string& text) {
  LoadResult result = LoadScenarioText(text, "test.textproto", "");
  EXPECT_TRUE(result.ok()) << FormatDiagnostics(result.diagnostics);
  if (!result.ok()) return LoadedScenario();
  return *result.scenario;
}

std::string Errors(const std::string& text) {
  LoadResult result = LoadScenarioText(text, "test.textproto", "");
  EXPECT_FALSE(result.ok());
  return FormatDiagnostics(result.diagnostics);
}

TEST(Loader, AFileWithoutArmsHasOneImplicitBaseArm) {
  LoadedScenario s = MustLoad(kBase);
  EXPECT_EQ(s.name, "t");
  EXPECT_EQ(s.horizon_days, 365);
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.replications, 100u);
  ASSERT_EQ(s.arms.size(), 1u);
  EXPECT_EQ(s.arms[0].name, "base");
  EXPECT_EQ(s.experiment.arms, std::vector<std::size_t>{0});
  EXPECT_EQ(s.experiment.baseline, 0u);
  EXPECT_EQ(s.experiment.sweep.design, SweepDesign::kNone);
  EXPECT_EQ(s.experiment.sweep.PointCount(), 1u);
  EXPECT_EQ(s.base.horizon_days, 365);
  ASSERT_EQ(s.base.organization.teams.size(), 3u);
  EXPECT_EQ(s.base.organization.teams[1].role, model::Role::kProduct);
  EXPECT_EQ(s.base.market.segments[1].price_per_month, 9000);
  EXPECT_EQ(s.arms[0].config.organization.teams.size(), 3u);
}

TEST(Loader, KeepsTheTextAndTheSha256OfTheCanonicalScenario) {
  LoadedScenario s = MustLoad(kBase);
  EXPECT_EQ(s.text, kBase);
  EXPECT_FALSE(s.has_base);
  // The hash is that of the scenario in canonical form (what --flatten
  // prints after the header comment), not of the bytes: comments and layout
  // do not change it, a value does.
  EXPECT_EQ(s.sha256, Sha256Hex(s.flat_text));
  EXPECT_EQ(s.sha256.size(), 64u);
  EXPECT_EQ(MustLoad(kBase + "\n# a comment\n").sha256, s.sha256);
  EXPECT_NE(MustLoad(kBase + "seed: 7\n").sha256, s.sha256);
}

TEST(Loader, AnArmsScheduleReachesItsConfigAndTheHash) {
  const std::string arms = R"pb(
arms { name: "stay" }
arms {
  name: "change"
  schedule {
    at_day: 180
    set { path: "organization.pm.mandate" value: 0.8 }
    set { path: "organization.operating.roadmap_style" enum_value: "ROADMAP_DATE_DRIVEN" }
  }
}
)pb";
  LoadedScenario s = MustLoad(kBase + arms);
  ASSERT_EQ(s.arms.size(), 2u);
  EXPECT_TRUE(s.arms[0].config.schedule.empty());
  ASSERT_EQ(s.arms[1].config.schedule.size(), 1u);
  const model::ScheduleEntryConfig& entry = s.arms[1].config.schedule[0];
  EXPECT_EQ(entry.at_day, 180);
  ASSERT_EQ(entry.set.size(), 2u);
  EXPECT_EQ(entry.set[0].path, "organization.pm.mandate");
  EXPECT_EQ(entry.set[0].value, 0.8);
  EXPECT_EQ(entry.set[1].enum_value, "ROADMAP_DATE_DRIVEN");
  // The schedule is part of the experiment: another day, another hash.
  std::string later = kBase + arms;
  later.replace(later.find("at_day: 180"), 11, "at_day: 270");
  EXPECT_NE(MustLoad(later).sha256, s.sha256);
  // A scenario-level schedule applies to every arm without its own.
  LoadedScenario top = MustLoad(
      kBase +
      "schedule { at_day: 90 set { path: \"organization.pm.people_sense\" value: 0.9 } }\n" + arms);
  ASSERT_EQ(top.arms[0].config.schedule.size(), 1u);
  EXPECT_EQ(top.arms[0].config.schedule[0].set[0].path, "organization.pm.people_sense");
  ASSERT_EQ(top.arms[1].config.schedule.size(), 1u);
  EXPECT_EQ(top.arms[1].config.schedule[0].at_day, 180);
}

TEST(Loader, ArmsApplyOverlaysThenRemovesThenSets) {
  LoadedScenario s = MustLoad(kBase + R"pb(
arms { name: "plain" }
arms {
  name: "changed"
  organization {
    teams { name: "eng" initial_headcount: 9 }
    teams { name: "cs" role: ROLE_CUSTOMER_SUCCESS initial_headcount: 2 reports_to: "eng" }
    pm { people_sense: 0.9 mandate: 0.2 }
  }
  remove: "organization.teams[sales]"
  set { path: "organization.pm.mandate" value: 0.7 }
  set { path: "organization.operating.roadmap_style" enum_value: "ROADMAP_DATE_DRIVEN" }
  set { path: "mechanisms.rework" value: 0 }
  set { path: "horizon_days" value: 200 }
}
)pb");
  ASSERT_EQ(s.arms.size(), 2u);
  const model::ModelConfig& plain = s.arms[0].config;
  const model::ModelConfig& changed = s.arms[1].config;
  EXPECT_EQ(plain.organization.teams.size(), 3u);
  EXPECT_EQ(plain.organization.pm.mandate, 0.3);  // the schema default
  ASSERT_EQ(changed.organization.teams.size(), 3u);
  EXPECT_EQ(changed.organization.teams[0].name, "eng");
  EXPECT_EQ(changed.organization.teams[0].initial_headcount, 9);
  EXPECT_EQ(changed.organization.teams[0].role, model::Role::kEngineering);  // kept from base
  EXPECT_EQ(changed.organization.teams[1].name, "pm");
  EXPECT_EQ(changed.organization.teams[2].name, "cs");  // appended; sales removed
  EXPECT_EQ(changed.organization.pm.people_sense, 0.9);
  EXPECT_EQ(changed.organization.pm.mandate, 0.7);  // set wins over the overlay
  EXPECT_EQ(changed.organization.operating.roadmap_style, model::RoadmapStyle::kDateDriven);
  EXPECT_FALSE(changed.mechanisms.rework);
  EXPECT_EQ(changed.horizon_days, 200);
  // The base is untouched by arms.
  EXPECT_EQ(s.base.organization.teams.size(), 3u);
  EXPECT_EQ(s.base.organization.pm.people_sense, 0.5);
}

TEST(Loader, ExperimentSelectsArmsBaselineMetricsAndReplications) {
  LoadedScenario s = MustLoad(kBase + R"pb(
replications: 10
arms { name: "a" } arms { name: "b" } arms { name: "c" }
experiment { arms: "c" arms: "a" baseline: "a" metrics: "profit_total" metrics: "revenue_total"
             replications: 42 }
)pb");
  EXPECT_EQ(s.experiment.arms, (std::vector<std::size_t>{2, 0}));
  EXPECT_EQ(s.experiment.baseline, 0u);
  EXPECT_EQ(s.experiment.metrics, (std::vector<std::string>{"profit_total", "revenue_total"}));
  EXPECT_EQ(s.replications, 42u);
  EXPECT_EQ(s.ArmIndex("b"), 1u);
  EXPECT_FALSE(s.ArmIndex("zzz").has_value());

  LoadedScenario defaults = MustLoad(kBase + R"pb(arms { name: "x" } arms { name: "y" })pb");
  EXPECT_EQ(defaults.experiment.arms, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(defaults.experiment.baseline, 0u);
  EXPECT_EQ(defaults.replications, 100u);
}

TEST(Loader, ExperimentKeepsOutcomesManipulationChecksAndSurvivalApart) {
  LoadedScenario s = MustLoad(kBase + R"pb(
experiment {
  outcomes: "lead_time_mean_days" outcomes: "profit_total"
  manipulation_checks: "capacity_lost_fraction"
  survival { time: "time_to_pmf_days" event: "pmf_reached" }
  no_observation { metric: "signal_fix_days_mean" value: 0 }
}
)pb");
  EXPECT_EQ(s.experiment.outcomes,
            (std::vector<std::string>{"lead_time_mean_days", "profit_total"}));
  EXPECT_EQ(s.experiment.manipulation_checks, (std::vector<std::string>{"capacity_lost_fraction"}));
  // Without a metrics list the comparison tables show both, outcomes first.
  EXPECT_EQ(s.experiment.metrics, (std::vector<std::string>{"lead_time_mean_days", "profit_total",
                                                            "capacity_lost_fraction"}));
  ASSERT_EQ(s.experiment.survival.size(), 1u);
  EXPECT_EQ(s.experiment.survival[0].time, "time_to_pmf_days");
  EXPECT_EQ(s.experiment.survival[0].event, "pmf_reached");
  ASSERT_EQ(s.experiment.no_observation.size(), 1u);
  EXPECT_EQ(s.experiment.no_observation[0].first, "signal_fix_days_mean");

  // An explicit metrics list is kept as it is.
  LoadedScenario listed = MustLoad(kBase + R"pb(
experiment { outcomes: "profit_total" metrics: "cost_total" }
)pb");
  EXPECT_EQ(listed.experiment.metrics, (std::vector<std::string>{"cost_total"}));
}

TEST(Loader, GridFromLevelsIncludesTheEndpoints) {
  LoadedScenario s = MustLoad(kBase + R"pb(
experiment { sweep {
  parameters { path: "organization.pm.people_sense" min: 0.2 max: 0.8 levels: 4 }
  parameters { path: "market.need_drift_per_sqrt_year" values: [0.1, 1.5] }
  parameters { path: "market.segments[smb].price_per_month" min: 100 max: 10000 levels: 3
               scale: SCALE_LOG }
  parameters { path: "organization.teams[eng].initial_headcount" min: 2 max: 4 levels: 5 }
} }
)pb");
  const SweepSpec& sweep = s.experiment.sweep;
  EXPECT_EQ(sweep.design, SweepDesign::kGrid);
  ASSERT_EQ(sweep.params.size(), 4u);
  ASSERT_EQ(sweep.params[0].grid.size(), 4u);
  EXPECT_DOUBLE_EQ(sweep.params[0].grid[0], 0.2);
  EXPECT_DOUBLE_EQ(sweep.params[0].grid[1], 0.4);
  EXPECT_DOUBLE_EQ(sweep.params[0].grid[3], 0.8);
  EXPECT_EQ(sweep.params[1].grid, (std::vector<double>{0.1, 1.5}));
  EXPECT_TRUE(sweep.params[2].log_scale);
  ASSERT_EQ(sweep.params[2].grid.size(), 3u);
  EXPECT_NEAR(sweep.params[2].grid[1], 1000, 1e-9);
  // Integer field: 2, 2.5, 3, 3.5, 4 rounded (half away from zero), twins dropped.
  EXPECT_TRUE(sweep.params[3].integer);
  EXPECT_EQ(sweep.params[3].grid, (std::vector<double>{2, 3, 4}));
  EXPECT_EQ(sweep.PointCount(), 4u * 2u * 3u * 3u);
}

TEST(Loader, SampledDesignsKeepTheirRangesCountsAndSeeds) {
  LoadedScenario lhs = MustLoad(kBase + R"pb(
experiment { sweep { latin_hypercube { count: 64 seed: 9 }
  parameters { path: "organization.pm.mandate" min: 0 max: 1 } } }
)pb");
  EXPECT_EQ(lhs.experiment.sweep.design, SweepDesign::kLatinHypercube);
  EXPECT_EQ(lhs.experiment.sweep.count, 64u);
  EXPECT_EQ(lhs.experiment.sweep.seed, 9u);
  EXPECT_EQ(lhs.experiment.sweep.params[0].low, 0);
  EXPECT_EQ(lhs.experiment.sweep.params[0].high, 1);
  EXPECT_EQ(lhs.experiment.sweep.PointCount(), 64u);

  LoadedScenario saltelli = MustLoad(kBase + R"pb(
experiment { sweep { saltelli { base_samples: 16 second_order: true }
  parameters { path: "organization.pm.mandate" min: 0 max: 1 }
  parameters { path: "organization.pm.people_sense" min: 0 max: 1 }
  parameters { path: "mechanisms.rework" min: 0 max: 1 } } }
)pb");
  EXPECT_EQ(saltelli.experiment.sweep.design, SweepDesign::kSaltelli);
  EXPECT_TRUE(saltelli.experiment.sweep.params[2].integer);  // bool
  EXPECT_EQ(saltelli.experiment.sweep.PointCount(), 16u * (2u * 3u + 2u));
}

TEST(Loader, ConfigForAppliesOverridesOnTopOfTheArm) {
  LoadedScenario s = MustLoad(kBase + R"pb(
arms { name: "a" set { path: "organization.pm.people_sense" value: 0.9 } }
experiment { sweep { parameters { path: "organization.pm.people_sense" values: [0.1, 0.2] } } }
)pb");
  StatusOr<model::ModelConfig> point =
      ConfigFor(s, 0,
                {{"organization.pm.people_sense", 0.1},
                 {"organization.teams[eng].initial_headcount", 11.6},
                 {"market.segments[enterprise].bass_p", 0.05}});
  ASSERT_TRUE(point.ok()) << point.status().ToString();
  EXPECT_EQ(point->organization.pm.people_sense, 0.1);            // the sweep wins over the arm
  EXPECT_EQ(point->organization.teams[0].initial_headcount, 12);  // rounded
  EXPECT_EQ(point->market.segments[1].bass_p, 0.05);
  EXPECT_EQ(s.arms[0].config.organization.pm.people_sense, 0.9);  // the arm is unchanged

  std::vector<double> values = {0.2};
  StatusOr<model::ModelConfig> by_point = ConfigForPoint(s, 0, values);
  ASSERT_TRUE(by_point.ok()) << by_point.status().ToString();
  EXPECT_EQ(by_point->organization.pm.people_sense, 0.2);
}

TEST(Loader, ConfigForExplainsWhatIsWrong) {
  LoadedScenario s = MustLoad(kBase);
  EXPECT_EQ(ConfigFor(s, 0, {{"organization.pm.people_sense", 1.5}}).status().message(),
            "organization.pm.people_sense: people_sense is 1.5; expected a value in [0, 1]");
  EXPECT_EQ(ConfigFor(s, 0, {{"organization.teams[qa].initial_headcount", 3}}).status().message(),
            "cannot resolve \"organization.teams[qa].initial_headcount\": \"organization.teams\" "
            "has no element named \"qa\" (defined: eng, pm, sales)");
  EXPECT_EQ(ConfigFor(s, 0, {{"warmup_days", 400}}).status().message(),
            "warmup_days 400 is not below horizon_days 365");
  EXPECT_EQ(ConfigFor(s, 0, {{"organization.operating.roadmap_style", 1}}).status().message(),
            "organization.operating.roadmap_style is not a numeric field");
  EXPECT_EQ(ConfigFor(s, 3, {}).status().message(), "arm index 3 is out of range (1 arms)");
  std::vector<double> two = {1, 2};
  EXPECT_EQ(ConfigForPoint(s, 0, two).status().message(), "expected 0 parameter values, got 2");
}

TEST(Loader, ReportsEveryErrorNotJustTheFirst) {
  std::string errors = Errors(R"pb(
name: "t"
replications: 0
organization {
  teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 5 }
  pm { people_sense: 2 mandate: -1 }
}
market { segments { name: "smb" } }
)pb");
  EXPECT_NE(errors.find("people_sense is 2"), std::string::npos) << errors;
  EXPECT_NE(errors.find("mandate is -1"), std::string::npos) << errors;
  EXPECT_NE(errors.find("replications is 0"), std::string::npos) << errors;
}

TEST(Loader, ReportsUnreadableFilesInOneLine) {
  LoadResult missing = LoadScenarioFile("no/such/file.textproto");
  ASSERT_EQ(missing.diagnostics.size(), 1u);
  EXPECT_EQ(FormatDiagnostic(missing.diagnostics[0]),
            "no/such/file.textproto: error: cannot read file: No such file or directory");
  const std::string dir = ::testing::TempDir();
  LoadResult directory = LoadScenarioFile(dir);
  ASSERT_EQ(directory.diagnostics.size(), 1u);
  EXPECT_EQ(directory.diagnostics[0].message, "cannot read file: it is a directory");
}

TEST(Loader, ResolvesGraphmlPathsAgainstTheScenarioFolder) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(::testing::TempDir()) / "orgsim_graphml_test";
  fs::remove_all(dir);
  fs::create_directories(dir / "graphs");
  const std::string scenario = R"pb(name: "g"
organization { teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 2 }
  graph { generator: GRAPH_GRAPHML graphml_path: "graphs/org.graphml" } }
market { segments { name: "smb" } }
)pb";
  std::ofstream(dir / "s.textproto") << scenario;
  // Missing file: an error at the path, naming where it looked.
  LoadResult missing = LoadScenarioFile((dir / "s.textproto").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(FormatDiagnostics(missing.diagnostics)
                .find("cannot read GraphML file \"" + (dir / "graphs/org.graphml").string() +
                      "\": no such file"),
            std::string::npos)
      << FormatDiagnostics(missing.diagnostics);
  // Malformed file: the model's reader rejects it, reported at the path.
  std::ofstream(dir / "graphs/org.graphml") << "<graphml><graph><node id=";
  LoadResult malformed = LoadScenarioFile((dir / "s.textproto").string());
  ASSERT_FALSE(malformed.ok());
  EXPECT_NE(FormatDiagnostics(malformed.diagnostics)
                .find(":3:36: error: cannot build the communication graph: "),
            std::string::npos)
      << FormatDiagnostics(malformed.diagnostics);
  // The fuzzer's mode never touches files.
  LoadResult offline =
      LoadScenarioText(scenario, "s.textproto", dir.string(), LoadOptions::Offline());
  ASSERT_FALSE(offline.ok());
  EXPECT_NE(FormatDiagnostics(offline.diagnostics).find("external files are disabled"),
            std::string::npos);
}

// Every scenario shipped in scenarios/ must validate (CI runs this).
TEST(Loader, EveryShippedScenarioValidates) {
  namespace fs = std::filesystem;
  const std::string source_dir = test::SourceDir().string();
  int count = 0;
  for (const fs::directory_entry& entry :
       fs::recursive_directory_iterator(fs::path(source_dir) / "scenarios")) {
    if (entry.path().extension() != ".textproto") continue;
    ++count;
    LoadResult result = LoadScenarioFile(entry.path().string());
    EXPECT_TRUE(result.ok()) << FormatDiagnostics(result.diagnostics);
    for (const Diagnostic& d : result.diagnostics) {
      ADD_FAILURE() << "shipped scenarios should have no warnings: " << FormatDiagnostic(d);
    }
  }
  EXPECT_GT(count, 0) << "no scenarios found under " << source_dir << "/scenarios";
}

// The C++ presets (engine/model/presets.h: benchmarks and model tests use
// them) must be the headline scenario file, arm by arm: the same run.
TEST(Loader, HeadlinePresetsAreTheHeadlineScenario) {
  const std::string source_dir = test::SourceDir().string();
  LoadResult result =
      LoadScenarioFile(source_dir + "/scenarios/product_led_vs_project_mode.textproto");
  ASSERT_TRUE(result.ok()) << FormatDiagnostics(result.diagnostics);
  const std::vector<std::pair<const char*, void (*)(model::ModelConfig&)>> presets = {
      {"project_mode", model::ApplyProjectMode},
      {"product_led", model::ApplyProductLed},
      {"founder_backlog_pm", model::ApplyFounderBacklogPm},
      {"no_pm", model::ApplyNoPm}};
  for (const auto& [name, apply] : presets) {
    const ArmSpec* arm = nullptr;
    for (const ArmSpec& a : result.scenario->arms) {
      if (a.name == name) arm = &a;
    }
    ASSERT_NE(arm, nullptr) << name;
    model::ModelConfig preset = model::HeadlineCompany();
    apply(preset);
    const kernel::StreamKey key{.seed = 3, .design_point = 0, .replication = 1};
    const model::RunOutcome from_file =
        model::RunReplication(model::PreparedModel(arm->config), key);
    const model::RunOutcome from_preset = model::RunReplication(model::PreparedModel(preset), key);
    EXPECT_EQ(from_file.fingerprint, from_preset.fingerprint) << name;
    EXPECT_EQ(from_file.metrics, from_preset.metrics) << name;
  }
}

}  // namespace
}  // namespace orgsim::io
