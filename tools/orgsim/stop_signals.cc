#include "tools/orgsim/stop_signals.h"

namespace orgsim::cli {
namespace {

std::atomic<bool> g_stop_requested{false};

extern "C" void HandleStopSignal(int) { g_stop_requested.store(true); }

}  // namespace

StopSignals::StopSignals() {
  g_stop_requested = false;
  struct sigaction action {};
  action.sa_handler = HandleStopSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, &old_int_);
  sigaction(SIGTERM, &action, &old_term_);
}

StopSignals::~StopSignals() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
}

const std::atomic<bool>* StopSignals::Flag() { return &g_stop_requested; }

}  // namespace orgsim::cli
