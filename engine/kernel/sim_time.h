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

// A tick no run reaches (about 73,000 years): durations too long to
// represent saturate here, so `now + delay` cannot overflow and an event
// that far out simply falls beyond every horizon.
inline constexpr SimTime kFarFuture = kSimTimeMax / 4;

// Rounds `ticks` to the nearest tick, saturating at +-kFarFuture (NaN
// counts as far future): a rate of 1e-9 a day must not wrap to the past.
inline SimTime TicksFromReal(double ticks) {
  constexpr double kLimit = static_cast<double>(kFarFuture);
  if (!(ticks < kLimit)) return kFarFuture;
  if (!(ticks > -kLimit)) return -kFarFuture;
  return static_cast<SimTime>(std::llround(ticks));
}

// Conversions from real-valued durations round to the nearest tick.
inline SimTime Seconds(double s) { return TicksFromReal(s * kTicksPerSecond); }
inline SimTime Hours(double h) { return TicksFromReal(h * kTicksPerHour); }
inline SimTime Days(double d) { return TicksFromReal(d * kTicksPerDay); }

inline constexpr double ToSeconds(SimTime t) { return static_cast<double>(t) / kTicksPerSecond; }
inline constexpr double ToHours(SimTime t) { return static_cast<double>(t) / kTicksPerHour; }
inline constexpr double ToDays(SimTime t) { return static_cast<double>(t) / kTicksPerDay; }

}  // namespace orgsim::kernel
