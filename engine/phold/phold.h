// PHOLD: the standard discrete-event benchmark, on orgsim's public kernel API.
//
// N logical processes (LPs) start with M events each. Processing an event at
// time t schedules exactly one new event, at time t + lookahead + Exp(mean),
// for a destination LP that is uniformly random with probability `remote`
// and the processing LP itself otherwise. The run stops at end time T;
// events at times <= T are processed.
//
// Units: one PHOLD time unit is one simulated second (kTicksPerSecond ticks).
// Every delay is rounded to the nearest tick: lookahead once, each Exp draw
// as round(Exp(mean * kTicksPerSecond)). Initial events are at
// lookahead + Exp(mean), so every one of the N*M event chains is a renewal
// process from time 0 (with lookahead 0, a Poisson process of rate 1/mean up
// to the sub-microsecond rounding), and the expected event count is
// N*M*T/mean exactly for lookahead 0 (renewal theory for lookahead > 0, see
// tests/kernel/phold_test.cc).
//
// Randomness: one RandomStream for the whole model, keyed
// StreamKey{seed, 0, 0, StreamIdFromName("phold")}. The initial events are
// drawn LP by LP (delay only); each processed event then draws, in this
// order, a Bernoulli(remote) only when 0 < remote < 1, the destination
// (UniformInt(N)) when it is remote, and the delay (Exponential). Events run
// in the kernel's total order, so the draw sequence, the event count and the
// fingerprint are fixed for a given (config, seed) and identical for every
// calendar. (One stream per LP would serve a parallel kernel; in this
// sequential one it only adds a cache miss per event.)
//
//   PholdConfig config{.lps = 1024, .per_lp = 16, .end = 100};
//   PholdResult r = RunPhold(config);
//   std::cout << r.events << " events in " << r.run_seconds << " s\n";
#pragma once

#include <cstdint>
#include <string>

#include "engine/kernel/event_queue.h"
#include "engine/kernel/sim_time.h"

namespace orgsim::bench {

struct PholdConfig {
  std::uint32_t lps = 1024;   // N
  std::uint32_t per_lp = 16;  // M: events in flight per LP
  double end = 100;           // T, in PHOLD time units (seconds)
  double mean = 1;            // mean of the exponential part of each delay
  double lookahead = 0;       // fixed part of each delay
  double remote = 1;          // probability that the destination is random
  std::uint64_t seed = 1;
  kernel::CalendarKind calendar = kernel::kDefaultCalendar;
};

struct PholdResult {
  std::uint64_t events = 0;       // events processed (times <= T)
  std::uint64_t fingerprint = 0;  // Simulation::fingerprint() at the end
  double setup_seconds = 0;       // wall time to schedule the initial events
  double run_seconds = 0;         // wall time of RunUntil(T): the event loop
};

// An empty string if `config` is valid, else a one-line reason. Valid:
// lps >= 1, per_lp >= 1, lps * per_lp <= 2^31, 0 <= end <= 1e9,
// 0 < mean <= 1e9, 0 <= lookahead <= 1e9, 0 <= remote <= 1.
std::string ValidatePholdConfig(const PholdConfig& config);

// Builds and runs one PHOLD replication. REQUIRES: ValidatePholdConfig(config)
// is empty (checked: throws kernel::InvariantError otherwise).
PholdResult RunPhold(const PholdConfig& config);

// One PHOLD time unit in ticks, and the rounding every delay goes through.
inline constexpr kernel::SimTime kPholdTicksPerUnit = kernel::kTicksPerSecond;
kernel::SimTime PholdUnitsToTicks(double units);

}  // namespace orgsim::bench
