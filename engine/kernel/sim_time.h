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

// Durations saturate here (about 73,000 years), so that adding one to any
// simulated time cannot overflow: a delay of 1e9 days (an arrival rate of
// 1e-9 per day) is an event that never comes, not a time in the past.
inline constexpr SimTime kSimTimeNever = kSimTimeMax / 4;

// Rounds a real number of ticks to the nearest tick, saturating at
// ±kSimTimeNever (NaN is left to llround, as before).
inline SimTime RoundTicks(double ticks) {
  if (ticks >= static_cast<double>(kSimTimeNever)) return kSimTimeNever;
  if (ticks <= -static_cast<double>(kSimTimeNever)) return -kSimTimeNever;
  return static_cast<SimTime>(std::llround(ticks));
}

// Conversions from real-valued durations round to the nearest tick.
inline SimTime Seconds(double s) { return RoundTicks(s * kTicksPerSecond); }
inline SimTime Hours(double h) { return RoundTicks(h * kTicksPerHour); }
inline SimTime Days(double d) { return RoundTicks(d * kTicksPerDay); }

inline constexpr double ToSeconds(SimTime t) { return static_cast<double>(t) / kTicksPerSecond; }
inline constexpr double ToHours(SimTime t) { return static_cast<double>(t) / kTicksPerHour; }
inline constexpr double ToDays(SimTime t) { return static_cast<double>(t) / kTicksPerDay; }

}  // namespace orgsim::kernel
