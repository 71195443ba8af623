// Low-level SVG writing: escaping, deterministic number text, linear scales,
// "nice" axis ticks and the Okabe–Ito palette. The chart renderers
// (charts.h) are built on these; nothing here knows about orgsim's data.
//
// Determinism: every number that reaches the output goes through Coord() or
// DataNumber(), which format with snprintf in the "C" conventions, so the
// same chart gives the same bytes on every run and machine.
//
//   LinearScale x(0, 100, 60, 620);          // domain -> pixels
//   for (double t : NiceTicks(0, 100, 5)) svg << "<line x1=\"" << Coord(x(t)) << ...;
//   std::string label = TickLabel(2.5e6, 1e6);  // "2.5M"
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/xml_escape.h"

namespace orgsim::report {

// Every writer here escapes text with the base layer's XmlEscape.
using ::orgsim::XmlEscape;

// A pixel coordinate: at most two decimals, trailing zeros dropped ("12.5",
// "-3", "0"). NaN/inf become "0" (callers filter them; never emit "nan").
std::string Coord(double value);

// A data value for data-* attributes: shortest "%.*g" text (up to 10
// significant digits) that tests can parse back; "NaN" for NaN.
std::string DataNumber(double value);

// Okabe & Ito (2008) colour-blind-safe palette, without black: orange, sky
// blue, bluish green, yellow, blue, vermillion, reddish purple, grey. Wraps
// around after eight.
std::string_view PaletteColor(std::size_t index);
inline constexpr std::size_t kPaletteSize = 8;
// Neutral colours of the chart frame.
inline constexpr std::string_view kAxisColor = "#4d4d4d";
inline constexpr std::string_view kGridColor = "#e3e3e3";
inline constexpr std::string_view kTextColor = "#222222";

// Maps [d0, d1] onto [r0, r1] linearly; a degenerate domain maps to the
// middle of the range.
class LinearScale {
 public:
  LinearScale(double d0, double d1, double r0, double r1) : d0_(d0), d1_(d1), r0_(r0), r1_(r1) {}
  double operator()(double v) const {
    if (d1_ == d0_) return (r0_ + r1_) / 2;
    return r0_ + (v - d0_) * (r1_ - r0_) / (d1_ - d0_);
  }
  double domain_min() const { return d0_; }
  double domain_max() const { return d1_; }

 private:
  double d0_, d1_, r0_, r1_;
};

// A range [lo, hi] widened to "nice" tick boundaries with about `target`
// ticks (steps 1, 2, 2.5 or 5 × 10^k; Heckbert 1990).
struct NiceRange {
  double lo = 0;
  double hi = 1;
  double step = 0.2;
};
// REQUIRES: finite lo <= hi, target >= 2. A degenerate range is widened
// around its value.
NiceRange MakeNiceRange(double lo, double hi, int target = 5);
// The tick values of a nice range (lo, lo + step, ..., hi), free of
// accumulated rounding error.
std::vector<double> Ticks(const NiceRange& range);

// A tick label: values at or above 10^4 in magnitude get SI-style suffixes
// (k, M, B) with as many decimals as the step needs; "−" for minus.
std::string TickLabel(double value, double step);

// A value in `significant` significant digits with an SI-style suffix at
// or above 10^4 ("1.23M", "−0.0421", "12.3k", "n/a" for NaN), for labels and notes.
std::string ShortNumber(double value, int significant = 3);

// "Profit (currency)", or just the label when the unit is empty.
std::string AxisTitle(std::string_view label, std::string_view unit);

// Rough text width in pixels for layout (no font metrics offline): 0.58 em
// per character.
double TextWidth(std::string_view text, double font_size);

}  // namespace orgsim::report
