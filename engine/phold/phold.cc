#include "engine/phold/phold.h"

#include <chrono>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "engine/kernel/check.h"
#include "engine/kernel/distributions.h"
#include "engine/kernel/rng.h"
#include "engine/kernel/simulation.h"

namespace orgsim::bench {
namespace {

using kernel::EventPayload;
using kernel::HandlerId;
using kernel::RandomStream;
using kernel::SimTime;
using kernel::Simulation;

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class PholdModel {
 public:
  explicit PholdModel(const PholdConfig& config)
      : sim_(kernel::SimulationOptions{.calendar = config.calendar}),
        lps_(config.lps),
        remote_(config.remote),
        mean_ticks_(config.mean * static_cast<double>(kPholdTicksPerUnit)),
        lookahead_ticks_(PholdUnitsToTicks(config.lookahead)),
        rng_(kernel::StreamKey{.seed = config.seed,
                               .design_point = 0,
                               .replication = 0,
                               .stream = kernel::StreamIdFromName("phold")}) {
    event_ = sim_.RegisterHandler("phold/event", [this](EventPayload lp) { OnEvent(lp); });
  }

  void ScheduleInitialEvents(std::uint32_t per_lp) {
    for (std::uint32_t lp = 0; lp < lps_; ++lp) {
      for (std::uint32_t m = 0; m < per_lp; ++m) {
        sim_.ScheduleAt(lookahead_ticks_ + ExpTicks(), event_, lp);
      }
    }
  }

  Simulation& sim() { return sim_; }

 private:
  // The exponential part of a delay, rounded to the nearest tick (the value
  // is >= 0, so adding 0.5 and truncating rounds half up).
  SimTime ExpTicks() { return static_cast<SimTime>(kernel::Exponential(rng_, mean_ticks_) + 0.5); }

  void OnEvent(EventPayload lp) {
    EventPayload destination = lp;
    if (remote_ >= 1.0 || (remote_ > 0.0 && kernel::Bernoulli(rng_, remote_))) {
      destination = static_cast<EventPayload>(kernel::UniformInt(rng_, lps_));
    }
    sim_.Schedule(lookahead_ticks_ + ExpTicks(), event_, destination);
  }

  Simulation sim_;
  HandlerId event_ = 0;
  std::uint32_t lps_;
  double remote_;
  double mean_ticks_;
  SimTime lookahead_ticks_;
  RandomStream rng_;
};

}  // namespace

kernel::SimTime PholdUnitsToTicks(double units) {
  return static_cast<SimTime>(std::llround(units * static_cast<double>(kPholdTicksPerUnit)));
}

std::string ValidatePholdConfig(const PholdConfig& config) {
  std::ostringstream why;
  if (config.lps < 1) {
    why << "--lps must be >= 1";
  } else if (config.per_lp < 1) {
    why << "--per-lp must be >= 1";
  } else if (static_cast<std::uint64_t>(config.lps) * config.per_lp > (std::uint64_t{1} << 31)) {
    why << "--lps * --per-lp must be <= 2^31";
  } else if (!(config.end >= 0 && config.end <= 1e9)) {
    why << "--end must be in [0, 1e9], got " << config.end;
  } else if (!(config.mean > 0 && config.mean <= 1e9)) {
    why << "--mean must be in (0, 1e9], got " << config.mean;
  } else if (!(config.lookahead >= 0 && config.lookahead <= 1e9)) {
    why << "--lookahead must be in [0, 1e9], got " << config.lookahead;
  } else if (!(config.remote >= 0 && config.remote <= 1)) {
    why << "--remote must be in [0, 1], got " << config.remote;
  }
  return why.str();
}

PholdResult RunPhold(const PholdConfig& config) {
  const std::string invalid = ValidatePholdConfig(config);
  ORGSIM_CHECK(invalid.empty(), invalid);
  PholdModel model(config);
  PholdResult result;
  auto start = std::chrono::steady_clock::now();
  model.ScheduleInitialEvents(config.per_lp);
  result.setup_seconds = SecondsSince(start);
  start = std::chrono::steady_clock::now();
  model.sim().RunUntil(PholdUnitsToTicks(config.end));
  result.run_seconds = SecondsSince(start);
  result.events = model.sim().events_processed();
  result.fingerprint = model.sim().fingerprint();
  return result;
}

}  // namespace orgsim::bench
