#include "engine/report/explore_section.h"

#include <algorithm>
#include <cmath>

#include "engine/report/svg.h"

namespace orgsim::report {
namespace {

using experiment::PrimResult;
using experiment::Verdict;
using experiment::WinShare;

constexpr std::string_view kABetterColor = "#009E73";  // bluish green
constexpr std::string_view kBBetterColor = "#D55E00";  // vermillion
constexpr std::string_view kTieColor = "#BBBBBB";

std::string H(std::string_view text) { return XmlEscape(text); }

std::string Percent(double share) { return ShortNumber(100.0 * share, 3) + "%"; }

// One stacked bar row: A better | tie | B better.
void ShareRow(std::string& svg, double y, const std::string& label, const WinShare& s) {
  const double x0 = 190, width = 420, height = 18;
  svg += "<text x=\"" + Coord(x0 - 8) + "\" y=\"" + Coord(y + 13) +
         "\" text-anchor=\"end\" font-size=\"12\">" + H(label) + "</text>\n";
  double x = x0;
  const std::pair<std::size_t, std::string_view> parts[] = {
      {s.a_better, kABetterColor}, {s.tie, kTieColor}, {s.b_better, kBBetterColor}};
  for (const auto& [count, color] : parts) {
    const double w = width * s.share(count);
    if (w <= 0) continue;
    svg += "<rect x=\"" + Coord(x) + "\" y=\"" + Coord(y) + "\" width=\"" + Coord(w) +
           "\" height=\"" + Coord(height) + "\" fill=\"" + std::string(color) + "\" data-count=\"" +
           std::to_string(count) + "\"><title>" + std::to_string(count) + " of " +
           std::to_string(s.points()) + " points</title></rect>\n";
    x += w;
  }
  svg += "<text x=\"" + Coord(x0 + width + 8) + "\" y=\"" + Coord(y + 13) + "\" font-size=\"12\">" +
         Percent(s.share(s.a_better)) + " / " + Percent(s.share(s.tie)) + " / " +
         Percent(s.share(s.b_better)) + "</text>\n";
}

std::string ShareChart(const io::ExploreMetricComparison& c) {
  std::string svg =
      "<svg class=\"explore-share\" xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" "
      "height=\"110\" role=\"img\" aria-label=\"share of the uncertainty space\">\n";
  ShareRow(svg, 8, "Benjamini-Hochberg", c.analysis.shares.benjamini_hochberg);
  ShareRow(svg, 32, "raw (95% CI)", c.analysis.shares.raw);
  ShareRow(svg, 56, "Holm", c.analysis.shares.holm);
  const std::pair<std::string, std::string_view> legend[] = {
      {c.arm + " better", kABetterColor},
      {"tie", kTieColor},
      {c.baseline + " better", kBBetterColor}};
  double x = 190;
  for (const auto& [text, color] : legend) {
    svg += "<rect x=\"" + Coord(x) + "\" y=\"88\" width=\"12\" height=\"12\" fill=\"" +
           std::string(color) + "\"/><text x=\"" + Coord(x + 16) + "\" y=\"98\" font-size=\"12\">" +
           H(text) + "</text>\n";
    x += 30 + TextWidth(text, 12);
  }
  return svg + "</svg>\n";
}

// The two dimensions a box is drawn on.
std::pair<std::size_t, std::size_t> DrawnDimensions(const PrimResult& box,
                                                    const experiment::ExploreComparison& a,
                                                    std::size_t dims) {
  std::vector<std::size_t> chosen;
  for (const auto& lim : box.box.restricted) chosen.push_back(lim.dimension);
  for (const auto& s : a.sensitivity) {
    if (std::find(chosen.begin(), chosen.end(), s.dimension) == chosen.end()) {
      chosen.push_back(s.dimension);
    }
  }
  if (chosen.empty()) chosen.push_back(0);
  if (chosen.size() < 2) chosen.push_back(dims > 1 ? (chosen[0] + 1) % dims : chosen[0]);
  return {chosen[0], chosen[1]};
}

std::string BoxChart(const io::ExploreReport& report, const io::ExploreMetricComparison& c,
                     const PrimResult& box, const std::string& title) {
  const auto& space = report.space;
  const auto& a = c.analysis;
  const std::size_t d = space.dimensions();
  std::string html = "<figure class=\"explore-box\"><figcaption>" + H(title) + ": ";
  if (box.cases_of_interest == 0) {
    return html + "no explored point is such a case.</figcaption></figure>\n";
  }
  html += "coverage " + ShortNumber(box.box.coverage, 2) + ", density " +
          ShortNumber(box.box.density, 2) + ", mass " + ShortNumber(box.box.mass, 2) +
          (box.meets_threshold ? "" : " (below the density threshold 0.8)") + "</figcaption>\n";
  const auto [ix, iy] = DrawnDimensions(box, a, d);
  const double left = 70, top = 10, width = 300, height = 220;
  LinearScale sx(space.low[ix], space.high[ix], left, left + width);
  LinearScale sy(space.low[iy], space.high[iy], top + height, top);
  html += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"280\" role=\"img\">\n";
  html += "<rect x=\"" + Coord(left) + "\" y=\"" + Coord(top) + "\" width=\"" + Coord(width) +
          "\" height=\"" + Coord(height) + "\" fill=\"none\" stroke=\"" + std::string(kAxisColor) +
          "\"/>\n";
  const std::vector<Verdict>& verdicts = a.shares.benjamini_hochberg.verdicts;
  for (std::size_t p = 0; p < space.points(); ++p) {
    const std::string_view color = verdicts[p] == Verdict::kABetter   ? kABetterColor
                                   : verdicts[p] == Verdict::kBBetter ? kBBetterColor
                                                                      : kTieColor;
    html += "<circle cx=\"" + Coord(sx(space.values[p * d + ix])) + "\" cy=\"" +
            Coord(sy(space.values[p * d + iy])) + "\" r=\"3\" fill=\"" + std::string(color) +
            "\"/>\n";
  }
  const double x0 = sx(box.box.low[ix]), x1 = sx(box.box.high[ix]);
  const double y0 = sy(box.box.high[iy]), y1 = sy(box.box.low[iy]);
  html += "<rect class=\"prim-box\" x=\"" + Coord(x0) + "\" y=\"" + Coord(y0) + "\" width=\"" +
          Coord(x1 - x0) + "\" height=\"" + Coord(y1 - y0) +
          "\" fill=\"none\" stroke=\"#0072B2\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>\n";
  // The ranges' ends, so the box's bounds can be read off the frame.
  auto label = [&](double x, double y, const char* anchor, double value) {
    html += "<text x=\"" + Coord(x) + "\" y=\"" + Coord(y) + "\" text-anchor=\"" + anchor +
            "\" font-size=\"10\">" + ShortNumber(value, 3) + "</text>\n";
  };
  label(left, top + height + 14, "start", space.low[ix]);
  label(left + width, top + height + 14, "end", space.high[ix]);
  label(left - 4, top + height, "end", space.low[iy]);
  label(left - 4, top + 10, "end", space.high[iy]);
  html += "<text x=\"" + Coord(left + width / 2) + "\" y=\"" + Coord(top + height + 30) +
          "\" text-anchor=\"middle\" font-size=\"11\">" + H(space.names[ix]) + "</text>\n";
  html += "<text x=\"14\" y=\"" + Coord(top + height / 2) +
          "\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 14 " +
          Coord(top + height / 2) + ")\">" + H(space.names[iy]) + "</text>\n";
  html += "</svg>\n<table><tr><th>restricted uncertainty</th><th>low</th><th>high</th></tr>\n";
  for (const auto& lim : box.box.restricted) {
    html += "<tr><td>" + H(space.names[lim.dimension]) + "</td><td>" + ShortNumber(lim.low, 4) +
            "</td><td>" + ShortNumber(lim.high, 4) + "</td></tr>\n";
  }
  if (box.box.restricted.empty())
    html += "<tr><td colspan=\"3\">none (the whole space)</td></tr>\n";
  return html + "</table></figure>\n";
}

}  // namespace

std::string ExploreSectionHtml(const io::ExploreReport& report) {
  std::string html = "<section id=\"explore\">\n<h2>Explore: where each design wins</h2>\n";
  html += "<p>" + std::to_string(report.space.points()) + " Latin-hypercube points of " +
          std::to_string(report.space.dimensions()) + " uncertainties × " +
          std::to_string(report.replications) +
          " paired replications (common random numbers across arms and points). A point counts "
          "for an arm when the paired t-test of A − B is significant at 5% after "
          "Benjamini–Hochberg across the points; raw and Holm rows show the same counts without "
          "correction and with family-wise control.</p>\n";
  for (const io::ExploreMetricComparison& c : report.comparisons) {
    html += "<h3>" + H(c.arm) + " vs " + H(c.baseline) + " on " + H(c.metric) + "</h3>\n";
    html += ShareChart(c);
    html += "<div class=\"explore-boxes\">\n";
    html += BoxChart(report, c, c.analysis.b_wins, "Where " + c.baseline + " wins");
    html += BoxChart(report, c, c.analysis.claim_fails,
                     "Where the claim fails (" + c.arm + " not better)");
    html +=
        "</div>\n<table><tr><th>uncertainty</th><th>first-order index</th>"
        "<th>rank correlation</th></tr>\n";
    for (const auto& s : c.analysis.sensitivity) {
      html += "<tr><td>" + H(report.space.names[s.dimension]) + "</td><td>" +
              ShortNumber(s.effect.first_order, 2) + "</td><td>" +
              ShortNumber(s.effect.rank_correlation, 2) + "</td></tr>\n";
    }
    html += "</table>\n";
  }
  return html + "</section>\n";
}

void InsertExploreSection(std::string& html, const io::ExploreReport& report) {
  const std::string section = ExploreSectionHtml(report);
  const std::size_t body_end = html.rfind("</body>");
  if (body_end == std::string::npos) {
    html += section;
  } else {
    html.insert(body_end, section);
  }
}

}  // namespace orgsim::report
