// The console comparison table: undefined statistics read n/a, censored
// metrics are marked, sweeps end with the per-lever effects, and the CRN
// variance reduction is n/a when an arm does not vary.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "engine/experiment/report.h"

namespace orgsim::experiment {
namespace {

ExperimentReport TwoPointSweep() {
  ExperimentReport report;
  report.design = "grid";
  report.parameters = {"a"};
  report.arm_names = {"x"};
  report.metrics = {{"m", ""}};
  for (int p = 0; p < 4; ++p) {
    PointReport point;
    point.point = static_cast<std::uint32_t>(p);
    point.parameter_values = {static_cast<double>(p)};
    ArmReport arm;
    Summary s;
    s.n = 3;
    s.mean = 1.0 + p + (p == 2 ? 0.1 : 0.0);
    s.sd = std::nan("");
    arm.metrics = {s};
    point.arms = {arm};
    report.points.push_back(point);
  }
  return report;
}

TEST(ComparisonTable, UndefinedStatisticsReadNaNotNaN) {
  EXPECT_EQ(FormatNumber(std::nan("")), "n/a");
  ExperimentReport report = TwoPointSweep();
  report.design = "grid";
  const std::string table = FormatComparisonTable(report);
  EXPECT_NE(table.find("Effect of each lever over its swept range"), std::string::npos) << table;
  EXPECT_EQ(table.find("NaN"), std::string::npos) << table;
}

TEST(ComparisonTable, CensoredMetricsAreMarked) {
  ExperimentReport report = TwoPointSweep();
  report.metrics = {{"time_to_pmf_days", "days"}};
  EXPECT_NE(FormatComparisonTable(report).find("time_to_pmf_days (days) [censored at the horizon]"),
            std::string::npos);
  EXPECT_TRUE(IsCensoredAtHorizon("time_to_pmf_days"));
  report.arm_names = {"x", "y"};
  report.baseline = report.arm_names[0];  // (a literal trips GCC 12's -Wrestrict, bug 105329)
  for (PointReport& point : report.points) {
    point.paired = {PairedReport{.arm = "y", .baseline = "x", .metrics = {PairedComparison{}}}};
  }
  const std::string paired = FormatComparisonTable(report);
  const std::size_t at = paired.find("Paired differences");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(paired.find("time_to_pmf_days [censored at the horizon]", at), std::string::npos)
      << paired;
  EXPECT_FALSE(IsCensoredAtHorizon("profit_total"));
}

TEST(ComparisonTable, CrnVarianceReductionIsNaWhenAnArmDoesNotVary) {
  ExperimentReport report;
  report.design = "single";
  report.baseline = "b";
  report.arm_names = {"a", "b"};
  report.metrics = {{"survived", "0/1"}};
  PointReport point;
  point.arms = {ArmReport{.arm = "a", .metrics = {Summary{.n = 4, .mean = 1}}},
                ArmReport{.arm = "b", .metrics = {Summary{.n = 4, .mean = 0.75}}}};
  PairedComparison c;
  c.n = 4;
  c.var_a = 0.0;  // every replication survived
  c.var_b = 0.25;
  c.var_diff = 0.25;
  c.var_independent = 0.25;
  c.variance_reduction = -2.2e-16;  // what rounding makes of 1 - 0.25 / 0.25
  point.paired = {PairedReport{.arm = "a", .baseline = "b", .metrics = {c}}};
  report.points = {point};
  const std::string table = FormatComparisonTable(report);
  EXPECT_EQ(table.find("-2.2"), std::string::npos) << table;
  EXPECT_EQ(table.find("-0%"), std::string::npos) << table;
  const std::size_t row = table.find("\n  survived", table.find("Paired differences"));
  ASSERT_NE(row, std::string::npos) << table;
  const std::string line = table.substr(row + 1, table.find('\n', row + 1) - row - 1);
  EXPECT_EQ(line.substr(line.size() - 3), "n/a") << line;
}

}  // namespace
}  // namespace orgsim::experiment
