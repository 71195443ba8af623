// ResultsStore::Summarize: the stored rows streamed through the statistics
// builders (results_store.h).
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/experiment/statistics.h"
#include "engine/io/results_store.h"
#include "engine/io/sqlite_statement.h"

namespace orgsim::io {

using experiment::DesignKind;
using internal::Exec;
using internal::Quote;
using internal::Statement;
using internal::StepDone;

StatusOr<experiment::ExperimentReport> ResultsStore::Summarize(
    const SummarizeOptions& options) const {
  using experiment::ArmReport;
  using experiment::PairedComparisonBuilder;
  using experiment::PairedReport;
  using experiment::PointReport;
  using experiment::SortedSummaryBuilder;
  const StoreManifest& m = manifest_;
  experiment::ExperimentReport report;
  report.scenario = m.scenario_name;
  report.scenario_sha256 = m.scenario_sha256;
  report.orgsim_version = m.orgsim_version;
  report.seed = m.seed;
  report.replications = m.replications;
  report.design = experiment::DesignKindName(m.design.kind());
  report.baseline = m.arms[m.baseline_arm];
  report.arm_names = m.arms;
  for (const auto& p : m.design.parameters()) report.parameters.push_back(p.name);
  std::vector<std::size_t> metric_columns;
  if (options.metrics.empty()) {
    for (std::size_t i = 0; i < m.metrics.size(); ++i) metric_columns.push_back(i);
  } else {
    for (const std::string& name : options.metrics) {
      std::size_t i = 0;
      while (i < m.metrics.size() && m.metrics[i].name != name) ++i;
      if (i == m.metrics.size()) {
        return InvalidArgumentError("unknown metric '" + name + "' (not in " + path_ + ")");
      }
      metric_columns.push_back(i);
    }
  }
  for (std::size_t i : metric_columns) report.metrics.push_back(m.metrics[i]);
  const std::size_t metric_count = metric_columns.size();
  const std::size_t points = m.design.size();
  const std::size_t arms = m.arms.size();
  report.expected_runs = static_cast<std::uint64_t>(points) * arms * m.replications;
  // One snapshot for every query below, even while another process writes.
  ORGSIM_RETURN_IF_ERROR(Exec(db_, "BEGIN"));
  struct EndRead {
    sqlite3* db;
    ~EndRead() { (void)Exec(db, "COMMIT"); }
  } end_read{db_};
  {
    auto runs = CountRuns(false);
    if (!runs.ok()) return runs.status();
    report.runs = *runs;
    auto failed = CountRuns(true);
    if (!failed.ok()) return failed.status();
    report.failed_runs = *failed;
  }
  report.points.resize(points);
  for (std::size_t p = 0; p < points; ++p) {
    PointReport& point = report.points[p];
    point.point = static_cast<std::uint32_t>(p);
    const auto values = m.design.values(p);
    point.parameter_values.assign(values.begin(), values.end());
    point.arms.resize(arms);
    for (std::size_t a = 0; a < arms; ++a) {
      point.arms[a].arm = m.arms[a];
      point.arms[a].metrics.resize(metric_count);
    }
    for (std::size_t a = 0; a < arms; ++a) {
      if (a == m.baseline_arm) continue;
      point.paired.push_back(PairedReport{m.arms[a], m.arms[m.baseline_arm], {}});
      point.paired.back().metrics.resize(metric_count);
    }
  }
  Statement s;
  // Run counts per (point, arm).
  ORGSIM_RETURN_IF_ERROR(
      s.Prepare(db_,
                "SELECT point, arm, sum(status = 'ok'), sum(status = 'failed') FROM runs "
                "GROUP BY point, arm"));
  std::map<std::string, std::size_t> arm_index;
  for (std::size_t a = 0; a < arms; ++a) arm_index[m.arms[a]] = a;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    const auto p = static_cast<std::size_t>(s.Int(0));
    const auto it = arm_index.find(s.Text(1));
    if (p >= points || it == arm_index.end()) continue;
    report.points[p].arms[it->second].ok_runs = static_cast<std::uint64_t>(s.Int(2));
    report.points[p].arms[it->second].failed_runs = static_cast<std::uint64_t>(s.Int(3));
  }
  ORGSIM_RETURN_IF_ERROR(StepDone(rc, db_, path_));

  // Per metric: one scan of the runs in key order (point, arm, replication),
  // one point at a time, so the work stays linear in the number of arms (a
  // query per arm scanned the whole table each time). Within a point, each
  // arm's values ascending feed SortedSummaryBuilder, and the pairs with the
  // baseline (same replication) in canonical order PairedComparisonBuilder.
  struct Value {
    std::int64_t replication;
    double value;
  };
  std::vector<std::vector<Value>> by_arm(arms);
  std::vector<double> sorted;
  std::vector<std::pair<double, double>> pairs;
  auto finish_point = [&](std::size_t p, std::size_t k) {
    for (std::size_t a = 0; a < arms; ++a) {
      sorted.clear();
      for (const Value& v : by_arm[a]) sorted.push_back(v.value);
      std::sort(sorted.begin(), sorted.end());
      SortedSummaryBuilder summary(sorted.size());
      for (double v : sorted) summary.Add(v);
      report.points[p].arms[a].metrics[k] = summary.Finish();
    }
    const std::vector<Value>& base = by_arm[m.baseline_arm];
    std::size_t pair_index = 0;
    for (std::size_t a = 0; a < arms; ++a) {
      if (a == m.baseline_arm) continue;
      pairs.clear();
      const std::vector<Value>& x = by_arm[a];
      for (std::size_t i = 0, j = 0; i < x.size() && j < base.size();) {
        if (x[i].replication < base[j].replication) {
          ++i;
        } else if (base[j].replication < x[i].replication) {
          ++j;
        } else {
          pairs.emplace_back(x[i++].value, base[j++].value);
        }
      }
      std::sort(pairs.begin(), pairs.end(), [](const auto& l, const auto& r) {
        const double dl = l.first - l.second, dr = r.first - r.second;
        return std::make_tuple(std::abs(dl), dl, l.first, l.second) <
               std::make_tuple(std::abs(dr), dr, r.first, r.second);
      });
      PairedComparisonBuilder paired(pairs.size());
      for (const auto& [xv, yv] : pairs) paired.Add(xv, yv);
      report.points[p].paired[pair_index++].metrics[k] = paired.Finish();
    }
    for (auto& values : by_arm) values.clear();
  };
  for (std::size_t k = 0; k < metric_count; ++k) {
    const std::string column = Quote(m.metrics[metric_columns[k]].name);
    ORGSIM_RETURN_IF_ERROR(s.Prepare(db_, "SELECT point, arm, replication, " + column +
                                              " FROM runs WHERE status = 'ok' AND " + column +
                                              " IS NOT NULL ORDER BY point, arm, replication"));
    std::size_t current = 0;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
      const auto p = static_cast<std::size_t>(s.Int(0));
      const auto it = arm_index.find(s.Text(1));
      if (p >= points || it == arm_index.end()) continue;
      for (; current < p; ++current) finish_point(current, k);
      by_arm[it->second].push_back({s.Int(2), s.Double(3)});
    }
    ORGSIM_RETURN_IF_ERROR(StepDone(rc, db_, path_));
    for (; current < points; ++current) finish_point(current, k);
  }

  // Sobol indices from per-point means, when every point has data.
  if (m.design.kind() == DesignKind::kSaltelli) {
    for (std::size_t k = 0; k < metric_count; ++k) {
      for (std::size_t a = 0; a < arms; ++a) {
        std::vector<double> means(points);
        bool complete = true;
        for (std::size_t p = 0; p < points; ++p) {
          means[p] = report.points[p].arms[a].metrics[k].mean;
          complete = complete && report.points[p].arms[a].metrics[k].n > 0;
        }
        if (!complete) continue;
        report.sobol.push_back(
            {m.arms[a], report.metrics[k].name,
             experiment::SobolIndices(
                 experiment::ArrangeSaltelliOutputs(m.design, means),
                 {.bootstrap_resamples = options.sobol_bootstrap, .seed = m.seed})});
      }
    }
  }
  return report;
}

}  // namespace orgsim::io
