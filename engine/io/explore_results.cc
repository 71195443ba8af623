#include "engine/io/explore_results.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "engine/io/sqlite_statement.h"
#include "engine/model/run.h"

namespace orgsim::io {
namespace {

struct StatementCloser {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementCloser>;

std::string Quote(const std::string& name) { return "\"" + name + "\""; }

std::string BetterOf(const std::string& metric) {
  for (const model::MetricInfo& info : model::MetricCatalog()) {
    if (info.name != metric) continue;
    switch (info.better) {
      case model::Better::kHigher:
        return "higher";
      case model::Better::kLower:
        return "lower";
      case model::Better::kNeither:
        return "neither";
    }
  }
  return "neither";
}

// values[point][arm][replication]; NaN where no ok row is stored.
using Cube = std::vector<std::vector<std::vector<double>>>;

orgsim::StatusOr<Cube> ReadMetric(const ResultsStore& store, const std::string& metric,
                                  std::uint64_t* failed, std::uint64_t* rows) {
  const StoreManifest& m = store.manifest();
  const std::size_t points = m.design.size();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Cube cube(points, std::vector<std::vector<double>>(m.arms.size(),
                                                     std::vector<double>(m.replications, nan)));
  const std::string sql = "SELECT point, arm, replication, status, " + Quote(metric) +
                          " FROM runs ORDER BY point, arm, replication";
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(internal::DatabaseHandle(store), sql.c_str(), -1, &raw, nullptr) !=
      SQLITE_OK) {
    return orgsim::IoError(std::string(sqlite3_errmsg(internal::DatabaseHandle(store))));
  }
  StatementPtr statement(raw);
  *failed = 0;
  *rows = 0;
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    ++*rows;
    const auto point = static_cast<std::size_t>(sqlite3_column_int64(raw, 0));
    const std::string arm = reinterpret_cast<const char*>(sqlite3_column_text(raw, 1));
    const auto replication = static_cast<std::size_t>(sqlite3_column_int64(raw, 2));
    const std::string status = reinterpret_cast<const char*>(sqlite3_column_text(raw, 3));
    if (status != "ok") {
      ++*failed;
      continue;
    }
    const auto it = std::find(m.arms.begin(), m.arms.end(), arm);
    if (point >= points || it == m.arms.end() || replication >= m.replications) continue;
    if (sqlite3_column_type(raw, 4) == SQLITE_NULL) continue;
    cube[point][static_cast<std::size_t>(it - m.arms.begin())][replication] =
        sqlite3_column_double(raw, 4);
  }
  if (rc != SQLITE_DONE)
    return orgsim::IoError(std::string(sqlite3_errmsg(internal::DatabaseHandle(store))));
  return cube;
}

}  // namespace

orgsim::StatusOr<ExploreReport> AnalyzeExplore(const ResultsStore& store,
                                               const std::vector<std::string>& metrics) {
  const StoreManifest& m = store.manifest();
  if (m.design.kind() != experiment::DesignKind::kExplore) {
    return orgsim::FailedPreconditionError(store.path() + " holds no explore (its design is " +
                                           experiment::DesignKindName(m.design.kind()) +
                                           "); run `orgsim explore FILE` first");
  }
  for (const std::string& metric : metrics) {
    bool known = false;
    for (const auto& column : m.metrics) known = known || column.name == metric;
    if (!known) {
      return orgsim::InvalidArgumentError("metric '" + metric + "' is not stored in " +
                                          store.path());
    }
  }
  ExploreReport report;
  report.scenario = m.scenario_name;
  report.seed = m.seed;
  report.replications = m.replications;
  for (const experiment::ParameterRange& p : m.design.parameters()) {
    report.space.names.push_back(p.name);
    report.space.low.push_back(p.low);
    report.space.high.push_back(p.high);
  }
  for (std::size_t p = 0; p < m.design.size(); ++p) {
    const auto values = m.design.values(p);
    report.space.values.insert(report.space.values.end(), values.begin(), values.end());
  }
  const std::size_t baseline = m.baseline_arm;
  bool counted = false;
  std::vector<std::vector<ExploreMetricComparison>> by_arm(m.arms.size());
  for (const std::string& metric : metrics) {
    std::uint64_t failed = 0;
    std::uint64_t rows = 0;
    auto cube = ReadMetric(store, metric, &failed, &rows);
    if (!cube.ok()) return cube.status();
    if (!counted) {
      report.failed_runs = failed;
      report.runs = rows;
    }
    const std::string better = BetterOf(metric);
    for (std::size_t arm = 0; arm < m.arms.size(); ++arm) {
      if (arm == baseline) continue;
      std::vector<experiment::PointEffect> effects;
      for (std::size_t p = 0; p < cube->size(); ++p) {
        std::vector<double> a, b;
        const auto& at = (*cube)[p];
        for (std::size_t r = 0; r < m.replications; ++r) {
          if (std::isnan(at[arm][r]) || std::isnan(at[baseline][r])) {
            if (!counted) ++report.unpaired;
            continue;
          }
          a.push_back(at[arm][r]);
          b.push_back(at[baseline][r]);
        }
        effects.push_back(experiment::PairedEffect(a, b));
      }
      ExploreMetricComparison c;
      c.arm = m.arms[arm];
      c.baseline = m.arms[baseline];
      c.metric = metric;
      c.better = better;
      c.analysis = experiment::AnalyzeComparison(
          report.space, std::move(effects),
          {.higher_is_better = better != "lower", .alpha = 0.05, .prim = {}});
      by_arm[arm].push_back(std::move(c));
    }
    counted = true;
  }
  for (auto& list : by_arm) {
    for (auto& c : list) report.comparisons.push_back(std::move(c));
  }
  return report;
}

}  // namespace orgsim::io
