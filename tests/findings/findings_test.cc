// End-to-end test of `orgsim findings --quick` on three small fixtures
// (tests/findings/data: C3, arms x sweep with outcomes and manipulation
// checks declared; C9, a sweep without arms and without the distinction;
// C11, a survival outcome): every section is in the document, its effect
// rows equal paired statistics recomputed here from the SQLite databases
// (own arithmetic; Student-t quantile from Boost) and sit in the table of
// their role, the survival table's shares equal the databases' counts, and
// two runs (and a --resume run) give byte-identical documents.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/experiment/report.h"
#include "tests/testing/files.h"

namespace {

namespace fs = std::filesystem;

using orgsim::test::ReadFile;

// Paired statistics of a - b, computed from scratch.
struct Paired {
  std::size_t n = 0;
  double mean_a = 0, mean_b = 0, diff = 0, lo = 0, hi = 0, dz = 0, p = 0;
};

Paired Compute(const std::vector<double>& a, const std::vector<double>& b) {
  Paired r;
  r.n = a.size();
  double sa = 0, sb = 0, sd = 0;
  for (std::size_t i = 0; i < r.n; ++i) {
    sa += a[i];
    sb += b[i];
    sd += a[i] - b[i];
  }
  r.mean_a = sa / r.n;
  r.mean_b = sb / r.n;
  r.diff = sd / r.n;
  double ss = 0, wins = 0;
  for (std::size_t i = 0; i < r.n; ++i) {
    const double d = a[i] - b[i];
    ss += (d - r.diff) * (d - r.diff);
    wins += d > 0 ? 1.0 : d == 0 ? 0.5 : 0.0;
  }
  double sd_d = std::sqrt(ss / (r.n - 1));
  // The document's rule: a constant difference (sd at rounding level) has
  // a zero-width CI and d_z = NaN.
  if (sd_d <= 1e-12 * std::max(std::fabs(r.mean_a), std::fabs(r.mean_b))) sd_d = 0;
  const boost::math::students_t t(static_cast<double>(r.n - 1));
  const double half = boost::math::quantile(t, 0.975) * sd_d / std::sqrt(static_cast<double>(r.n));
  r.lo = r.diff - half;
  r.hi = r.diff + half;
  r.dz = sd_d > 0 ? r.diff / sd_d : std::nan("");
  r.p = wins / r.n;
  return r;
}

// Values of `metric` per replication for the arm (cell) named `arm`.
std::map<int, double> Column(sqlite3* db, const std::string& arm, const std::string& metric) {
  std::map<int, double> out;
  const std::string sql = "SELECT replication, \"" + metric +
                          "\" FROM runs WHERE status = 'ok' AND point = 0 AND arm = ?";
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
  sqlite3_bind_text(stmt, 1, arm.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    if (sqlite3_column_type(stmt, 1) == SQLITE_NULL) continue;
    out[sqlite3_column_int(stmt, 0)] = sqlite3_column_double(stmt, 1);
  }
  sqlite3_finalize(stmt);
  return out;
}

std::string Unit(sqlite3* db, const std::string& metric) {
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT unit FROM metrics WHERE name = ?", -1, &stmt, nullptr);
  sqlite3_bind_text(stmt, 1, metric.c_str(), -1, SQLITE_TRANSIENT);
  std::string unit;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    unit = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  return unit;
}

// Parses a number as the document writes it (experiment::FormatNumber:
// "1.23", "-4.5k", "2.1M", "3e-05").
double ParseNumber(const std::string& text) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  const std::string suffix(end);
  if (suffix == "k") v *= 1e3;
  if (suffix == "M") v *= 1e6;
  if (suffix == "G") v *= 1e9;
  return v;
}

// Three significant digits: the rounding error is at most half a unit of the
// third digit.
bool Near(double expected, const std::string& text) {
  const double got = ParseNumber(text);
  return std::fabs(got - expected) <= 0.0051 * std::fabs(expected) + 1e-12;
}

std::vector<std::string> Cells(const std::string& row) {
  std::vector<std::string> cells;
  std::size_t pos = 1;
  while (pos < row.size()) {
    const std::size_t bar = row.find('|', pos);
    if (bar == std::string::npos) break;
    std::string cell = row.substr(pos, bar - pos);
    cell.erase(0, cell.find_first_not_of(' '));
    cell.erase(cell.find_last_not_of(' ') + 1);
    cells.push_back(cell);
    pos = bar + 1;
  }
  return cells;
}

// Checks the document's table row for cell A against cell B (d = A - B)
// against statistics recomputed from the database.
// Returns the row's offset in `md`.
std::size_t CheckRow(const std::string& md, sqlite3* db, const std::string& metric,
                     const std::string& comparison, const std::string& regime,
                     const std::string& cell_a, const std::string& cell_b) {
  const auto a = Column(db, cell_a, metric);
  const auto b = Column(db, cell_b, metric);
  std::vector<double> x, y;
  for (const auto& [rep, value] : a) {
    const auto it = b.find(rep);
    if (it == b.end()) continue;
    x.push_back(value);
    y.push_back(it->second);
  }
  EXPECT_GE(x.size(), 2u) << cell_a << " vs " << cell_b;
  if (x.size() < 2) return std::string::npos;
  const Paired s = Compute(x, y);
  const std::string unit = Unit(db, metric);
  const std::string prefix = "| `" + metric + "`" + (unit.empty() ? "" : " (" + unit + ")") +
                             " | " + comparison + " | " + regime + " |";
  const std::size_t at = md.find(prefix);
  EXPECT_NE(at, std::string::npos) << "no row " << prefix;
  if (at == std::string::npos) return at;
  const std::string row = md.substr(at, md.find('\n', at) - at);
  const std::vector<std::string> c = Cells(row);
  EXPECT_GE(c.size(), 10u) << row;
  if (c.size() < 10) return at;
  EXPECT_TRUE(Near(s.mean_b, c[3])) << row << " mean B " << s.mean_b;
  EXPECT_TRUE(Near(s.mean_a, c[4])) << row << " mean A " << s.mean_a;
  EXPECT_TRUE(Near(s.diff, c[5])) << row << " diff " << s.diff;
  const std::size_t comma = c[6].find(", ");
  EXPECT_NE(comma, std::string::npos) << row;
  if (comma == std::string::npos) return at;
  EXPECT_TRUE(Near(s.lo, c[6].substr(1, comma - 1))) << row << " CI low " << s.lo;
  EXPECT_TRUE(Near(s.hi, c[6].substr(comma + 2, c[6].size() - comma - 3)))
      << row << " CI high " << s.hi;
  if (std::isfinite(s.dz)) {
    EXPECT_TRUE(Near(s.dz, c[7])) << row << " d_z " << s.dz;
  } else {
    EXPECT_EQ(c[7], "n/a") << row;
  }
  EXPECT_NEAR(ParseNumber(c[8]), s.p, 0.0051) << row;
  EXPECT_EQ(c[9], std::to_string(s.n)) << row;
  return at;
}

class FindingsTest : public ::testing::Test {
 protected:
  // A fresh folder per test, removed after it.
  orgsim::test::TempDir temp_{"findings_test"};
  const fs::path& dir_ = temp_.path();

  // Runs `orgsim findings --quick` on the fixtures; returns the exit code.
  int Findings(const std::string& extra) {
    const std::string data = orgsim::test::SourcePath("tests/findings/data/");
    const std::string command =
        "cd " + dir_.string() + " && " + ORGSIM_FINDINGS_BINARY +
        " findings --quick --threads 2 --results-dir r --out f.md --html f.html " + extra + " " +
        data + "c03_influence_without_authority.textproto " + data +
        "c09_layers_hide_engineers.textproto " + data +
        "c11_founder_backlog_pm.textproto >out.txt 2>err.txt";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};

TEST_F(FindingsTest, DocumentNumbersEqualPairedStatisticsFromTheDatabases) {
  ASSERT_EQ(Findings(""), 0) << ReadFile(dir_ / "err.txt");
  const std::string md = ReadFile(dir_ / "f.md");
  const std::string html = ReadFile(dir_ / "f.html");
  ASSERT_FALSE(md.empty());
  ASSERT_FALSE(html.empty());

  // Header: the regenerating command, seeds, replications, hashes.
  EXPECT_NE(md.find("Regenerate: `orgsim findings --quick"), std::string::npos);
  EXPECT_NE(md.find("| 20261127 | 12 |"), std::string::npos);
  for (const char* section : {"## C3 — ", "## C9 — "}) {
    EXPECT_NE(md.find(section), std::string::npos) << section;
  }
  EXPECT_NE(md.find("- **Claim:** the PM influences engineering"), std::string::npos);
  EXPECT_NE(md.find("- **Lever(s):** operating.layers_between_engineers_and_customers"),
            std::string::npos);

  // C3: influence against authority at every people_sense point, each
  // metric, in the table of its role: outcomes, then manipulation checks,
  // both inside C3's section.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2((dir_ / "r/c03_influence_without_authority.db").c_str(), &db,
                              SQLITE_OPEN_READONLY, nullptr),
              SQLITE_OK);
    const std::size_t section = md.find("## C3 — ");
    const std::size_t outcomes = md.find("**Outcomes**", section);
    const std::size_t checks = md.find("**Manipulation checks**", section);
    const std::size_t next = md.find("\n## ", section + 1);
    ASSERT_NE(outcomes, std::string::npos);
    ASSERT_NE(checks, std::string::npos);
    ASSERT_LT(outcomes, checks);
    ASSERT_LT(checks, next);
    for (const char* ps : {"0.2", "0.5", "0.8"}) {
      const std::string regime = std::string("people_sense=") + ps;
      for (const char* metric : {"engineer_why_understanding", "profit_total"}) {
        const std::size_t at = CheckRow(md, db, metric, "influence − authority", regime,
                                        "influence @ " + regime, "authority @ " + regime);
        EXPECT_GT(at, outcomes) << metric;
        EXPECT_LT(at, checks) << metric << " is an outcome, not a manipulation check";
      }
      for (const char* metric : {"alignment", "decisions_adopted_share", "decision_latency_days"}) {
        const std::size_t at = CheckRow(md, db, metric, "influence − authority", regime,
                                        "influence @ " + regime, "authority @ " + regime);
        EXPECT_GT(at, checks) << metric << " is a manipulation check";
        EXPECT_LT(at, next) << metric;
      }
    }
    // The primary metric of the summary is the first outcome.
    EXPECT_NE(md.find("| C3 | `engineer_why_understanding` | influence − authority |"),
              std::string::npos);
    sqlite3_close(db);
  }
  // C11: the survival table's share reaching PMF per arm is the share of
  // runs with pmf_reached = 1, out of all runs of the arm.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2((dir_ / "r/c11_founder_backlog_pm.db").c_str(), &db,
                              SQLITE_OPEN_READONLY, nullptr),
              SQLITE_OK);
    const std::size_t survival = md.find("**Survival: `time_to_pmf_days`**");
    ASSERT_NE(survival, std::string::npos);
    for (const char* arm : {"backlog_pm", "metric_owner"}) {
      const auto reached = Column(db, arm, "pmf_reached");
      double events = 0;
      for (const auto& [rep, value] : reached) events += value;
      const std::string prefix =
          std::string("| ") + arm + " | — | " + std::to_string(reached.size()) + " | ";
      const std::size_t at = md.find(prefix, survival);
      ASSERT_NE(at, std::string::npos) << prefix;
      const std::vector<std::string> c = Cells(md.substr(at, md.find('\n', at) - at));
      ASSERT_GE(c.size(), 4u);
      EXPECT_NEAR(std::strtod(c[3].c_str(), nullptr), events / reached.size(), 0.005) << c[3];
    }
    EXPECT_NE(md.find("| metric_owner − backlog_pm | — | ", survival), std::string::npos);
    EXPECT_NE(html.find("Kaplan–Meier"), std::string::npos);
    sqlite3_close(db);
  }
  // C9: each number of layers against none.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2((dir_ / "r/c09_layers_hide_engineers.db").c_str(), &db,
                              SQLITE_OPEN_READONLY, nullptr),
              SQLITE_OK);
    const std::string lever = "layers_between_engineers_and_customers";
    for (const char* metric :
         {"engineer_why_understanding", "rework_fraction", "info_hops", "profit_total"}) {
      for (const char* layers : {"1", "2", "3"}) {
        CheckRow(md, db, metric, lever + " 0 → " + layers, lever + "=" + layers,
                 lever + "=" + layers, lever + "=0");
      }
    }
    // experiment.no_observation: a run whose signal_fix_days_mean is 0 (no
    // fix shipped) is left out, so a pair counts only where both cells
    // measured a fix time.
    const auto base = Column(db, lever + "=0", "signal_fix_days_mean");
    const auto top = Column(db, lever + "=3", "signal_fix_days_mean");
    std::size_t both = 0;
    double sum_base = 0;
    for (const auto& [rep, value] : base) {
      const auto it = top.find(rep);
      if (value == 0 || it == top.end() || it->second == 0) continue;
      ++both;
      sum_base += value;
    }
    const std::string prefix =
        "| `signal_fix_days_mean` (days) | " + lever + " 0 → 3 | " + lever + "=3 |";
    const std::size_t at = md.find(prefix);
    ASSERT_NE(at, std::string::npos) << prefix;
    const std::vector<std::string> c = Cells(md.substr(at, md.find('\n', at) - at));
    ASSERT_GE(c.size(), 10u);
    EXPECT_EQ(c[9], std::to_string(both));
    if (both > 0) {
      EXPECT_TRUE(Near(sum_base / both, c[3])) << c[3];
    }
    EXPECT_NE(md.find("Runs where `signal_fix_days_mean` = 0 measured nothing"), std::string::npos);
    sqlite3_close(db);
  }

  // Byte-identical on a fresh rerun, and on a --resume run that runs nothing.
  ASSERT_EQ(Findings(""), 0) << ReadFile(dir_ / "err.txt");
  EXPECT_EQ(ReadFile(dir_ / "f.md"), md);
  EXPECT_EQ(ReadFile(dir_ / "f.html"), html);
  ASSERT_EQ(Findings("--resume"), 0) << ReadFile(dir_ / "err.txt");
  EXPECT_NE(ReadFile(dir_ / "err.txt").find("already stored"), std::string::npos);
  EXPECT_EQ(ReadFile(dir_ / "f.md"), md);
}

TEST_F(FindingsTest, AScenarioThatDoesNotLoadIsReportedAndTheOthersStillRun) {
  const std::string source = orgsim::test::SourceDir().string();
  const std::string command =
      "cd " + dir_.string() + " && " + ORGSIM_FINDINGS_BINARY +
      " findings --quick --threads 1 --results-dir r --out f.md --html '' missing.textproto " +
      source + "/tests/findings/data/c09_layers_hide_engineers.textproto >out.txt 2>err.txt";
  const int status = std::system(command.c_str());
  EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 2);
  const std::string md = ReadFile(dir_ / "f.md");
  EXPECT_NE(md.find("**Not run:** `missing.textproto` could not be run"), std::string::npos) << md;
  EXPECT_NE(md.find("## C9 — "), std::string::npos);
  EXPECT_NE(md.find("| `profit_total` (currency) | layers_between_engineers_and_customers 0 → 3 |"),
            std::string::npos)
      << md;
  EXPECT_FALSE(fs::exists(dir_ / "f.html"));
}

}  // namespace
