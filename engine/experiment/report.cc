#include "engine/experiment/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "engine/experiment/lever_effects.h"

namespace orgsim::experiment {
namespace {

// "profit_total (currency)", with the censoring noted where it applies.
std::string MetricLabel(const MetricInfoRow& metric) {
  std::string name = metric.name;
  if (!metric.unit.empty()) name += " (" + metric.unit + ")";
  if (IsCensoredAtHorizon(metric.name)) name += " [censored at the horizon]";
  return name;
}

// Left-aligned first column, right-aligned others, two spaces apart.
std::string RenderTable(const std::vector<std::vector<std::string>>& rows) {
  if (rows.empty()) return "";
  std::size_t columns = 0;
  for (const auto& row : rows) columns = std::max(columns, row.size());
  std::vector<std::size_t> width(columns, 0);
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  std::ostringstream out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string& cell = row[c];
      const std::string pad(width[c] - cell.size(), ' ');
      if (c > 0) line += "  ";
      line += c == 0 ? cell + pad : pad + cell;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << "  " << line << "\n";
  }
  return out.str();
}

std::string Interval(double low, double high) {
  // Appended piecewise: "[" + std::string trips GCC 12's -Wrestrict false
  // positive (GCC bug 105329).
  std::string out;
  out += '[';
  out += FormatNumber(low);
  out += ", ";
  out += FormatNumber(high);
  out += ']';
  return out;
}

void AppendPointTables(const ExperimentReport& report, const PointReport& point,
                       const TableOptions& options, std::ostringstream& out) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"metric", "arm", "n", "mean", "95% CI", "median"});
  for (std::size_t m = 0; m < report.metrics.size(); ++m) {
    for (const ArmReport& arm : point.arms) {
      const Summary& s = arm.metrics[m];
      rows.push_back({&arm == &point.arms.front() ? MetricLabel(report.metrics[m]) : "", arm.arm,
                      std::to_string(s.n), FormatNumber(s.mean), Interval(s.ci_low, s.ci_high),
                      FormatNumber(s.median)});
    }
  }
  out << RenderTable(rows);
  if (!options.show_paired || point.paired.empty()) return;
  out << "\n  Paired differences (arm - " << report.baseline
      << "; replication r of each arm shares its random streams):\n";
  rows.clear();
  rows.push_back({"metric", "arm", "n", "mean diff", "95% CI", "d_z", "P(A>B)", "t p", "Wilcoxon p",
                  "CRN var. red."});
  for (std::size_t m = 0; m < report.metrics.size(); ++m) {
    for (const PairedReport& paired : point.paired) {
      const PairedComparison& c = paired.metrics[m];
      std::string name = report.metrics[m].name;
      if (IsCensoredAtHorizon(name)) name += " [censored at the horizon]";
      rows.push_back({&paired == &point.paired.front() ? name : "", paired.arm, std::to_string(c.n),
                      FormatNumber(c.mean_diff), Interval(c.ci_low, c.ci_high),
                      FormatNumber(c.cohens_dz, 3), FormatNumber(c.prob_superiority, 3),
                      FormatPValue(c.t_pvalue), FormatPValue(c.wilcoxon_pvalue),
                      // Undefined when an arm does not vary: CRN has nothing to remove.
                      std::isnan(c.variance_reduction) || c.var_a <= 0.0 || c.var_b <= 0.0
                          ? std::string("n/a")
                          : FormatNumber(100.0 * c.variance_reduction, 3) + "%"});
    }
  }
  out << RenderTable(rows);
  out << "  CRN var. red. = 1 - var(A-B) / (var(A) + var(B)): the share of the variance of\n"
         "  the difference removed by common random numbers vs independent sampling.\n";
}

void AppendLeverEffects(const ExperimentReport& report, std::ostringstream& out) {
  out << "\nEffect of each lever over its swept range (least-squares fit of the per-point\n"
         "means on every lever at once; 95% CI; n/a when there are too few points):\n";
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"metric", "arm", "lever", "range", "effect", "95% CI"});
  for (std::size_t m = 0; m < report.metrics.size(); ++m) {
    for (std::size_t a = 0; a < report.arm_names.size(); ++a) {
      const std::vector<LeverEffect> effects = LeverEffects(report, a, m);
      for (std::size_t i = 0; i < effects.size(); ++i) {
        const LeverEffect& e = effects[i];
        rows.push_back({a == 0 && i == 0 ? MetricLabel(report.metrics[m]) : "",
                        i == 0 ? report.arm_names[a] : "", report.parameters[i],
                        FormatNumber(e.low, 4) + " .. " + FormatNumber(e.high, 4),
                        FormatNumber(e.effect), Interval(e.ci_low, e.ci_high)});
      }
    }
  }
  out << RenderTable(rows);
}

}  // namespace

bool IsCensoredAtHorizon(const std::string& metric) { return metric == "time_to_pmf_days"; }

bool SobolNoiseInflated(const SobolIndex& index) {
  return index.total - 1.0 > (index.total_high - index.total_low) / 2.0;
}

std::string FormatNumber(double value, int significant) {
  if (std::isnan(value)) return "n/a";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  const double magnitude = std::fabs(value);
  char buffer[64];
  const char* suffix = "";
  double scaled = value;
  if (magnitude >= 1e12) {
    std::snprintf(buffer, sizeof(buffer), "%.*e", significant - 1, value);
    return buffer;
  }
  if (magnitude >= 1e9) {
    scaled = value / 1e9;
    suffix = "G";
  } else if (magnitude >= 1e6) {
    scaled = value / 1e6;
    suffix = "M";
  } else if (magnitude >= 1e4) {
    scaled = value / 1e3;
    suffix = "k";
  }
  if (magnitude != 0 && magnitude < 1e-4) {
    std::snprintf(buffer, sizeof(buffer), "%.*e", significant - 1, value);
    return buffer;
  }
  std::snprintf(buffer, sizeof(buffer), "%.*g", significant, scaled);
  return std::string(buffer) + suffix;
}

std::string FormatPValue(double p) {
  if (std::isnan(p)) return "n/a";
  if (p < 1e-16) return "<1e-16";
  char buffer[32];
  if (p < 1e-4) {
    std::snprintf(buffer, sizeof(buffer), "%.1e", p);
  } else {
    std::snprintf(buffer, sizeof(buffer), "%.2g", p);
  }
  return buffer;
}

std::string FormatComparisonTable(const ExperimentReport& report, const TableOptions& options) {
  std::ostringstream out;
  out << "Scenario " << report.scenario << " (sha256 " << report.scenario_sha256.substr(0, 12)
      << "), seed " << report.seed << ", " << report.replications << " replications x "
      << report.arm_names.size() << " arms";
  if (report.points.size() > 1) out << " x " << report.points.size() << " points";
  out << " (" << report.design << ")\n";
  out << "Runs stored: " << report.runs << " of " << report.expected_runs;
  if (report.failed_runs > 0) out << ", FAILED: " << report.failed_runs;
  out << "\n";
  const std::size_t shown = std::min(report.points.size(), options.max_points);
  for (std::size_t p = 0; p < shown; ++p) {
    const PointReport& point = report.points[p];
    out << "\n";
    if (!report.parameters.empty()) {
      out << "Point " << point.point << ":";
      for (std::size_t i = 0; i < report.parameters.size(); ++i) {
        out << " " << report.parameters[i] << "=" << FormatNumber(point.parameter_values[i], 6);
      }
      out << "\n";
    }
    AppendPointTables(report, point, options, out);
  }
  if (shown < report.points.size()) {
    out << "\n... " << (report.points.size() - shown)
        << " more points (orgsim export, or --json, for all of them)\n";
  }
  if (!report.parameters.empty() && report.points.size() > 1) AppendLeverEffects(report, out);
  if (!report.sobol.empty()) {
    out << "\nSobol indices (first order S1 [Saltelli 2010], total ST [Jansen 1999], "
           "95% bootstrap CI; from per-point means):\n";
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"metric", "arm", "parameter", "S1", "S1 95% CI", "ST", "ST 95% CI"});
    for (const SobolReport& s : report.sobol) {
      for (std::size_t i = 0; i < s.result.indices.size(); ++i) {
        const SobolIndex& x = s.result.indices[i];
        rows.push_back({i == 0 ? s.metric : "", i == 0 ? s.arm : "", report.parameters[i],
                        FormatNumber(x.first_order, 3),
                        Interval(x.first_order_low, x.first_order_high), FormatNumber(x.total, 3),
                        Interval(x.total_low, x.total_high)});
      }
    }
    out << RenderTable(rows);
    for (const SobolReport& s : report.sobol) {
      for (std::size_t i = 0; i < s.result.indices.size(); ++i) {
        const SobolIndex& x = s.result.indices[i];
        if (!SobolNoiseInflated(x)) continue;
        out << "  warning: ST of " << report.parameters[i] << " on " << s.metric << " (" << s.arm
            << ") is " << FormatNumber(x.total, 3) << " " << Interval(x.total_low, x.total_high)
            << ", above 1 by more than its CI: simulation noise inflates the indices; rerun\n"
               "  with more replications (-n) before reading them (docs/cluster.md).\n";
      }
    }
  }
  return out.str();
}

}  // namespace orgsim::experiment
