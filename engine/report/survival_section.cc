#include "engine/report/survival_section.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <utility>

#include "engine/experiment/report.h"
#include "engine/report/charts.h"
#include "engine/report/svg.h"

namespace orgsim::report {
namespace {

std::string Number(double v) { return experiment::FormatNumber(v, 4); }

std::string Share(const experiment::Proportion& p) {
  if (!std::isfinite(p.share)) return "n/a";
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.2f [%.2f, %.2f]", p.share, p.ci_low, p.ci_high);
  return buffer;
}

std::string Ratio(const experiment::HazardRatio& hr) {
  if (!hr.estimable) return "n/a (no events in one arm)";
  return Number(hr.ratio) + " [" + Number(hr.ci_low) + ", " + Number(hr.ci_high) + "]";
}

std::string PValue(double p) {
  if (!std::isfinite(p)) return "n/a";
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), p < 1e-4 ? "%.1e" : "%.4f", p);
  return buffer;
}

std::string Median(const experiment::KaplanMeierCurve& curve) {
  return std::isfinite(curve.median) ? Number(curve.median)
                                     : "not reached (> " + Number(curve.last_time) + ")";
}

// What a hazard ratio says, in words.
std::string Reading(const SurvivalContrast& c) {
  const auto& hr = c.hazard_ratio;
  if (!hr.estimable) return "not estimable";
  if (hr.ci_low > 1) return "A reaches the event sooner";
  if (hr.ci_high < 1) return "A reaches the event later";
  return "no significant difference";
}

}  // namespace

std::vector<experiment::SurvivalTime> SurvivalSample(const std::vector<double>& times,
                                                     const std::vector<double>& events) {
  std::vector<experiment::SurvivalTime> sample;
  for (std::size_t r = 0; r < times.size() && r < events.size(); ++r) {
    if (!std::isfinite(times[r]) || !std::isfinite(events[r])) continue;
    sample.push_back({.time = times[r], .event = events[r] == 1});
  }
  return sample;
}

SurvivalCell MakeSurvivalCell(std::string arm, std::string regime,
                              const std::vector<experiment::SurvivalTime>& sample) {
  SurvivalCell cell;
  cell.arm = std::move(arm);
  cell.regime = std::move(regime);
  cell.curve = experiment::KaplanMeier(sample);
  cell.reached = cell.curve.events;
  cell.share = experiment::WilsonInterval(cell.reached, sample.size());
  return cell;
}

SurvivalContrast MakeSurvivalContrast(std::string comparison, std::string regime,
                                      const std::vector<experiment::SurvivalTime>& a,
                                      const std::vector<experiment::SurvivalTime>& b) {
  return {.comparison = std::move(comparison),
          .regime = std::move(regime),
          .hazard_ratio = experiment::CoxHazardRatio(a, b),
          .log_rank = experiment::LogRankTest(a, b)};
}

std::string SurvivalMarkdown(const SurvivalSection& s) {
  std::string md;
  md += "**Survival: `" + s.time_metric + "`** (event: `" + s.event_metric +
        "` = 1; a run without the event is censored at its time, the horizon). Kaplan–Meier "
        "(1958) per cell with Greenwood's variance; each arm against the baseline as a Cox "
        "(1972) hazard ratio (one binary covariate, Newton–Raphson on the partial likelihood, "
        "Efron ties, Wald 95% CI) and a log-rank test. HR > 1: the event comes sooner in A.\n\n";
  md +=
      "| arm | regime | runs | reached the event: share [95% CI] | KM median | S at the last time "
      "|\n";
  md += "|---|---|---|---|---|---|\n";
  for (const SurvivalCell& c : s.cells) {
    const double last = c.curve.steps.empty() ? 1.0 : c.curve.steps.back().survival;
    md += "| " + c.arm + " | " + (c.regime.empty() ? "—" : c.regime) + " | " +
          std::to_string(c.curve.n) + " | " + Share(c.share) + " | " + Median(c.curve) + " | " +
          Number(last) + " |\n";
  }
  md +=
      "\n| comparison | regime | hazard ratio [95% CI] | log-rank χ² (p) | O/E in A | reading |\n";
  md += "|---|---|---|---|---|---|\n";
  for (const SurvivalContrast& c : s.contrasts) {
    md += "| " + c.comparison + " | " + (c.regime.empty() ? "—" : c.regime) + " | " +
          Ratio(c.hazard_ratio) + " | " + Number(c.log_rank.chi_square) + " (" +
          PValue(c.log_rank.p_value) + ") | " + Number(c.log_rank.observed_a) + "/" +
          Number(c.log_rank.expected_a) + " | " + Reading(c) + " |\n";
  }
  return md + "\n";
}

std::string SurvivalHtml(const SurvivalSection& s, const std::string& id) {
  std::string html;
  // One chart per regime, arms in order.
  std::vector<std::string> regimes;
  std::map<std::string, std::vector<const SurvivalCell*>> by_regime;
  for (const SurvivalCell& c : s.cells) {
    if (by_regime.find(c.regime) == by_regime.end()) regimes.push_back(c.regime);
    by_regime[c.regime].push_back(&c);
  }
  int chart_index = 0;
  for (const std::string& regime : regimes) {
    FanChart chart;
    chart.frame.id = id + "-km-" + std::to_string(chart_index++);
    chart.frame.title = "Kaplan–Meier: share of runs without the event (" + s.event_metric +
                        ") yet" + (regime.empty() ? "" : ", " + regime);
    chart.frame.subtitle = "Runs without the event are censored at the horizon.";
    chart.frame.data = {{"metric", s.time_metric}};
    chart.band_label = "95% pointwise CI (log-log)";
    chart.x = {s.time_metric, "days"};
    chart.y = {"S(t)", ""};
    std::size_t color = 0;
    for (const SurvivalCell* c : by_regime[regime]) {
      FanSeries series;
      series.name = c->arm;
      series.color = color++;
      const auto add = [&](double t, double v, double lo, double hi) {
        series.x.push_back(t);
        series.median.push_back(v);
        series.low.push_back(lo);
        series.high.push_back(hi);
      };
      add(0, 1, 1, 1);
      double s_prev = 1, lo_prev = 1, hi_prev = 1;
      for (const auto& step : c->curve.steps) {
        add(step.time, s_prev, lo_prev, hi_prev);  // the horizontal run, then the drop
        add(step.time, step.survival, step.ci_low, step.ci_high);
        s_prev = step.survival;
        lo_prev = step.ci_low;
        hi_prev = step.ci_high;
      }
      add(c->curve.last_time, s_prev, lo_prev, hi_prev);
      chart.series.push_back(std::move(series));
    }
    html += "<figure>" + RenderFan(chart) + "</figure>\n";
  }
  html +=
      "<table>\n<tr><th>arm</th><th>regime</th><th>runs</th><th>reached: share [95% CI]</th>"
      "<th>KM median</th></tr>\n";
  for (const SurvivalCell& c : s.cells) {
    html += "<tr><td>" + XmlEscape(c.arm) + "</td><td>" + XmlEscape(c.regime) + "</td><td>" +
            std::to_string(c.curve.n) + "</td><td>" + Share(c.share) + "</td><td>" +
            XmlEscape(Median(c.curve)) + "</td></tr>\n";
  }
  html +=
      "</table>\n<table>\n<tr><th>comparison</th><th>regime</th><th>hazard ratio [95% CI]"
      "</th><th>log-rank χ² (p)</th><th>reading</th></tr>\n";
  for (const SurvivalContrast& c : s.contrasts) {
    html += "<tr><td>" + XmlEscape(c.comparison) + "</td><td>" + XmlEscape(c.regime) + "</td><td>" +
            XmlEscape(Ratio(c.hazard_ratio)) + "</td><td>" + Number(c.log_rank.chi_square) + " (" +
            PValue(c.log_rank.p_value) + ")</td><td>" + XmlEscape(Reading(c)) + "</td></tr>\n";
  }
  return html + "</table>\n";
}

}  // namespace orgsim::report
