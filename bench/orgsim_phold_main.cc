// orgsim-phold: one PHOLD run on the orgsim kernel as a whole process.
//
//   orgsim-phold --lps 1024 --per-lp 16 --end 100 --mean 1 --lookahead 0 --seed 1
//
// The last line of output is exactly
//   events=<n> seconds=<s> events_per_s=<r>
// where seconds is the wall time of the event loop (RunUntil), the same span
// phold-baseline and phold_simpy.py time, so bench/compare_phold.sh can put
// them side by side. Bad flags: one line on stderr, exit status 2.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <iostream>
#include <map>
#include <string>

#include "engine/phold/phold.h"

int main(int argc, char** argv) {
  using orgsim::bench::PholdConfig;
  using orgsim::kernel::CalendarKind;
  PholdConfig config;
  std::map<std::string, CalendarKind> calendars;
  for (CalendarKind kind : orgsim::kernel::kAllCalendars) {
    calendars.emplace(std::string(orgsim::kernel::CalendarName(kind)), kind);
  }
  std::string calendar_name(orgsim::kernel::CalendarName(config.calendar));

  CLI::App app{"PHOLD benchmark on the orgsim kernel (engine/phold/phold.h).", "orgsim-phold"};
  app.add_option("--lps", config.lps, "number of logical processes N")->capture_default_str();
  app.add_option("--per-lp", config.per_lp, "events in flight per LP, M")->capture_default_str();
  app.add_option("--end", config.end, "end time T (1 unit = 1 simulated second)")
      ->capture_default_str();
  app.add_option("--mean", config.mean, "mean of the exponential delay")->capture_default_str();
  app.add_option("--lookahead", config.lookahead, "fixed part of each delay")
      ->capture_default_str();
  app.add_option("--remote", config.remote,
                 "probability that the destination is a uniformly random LP (else itself)")
      ->capture_default_str();
  app.add_option("--seed", config.seed, "master seed")->capture_default_str();
  app.add_option("--calendar", calendar_name,
                 "event calendar (all give the same events; default = the kernel's)")
      ->check(CLI::IsMember(calendars))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "orgsim-phold: error: " << e.what() << "\n";
    return 2;
  }
  config.calendar = calendars.at(calendar_name);
  if (const std::string invalid = orgsim::bench::ValidatePholdConfig(config); !invalid.empty()) {
    std::cerr << "orgsim-phold: error: " << invalid << "\n";
    return 2;
  }

  try {
    const orgsim::bench::PholdResult r = orgsim::bench::RunPhold(config);
    std::printf(
        "phold lps=%u per_lp=%u end=%g mean=%g lookahead=%g remote=%g seed=%llu calendar=%s\n",
        config.lps, config.per_lp, config.end, config.mean, config.lookahead, config.remote,
        static_cast<unsigned long long>(config.seed), calendar_name.c_str());
    std::printf("fingerprint=%016llx setup_seconds=%.6f\n",
                static_cast<unsigned long long>(r.fingerprint), r.setup_seconds);
    std::printf("events=%llu seconds=%.6f events_per_s=%.0f\n",
                static_cast<unsigned long long>(r.events), r.run_seconds,
                r.run_seconds > 0 ? static_cast<double>(r.events) / r.run_seconds : 0.0);
  } catch (const std::exception& e) {
    std::cerr << "orgsim-phold: internal error: " << e.what() << "\n";
    return 3;
  }
  return 0;
}
