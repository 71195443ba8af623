// SVG charts for the HTML report and the workshop page.
//
// Each Render* function turns a plain chart description into one
// self-contained <svg> element (inline styles only, no scripts, no fonts),
// with a title, axis titles with units, a legend when there is more than one
// series, and the Okabe–Ito palette (svg.h). Output is a pure function of
// the input: the same chart gives the same bytes.
//
// Every chart carries machine-readable attributes so tests (and the browser
// test) can check that what is drawn is what was computed:
//   <svg class="chart" data-chart="distribution" data-id="...">
//     <g class="series" data-series="product_led" data-n="1000"
//        data-mean="1.23e6" data-ci-low="..." data-ci-high="..." ...>
//
//   DistributionChart chart;
//   chart.frame = {.id = "dist-profit_total", .title = "Profit over the horizon"};
//   chart.x = {"Profit", "currency"};
//   chart.series.push_back({.name = "project_mode", .values = v, .mean = m, ...});
//   std::string svg = RenderDistribution(chart);
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace orgsim::report {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// What every chart has.
struct ChartFrame {
  std::string id;        // data-id and element id (letters, digits, -_)
  std::string title;     // drawn at the top and as the SVG <title>
  std::string subtitle;  // one line under the title (may be empty)
  int width = 720;
  // Extra data-* attributes on the <svg> element, e.g. {"metric", "profit_total"}.
  std::vector<std::pair<std::string, std::string>> data;
};

struct AxisSpec {
  std::string label;
  std::string unit;
};

// ---------------------------------------------------------------------------
// Distributions of one metric, one histogram row per series on a shared x
// axis, with the mean and its 95% CI drawn under each row.
struct DistributionSeries {
  std::string name;
  std::vector<double> values;  // NaN values are skipped
  std::size_t color = 0;       // palette index
  double mean = kNaN;          // markers (from the statistics layer)
  double ci_low = kNaN;
  double ci_high = kNaN;
  double median = kNaN;
};
struct DistributionChart {
  ChartFrame frame;
  AxisSpec x;
  std::vector<DistributionSeries> series;
  // Bins over the shared range; 0 = automatic (integer-valued metrics with a
  // small range get one bin per integer).
  int bins = 0;
};
std::string RenderDistribution(const DistributionChart& chart);

// ---------------------------------------------------------------------------
// Estimates with intervals (forest plot): one row per estimate on a shared x
// axis, an optional reference line (0 for differences).
struct IntervalRow {
  std::string label;
  double estimate = kNaN;
  double low = kNaN;
  double high = kNaN;
  std::size_t color = 0;
  std::string note;  // right-hand text, e.g. "P(A>B) = 0.81"
};
struct IntervalChart {
  ChartFrame frame;
  AxisSpec x;
  std::vector<IntervalRow> rows;
  bool show_reference = true;
  double reference = 0.0;
};
std::string RenderIntervals(const IntervalChart& chart);

// ---------------------------------------------------------------------------
// Fan chart: per series a median line and a shaded low–high band (e.g. the
// 10–90% quantiles over replications) against time.
struct FanSeries {
  std::string name;
  std::size_t color = 0;
  std::vector<double> x;       // e.g. month 1..N
  std::vector<double> median;  // aligned to x
  std::vector<double> low;
  std::vector<double> high;
};
struct FanChart {
  ChartFrame frame;
  AxisSpec x;
  AxisSpec y;
  std::string band_label = "10–90% of replications";
  std::vector<FanSeries> series;
};
std::string RenderFan(const FanChart& chart);

// ---------------------------------------------------------------------------
// x–y chart: points (optionally with vertical error bars) and lines, e.g. a
// metric's mean against a swept lever.
struct XYSeries {
  std::string name;
  std::size_t color = 0;
  std::vector<double> x;
  std::vector<double> y;
  std::vector<double> y_low;  // empty or aligned to y: error bars
  std::vector<double> y_high;
  bool lines = true;  // connect points in x order
  bool markers = true;
};
struct XYChart {
  ChartFrame frame;
  AxisSpec x;
  AxisSpec y;
  bool log_x = false;
  std::vector<XYSeries> series;
};
std::string RenderXY(const XYChart& chart);

// ---------------------------------------------------------------------------
// Grouped bars with optional intervals, e.g. first-order and total Sobol
// indices (two series) per parameter (groups).
struct BarGroup {
  std::string label;
  std::vector<double> values;  // one per series
  std::vector<double> low;     // empty or one per series
  std::vector<double> high;
};
struct BarChart {
  ChartFrame frame;
  AxisSpec y;
  std::vector<std::string> series;  // legend names, colour = index
  std::vector<BarGroup> groups;
};
std::string RenderBars(const BarChart& chart);

// ---------------------------------------------------------------------------
// A communication graph: nodes coloured by group (team/role), sized by a
// centrality value; highlighted nodes (the PM) get a ring and a label.
struct GraphNode {
  std::string name;    // e.g. "pm/0"
  int group = 0;       // index into GraphChart::groups (colour, legend)
  int cluster = -1;    // layout cluster (e.g. the team); -1 = group
  double value = 0.0;  // e.g. betweenness in [0, 1]; sets the radius
  bool highlight = false;
};
struct GraphChartEdge {
  int from = 0;
  int to = 0;
};
struct GraphChart {
  ChartFrame frame;
  std::vector<std::string> groups;  // legend; colour = index
  // Optional colour per group (e.g. stable role colours); empty = palette.
  std::vector<std::string> group_colors;
  std::vector<GraphNode> nodes;
  std::vector<GraphChartEdge> edges;
  std::string value_label = "betweenness";
  int height = 460;
};
// Deterministic layout: clusters (teams) on a circle in index order, each
// cluster's nodes on a sunflower spiral around its centre. Returns (x, y) per node in [0, 1]².
std::vector<std::pair<double, double>> LayoutGraph(const GraphChart& chart);
std::string RenderGraph(const GraphChart& chart);

}  // namespace orgsim::report
