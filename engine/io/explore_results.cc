#include "engine/io/explore_results.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "engine/model/run.h"

namespace orgsim::io {
namespace {

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

// One cube per metric, read point by point through the reader.
orgsim::StatusOr<std::vector<Cube>> ReadCubes(const ResultsReader& reader,
                                              const std::vector<std::string>& metrics) {
  const StoreManifest& m = reader.manifest();
  const std::size_t points = m.design.size();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<Cube> cubes(
      metrics.size(), Cube(points, std::vector<std::vector<double>>(
                                       m.arms.size(), std::vector<double>(m.replications, nan))));
  for (std::size_t p = 0; p < points; ++p) {
    auto runs = reader.ReadRuns(static_cast<std::uint32_t>(p), metrics);
    if (!runs.ok()) return runs.status();
    for (const RunValues& run : *runs) {
      if (run.replication >= m.replications) continue;
      for (std::size_t k = 0; k < metrics.size(); ++k) {
        cubes[k][p][run.arm][run.replication] = run.values[k];
      }
    }
  }
  return cubes;
}

}  // namespace

orgsim::StatusOr<ExploreReport> AnalyzeExplore(const ResultsReader& reader,
                                               const std::vector<std::string>& metrics) {
  const StoreManifest& m = reader.manifest();
  if (m.design.kind() != experiment::DesignKind::kExplore) {
    return orgsim::FailedPreconditionError(reader.path() + " holds no explore (its design is " +
                                           experiment::DesignKindName(m.design.kind()) +
                                           "); run `orgsim explore FILE` first");
  }
  for (const std::string& metric : metrics) {
    bool known = false;
    for (const auto& column : m.metrics) known = known || column.name == metric;
    if (!known) {
      return orgsim::InvalidArgumentError("metric '" + metric + "' is not stored in " +
                                          reader.path());
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
  auto rows = reader.CountRuns();
  if (!rows.ok()) return rows.status();
  auto failed = reader.CountRuns(/*failed_only=*/true);
  if (!failed.ok()) return failed.status();
  report.runs = *rows;
  report.failed_runs = *failed;
  auto cubes = ReadCubes(reader, metrics);
  if (!cubes.ok()) return cubes.status();
  for (std::size_t k = 0; k < metrics.size(); ++k) {
    const std::string& metric = metrics[k];
    const Cube* cube = &(*cubes)[k];
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
