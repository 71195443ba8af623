// StopSignals: a graceful stop for long commands (run, sweep, explore,
// findings). While one is alive, the first SIGINT or SIGTERM (Ctrl-C, Slurm's
// warning before it kills a job) only sets a flag: replications in flight
// finish and are stored, the batch is marked interrupted and --resume picks
// up from there. The handler resets itself, so a second signal kills as usual.
#pragma once

#include <atomic>
#include <csignal>

namespace orgsim::cli {

class StopSignals {
 public:
  StopSignals();   // clears the flag, installs the handlers
  ~StopSignals();  // restores the previous handlers
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // Set by the first signal; what experiment::RunnerOptions::stop_requested
  // points to.
  static const std::atomic<bool>* Flag();

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

}  // namespace orgsim::cli
