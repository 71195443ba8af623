#include "engine/report/html_report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/experiment/report.h"
#include "engine/experiment/statistics.h"
#include "engine/io/results_reader.h"
#include "engine/io/scenario_loader.h"
#include "engine/model/run.h"
#include "engine/report/assets.h"
#include "engine/report/charts.h"
#include "engine/report/graph_picture.h"
#include "engine/report/svg.h"

namespace orgsim::report {
namespace {

// "profit_total" -> "Profit total".
std::string Humanize(const std::string& name) {
  std::string out = name;
  for (char& c : out) {
    if (c == '_') c = ' ';
  }
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z')
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

// The catalog's description of a metric, or "".
std::string MetricDescription(const std::string& name) {
  for (const auto& info : model::MetricCatalog()) {
    if (info.name == name) return std::string(info.description);
  }
  return "";
}

// An id fragment from a name: letters, digits, '-' and '_' kept.
std::string IdPart(const std::string& name) {
  std::string out;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    out += ok ? c : '-';
  }
  return out;
}

// The last segment of a field path, for compact labels.
std::string ShortPath(const std::string& path) {
  const auto dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

std::string H(const std::string& text) { return XmlEscape(text); }

// Everything the report shows, read from the database.
struct ReportData {
  io::StoreManifest manifest;
  experiment::ExperimentReport summary;
  std::optional<io::LoadedScenario> scenario;  // re-loaded from the stored text
  std::string scenario_note;                   // why it could not be re-loaded
  std::string integrity_note;                  // values unverified (no row checksums)
  std::vector<std::string> key_metrics;        // charted metrics, stored order
  std::map<std::string, std::size_t> metric_index;
  // Single-point designs: values[arm][metric] over ok replications (point 0).
  std::vector<std::map<std::string, std::vector<double>>> values;
  // Time series quantiles: series name -> arm -> (months, q10, q50, q90).
  struct Fan {
    std::vector<double> month, q10, q50, q90;
  };
  std::map<std::string, std::vector<Fan>> fans;
};

Status ReadValues(const io::ResultsReader& reader, ReportData& data) {
  data.values.assign(data.manifest.arms.size(), {});
  StatusOr<std::vector<io::RunValues>> runs = reader.ReadRuns(0, data.key_metrics);
  if (!runs.ok()) return runs.status();
  for (const io::RunValues& run : *runs) {
    for (std::size_t k = 0; k < data.key_metrics.size(); ++k) {
      data.values[run.arm][data.key_metrics[k]].push_back(run.values[k]);
    }
  }
  return Status::Ok();
}

Status ReadFans(const io::ResultsReader& reader, ReportData& data) {
  const auto& m = data.manifest;
  for (const char* name : {"revenue", "profit", "customers", "cash"}) {
    if (std::find(m.series.begin(), m.series.end(), name) == m.series.end()) continue;
    StatusOr<std::vector<io::SeriesValue>> series = reader.ReadSeries(0, name);
    if (!series.ok()) return series.status();
    // arm -> month -> sorted values (ordered by value within a month).
    std::vector<std::map<long long, std::vector<double>>> by_arm(m.arms.size());
    for (const io::SeriesValue& point : *series) {
      if (!std::isfinite(point.value)) continue;
      by_arm[point.arm][point.month].push_back(point.value);
    }
    std::vector<ReportData::Fan> fans(m.arms.size());
    bool any = false;
    for (std::size_t a = 0; a < m.arms.size(); ++a) {
      for (auto& [month, values] : by_arm[a]) {
        std::sort(values.begin(), values.end());  // already sorted; cheap insurance
        fans[a].month.push_back(static_cast<double>(month));
        fans[a].q10.push_back(experiment::QuantileSorted(values, 0.10));
        fans[a].q50.push_back(experiment::QuantileSorted(values, 0.50));
        fans[a].q90.push_back(experiment::QuantileSorted(values, 0.90));
        any = true;
      }
    }
    if (any) data.fans[name] = std::move(fans);
  }
  return Status::Ok();
}

StatusOr<ReportData> LoadData(const std::string& db_path, const ReportOptions& options) {
  auto reader_or = io::ResultsReader::Open(db_path);
  if (!reader_or.ok()) return reader_or.status();
  const io::ResultsReader& reader = **reader_or;
  ReportData data;
  data.manifest = reader.manifest();
  data.integrity_note = reader.integrity_note();
  auto summary_or = reader.Summarize({});
  if (!summary_or.ok()) return summary_or.status();
  data.summary = std::move(summary_or).value();
  for (std::size_t i = 0; i < data.summary.metrics.size(); ++i) {
    data.metric_index[data.summary.metrics[i].name] = i;
  }

  io::LoadResult loaded =
      io::LoadScenarioText(data.manifest.scenario_text, data.manifest.scenario_name + ".textproto",
                           options.scenario_base_dir);
  if (loaded.ok()) {
    data.scenario = std::move(loaded.scenario);
  } else {
    data.scenario_note = "the stored scenario text could not be re-loaded (" +
                         (loaded.diagnostics.empty() ? std::string("unknown reason")
                                                     : loaded.diagnostics.front().message) +
                         "); graph pictures are omitted";
  }

  std::vector<std::string> wanted = options.metrics;
  if (wanted.empty() && data.scenario) wanted = data.scenario->experiment.metrics;
  if (wanted.empty()) wanted = DefaultReportMetrics();
  std::set<std::string> seen;
  for (const auto& name : wanted) {
    if (data.metric_index.count(name) && seen.insert(name).second) data.key_metrics.push_back(name);
  }

  if (data.manifest.design.size() <= 1) {
    ORGSIM_RETURN_IF_ERROR(ReadValues(reader, data));
    ORGSIM_RETURN_IF_ERROR(ReadFans(reader, data));
  }
  return data;
}

const experiment::Summary* ArmMetric(const ReportData& data, std::size_t point, std::size_t arm,
                                     const std::string& metric) {
  auto it = data.metric_index.find(metric);
  if (it == data.metric_index.end() || point >= data.summary.points.size()) return nullptr;
  const auto& p = data.summary.points[point];
  if (arm >= p.arms.size() || it->second >= p.arms[arm].metrics.size()) return nullptr;
  return &p.arms[arm].metrics[it->second];
}

const experiment::PairedComparison* Paired(const ReportData& data, std::size_t point,
                                           const std::string& arm, const std::string& metric) {
  auto it = data.metric_index.find(metric);
  if (it == data.metric_index.end() || point >= data.summary.points.size()) return nullptr;
  for (const auto& pr : data.summary.points[point].paired) {
    if (pr.arm == arm && it->second < pr.metrics.size()) return &pr.metrics[it->second];
  }
  return nullptr;
}

std::string MetricUnit(const ReportData& data, const std::string& metric) {
  auto it = data.metric_index.find(metric);
  return it == data.metric_index.end() ? "" : data.summary.metrics[it->second].unit;
}

// Colour of an arm: its index in the manifest, so every chart agrees.
std::size_t ArmColor(std::size_t arm) { return arm; }

// ---------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------

void Header(std::string& html, const ReportData& data) {
  const auto& m = data.manifest;
  const auto& s = data.summary;
  html += "<header>\n<p class=\"kicker\">orgsim report</p>\n<h1>" + H(m.scenario_name) + "</h1>\n";
  if (data.scenario && !data.scenario->description.empty()) {
    html += "<p class=\"description\">" + H(data.scenario->description) + "</p>\n";
  }
  html += "<dl class=\"meta\">\n";
  auto item = [&](const std::string& k, const std::string& v, const std::string& id) {
    html += "<div><dt>" + H(k) + "</dt><dd id=\"meta-" + id + "\">" + H(v) + "</dd></div>\n";
  };
  item("Seed", std::to_string(m.seed), "seed");
  item("Scenario SHA-256", m.scenario_sha256, "sha256");
  item("Replications per arm and point", std::to_string(m.replications), "replications");
  item("Design",
       s.design + (m.design.size() > 1 ? " (" + std::to_string(m.design.size()) + " points)" : ""),
       "design");
  item("Baseline arm", s.baseline, "baseline");
  item("Runs stored",
       std::to_string(s.runs) + " of " + std::to_string(s.expected_runs) +
           (s.failed_runs ? " (" + std::to_string(s.failed_runs) + " failed)" : ""),
       "runs");
  item("orgsim version", m.orgsim_version, "version");
  html += "</dl>\n";
  if (s.runs < s.expected_runs) {
    html += "<p class=\"warning\">The database is incomplete: " +
            std::to_string(s.expected_runs - s.runs) +
            " runs are missing (continue with <code>orgsim " +
            (m.design.kind() == experiment::DesignKind::kSinglePoint ? "run" : "sweep") +
            " FILE --db DB --resume</code>, or rerun the missing shards and merge again). "
            "Statistics use the stored runs.</p>\n";
  }
  if (!data.integrity_note.empty())
    html += "<p class=\"warning\">" + H(data.integrity_note) + ".</p>\n";
  if (!data.scenario_note.empty())
    html += "<p class=\"note\">Note: " + H(data.scenario_note) + ".</p>\n";
  html += "</header>\n";
}

void Nav(std::string& html, const std::vector<std::pair<std::string, std::string>>& sections) {
  html += "<nav><ol>\n";
  for (const auto& [id, title] : sections)
    html += "<li><a href=\"#" + id + "\">" + H(title) + "</a></li>\n";
  html += "</ol></nav>\n";
}

std::string MeanCell(const experiment::Summary* s) {
  if (s == nullptr || s->n == 0) return "<td class=\"num\">—</td>";
  return "<td class=\"num\" data-mean=\"" + DataNumber(s->mean) + "\" data-ci-low=\"" +
         DataNumber(s->ci_low) + "\" data-ci-high=\"" + DataNumber(s->ci_high) + "\" data-n=\"" +
         std::to_string(s->n) + "\">" + H(ShortNumber(s->mean, 4)) + "<span class=\"ci\">[" +
         H(ShortNumber(s->ci_low, 3)) + ", " + H(ShortNumber(s->ci_high, 3)) + "]</span></td>";
}

// " <small>(censored at the horizon)</small>" for such metrics, else "".
std::string CensoredMark(const std::string& metric) {
  return experiment::IsCensoredAtHorizon(metric) ? " <small>(censored at the horizon)</small>" : "";
}

void SummaryTable(std::string& html, const ReportData& data,
                  const std::vector<std::string>& metrics, const std::string& id) {
  const auto& m = data.manifest;
  html += "<div class=\"table-wrap\"><table class=\"summary\" id=\"" + id +
          "\">\n<thead><tr><th>Metric</th><th>Unit</th>";
  for (std::size_t a = 0; a < m.arms.size(); ++a) {
    html += "<th class=\"num\"><span class=\"swatch\" style=\"background:" +
            std::string(PaletteColor(ArmColor(a))) + "\"></span>" + H(m.arms[a]) +
            (a == m.baseline_arm ? " <small>(baseline)</small>" : "") + "</th>";
  }
  html += "</tr></thead>\n<tbody>\n";
  for (const auto& metric : metrics) {
    html += "<tr data-metric=\"" + H(metric) + "\"><th scope=\"row\" title=\"" +
            H(MetricDescription(metric)) + "\">" + H(metric) + CensoredMark(metric) +
            "</th><td class=\"unit\">" + H(MetricUnit(data, metric)) + "</td>";
    for (std::size_t a = 0; a < m.arms.size(); ++a) {
      std::string cell = MeanCell(ArmMetric(data, 0, a, metric));
      cell.insert(3, " data-arm=\"" + H(m.arms[a]) + "\"");
      html += cell;
    }
    html += "</tr>\n";
  }
  html += "</tbody></table></div>\n";
}

void PairedTable(std::string& html, const ReportData& data) {
  const auto& m = data.manifest;
  const std::string& baseline = m.arms[m.baseline_arm];
  html +=
      "<div class=\"table-wrap\"><table class=\"paired\" "
      "id=\"paired-table\">\n<thead><tr><th>Metric</th>";
  for (std::size_t a = 0; a < m.arms.size(); ++a) {
    if (a == m.baseline_arm) continue;
    html += "<th class=\"num\">" + H(m.arms[a]) + " − " + H(baseline) + "</th>";
  }
  html += "</tr></thead>\n<tbody>\n";
  for (const auto& metric : data.key_metrics) {
    html += "<tr><th scope=\"row\">" + H(metric) + "</th>";
    for (std::size_t a = 0; a < m.arms.size(); ++a) {
      if (a == m.baseline_arm) continue;
      const auto* c = Paired(data, 0, m.arms[a], metric);
      if (c == nullptr || c->n == 0) {
        html += "<td class=\"num\">—</td>";
        continue;
      }
      html += "<td class=\"num\" data-arm=\"" + H(m.arms[a]) + "\" data-metric=\"" + H(metric) +
              "\" data-mean-diff=\"" + DataNumber(c->mean_diff) + "\">" +
              H(ShortNumber(c->mean_diff, 3)) + "<span class=\"ci\">[" +
              H(ShortNumber(c->ci_low, 3)) + ", " + H(ShortNumber(c->ci_high, 3)) +
              "]</span><span class=\"stats\">d<sub>z</sub> " + H(ShortNumber(c->cohens_dz, 2)) +
              " · P(A&gt;B) " + H(ShortNumber(c->prob_superiority, 2)) + " · p " +
              H(experiment::FormatPValue(c->t_pvalue)) + "</span></td>";
    }
    html += "</tr>\n";
  }
  html += "</tbody></table></div>\n";
}

// The histogram of a metric per arm, with mean, CI and median markers.
std::string DistributionFor(const ReportData& data, const std::string& metric,
                            const std::string& unit) {
  const auto& m = data.manifest;
  DistributionChart dist;
  dist.frame.id = "dist-" + IdPart(metric);
  dist.frame.width = 700;
  dist.frame.title = Humanize(metric) + " per arm";
  dist.frame.subtitle = "Bars: share of replications per bin. ● mean with 95% CI, | median.";
  dist.frame.data = {{"metric", metric}};
  dist.x = {Humanize(metric), unit};
  for (std::size_t a = 0; a < m.arms.size(); ++a) {
    DistributionSeries s;
    s.name = m.arms[a];
    s.color = ArmColor(a);
    auto it = data.values[a].find(metric);
    if (it != data.values[a].end()) s.values = it->second;
    if (const auto* sum = ArmMetric(data, 0, a, metric); sum != nullptr && sum->n > 0) {
      s.mean = sum->mean;
      s.ci_low = sum->ci_low;
      s.ci_high = sum->ci_high;
      s.median = sum->median;
    }
    dist.series.push_back(std::move(s));
  }
  return RenderDistribution(dist);
}

// A 0/1 metric per arm: the share of replications where it is 1, with its
// 95% CI (clipped to [0, 1]).
std::string ShareChart(const ReportData& data, const std::string& metric) {
  const auto& m = data.manifest;
  IntervalChart share;
  share.frame.id = "dist-" + IdPart(metric);
  share.frame.width = 700;
  share.frame.title = Humanize(metric) + ": share of replications per arm";
  share.frame.subtitle = "● share of replications where it holds, with its 95% CI.";
  share.frame.data = {{"metric", metric}, {"kind", "share"}};
  share.x = {"Share of replications", ""};
  share.show_reference = false;
  for (std::size_t a = 0; a < m.arms.size(); ++a) {
    IntervalRow row;
    row.label = m.arms[a];
    row.color = ArmColor(a);
    if (const auto* sum = ArmMetric(data, 0, a, metric); sum != nullptr && sum->n > 0) {
      row.estimate = sum->mean;
      row.low = std::max(0.0, std::isfinite(sum->ci_low) ? sum->ci_low : sum->mean);
      row.high = std::min(1.0, std::isfinite(sum->ci_high) ? sum->ci_high : sum->mean);
      row.note = ShortNumber(100.0 * sum->mean, 3) + "% of " + std::to_string(sum->n);
    }
    share.rows.push_back(std::move(row));
  }
  return RenderIntervals(share);
}

void DistributionSection(std::string& html, const ReportData& data) {
  const auto& m = data.manifest;
  const std::string& baseline = m.arms[m.baseline_arm];
  for (const auto& metric : data.key_metrics) {
    const std::string unit = MetricUnit(data, metric);
    html += "<figure class=\"metric\" id=\"metric-" + IdPart(metric) + "\">\n<h3>" +
            H(Humanize(metric)) + " <code>" + H(metric) + "</code></h3>\n";
    const std::string description = MetricDescription(metric);
    if (!description.empty()) html += "<p class=\"caption\">" + H(description) + ".</p>\n";
    if (experiment::IsCensoredAtHorizon(metric)) {
      html +=
          "<p class=\"caption censored\">Censored at the horizon: a run that never gets there "
          "counts the horizon, so the mean and CI understate the time it would take; read it "
          "with <code>pmf_reached</code>.</p>\n";
    }
    html += "<div class=\"pair\">\n";
    if (unit == "0/1") {
      // A yes/no outcome: the share of replications per arm with its CI, not
      // a histogram of two bars on [-0.5, 1.5].
      html += ShareChart(data, metric);
    } else {
      html += DistributionFor(data, metric, unit);
    }
    if (m.arms.size() > 1) {
      IntervalChart diff;
      diff.frame.id = "diff-" + IdPart(metric);
      diff.frame.title = "Paired difference vs " + baseline;
      diff.frame.subtitle = "Mean of (arm − baseline) over common-random-number pairs, 95% CI.";
      diff.frame.data = {{"metric", metric}, {"baseline", baseline}};
      diff.frame.width = 500;
      diff.x = {"Difference in " + Humanize(metric), unit};
      for (std::size_t a = 0; a < m.arms.size(); ++a) {
        if (a == m.baseline_arm) continue;
        const auto* c = Paired(data, 0, m.arms[a], metric);
        IntervalRow row;
        row.label = m.arms[a];
        row.color = ArmColor(a);
        if (c != nullptr && c->n > 0) {
          row.estimate = c->mean_diff;
          row.low = c->ci_low;
          row.high = c->ci_high;
          row.note = "P(A>B) " + ShortNumber(c->prob_superiority, 2);
        }
        diff.rows.push_back(std::move(row));
      }
      html += RenderIntervals(diff);
    }
    html += "</div>\n</figure>\n";
  }
}

void FanSection(std::string& html, const ReportData& data) {
  const auto& m = data.manifest;
  static const std::map<std::string, std::pair<std::string, std::string>> kLabels = {
      {"revenue", {"Revenue per month", "currency/month"}},
      {"profit", {"Profit per month", "currency/month"}},
      {"customers", {"Active customers", "accounts"}},
      {"cash", {"Cash", "currency"}},
  };
  for (const char* name : {"revenue", "profit", "customers", "cash"}) {
    auto it = data.fans.find(name);
    if (it == data.fans.end()) continue;
    const auto& [label, unit] = kLabels.at(name);
    FanChart fan;
    fan.frame.id = std::string("fan-") + name;
    fan.frame.title = label + " over time";
    fan.frame.subtitle = "Line: median over replications; band: 10th to 90th percentile.";
    fan.frame.data = {{"series", name}};
    fan.x = {"Month", ""};
    fan.y = {label, unit};
    for (std::size_t a = 0; a < m.arms.size(); ++a) {
      FanSeries s;
      s.name = m.arms[a];
      s.color = ArmColor(a);
      s.x = it->second[a].month;
      s.median = it->second[a].q50;
      s.low = it->second[a].q10;
      s.high = it->second[a].q90;
      fan.series.push_back(std::move(s));
    }
    html += "<figure class=\"fan\">" + RenderFan(fan) + "</figure>\n";
  }
}

void PointTable(std::string& html, const ReportData& data, const ReportOptions& options) {
  const auto& m = data.manifest;
  const auto& s = data.summary;
  const std::size_t shown_metrics = std::min<std::size_t>(data.key_metrics.size(), 2);
  html +=
      "<div class=\"table-wrap\"><table class=\"points\" "
      "id=\"points-table\">\n<thead><tr><th>Point</th>";
  for (const auto& p : s.parameters)
    html += "<th class=\"num\" title=\"" + H(p) + "\">" + H(ShortPath(p)) + "</th>";
  for (std::size_t k = 0; k < shown_metrics; ++k) {
    for (const auto& arm : m.arms)
      html +=
          "<th class=\"num\">" + H(data.key_metrics[k]) + "<br><small>" + H(arm) + "</small></th>";
  }
  html += "</tr></thead>\n<tbody>\n";
  const std::size_t rows = std::min(options.max_point_rows, s.points.size());
  for (std::size_t p = 0; p < rows; ++p) {
    html += "<tr><td>" + std::to_string(s.points[p].point) + "</td>";
    for (double v : s.points[p].parameter_values)
      html += "<td class=\"num\">" + H(ShortNumber(v, 4)) + "</td>";
    for (std::size_t k = 0; k < shown_metrics; ++k) {
      for (std::size_t a = 0; a < m.arms.size(); ++a)
        html += MeanCell(ArmMetric(data, p, a, data.key_metrics[k]));
    }
    html += "</tr>\n";
  }
  html += "</tbody></table></div>\n";
  if (rows < s.points.size()) {
    html += "<p class=\"note\">" + std::to_string(s.points.size() - rows) +
            " more design points are in the database (<code>orgsim export --table "
            "points</code>).</p>\n";
  }
}

void SweepSection(std::string& html, const ReportData& data, const ReportOptions& options) {
  const auto& m = data.manifest;
  const auto& s = data.summary;
  const bool grid = s.design == "grid";
  const std::size_t metrics = std::min(options.max_sweep_metrics, data.key_metrics.size());
  for (std::size_t k = 0; k < metrics; ++k) {
    const std::string& metric = data.key_metrics[k];
    for (std::size_t param = 0; param < s.parameters.size(); ++param) {
      const auto& range = param < m.design.parameters().size() ? m.design.parameters()[param]
                                                               : experiment::ParameterRange{};
      XYChart chart;
      chart.frame.id = "sweep-" + IdPart(metric) + "-" + std::to_string(param);
      chart.frame.title = Humanize(metric) + " vs " + ShortPath(s.parameters[param]);
      chart.frame.data = {{"metric", metric}, {"parameter", s.parameters[param]}};
      chart.x = {s.parameters[param], ""};
      chart.y = {Humanize(metric), MetricUnit(data, metric)};
      chart.log_x = range.log_scale;
      const bool single_param = s.parameters.size() == 1;
      if (grid && single_param) {
        chart.frame.subtitle = "Mean over replications per design point, 95% CI.";
      } else if (grid) {
        chart.frame.subtitle = "Mean over the other parameters' grid values (main effect).";
      } else {
        chart.frame.subtitle = "Each dot: one design point's mean over replications.";
      }
      for (std::size_t a = 0; a < m.arms.size(); ++a) {
        XYSeries series;
        series.name = m.arms[a];
        series.color = ArmColor(a);
        series.lines = grid;
        if (grid && !single_param) {
          std::map<double, std::pair<double, int>> by_value;
          for (std::size_t p = 0; p < s.points.size(); ++p) {
            const auto* sum = ArmMetric(data, p, a, metric);
            if (sum == nullptr || sum->n == 0 || param >= s.points[p].parameter_values.size())
              continue;
            auto& acc = by_value[s.points[p].parameter_values[param]];
            acc.first += sum->mean;
            acc.second += 1;
          }
          for (const auto& [x, acc] : by_value) {
            series.x.push_back(x);
            series.y.push_back(acc.first / acc.second);
          }
        } else {
          for (std::size_t p = 0; p < s.points.size(); ++p) {
            const auto* sum = ArmMetric(data, p, a, metric);
            if (sum == nullptr || sum->n == 0 || param >= s.points[p].parameter_values.size())
              continue;
            series.x.push_back(s.points[p].parameter_values[param]);
            series.y.push_back(sum->mean);
            if (grid) {
              series.y_low.push_back(sum->ci_low);
              series.y_high.push_back(sum->ci_high);
            }
          }
        }
        chart.series.push_back(std::move(series));
      }
      html += "<figure class=\"sweep\">" + RenderXY(chart) + "</figure>\n";
    }
  }
}

void SobolSection(std::string& html, const ReportData& data) {
  const auto& s = data.summary;
  for (const auto& metric : data.key_metrics) {
    for (const auto& sobol : s.sobol) {
      if (sobol.metric != metric) continue;
      BarChart chart;
      chart.frame.id = "sobol-" + IdPart(metric) + "-" + IdPart(sobol.arm);
      chart.frame.title = "Sobol indices of " + Humanize(metric) + " — " + sobol.arm;
      chart.frame.subtitle =
          "Share of the variance of the per-point mean explained by each lever; bootstrap 95% CI.";
      chart.frame.data = {{"metric", metric}, {"arm", sobol.arm}};
      chart.y = {"Sobol index", ""};
      chart.series = {"first order (S1)", "total (ST)"};
      for (std::size_t i = 0; i < sobol.result.indices.size() && i < s.parameters.size(); ++i) {
        const auto& idx = sobol.result.indices[i];
        chart.groups.push_back({.label = ShortPath(s.parameters[i]),
                                .values = {idx.first_order, idx.total},
                                .low = {idx.first_order_low, idx.total_low},
                                .high = {idx.first_order_high, idx.total_high}});
      }
      html += "<figure class=\"sobol\">" + RenderBars(chart) + "</figure>\n";
    }
  }
}

void GraphSection(std::string& html, const ReportData& data) {
  const auto& m = data.manifest;
  for (std::size_t a = 0; a < m.arms.size(); ++a) {
    const auto index = data.scenario->ArmIndex(m.arms[a]);
    if (!index) continue;
    try {
      GraphChart chart = CommunicationGraphChart(data.scenario->arms[*index].config, m.arms[a],
                                                 "graph-" + IdPart(m.arms[a]));
      chart.frame.width = 560;
      chart.height = 520;
      html += "<figure class=\"graph\">" + RenderGraph(chart) + "</figure>\n";
    } catch (const std::exception& e) {
      html += "<p class=\"note\">No graph for " + H(m.arms[a]) + ": " + H(e.what()) + "</p>\n";
    }
  }
}

std::string Render(const ReportData& data, const ReportOptions& options) {
  const auto& m = data.manifest;
  const bool sweep = m.design.size() > 1;
  std::vector<std::pair<std::string, std::string>> sections = {{"summary", "Summary"}};
  if (!sweep) {
    if (!data.key_metrics.empty()) sections.push_back({"distributions", "Outcome distributions"});
    if (!data.fans.empty()) sections.push_back({"timeseries", "Over time"});
  } else {
    sections.push_back({"sweep", "Sweep"});
    if (!data.summary.sobol.empty()) sections.push_back({"sensitivity", "Sensitivity (Sobol)"});
  }
  if (data.scenario) sections.push_back({"graphs", "Communication graphs"});

  std::string html;
  html +=
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"orgsim " +
      H(m.orgsim_version) +
      "\">\n"
      "<title>" +
      H(m.scenario_name) + " — orgsim report</title>\n<style>\n";
  if (const Asset* css = FindAsset("report.css")) html += std::string(css->data);
  html += "</style>\n</head>\n<body>\n<main>\n";
  Header(html, data);
  Nav(html, sections);

  html += "<section id=\"summary\">\n<h2>Summary</h2>\n";
  if (!sweep) {
    html +=
        "<p>Mean of each metric per arm over the replications, with the Student-t 95% confidence "
        "interval of the mean in brackets.</p>\n";
    SummaryTable(html, data, data.key_metrics, "summary-table");
    if (m.arms.size() > 1 && !data.key_metrics.empty()) {
      html +=
          "<h3>Paired differences against the baseline (" + H(m.arms[m.baseline_arm]) +
          ")</h3>\n"
          "<p>Replication r of every arm faces the same market draws (common random numbers), so "
          "differences are paired: mean difference [95% CI], Cohen's d<sub>z</sub>, the "
          "probability "
          "that the arm beats the baseline in a replication, and the paired t-test p-value.</p>\n";
      PairedTable(html, data);
    }
    std::vector<std::string> all;
    for (const auto& metric : data.summary.metrics) all.push_back(metric.name);
    html += "<details><summary>All " + std::to_string(all.size()) + " metrics</summary>\n";
    SummaryTable(html, data, all, "summary-table-all");
    html += "</details>\n";
  } else {
    html += "<p>Design points with each arm's mean [95% CI] of the first key metrics.</p>\n";
    PointTable(html, data, options);
  }
  html += "</section>\n";

  if (!sweep) {
    if (!data.key_metrics.empty()) {
      html +=
          "<section id=\"distributions\">\n<h2>Outcome distributions</h2>\n"
          "<p>Each arm's distribution over replications on a shared axis (left) and the paired "
          "difference against the baseline with its 95% CI (right; the dashed line is no "
          "difference).</p>\n";
      DistributionSection(html, data);
      html += "</section>\n";
    }
    if (!data.fans.empty()) {
      html += "<section id=\"timeseries\">\n<h2>Over time</h2>\n";
      FanSection(html, data);
      html += "</section>\n";
    }
  } else {
    html += "<section id=\"sweep\">\n<h2>Sweep</h2>\n";
    SweepSection(html, data, options);
    html += "</section>\n";
    if (!data.summary.sobol.empty()) {
      html +=
          "<section id=\"sensitivity\">\n<h2>Sensitivity (Sobol indices)</h2>\n"
          "<p>First-order index S1: the share of output variance a lever explains alone; total "
          "index ST: "
          "alone and in interaction with the others. ST well above S1 means the lever acts through "
          "interactions.</p>\n";
      SobolSection(html, data);
      html += "</section>\n";
    }
  }
  if (data.scenario) {
    html +=
        "<section id=\"graphs\">\n<h2>Communication graphs</h2>\n"
        "<p>Who talks to whom in each design. Clusters are teams, colours roles; a node's size is "
        "its "
        "betweenness centrality (the share of shortest paths through it). The product manager, "
        "when "
        "there is one, is ringed: the glue between functions (claim C7).</p>\n<div "
        "class=\"graphs\">\n";
    GraphSection(html, data);
    html += "</div>\n</section>\n";
  }
  html += "<footer>Generated by orgsim " + H(m.orgsim_version) +
          " from the results of scenario <code>" + H(m.scenario_name) + "</code> (SHA-256 " +
          H(m.scenario_sha256.substr(0, 12)) +
          "…). Self-contained: no scripts, fonts or network access.</footer>\n";
  html += "</main>\n</body>\n</html>\n";
  return html;
}

}  // namespace

std::vector<std::string> DefaultReportMetrics() {
  return {"profit_total",     "revenue_total",
          "customers_end",    "cash_end",
          "survived",         "customer_value_delivered",
          "features_shipped", "time_to_pmf_days",
          "rework_fraction",  "engineer_why_understanding",
          "alignment",        "cycle_time_mean_days"};
}

StatusOr<std::string> BuildHtmlReport(const std::string& db_path, const ReportOptions& options) {
  auto data = LoadData(db_path, options);
  if (!data.ok()) return data.status();
  return Render(*data, options);
}

}  // namespace orgsim::report
