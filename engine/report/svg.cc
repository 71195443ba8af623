#include "engine/report/svg.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

namespace orgsim::report {

std::string Coord(double value) {
  if (!std::isfinite(value)) return "0";
  // Round to 2 decimals first so "-0.001" does not print as "-0".
  double rounded = std::round(value * 100.0) / 100.0;
  if (rounded == 0) rounded = 0;  // drops the sign of -0
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), "%.2f", rounded);
  std::string text = buffer;
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

std::string DataNumber(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return "0";
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), "%.10g", value);
  return buffer;
}

std::string_view PaletteColor(std::size_t index) {
  static constexpr std::array<std::string_view, kPaletteSize> kOkabeIto = {
      "#E69F00",  // orange
      "#56B4E9",  // sky blue
      "#009E73",  // bluish green
      "#0072B2",  // blue
      "#D55E00",  // vermillion
      "#CC79A7",  // reddish purple
      "#F0E442",  // yellow (last among the strong ones: weak on white)
      "#999999",  // grey
  };
  return kOkabeIto[index % kPaletteSize];
}

namespace {

// The nice step for a raw step: 1, 2, 2.5 or 5 × 10^k, at least `raw`.
double NiceStep(double raw) {
  const double exponent = std::floor(std::log10(raw));
  const double base = std::pow(10.0, exponent);
  const double fraction = raw / base;
  double nice;
  if (fraction <= 1.0) {
    nice = 1.0;
  } else if (fraction <= 2.0) {
    nice = 2.0;
  } else if (fraction <= 2.5) {
    nice = 2.5;
  } else if (fraction <= 5.0) {
    nice = 5.0;
  } else {
    nice = 10.0;
  }
  return nice * base;
}

}  // namespace

NiceRange MakeNiceRange(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return NiceRange{};
  if (lo > hi) std::swap(lo, hi);
  if (hi == lo) {
    const double pad = lo == 0 ? 1.0 : std::abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const double step = NiceStep((hi - lo) / std::max(1, target - 1));
  NiceRange range;
  range.step = step;
  range.lo = std::floor(lo / step + 1e-9) * step;
  range.hi = std::ceil(hi / step - 1e-9) * step;
  if (range.hi <= range.lo) range.hi = range.lo + step;
  return range;
}

std::vector<double> Ticks(const NiceRange& range) {
  std::vector<double> ticks;
  const long first = std::lround(range.lo / range.step);
  const long last = std::lround(range.hi / range.step);
  for (long i = first; i <= last && ticks.size() < 64; ++i) {
    double v = static_cast<double>(i) * range.step;
    // Snap values like 0.30000000000000004 to what the step's decimals show.
    v = std::round(v / range.step * 1e6) / 1e6 * range.step;
    if (std::abs(v) < range.step * 1e-9) v = 0;
    // A range cut to its data (a time axis ending at the horizon) gets no
    // tick past its end.
    if (v > range.hi + range.step * 1e-9 || v < range.lo - range.step * 1e-9) continue;
    ticks.push_back(v);
  }
  return ticks;
}

namespace {
// The divisor and suffix (k, M, B) that keep a number of this magnitude short.
// Thousands only from 10k on: "2500" reads better than "2.5k".
std::pair<double, const char*> MagnitudeScale(double magnitude) {
  if (magnitude >= 1e9) return {1e9, "B"};
  if (magnitude >= 1e6) return {1e6, "M"};
  if (magnitude >= 1e4) return {1e3, "k"};
  return {1.0, ""};
}
}  // namespace

std::string TickLabel(double value, double step) {
  if (!std::isfinite(value)) return "";
  if (std::abs(value) < std::abs(step) * 1e-9) return "0";
  const double magnitude = std::max(std::abs(value), std::abs(step));
  const auto [scale, suffix] = MagnitudeScale(magnitude);
  const double scaled_step = step / scale;
  int decimals = 0;
  if (scaled_step > 0) {
    decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(scaled_step) - 1e-9)));
    // 2.5-steps need one more decimal than their power of ten.
    const double probe = scaled_step * std::pow(10.0, decimals);
    if (std::abs(probe - std::round(probe)) > 1e-6) ++decimals;
    decimals = std::min(decimals, 6);
  }
  double scaled = value / scale;
  if (std::abs(scaled) < 1e-12) scaled = 0;
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, std::abs(scaled));
  std::string text = buffer;
  if (scaled < 0) text = "\u2212" + text;
  return text + suffix;
}

std::string ShortNumber(double value, int significant) {
  if (std::isnan(value)) return "n/a";
  if (std::isinf(value)) return value > 0 ? "\u221e" : "\u2212\u221e";
  const double magnitude = std::abs(value);
  const auto [scale, suffix] = MagnitudeScale(magnitude);
  const double scaled = magnitude / scale;
  int decimals = 0;
  if (scaled > 0) {
    const int digits_before = static_cast<int>(std::floor(std::log10(scaled))) + 1;
    decimals = std::clamp(significant - digits_before, 0, 8);
  }
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, scaled);
  std::string text = buffer;
  // Drop trailing zeros after a decimal point ("1.50" -> "1.5").
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  if (text == "0") return "0";
  return (value < 0 ? "\u2212" : "") + text + suffix;
}

std::string AxisTitle(std::string_view label, std::string_view unit) {
  std::string text(label);
  if (!unit.empty()) {
    text += " (";
    text += unit;
    text += ")";
  }
  return text;
}

double TextWidth(std::string_view text, double font_size) {
  // Count UTF-8 code points, not bytes.
  std::size_t chars = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++chars;
  }
  return static_cast<double>(chars) * font_size * 0.58;
}

}  // namespace orgsim::report
