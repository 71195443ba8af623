// Chart primitives: well-formed, deterministic SVG whose data attributes
// carry the numbers that were drawn.
#include "engine/report/charts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "engine/report/svg.h"

namespace orgsim::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Counts occurrences of `needle`.
int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (std::size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

// XML well-formedness (tags balance, attributes quoted, no stray '<' or
// '&'), checked by Boost.PropertyTree's XML parser.
void ExpectBalancedTags(const std::string& svg) {
  std::istringstream in(svg);
  boost::property_tree::ptree tree;
  try {
    boost::property_tree::read_xml(in, tree);
  } catch (const boost::property_tree::xml_parser_error& e) {
    ADD_FAILURE() << "not well-formed XML: " << e.what() << "\n" << svg.substr(0, 400);
  }
}

TEST(SvgTest, NiceRangesAndTicks) {
  NiceRange r = MakeNiceRange(0.13, 0.87, 5);
  EXPECT_DOUBLE_EQ(r.step, 0.2);
  EXPECT_DOUBLE_EQ(r.lo, 0.0);
  EXPECT_DOUBLE_EQ(r.hi, 1.0);
  std::vector<double> ticks = Ticks(r);
  ASSERT_EQ(ticks.size(), 6u);
  EXPECT_DOUBLE_EQ(ticks[3], 0.6);
  r = MakeNiceRange(-3.2e6, 1.1e7, 6);
  EXPECT_LE(r.lo, -3.2e6);
  EXPECT_GE(r.hi, 1.1e7);
  EXPECT_EQ(TickLabel(2.5e6, 2.5e6), "2.5M");
  EXPECT_EQ(TickLabel(-4e6, 2e6), "\u22124M");
  EXPECT_EQ(TickLabel(0.25, 0.05), "0.25");
  EXPECT_EQ(TickLabel(20000, 10000), "20k");
  // Degenerate ranges widen instead of dividing by zero.
  r = MakeNiceRange(5, 5, 5);
  EXPECT_LT(r.lo, 5);
  EXPECT_GT(r.hi, 5);
}

TEST(SvgTest, NumbersAreLocaleFreeAndNeverNan) {
  EXPECT_EQ(Coord(12.345), "12.35");
  EXPECT_EQ(Coord(-0.001), "0");
  EXPECT_EQ(Coord(3.0), "3");
  EXPECT_EQ(Coord(std::nan("")), "0");
  EXPECT_EQ(DataNumber(1234567.5), "1234567.5");
  EXPECT_EQ(DataNumber(std::nan("")), "NaN");
  EXPECT_EQ(ShortNumber(1234567), "1.23M");
  EXPECT_EQ(ShortNumber(-0.04213), "\u22120.0421");
  EXPECT_EQ(ShortNumber(0), "0");
  EXPECT_EQ(XmlEscape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
}

TEST(SvgTest, PaletteIsOkabeIto) {
  EXPECT_EQ(PaletteColor(0), "#E69F00");
  EXPECT_EQ(PaletteColor(1), "#56B4E9");
  EXPECT_EQ(PaletteColor(2), "#009E73");
  EXPECT_EQ(PaletteColor(kPaletteSize), PaletteColor(0));
}

DistributionChart SampleDistribution() {
  DistributionChart chart;
  chart.frame.id = "dist-profit";
  chart.frame.title = "Profit <total>";
  chart.frame.data = {{"metric", "profit_total"}};
  chart.x = {"Profit", "currency"};
  for (int arm = 0; arm < 2; ++arm) {
    DistributionSeries s;
    s.name = arm == 0 ? "project_mode" : "product_led";
    s.color = static_cast<std::size_t>(arm);
    for (int i = 0; i < 200; ++i) s.values.push_back(1e6 * (arm + 1) + 1e4 * ((i * 37) % 100));
    s.values.push_back(std::nan(""));  // skipped
    s.mean = 1e6 * (arm + 1) + 495000;
    s.ci_low = s.mean - 4e4;
    s.ci_high = s.mean + 4e4;
    s.median = s.mean;
    chart.series.push_back(s);
  }
  return chart;
}

TEST(ChartsTest, DistributionHasSeriesAttributesTitleAndAxis) {
  const std::string svg = RenderDistribution(SampleDistribution());
  ExpectBalancedTags(svg);
  EXPECT_EQ(Count(svg, "<svg "), 1);
  EXPECT_THAT(svg, HasSubstr("data-chart=\"distribution\""));
  EXPECT_THAT(svg, HasSubstr("data-metric=\"profit_total\""));
  EXPECT_THAT(svg, HasSubstr("<title>Profit &lt;total&gt;</title>"));
  EXPECT_THAT(svg, HasSubstr("Profit (currency)"));
  EXPECT_THAT(svg, HasSubstr("data-series=\"product_led\" data-n=\"200\" data-mean=\"2495000\""));
  EXPECT_THAT(svg, HasSubstr("#E69F00"));
  EXPECT_THAT(svg, Not(HasSubstr("nan")));
  EXPECT_THAT(svg, Not(HasSubstr("<script")));
  // Same input, same bytes.
  EXPECT_EQ(svg, RenderDistribution(SampleDistribution()));
}

TEST(ChartsTest, DistributionOfBinaryMetricUsesIntegerBins) {
  DistributionChart chart;
  chart.frame.title = "Survived";
  DistributionSeries s;
  s.name = "a";
  s.values = {0, 1, 1, 1};
  chart.series.push_back(s);
  const std::string svg = RenderDistribution(chart);
  ExpectBalancedTags(svg);
  // Two bars (one per integer) in the series path.
  const auto path = svg.find("<path fill=");
  ASSERT_NE(path, std::string::npos);
  const std::string d = svg.substr(path, svg.find("/>", path) - path);
  EXPECT_EQ(Count(d, "M"), 2);
}

TEST(ChartsTest, EmptyAndDegenerateInputsStillRender) {
  DistributionChart empty;
  empty.frame.title = "Nothing";
  DistributionSeries a;
  a.name = "a";
  empty.series.push_back(a);
  const std::string svg = RenderDistribution(empty);
  ExpectBalancedTags(svg);
  EXPECT_THAT(svg, HasSubstr("no data"));
  FanChart fan;
  fan.frame.title = "Empty fan";
  ExpectBalancedTags(RenderFan(fan));
  XYChart xy;
  xy.frame.title = "Empty";
  ExpectBalancedTags(RenderXY(xy));
  BarChart bars;
  bars.frame.title = "Empty";
  ExpectBalancedTags(RenderBars(bars));
  GraphChart graph;
  graph.frame.title = "Empty";
  ExpectBalancedTags(RenderGraph(graph));
}

TEST(ChartsTest, IntervalsCarryEstimateAndBounds) {
  IntervalChart chart;
  chart.frame.title = "Paired difference";
  chart.x = {"Profit difference", "currency"};
  chart.rows.push_back({.label = "product_led",
                        .estimate = 1.5e6,
                        .low = 1.1e6,
                        .high = 1.9e6,
                        .color = 1,
                        .note = "P(A>B) 0.81"});
  chart.rows.push_back(
      {.label = "no_pm", .estimate = -2e5, .low = -5e5, .high = 1e5, .color = 2, .note = ""});
  const std::string svg = RenderIntervals(chart);
  ExpectBalancedTags(svg);
  EXPECT_THAT(svg,
              HasSubstr("data-label=\"product_led\" data-estimate=\"1500000\" data-low=\"1100000\" "
                        "data-high=\"1900000\""));
  EXPECT_THAT(svg, HasSubstr("class=\"reference\""));
  EXPECT_THAT(svg, HasSubstr("1.5M [1.1M, 1.9M]"));
}

TEST(ChartsTest, FanChartDrawsBandAndMedianPerSeries) {
  FanChart chart;
  chart.frame.title = "Revenue per month";
  chart.x = {"Month", ""};
  chart.y = {"Revenue", "currency/month"};
  for (int arm = 0; arm < 2; ++arm) {
    FanSeries s;
    s.name = "arm" + std::to_string(arm);
    s.color = static_cast<std::size_t>(arm);
    for (int m = 1; m <= 36; ++m) {
      s.x.push_back(m);
      s.median.push_back(1000.0 * m * (arm + 1));
      s.low.push_back(800.0 * m * (arm + 1));
      s.high.push_back(1200.0 * m * (arm + 1));
    }
    chart.series.push_back(s);
  }
  const std::string svg = RenderFan(chart);
  ExpectBalancedTags(svg);
  EXPECT_EQ(Count(svg, "class=\"band\""), 2);
  EXPECT_EQ(Count(svg, "<polyline"), 2);
  EXPECT_THAT(svg, HasSubstr("data-series=\"arm1\" data-final-median=\"72000\""));
  EXPECT_THAT(svg, HasSubstr("10–90% of replications"));
  // The time axis ends at the last month (the horizon), not at a round 40:
  // month 36 sits on the right edge of the plot, and no tick lies past it.
  EXPECT_THAT(svg, HasSubstr(">30</text>"));
  EXPECT_THAT(svg, Not(HasSubstr(">40</text>")));
  EXPECT_THAT(svg, HasSubstr(" 700,226\""));
}

TEST(ChartsTest, XYAndBars) {
  XYChart xy;
  xy.frame.title = "Profit vs mandate";
  xy.x = {"organization.pm.mandate", ""};
  xy.y = {"Profit", "currency"};
  xy.series.push_back(
      {.name = "a", .x = {0.8, 0.2, 0.5}, .y = {3, 1, 2}, .y_low = {2, 0, 1}, .y_high = {4, 2, 3}});
  const std::string svg = RenderXY(xy);
  ExpectBalancedTags(svg);
  EXPECT_THAT(svg, HasSubstr("data-points=\"3\""));
  EXPECT_THAT(svg, HasSubstr("data-x=\"0.2\" data-y=\"1\""));

  BarChart bars;
  bars.frame.title = "Sobol indices of profit";
  bars.y = {"Sobol index", ""};
  bars.series = {"first order", "total"};
  bars.groups.push_back(
      {.label = "mandate", .values = {0.4, 0.5}, .low = {0.3, 0.4}, .high = {0.5, 0.6}});
  bars.groups.push_back({.label = "people_sense", .values = {0.1, 0.15}, .low = {}, .high = {}});
  const std::string b = RenderBars(bars);
  ExpectBalancedTags(b);
  EXPECT_THAT(
      b, HasSubstr("data-series=\"total\" data-value=\"0.5\" data-low=\"0.4\" data-high=\"0.6\""));
  EXPECT_EQ(Count(b, "class=\"bar\""), 4);
}

TEST(ChartsTest, GraphLayoutIsDeterministicInsideTheUnitSquareAndSeparatesGroups) {
  GraphChart chart;
  chart.frame.title = "Communication graph";
  chart.groups = {"engineering", "product", "sales", "market"};
  for (int i = 0; i < 40; ++i)
    chart.nodes.push_back({.name = "eng/" + std::to_string(i), .group = 0, .value = 0.01});
  chart.nodes.push_back({.name = "pm/0", .group = 1, .value = 0.42, .highlight = true});
  for (int i = 0; i < 8; ++i)
    chart.nodes.push_back({.name = "sales/" + std::to_string(i), .group = 2});
  chart.nodes.push_back({.name = "market", .group = 3});
  for (int i = 0; i < 40; ++i) chart.edges.push_back({i, 40});
  const auto layout = LayoutGraph(chart);
  ASSERT_EQ(layout.size(), chart.nodes.size());
  for (const auto& [x, y] : layout) {
    EXPECT_GE(x, 0.0);
    EXPECT_LE(x, 1.0);
    EXPECT_GE(y, 0.0);
    EXPECT_LE(y, 1.0);
  }
  // Engineering's centre (top) is far from sales' (bottom).
  EXPECT_LT(layout[0].second, layout[45].second);
  const std::string svg = RenderGraph(chart);
  ExpectBalancedTags(svg);
  EXPECT_THAT(svg, HasSubstr("data-edges=\"40\""));
  EXPECT_THAT(svg, HasSubstr("data-name=\"pm/0\" data-value=\"0.42\""));
  EXPECT_THAT(svg, HasSubstr("pm/0 · betweenness 0.42"));
  EXPECT_EQ(svg, RenderGraph(chart));
}

}  // namespace
}  // namespace orgsim::report
