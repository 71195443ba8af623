// Simulation time: integer ticks.
//
// One tick is one microsecond of simulated time. Integer time makes event
// order exact and platform-independent (no floating-point ties); int64 spans
// about 292,000 years, far beyond any horizon orgsim runs.
//
//   SimTime t = Days(3) + Hours(2);
//   double d = ToDays(t);  // 3.0833...
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

namespace orgsim::kernel {

// A point in, or span of, simulated time, in ticks (microseconds).
using SimTime = std::int64_t;

inline constexpr SimTime kTicksPerSecond = 1'000'000;
inline constexpr SimTime kTicksPerMinute = 60 * kTicksPerSecond;
inline constexpr SimTime kTicksPerHour = 60 * kTicksPerMinute;
inline constexpr SimTime kTicksPerDay = 24 * kTicksPerHour;
// Calendar-free conventions used by the model: a month is 1/12 of a
// 365-day year.
inline constexpr SimTime kTicksPerYear = 365 * kTicksPerDay;
inline constexpr SimTime kTicksPerMonth = kTicksPerYear / 12;

inline constexpr SimTime kSimTimeMax = std::numeric_limits<SimTime>::max();

// Conversions from real-valued durations round to the nearest tick.
inline SimTime Seconds(double s) { return static_cast<SimTime>(std::llround(s * kTicksPerSecond)); }
inline SimTime Hours(double h) { return static_cast<SimTime>(std::llround(h * kTicksPerHour)); }
inline SimTime Days(double d) { return static_cast<SimTime>(std::llround(d * kTicksPerDay)); }

inline constexpr double ToSeconds(SimTime t) { return static_cast<double>(t) / kTicksPerSecond; }
inline constexpr double ToHours(SimTime t) { return static_cast<double>(t) / kTicksPerHour; }
inline constexpr double ToDays(SimTime t) { return static_cast<double>(t) / kTicksPerDay; }

}  // namespace orgsim::kernel
