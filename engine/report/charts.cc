#include "engine/report/charts.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <string_view>

#include "engine/report/svg.h"

namespace orgsim::report {
namespace {

constexpr double kTitleSize = 15;
constexpr double kFontSize = 12;
constexpr double kSmallSize = 11;
constexpr std::string_view kMutedColor = "#666666";
constexpr std::string_view kFontFamily =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

bool Finite(double v) { return std::isfinite(v); }

// Appends text to an output string (a tiny stream without locale effects).
class Out {
 public:
  Out& operator<<(std::string_view s) {
    text_.append(s);
    return *this;
  }
  Out& operator<<(const std::string& s) {
    text_.append(s);
    return *this;
  }
  Out& operator<<(const char* s) {
    text_.append(s);
    return *this;
  }
  Out& operator<<(char c) {
    text_.push_back(c);
    return *this;
  }
  Out& operator<<(int v) {
    text_.append(std::to_string(v));
    return *this;
  }
  Out& operator<<(std::size_t v) {
    text_.append(std::to_string(v));
    return *this;
  }
  std::string& str() { return text_; }

 private:
  std::string text_;
};

std::string Attr(std::string_view name, std::string_view value) {
  std::string a = " ";
  a += name;
  a += "=\"";
  a += XmlEscape(value);
  a += '"';
  return a;
}

// Text element; `anchor` is start, middle or end.
void Text(Out& out, double x, double y, std::string_view text, double size,
          std::string_view anchor = "start", std::string_view color = kTextColor,
          std::string_view extra = "") {
  out << "<text x=\"" << Coord(x) << "\" y=\"" << Coord(y) << "\" font-size=\"" << Coord(size)
      << "\" fill=\"" << color << '"';
  if (anchor != "start") out << " text-anchor=\"" << anchor << '"';
  if (!extra.empty()) out << ' ' << extra;
  out << '>' << XmlEscape(text) << "</text>\n";
}

void Line(Out& out, double x1, double y1, double x2, double y2, std::string_view color,
          double width, std::string_view extra = "") {
  out << "<line x1=\"" << Coord(x1) << "\" y1=\"" << Coord(y1) << "\" x2=\"" << Coord(x2)
      << "\" y2=\"" << Coord(y2) << "\" stroke=\"" << color << "\" stroke-width=\"" << Coord(width)
      << '"';
  if (!extra.empty()) out << ' ' << extra;
  out << "/>\n";
}

struct LegendItem {
  std::string label;
  std::string color;
  bool band = false;  // a light patch (a fan's band) rather than a solid one
};

// Lays legend items out in rows within `width`; returns the height used.
double LegendHeight(const std::vector<LegendItem>& items, double width) {
  if (items.empty()) return 0;
  double x = 12;
  int rows = 1;
  for (const auto& item : items) {
    const double w = 18 + TextWidth(item.label, kFontSize) + 16;
    if (x + w > width - 12 && x > 12) {
      ++rows;
      x = 12;
    }
    x += w;
  }
  return rows * 18.0 + 4;
}

void DrawLegend(Out& out, const std::vector<LegendItem>& items, double top, double width) {
  if (items.empty()) return;
  out << "<g class=\"legend\">\n";
  double x = 12;
  double y = top;
  for (const auto& item : items) {
    const double w = 18 + TextWidth(item.label, kFontSize) + 16;
    if (x + w > width - 12 && x > 12) {
      y += 18;
      x = 12;
    }
    out << "<rect x=\"" << Coord(x) << "\" y=\"" << Coord(y)
        << "\" width=\"12\" height=\"12\" rx=\"2\" fill=\"" << item.color << '"'
        << (item.band ? " fill-opacity=\"0.25\"" : "") << "/>\n";
    Text(out, x + 18, y + 10.5, item.label, kFontSize);
    x += w;
  }
  out << "</g>\n";
}

// Opens the <svg> element and draws title, subtitle and legend; returns the
// y where the plot may start.
double OpenChart(Out& out, const ChartFrame& frame, std::string_view kind, double height,
                 const std::vector<LegendItem>& legend) {
  const double width = frame.width;
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\"" << Attr("data-chart", kind)
      << Attr("data-id", frame.id);
  if (!frame.id.empty()) out << Attr("id", frame.id);
  for (const auto& [key, value] : frame.data) out << Attr("data-" + key, value);
  out << " viewBox=\"0 0 " << Coord(width) << ' ' << Coord(height) << "\" width=\"" << Coord(width)
      << "\" height=\"" << Coord(height) << "\" role=\"img\"" << Attr("font-family", kFontFamily)
      << ">\n";
  out << "<title>" << XmlEscape(frame.title) << "</title>\n";
  if (!frame.subtitle.empty()) out << "<desc>" << XmlEscape(frame.subtitle) << "</desc>\n";
  out << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  double y = 22;
  Text(out, 12, y, frame.title, kTitleSize, "start", kTextColor,
       "font-weight=\"600\" class=\"chart-title\"");
  if (!frame.subtitle.empty()) {
    y += 18;
    Text(out, 12, y, frame.subtitle, kSmallSize, "start", kMutedColor);
  }
  y += 10;
  if (legend.size() > 1 || (legend.size() == 1 && legend[0].band)) {
    DrawLegend(out, legend, y, width);
    y += LegendHeight(legend, width);
  }
  return y + 6;
}

double HeaderHeight(const ChartFrame& frame, const std::vector<LegendItem>& legend) {
  double y = 22;
  if (!frame.subtitle.empty()) y += 18;
  y += 10;
  if (legend.size() > 1 || (legend.size() == 1 && legend[0].band)) {
    y += LegendHeight(legend, frame.width);
  }
  return y + 6;
}

std::string CloseChart(Out& out) {
  out << "</svg>\n";
  return std::move(out.str());
}

// A horizontal axis at `y` with ticks, labels, vertical grid lines from
// `grid_top` and the axis title.
void XAxis(Out& out, const LinearScale& scale, const NiceRange& range, double y, double grid_top,
           const std::string& title, bool log10_labels = false) {
  out << "<g class=\"x-axis\">\n";
  for (double t : Ticks(range)) {
    const double px = scale(t);
    Line(out, px, grid_top, px, y, kGridColor, 1);
    Line(out, px, y, px, y + 4, kAxisColor, 1);
    const std::string label = log10_labels ? TickLabel(std::pow(10.0, t), std::pow(10.0, t) / 10)
                                           : TickLabel(t, range.step);
    Text(out, px, y + 16, label, kSmallSize, "middle", kAxisColor);
  }
  Line(out, scale(range.lo), y, scale(range.hi), y, kAxisColor, 1);
  if (!title.empty()) {
    Text(out, (scale(range.lo) + scale(range.hi)) / 2, y + 34, title, kFontSize, "middle",
         kTextColor, "class=\"axis-title\"");
  }
  out << "</g>\n";
}

// A vertical axis at `x` with ticks, labels, horizontal grid lines to
// `grid_right` and the (rotated) axis title.
void YAxis(Out& out, const LinearScale& scale, const NiceRange& range, double x, double grid_right,
           const std::string& title) {
  out << "<g class=\"y-axis\">\n";
  for (double t : Ticks(range)) {
    const double py = scale(t);
    Line(out, x, py, grid_right, py, kGridColor, 1);
    Line(out, x - 4, py, x, py, kAxisColor, 1);
    Text(out, x - 7, py + 4, TickLabel(t, range.step), kSmallSize, "end", kAxisColor);
  }
  Line(out, x, scale(range.lo), x, scale(range.hi), kAxisColor, 1);
  if (!title.empty()) {
    const double cy = (scale(range.lo) + scale(range.hi)) / 2;
    out << "<text class=\"axis-title\" x=\"0\" y=\"0\" font-size=\"" << Coord(kFontSize)
        << "\" fill=\"" << kTextColor << "\" text-anchor=\"middle\" transform=\"translate(16 "
        << Coord(cy) << ") rotate(-90)\">" << XmlEscape(title) << "</text>\n";
  }
  out << "</g>\n";
}

// Min and max over the finite values of several vectors.
struct Extent {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void Add(double v) {
    if (!Finite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
};

// Width of the label column for a set of labels (bounded).
double LabelColumn(const std::vector<std::string>& labels, double min_width, double max_width) {
  double w = min_width;
  for (const auto& l : labels) w = std::max(w, TextWidth(l, kFontSize) + 20);
  return std::min(w, max_width);
}

// Shortens a label to fit `width` pixels, with an ellipsis.
std::string Fit(const std::string& label, double width, double size = kFontSize) {
  if (TextWidth(label, size) <= width) return label;
  std::string out;
  for (char c : label) {
    if (TextWidth(out + c + "...", size) > width) break;
    out += c;
  }
  // Do not cut a UTF-8 sequence in half.
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
  if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0x80)) out.pop_back();
  return out + "\u2026";
}

}  // namespace

// ---------------------------------------------------------------------------
// Distribution
// ---------------------------------------------------------------------------

std::string RenderDistribution(const DistributionChart& chart) {
  Out out;
  const double width = chart.frame.width;
  std::vector<std::string> labels;
  Extent extent;
  bool integral = true;
  std::size_t max_n = 0;
  for (const auto& s : chart.series) {
    labels.push_back(s.name);
    std::size_t n = 0;
    for (double v : s.values) {
      if (!Finite(v)) continue;
      ++n;
      extent.Add(v);
      if (v != std::round(v)) integral = false;
    }
    max_n = std::max(max_n, n);
    extent.Add(s.ci_low);
    extent.Add(s.ci_high);
  }
  if (extent.empty()) {
    extent.lo = 0;
    extent.hi = 1;
  }

  // Bin edges: one per integer for small integer ranges, else equal-width
  // bins over the nice axis range.
  NiceRange range;
  std::vector<double> edges;
  if (integral && extent.hi - extent.lo <= 60 && chart.bins == 0) {
    range = MakeNiceRange(extent.lo - 0.5, extent.hi + 0.5, 6);
    for (double e = extent.lo - 0.5; e <= extent.hi + 0.5 + 1e-9; e += 1.0) edges.push_back(e);
  } else {
    range = MakeNiceRange(extent.lo, extent.hi, 6);
    int bins = chart.bins;
    if (bins <= 0) {
      // Arms often sit in different parts of the shared axis: use enough
      // bins that each arm's shape stays visible.
      bins = static_cast<int>(
          std::ceil(2 * std::sqrt(static_cast<double>(std::max<std::size_t>(max_n, 1)))));
      bins = std::clamp(bins, 20, 50);
    }
    for (int i = 0; i <= bins; ++i) {
      edges.push_back(range.lo + (range.hi - range.lo) * i / bins);
    }
  }
  const std::size_t nbins = edges.size() - 1;

  const double label_w = LabelColumn(labels, 100, 210);
  const double left = 12 + label_w;
  const double right = width - 24;
  const double row_h = 66;
  const double bar_h = 40;
  const double top = HeaderHeight(chart.frame, {});
  const double plot_bottom =
      top + row_h * static_cast<double>(std::max<std::size_t>(chart.series.size(), 1));
  const double height = plot_bottom + 50;
  const LinearScale x(range.lo, range.hi, left, right);

  // Shares per bin, and the largest share (bars are scaled to it, so rows
  // are comparable).
  std::vector<std::vector<double>> shares(chart.series.size(), std::vector<double>(nbins, 0));
  std::vector<std::size_t> counts(chart.series.size(), 0);
  double max_share = 0;
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    for (double v : chart.series[s].values) {
      if (!Finite(v)) continue;
      ++counts[s];
      auto it = std::upper_bound(edges.begin(), edges.end(), v);
      std::size_t bin = it == edges.begin() ? 0 : static_cast<std::size_t>(it - edges.begin()) - 1;
      bin = std::min(bin, nbins - 1);
      shares[s][bin] += 1;
    }
    for (double& c : shares[s]) {
      if (counts[s] > 0) c /= static_cast<double>(counts[s]);
      max_share = std::max(max_share, c);
    }
  }
  if (max_share <= 0) max_share = 1;

  OpenChart(out, chart.frame, "distribution", height, {});
  XAxis(out, x, range, plot_bottom, top, AxisTitle(chart.x.label, chart.x.unit));
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const auto& series = chart.series[s];
    const std::string color(PaletteColor(series.color));
    const double row_top = top + row_h * static_cast<double>(s);
    const double base = row_top + 8 + bar_h;
    out << "<g class=\"series\"" << Attr("data-series", series.name)
        << Attr("data-n", std::to_string(counts[s])) << Attr("data-mean", DataNumber(series.mean))
        << Attr("data-ci-low", DataNumber(series.ci_low))
        << Attr("data-ci-high", DataNumber(series.ci_high))
        << Attr("data-median", DataNumber(series.median)) << ">\n";
    out << "<title>"
        << XmlEscape(series.name + ": mean " + ShortNumber(series.mean, 4) + " [95% CI " +
                     ShortNumber(series.ci_low, 4) + ", " + ShortNumber(series.ci_high, 4) +
                     "], median " + ShortNumber(series.median, 4) +
                     ", n = " + std::to_string(counts[s]))
        << "</title>\n";
    Text(out, 12, row_top + 26, Fit(series.name, label_w - 14), kFontSize, "start", kTextColor,
         "font-weight=\"600\"");
    Text(out, 12, row_top + 42, "n = " + std::to_string(counts[s]), kSmallSize, "start",
         kMutedColor);
    if (counts[s] == 0) {
      Text(out, (left + right) / 2, base - 14, "no data", kSmallSize, "middle", kMutedColor);
    } else {
      // All bars of a series in one path: small output, crisp rendering.
      out << "<path fill=\"" << color << "\" fill-opacity=\"0.85\" d=\"";
      for (std::size_t b = 0; b < nbins; ++b) {
        if (shares[s][b] <= 0) continue;
        const double x0 = x(edges[b]) + 0.5;
        const double x1 = x(edges[b + 1]) - 0.5;
        const double h = std::max(1.0, bar_h * shares[s][b] / max_share);
        out << 'M' << Coord(x0) << ' ' << Coord(base) << 'H' << Coord(std::max(x1, x0 + 0.5)) << 'V'
            << Coord(base - h) << 'H' << Coord(x0) << 'Z';
      }
      out << "\"/>\n";
    }
    Line(out, left, base, right, base, kAxisColor, 0.6);
    // Mean with its CI, and the median, under the bars.
    const double marker_y = base + 9;
    if (Finite(series.ci_low) && Finite(series.ci_high)) {
      Line(out, x(series.ci_low), marker_y, x(series.ci_high), marker_y, kTextColor, 2.5,
           "class=\"ci\" stroke-linecap=\"round\"");
    }
    if (Finite(series.median)) {
      Line(out, x(series.median), marker_y - 6, x(series.median), marker_y + 6, color, 2,
           "class=\"median\"");
    }
    if (Finite(series.mean)) {
      out << "<circle class=\"mean\" cx=\"" << Coord(x(series.mean)) << "\" cy=\""
          << Coord(marker_y) << "\" r=\"4\" fill=\"" << kTextColor
          << "\" stroke=\"#ffffff\" stroke-width=\"1\"/>\n";
    }
    out << "</g>\n";
  }
  return CloseChart(out);
}

// ---------------------------------------------------------------------------
// Intervals
// ---------------------------------------------------------------------------

std::string RenderIntervals(const IntervalChart& chart) {
  Out out;
  const double width = chart.frame.width;
  std::vector<std::string> labels;
  std::vector<std::string> notes;
  Extent extent;
  if (chart.show_reference) extent.Add(chart.reference);
  for (const auto& row : chart.rows) {
    labels.push_back(row.label);
    extent.Add(row.estimate);
    extent.Add(row.low);
    extent.Add(row.high);
    std::string note = ShortNumber(row.estimate) + " [" + ShortNumber(row.low) + ", " +
                       ShortNumber(row.high) + "]";
    if (!row.note.empty()) note += "  " + row.note;
    notes.push_back(note);
  }
  if (extent.empty()) {
    extent.lo = -1;
    extent.hi = 1;
  }
  const NiceRange range = MakeNiceRange(extent.lo, extent.hi, 5);
  double note_w = 0;
  for (const auto& n : notes) note_w = std::max(note_w, TextWidth(n, kSmallSize));
  note_w = std::min(note_w + 16, width * 0.4);
  const double label_w = LabelColumn(labels, 100, 200);
  const double left = 12 + label_w;
  const double right = width - 12 - note_w;
  const double row_h = 28;
  const double top = HeaderHeight(chart.frame, {}) + 4;
  const double plot_bottom =
      top + row_h * static_cast<double>(std::max<std::size_t>(chart.rows.size(), 1));
  const double height = plot_bottom + 50;
  const LinearScale x(range.lo, range.hi, left, right);

  OpenChart(out, chart.frame, "intervals", height, {});
  XAxis(out, x, range, plot_bottom, top - 4, AxisTitle(chart.x.label, chart.x.unit));
  if (chart.show_reference) {
    Line(out, x(chart.reference), top - 4, x(chart.reference), plot_bottom, kAxisColor, 1.2,
         "stroke-dasharray=\"4 3\" class=\"reference\"");
  }
  for (std::size_t r = 0; r < chart.rows.size(); ++r) {
    const auto& row = chart.rows[r];
    const std::string color(PaletteColor(row.color));
    const double cy = top + row_h * (static_cast<double>(r) + 0.5);
    out << "<g class=\"row\"" << Attr("data-label", row.label)
        << Attr("data-estimate", DataNumber(row.estimate)) << Attr("data-low", DataNumber(row.low))
        << Attr("data-high", DataNumber(row.high)) << ">\n";
    out << "<title>" << XmlEscape(row.label + ": " + notes[r]) << "</title>\n";
    Text(out, 12, cy + 4, Fit(row.label, label_w - 14), kFontSize);
    if (Finite(row.low) && Finite(row.high)) {
      Line(out, x(row.low), cy, x(row.high), cy, color, 3, "stroke-linecap=\"round\"");
      Line(out, x(row.low), cy - 6, x(row.low), cy + 6, color, 1.5);
      Line(out, x(row.high), cy - 6, x(row.high), cy + 6, color, 1.5);
    }
    if (Finite(row.estimate)) {
      out << "<circle cx=\"" << Coord(x(row.estimate)) << "\" cy=\"" << Coord(cy)
          << "\" r=\"5\" fill=\"" << color << "\" stroke=\"" << kTextColor
          << "\" stroke-width=\"1\"/>\n";
    }
    Text(out, right + 12, cy + 4, notes[r], kSmallSize, "start", kMutedColor);
    out << "</g>\n";
  }
  return CloseChart(out);
}

// ---------------------------------------------------------------------------
// Fan chart
// ---------------------------------------------------------------------------

std::string RenderFan(const FanChart& chart) {
  Out out;
  const double width = chart.frame.width;
  std::vector<LegendItem> legend;
  Extent xe, ye;
  for (const auto& s : chart.series) {
    legend.push_back({s.name, std::string(PaletteColor(s.color)), false});
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      xe.Add(s.x[i]);
      if (i < s.median.size()) ye.Add(s.median[i]);
      if (i < s.low.size()) ye.Add(s.low[i]);
      if (i < s.high.size()) ye.Add(s.high[i]);
    }
  }
  legend.push_back({chart.band_label, "#777777", true});
  if (xe.empty()) xe = {0, 1};
  if (ye.empty()) ye = {0, 1};
  NiceRange xr = MakeNiceRange(xe.lo, xe.hi, 7);
  // Time ends at the last month simulated (the horizon), not at a round tick.
  xr.hi = xe.hi;
  // Non-negative series (revenue, customers) start at zero.
  const NiceRange yr = MakeNiceRange(ye.lo >= 0 ? 0.0 : ye.lo, ye.hi, 6);
  const double top = HeaderHeight(chart.frame, legend) + 6;
  const double plot_h = 250;
  const double bottom = top + plot_h;
  const double height = bottom + 50;
  const double left = 78, right = width - 20;
  const LinearScale x(xr.lo, xr.hi, left, right);
  const LinearScale y(yr.lo, yr.hi, bottom, top);

  OpenChart(out, chart.frame, "fan", height, legend);
  YAxis(out, y, yr, left, right, AxisTitle(chart.y.label, chart.y.unit));
  XAxis(out, x, xr, bottom, top, AxisTitle(chart.x.label, chart.x.unit));
  if (yr.lo < 0 && yr.hi > 0) Line(out, left, y(0), right, y(0), kAxisColor, 1);
  // Bands first (all series), then the lines on top, so no band hides a line.
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& s : chart.series) {
      const std::string color(PaletteColor(s.color));
      std::vector<std::size_t> idx;
      for (std::size_t i = 0;
           i < s.x.size() && i < s.median.size() && i < s.low.size() && i < s.high.size(); ++i) {
        if (Finite(s.x[i]) && Finite(s.median[i]) && Finite(s.low[i]) && Finite(s.high[i]))
          idx.push_back(i);
      }
      if (idx.empty()) continue;
      if (pass == 0) {
        out << "<path class=\"band\"" << Attr("data-series", s.name) << " fill=\"" << color
            << "\" fill-opacity=\"0.2\" stroke=\"none\" d=\"";
        for (std::size_t k = 0; k < idx.size(); ++k) {
          out << (k == 0 ? 'M' : 'L') << Coord(x(s.x[idx[k]])) << ' ' << Coord(y(s.high[idx[k]]));
        }
        for (std::size_t k = idx.size(); k-- > 0;) {
          out << 'L' << Coord(x(s.x[idx[k]])) << ' ' << Coord(y(s.low[idx[k]]));
        }
        out << "Z\"/>\n";
      } else {
        const std::size_t last = idx.back();
        out << "<g class=\"series\"" << Attr("data-series", s.name)
            << Attr("data-final-median", DataNumber(s.median[last]))
            << Attr("data-final-low", DataNumber(s.low[last]))
            << Attr("data-final-high", DataNumber(s.high[last])) << ">\n";
        out << "<title>"
            << XmlEscape(s.name + ": median " + ShortNumber(s.median[last], 4) + " at the end (" +
                         ShortNumber(s.low[last], 4) + " to " + ShortNumber(s.high[last], 4) + ")")
            << "</title>\n";
        out << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-width=\"2.2\" points=\"";
        for (std::size_t k = 0; k < idx.size(); ++k) {
          if (k) out << ' ';
          out << Coord(x(s.x[idx[k]])) << ',' << Coord(y(s.median[idx[k]]));
        }
        out << "\"/>\n</g>\n";
      }
    }
  }
  return CloseChart(out);
}

// ---------------------------------------------------------------------------
// x–y chart
// ---------------------------------------------------------------------------

std::string RenderXY(const XYChart& chart) {
  Out out;
  const double width = chart.frame.width;
  std::vector<LegendItem> legend;
  Extent xe, ye;
  auto tx = [&](double v) { return chart.log_x ? (v > 0 ? std::log10(v) : kNaN) : v; };
  std::size_t total_points = 0;
  for (const auto& s : chart.series) {
    legend.push_back({s.name, std::string(PaletteColor(s.color)), false});
    for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!Finite(tx(s.x[i])) || !Finite(s.y[i])) continue;
      ++total_points;
      xe.Add(tx(s.x[i]));
      ye.Add(s.y[i]);
      if (i < s.y_low.size()) ye.Add(s.y_low[i]);
      if (i < s.y_high.size()) ye.Add(s.y_high[i]);
    }
  }
  if (xe.empty()) xe = {0, 1};
  if (ye.empty()) ye = {0, 1};
  const NiceRange xr = MakeNiceRange(xe.lo, xe.hi, 6);
  const NiceRange yr = MakeNiceRange(ye.lo, ye.hi, 6);
  const double top = HeaderHeight(chart.frame, legend) + 6;
  const double plot_h = 240;
  const double bottom = top + plot_h;
  const double height = bottom + 50;
  const double left = 78, right = width - 20;
  const LinearScale x(xr.lo, xr.hi, left, right);
  const LinearScale y(yr.lo, yr.hi, bottom, top);
  const bool dense = total_points > 300;

  OpenChart(out, chart.frame, "xy", height, legend);
  YAxis(out, y, yr, left, right, AxisTitle(chart.y.label, chart.y.unit));
  XAxis(out, x, xr, bottom, top,
        AxisTitle(chart.x.label, chart.x.unit) + (chart.log_x ? " — log scale" : ""), chart.log_x);
  for (const auto& s : chart.series) {
    const std::string color(PaletteColor(s.color));
    std::vector<std::size_t> idx;
    for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (Finite(tx(s.x[i])) && Finite(s.y[i])) idx.push_back(i);
    }
    std::stable_sort(idx.begin(), idx.end(),
                     [&](std::size_t a, std::size_t b) { return s.x[a] < s.x[b]; });
    out << "<g class=\"series\"" << Attr("data-series", s.name)
        << Attr("data-points", std::to_string(idx.size())) << ">\n";
    if (s.lines && idx.size() > 1) {
      out << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-width=\"2\" points=\"";
      for (std::size_t k = 0; k < idx.size(); ++k) {
        if (k) out << ' ';
        out << Coord(x(tx(s.x[idx[k]]))) << ',' << Coord(y(s.y[idx[k]]));
      }
      out << "\"/>\n";
    }
    for (std::size_t i : idx) {
      const double px = x(tx(s.x[i]));
      if (i < s.y_low.size() && i < s.y_high.size() && Finite(s.y_low[i]) && Finite(s.y_high[i])) {
        Line(out, px, y(s.y_low[i]), px, y(s.y_high[i]), color, 1.5);
      }
      if (s.markers) {
        out << "<circle cx=\"" << Coord(px) << "\" cy=\"" << Coord(y(s.y[i])) << "\" r=\""
            << (dense ? "2" : "3.5") << "\" fill=\"" << color << '"'
            << (dense ? " fill-opacity=\"0.55\"" : " stroke=\"#ffffff\" stroke-width=\"1\"");
        if (!dense) out << Attr("data-x", DataNumber(s.x[i])) << Attr("data-y", DataNumber(s.y[i]));
        out << "/>\n";
      }
    }
    out << "</g>\n";
  }
  return CloseChart(out);
}

// ---------------------------------------------------------------------------
// Bars
// ---------------------------------------------------------------------------

std::string RenderBars(const BarChart& chart) {
  Out out;
  const double width = chart.frame.width;
  std::vector<LegendItem> legend;
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    legend.push_back({chart.series[s], std::string(PaletteColor(s)), false});
  }
  Extent ye;
  ye.Add(0);
  for (const auto& g : chart.groups) {
    for (double v : g.values) ye.Add(v);
    for (double v : g.low) ye.Add(v);
    for (double v : g.high) ye.Add(v);
  }
  const NiceRange yr = MakeNiceRange(ye.lo, ye.hi, 6);
  const double left = 70, right = width - 20;
  const double ngroups = static_cast<double>(std::max<std::size_t>(chart.groups.size(), 1));
  const double group_w = (right - left) / ngroups;
  bool rotate = false;
  double max_label = 0;
  for (const auto& g : chart.groups)
    max_label = std::max(max_label, TextWidth(g.label, kSmallSize));
  if (max_label > group_w - 6) rotate = true;
  const double label_h = rotate ? std::min(max_label, 180.0) * 0.6 + 20 : 24;
  const double top = HeaderHeight(chart.frame, legend) + 6;
  const double plot_h = 220;
  const double bottom = top + plot_h;
  const double height = bottom + label_h + 30;
  const LinearScale y(yr.lo, yr.hi, bottom, top);

  OpenChart(out, chart.frame, "bars", height, legend);
  YAxis(out, y, yr, left, right, AxisTitle(chart.y.label, chart.y.unit));
  Line(out, left, y(0), right, y(0), kAxisColor, 1);
  const double nseries = static_cast<double>(std::max<std::size_t>(chart.series.size(), 1));
  const double bar_w = group_w * 0.75 / nseries;
  for (std::size_t g = 0; g < chart.groups.size(); ++g) {
    const auto& group = chart.groups[g];
    const double gx = left + group_w * static_cast<double>(g);
    out << "<g class=\"group\"" << Attr("data-label", group.label) << ">\n";
    for (std::size_t s = 0; s < group.values.size(); ++s) {
      const double v = group.values[s];
      const std::string color(PaletteColor(s));
      const double bx = gx + group_w * 0.125 + bar_w * static_cast<double>(s);
      const std::string name = s < chart.series.size() ? chart.series[s] : "";
      out << "<g class=\"bar\"" << Attr("data-series", name) << Attr("data-value", DataNumber(v));
      const bool has_ci = s < group.low.size() && s < group.high.size();
      if (has_ci)
        out << Attr("data-low", DataNumber(group.low[s]))
            << Attr("data-high", DataNumber(group.high[s]));
      out << ">\n<title>"
          << XmlEscape(group.label + " — " + name + ": " + ShortNumber(v) +
                       (has_ci ? " [" + ShortNumber(group.low[s]) + ", " +
                                     ShortNumber(group.high[s]) + "]"
                               : ""))
          << "</title>\n";
      if (Finite(v)) {
        const double y0 = y(0), y1 = y(v);
        out << "<rect x=\"" << Coord(bx + 1) << "\" y=\"" << Coord(std::min(y0, y1))
            << "\" width=\"" << Coord(std::max(bar_w - 2, 1.0)) << "\" height=\""
            << Coord(std::max(std::abs(y0 - y1), 0.5)) << "\" fill=\"" << color << "\"/>\n";
      }
      if (has_ci && Finite(group.low[s]) && Finite(group.high[s])) {
        const double cx = bx + bar_w / 2;
        Line(out, cx, y(group.low[s]), cx, y(group.high[s]), kTextColor, 1.3);
        Line(out, cx - 3, y(group.low[s]), cx + 3, y(group.low[s]), kTextColor, 1.3);
        Line(out, cx - 3, y(group.high[s]), cx + 3, y(group.high[s]), kTextColor, 1.3);
      }
      out << "</g>\n";
    }
    const double lx = gx + group_w / 2;
    if (rotate) {
      out << "<text x=\"0\" y=\"0\" font-size=\"" << Coord(kSmallSize) << "\" fill=\"" << kTextColor
          << "\" text-anchor=\"end\" transform=\"translate(" << Coord(lx) << ' '
          << Coord(bottom + 14) << ") rotate(-35)\">"
          << XmlEscape(Fit(group.label, 180, kSmallSize)) << "</text>\n";
    } else {
      Text(out, lx, bottom + 16, group.label, kSmallSize, "middle");
    }
    out << "</g>\n";
  }
  return CloseChart(out);
}

// ---------------------------------------------------------------------------
// Graph
// ---------------------------------------------------------------------------

std::vector<std::pair<double, double>> LayoutGraph(const GraphChart& chart) {
  auto cluster_of = [](const GraphNode& n) {
    return std::max(n.cluster >= 0 ? n.cluster : n.group, 0);
  };
  std::size_t groups = 1;
  for (const auto& n : chart.nodes)
    groups = std::max(groups, static_cast<std::size_t>(cluster_of(n)) + 1);
  std::vector<std::vector<std::size_t>> members(groups);
  for (std::size_t i = 0; i < chart.nodes.size(); ++i) {
    members[static_cast<std::size_t>(cluster_of(chart.nodes[i]))].push_back(i);
  }
  // Empty clusters take no place on the circle.
  std::erase_if(members, [](const auto& m) { return m.empty(); });
  groups = std::max<std::size_t>(members.size(), 1);
  members.resize(groups);
  std::size_t largest = 1;
  for (const auto& m : members) largest = std::max(largest, m.size());
  const double ring = groups == 1 ? 0.0 : 0.33;
  // Group discs must not overlap: their radius is bounded by half the chord
  // between neighbouring centres.
  const double max_disc =
      groups == 1 ? 0.45 : std::min(0.15, ring * std::sin(std::numbers::pi / groups) * 0.95);
  std::vector<std::pair<double, double>> positions(chart.nodes.size(), {0.5, 0.5});
  constexpr double kGolden = 2.399963229728653;  // golden angle (radians)
  for (std::size_t g = 0; g < groups; ++g) {
    const double angle =
        -std::numbers::pi / 2 + 2 * std::numbers::pi * static_cast<double>(g) / groups;
    const double cx = 0.5 + ring * std::cos(angle);
    const double cy = 0.5 + ring * std::sin(angle);
    const std::size_t m = members[g].size();
    const double disc = max_disc * std::sqrt(static_cast<double>(m) / static_cast<double>(largest));
    for (std::size_t k = 0; k < m; ++k) {
      if (m == 1) {
        positions[members[g][k]] = {cx, cy};
        continue;
      }
      const double r = disc * std::sqrt((static_cast<double>(k) + 0.5) / static_cast<double>(m));
      const double a = static_cast<double>(k) * kGolden + angle;
      positions[members[g][k]] = {cx + r * std::cos(a), cy + r * std::sin(a)};
    }
  }
  return positions;
}

std::string RenderGraph(const GraphChart& chart) {
  Out out;
  const double width = chart.frame.width;
  std::vector<LegendItem> legend;
  auto group_color = [&](std::size_t g) {
    return g < chart.group_colors.size() ? chart.group_colors[g] : std::string(PaletteColor(g));
  };
  for (std::size_t g = 0; g < chart.groups.size(); ++g)
    legend.push_back({chart.groups[g], group_color(g), false});
  const double top = HeaderHeight(chart.frame, legend);
  const double height = std::max<double>(chart.height, top + 200);
  const double size = std::min(width - 24, height - top - 12);
  const double ox = (width - size) / 2;
  const double oy = top;
  const auto layout = LayoutGraph(chart);
  auto px = [&](std::size_t i) { return ox + layout[i].first * size; };
  auto py = [&](std::size_t i) { return oy + layout[i].second * size; };
  auto radius = [&](double v) {
    return 3.0 + 14.0 * std::sqrt(std::clamp(Finite(v) ? v : 0.0, 0.0, 1.0));
  };

  OpenChart(out, chart.frame, "graph", height, legend);
  out << "<path class=\"edges\" fill=\"none\" stroke=\"#9a9a9a\" stroke-opacity=\"0.45\" "
         "stroke-width=\"0.8\" d=\"";
  std::size_t drawn = 0;
  for (const auto& e : chart.edges) {
    if (e.from < 0 || e.to < 0 || static_cast<std::size_t>(e.from) >= layout.size() ||
        static_cast<std::size_t>(e.to) >= layout.size()) {
      continue;
    }
    ++drawn;
    out << 'M' << Coord(px(e.from)) << ' ' << Coord(py(e.from)) << 'L' << Coord(px(e.to)) << ' '
        << Coord(py(e.to));
  }
  out << "\"" << Attr("data-edges", std::to_string(drawn)) << "/>\n";
  out << "<g class=\"nodes\"" << Attr("data-nodes", std::to_string(chart.nodes.size())) << ">\n";
  // Highlighted nodes last, so they are on top.
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < chart.nodes.size(); ++i) {
      const auto& n = chart.nodes[i];
      if (n.highlight != (pass == 1)) continue;
      const std::string group =
          n.group >= 0 && static_cast<std::size_t>(n.group) < chart.groups.size()
              ? chart.groups[n.group]
              : "";
      out << "<circle cx=\"" << Coord(px(i)) << "\" cy=\"" << Coord(py(i)) << "\" r=\""
          << Coord(radius(n.value)) << "\" fill=\""
          << group_color(static_cast<std::size_t>(std::max(n.group, 0))) << '"'
          << (n.highlight ? " stroke=\"#000000\" stroke-width=\"2.5\""
                          : " stroke=\"#ffffff\" stroke-width=\"1\"")
          << Attr("data-name", n.name) << Attr("data-value", DataNumber(n.value)) << "><title>"
          << XmlEscape(n.name + (group.empty() ? "" : " (" + group + ")") + ": " +
                       chart.value_label + " " + ShortNumber(n.value, 3))
          << "</title></circle>\n";
    }
  }
  out << "</g>\n";
  // One label, on the most central highlighted node (several PMs would
  // overlap): its name, how many are highlighted, and the value.
  std::size_t best = chart.nodes.size();
  std::size_t highlighted = 0;
  for (std::size_t i = 0; i < chart.nodes.size(); ++i) {
    if (!chart.nodes[i].highlight) continue;
    ++highlighted;
    if (best == chart.nodes.size() || chart.nodes[i].value > chart.nodes[best].value) best = i;
  }
  if (best < chart.nodes.size()) {
    const auto& n = chart.nodes[best];
    const std::string label =
        n.name + (highlighted > 1 ? " (+" + std::to_string(highlighted - 1) + ")" : "") + " · " +
        chart.value_label + " " + ShortNumber(n.value, 3);
    const bool left = px(best) > width / 2;
    const double lx = left ? px(best) - radius(n.value) - 4 : px(best) + radius(n.value) + 4;
    Text(out, lx, py(best) - radius(n.value) - 3, label, kFontSize, left ? "end" : "start",
         kTextColor,
         "font-weight=\"600\" paint-order=\"stroke\" stroke=\"#ffffff\" stroke-width=\"3\"");
  }
  return CloseChart(out);
}

}  // namespace orgsim::report
