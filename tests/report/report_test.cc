// The HTML report: built from a real results database of a small scenario,
// it is valid HTML with one SVG per expected chart, its numbers match the
// database, it references nothing external, and it is byte-for-byte
// deterministic.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/experiment/runner.h"
#include "engine/io/experiment_setup.h"
#include "engine/io/results_store.h"
#include "engine/io/scenario_loader.h"
#include "engine/report/graph_picture.h"
#include "engine/report/html_report.h"
#include "engine/report/svg.h"
#include "tests/testing/files.h"

namespace orgsim::report {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

using test::ReadFile;

// Reports stay in <build>/test-output for a person to open.
std::string OutputDir() {
  const fs::path out = test::BinaryDir() / "test-output";
  fs::create_directories(out);
  return out.string();
}

std::string SourceDir() { return test::SourceDir().string(); }

// Runs `text` (optionally its sweep) into a fresh database at `db`.
void RunIntoDatabase(const std::string& text, const std::string& db, bool sweep,
                     std::uint32_t replications) {
  fs::remove(db);
  fs::remove(db + "-wal");
  fs::remove(db + "-shm");
  io::LoadResult loaded = io::LoadScenarioText(text, "test.textproto", SourceDir());
  ASSERT_TRUE(loaded.ok()) << io::FormatDiagnostics(loaded.diagnostics);
  io::ExperimentSetupOptions options;
  options.design = sweep ? io::DesignChoice::kScenarioSweep : io::DesignChoice::kSinglePoint;
  options.replications = replications;
  options.series = io::SeriesChoice::kMonthly;
  options.orgsim_version = "test";
  auto setup = io::SetUpExperiment(*loaded.scenario, options);
  ASSERT_TRUE(setup.ok()) << setup.status().ToString();
  auto store = io::ResultsStore::OpenForWriting(db, setup->manifest, {});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->BeginBatch({.command = "test", .shard = "", .threads = 2}).ok());
  experiment::RunnerOptions runner;
  runner.threads = 2;
  const auto report = experiment::RunPlan(setup->Plan(), setup->run, **store, runner);
  ASSERT_TRUE(report.status.ok()) << report.status.ToString();
  ASSERT_EQ(report.failed, 0u);
  ASSERT_TRUE((*store)->EndBatch("complete").ok());
}

// Mean of a metric over the ok runs of an arm at point 0, straight from SQL.
double DbMean(const std::string& db_path, const std::string& arm, const std::string& metric) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  const std::string sql =
      "SELECT \"" + metric + "\" FROM runs WHERE point = 0 AND status = 'ok' AND arm = ?";
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
  sqlite3_bind_text(stmt, 1, arm.c_str(), -1, SQLITE_TRANSIENT);
  double sum = 0;
  int n = 0;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    sum += sqlite3_column_double(stmt, 0);
    ++n;
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return n > 0 ? sum / n : std::nan("");
}

// The value of `attribute` in the first element that also has `anchor`.
double AttributeAfter(const std::string& html, const std::string& anchor,
                      const std::string& attribute) {
  const auto at = html.find(anchor);
  EXPECT_NE(at, std::string::npos) << anchor;
  if (at == std::string::npos) return std::nan("");
  const auto end = html.find('>', at);
  const std::string tag = html.substr(at, end - at);
  const std::string key = attribute + "=\"";
  const auto value = tag.find(key);
  EXPECT_NE(value, std::string::npos) << tag;
  if (value == std::string::npos) return std::nan("");
  const auto begin = value + key.size();
  return std::stod(tag.substr(begin, tag.find('"', begin) - begin));
}

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1))
    ++n;
  return n;
}

// python3's html.parser: well-formedness and the SVG count (check_html.py).
void CheckWithPython(const std::string& file, int svgs) {
  if (std::system("python3 --version > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "python3 not available";
  const std::string cmd = "python3 " + test::SourcePath("tests/report/check_html.py ") + file +
                          " " + std::to_string(svgs);
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

class ReportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    text_ = ReadFile(test::SourcePath("tests/serve/scenarios/small.textproto"));
    // ctest runs each test as its own process, possibly at once: one DB per process.
    db_ = OutputDir() + "/report_small_" + std::to_string(::getpid()) + ".db";
    RunIntoDatabase(text_, db_, false, 10);
  }
  static std::string text_;
  static std::string db_;
};
std::string ReportTest::text_;
std::string ReportTest::db_;

TEST_F(ReportTest, IsValidSelfContainedHtmlWithOneSvgPerExpectedChart) {
  auto html = BuildHtmlReport(db_, {});
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  const std::string file = OutputDir() + "/report_small.html";
  std::ofstream(file, std::ios::binary) << *html;
  // 3 key metrics x (distribution + paired difference), 4 fan charts
  // (revenue, profit, customers, cash), 2 communication graphs.
  const int expected = 3 * 2 + 4 + 2;
  EXPECT_EQ(Count(*html, "<svg "), expected);
  EXPECT_EQ(Count(*html, "data-chart=\"distribution\""), 3);
  EXPECT_EQ(Count(*html, "data-chart=\"intervals\""), 3);
  EXPECT_EQ(Count(*html, "data-chart=\"fan\""), 4);
  EXPECT_EQ(Count(*html, "data-chart=\"graph\""), 2);
  CheckWithPython(file, expected);
  // Self-contained: no scripts, no external resources.
  EXPECT_THAT(*html, Not(HasSubstr("<script")));
  EXPECT_THAT(*html, Not(HasSubstr("<link")));
  EXPECT_THAT(*html, Not(HasSubstr("src=")));
  EXPECT_THAT(*html, Not(HasSubstr("url(")));
  // Scenario identity.
  EXPECT_THAT(*html, HasSubstr("<h1>small_company</h1>"));
  EXPECT_THAT(*html, HasSubstr("A 12-person software company"));
  EXPECT_THAT(*html, HasSubstr("<dd id=\"meta-seed\">7</dd>"));
  auto store = io::ResultsStore::OpenReadOnly(db_);
  ASSERT_TRUE(store.ok());
  EXPECT_THAT(*html, HasSubstr((*store)->manifest().scenario_sha256));
  // Titles, axis labels with units, legends.
  EXPECT_THAT(*html, HasSubstr("Profit total (currency)"));
  EXPECT_THAT(*html, HasSubstr("Revenue per month (currency/month)"));
  EXPECT_THAT(*html, HasSubstr("class=\"legend\""));
}

TEST_F(ReportTest, NumbersMatchTheDatabase) {
  auto html = BuildHtmlReport(db_, {});
  ASSERT_TRUE(html.ok());
  for (const std::string arm : {"project_mode", "product_led"}) {
    for (const std::string metric :
         {"profit_total", "customers_end", "engineer_why_understanding"}) {
      const double expected = DbMean(db_, arm, metric);
      ASSERT_TRUE(std::isfinite(expected));
      const double tolerance = 1e-9 * std::max(1.0, std::abs(expected));
      // Summary table cell and the distribution chart's series.
      const std::string table = "<tr data-metric=\"" + metric + "\">";
      const auto row = html->find(table);
      ASSERT_NE(row, std::string::npos) << metric;
      const std::string cell_anchor = "data-arm=\"" + arm + "\"";
      const auto cell = html->find(cell_anchor, row);
      EXPECT_NEAR(AttributeAfter(html->substr(cell - 4), cell_anchor, "data-mean"), expected,
                  tolerance)
          << arm << " " << metric;
      const auto chart = html->find("data-chart=\"distribution\" data-id=\"dist-" + metric + "\"");
      ASSERT_NE(chart, std::string::npos);
      EXPECT_NEAR(AttributeAfter(html->substr(chart), "data-series=\"" + arm + "\"", "data-mean"),
                  expected, tolerance);
      EXPECT_NEAR(AttributeAfter(html->substr(chart), "data-series=\"" + arm + "\"", "data-n"), 10,
                  0);
    }
  }
  // Paired difference = difference of means (same replications in both arms).
  const double diff =
      DbMean(db_, "product_led", "profit_total") - DbMean(db_, "project_mode", "profit_total");
  const auto chart = html->find("data-id=\"diff-profit_total\"");
  ASSERT_NE(chart, std::string::npos);
  EXPECT_NEAR(AttributeAfter(html->substr(chart), "data-label=\"product_led\"", "data-estimate"),
              diff, 1e-6 * std::max(1.0, std::abs(diff)));
}

TEST_F(ReportTest, YesNoMetricsAreSharesWithCisNotHistograms) {
  ReportOptions options;
  options.metrics = {"survived", "profit_total"};
  auto html = BuildHtmlReport(db_, options);
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  const auto chart = html->find("data-id=\"dist-survived\"");
  ASSERT_NE(chart, std::string::npos);
  const std::string svg = html->substr(chart, html->find("</svg>", chart) - chart);
  EXPECT_THAT(svg, HasSubstr("share of replications per arm"));
  EXPECT_THAT(html->substr(html->rfind("<svg", chart), 200), HasSubstr("data-chart=\"intervals\""));
  const double share = AttributeAfter(svg, "data-label=\"product_led\"", "data-estimate");
  EXPECT_NEAR(share, DbMean(db_, "product_led", "survived"), 1e-9);
  // Censored metrics say so where they are summarised.
  ReportOptions censored;
  censored.metrics = {"time_to_pmf_days"};
  auto with_pmf = BuildHtmlReport(db_, censored);
  ASSERT_TRUE(with_pmf.ok());
  EXPECT_THAT(*with_pmf, HasSubstr("time_to_pmf_days <small>(censored at the horizon)</small>"));
  EXPECT_THAT(*with_pmf, HasSubstr("Censored at the horizon: a run that never gets there"));
  // Non-binary metrics keep their histogram.
  EXPECT_THAT(*html, HasSubstr("data-chart=\"distribution\" data-id=\"dist-profit_total\""));
}

TEST(GraphPictureTest, HeaderBetweennessMatchesThePmNodeOrSaysItIsAMean) {
  const std::string text = ReadFile(test::SourcePath("tests/serve/scenarios/small.textproto"));
  io::LoadResult one = io::LoadScenarioText(text, "small.textproto", SourceDir());
  ASSERT_TRUE(one.ok()) << io::FormatDiagnostics(one.diagnostics);
  const GraphChart chart = CommunicationGraphChart(one.scenario->arms[0].config, "a", "g");
  std::vector<double> pm_values;
  for (const GraphNode& node : chart.nodes) {
    if (node.highlight) pm_values.push_back(node.value);
  }
  ASSERT_EQ(pm_values.size(), 1u) << "small.textproto has one PM";
  EXPECT_THAT(chart.frame.subtitle, HasSubstr("PM betweenness " + ShortNumber(pm_values[0], 3)));
  // Three product roles: the header's number is their mean, and says so.
  std::string three = text;
  const auto at = three.find("role: ROLE_PRODUCT initial_headcount: 1");
  ASSERT_NE(at, std::string::npos);
  three.replace(at, std::string("role: ROLE_PRODUCT initial_headcount: 1").size(),
                "role: ROLE_PRODUCT initial_headcount: 3");
  io::LoadResult many = io::LoadScenarioText(three, "three.textproto", SourceDir());
  ASSERT_TRUE(many.ok()) << io::FormatDiagnostics(many.diagnostics);
  const GraphChart mean = CommunicationGraphChart(many.scenario->arms[0].config, "a", "g");
  EXPECT_THAT(mean.frame.subtitle, HasSubstr("mean betweenness of the 3 product roles"));
  EXPECT_THAT(mean.frame.subtitle, Not(HasSubstr("PM betweenness")));
}

TEST_F(ReportTest, SameDatabaseGivesTheSameBytes) {
  auto a = BuildHtmlReport(db_, {});
  auto b = BuildHtmlReport(db_, {});
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
}

TEST_F(ReportTest, MissingDatabaseIsAClearError) {
  auto html = BuildHtmlReport(OutputDir() + "/no_such.db", {});
  ASSERT_FALSE(html.ok());
  EXPECT_THAT(html.status().ToString(), HasSubstr("no_such.db"));
}

TEST(ReportSweepTest, SweepsGetMetricVsLeverAndSobolCharts) {
  const std::string base = ReadFile(test::SourcePath("tests/serve/scenarios/small.textproto"));
  // One arm, a Saltelli design over two PM levers.
  std::string text = base.substr(0, base.find("arms {"));
  text += R"pb(
arms { name: "only" }
experiment {
  metrics: "profit_total"
  sweep {
    saltelli { base_samples: 8 seed: 3 }
    parameters { path: "organization.pm.mandate" min: 0 max: 1 }
    parameters { path: "organization.pm.people_sense" min: 0 max: 1 }
  }
}
)pb";
  const std::string db = OutputDir() + "/report_sweep_" + std::to_string(::getpid()) + ".db";
  RunIntoDatabase(text, db, true, 2);
  auto html = BuildHtmlReport(db, {});
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  const std::string file = OutputDir() + "/report_sweep.html";
  std::ofstream(file, std::ios::binary) << *html;
  // profit_total vs each of the two levers, one Sobol chart, one graph.
  EXPECT_EQ(Count(*html, "data-chart=\"xy\""), 2);
  EXPECT_EQ(Count(*html, "data-chart=\"bars\""), 1);
  EXPECT_EQ(Count(*html, "data-chart=\"graph\""), 1);
  EXPECT_EQ(Count(*html, "data-chart=\"distribution\""), 0);
  EXPECT_THAT(*html, HasSubstr("data-series=\"total (ST)\""));
  CheckWithPython(file, 4);
}

}  // namespace
}  // namespace orgsim::report
