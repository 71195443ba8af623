// Whole-process benchmark of the organization model: N replications of one
// headline arm on one thread. Prints ms/run, events/run and the process's
// peak RSS (getrusage ru_maxrss), so that the memory of one replication can
// be read off as the difference between runs with different N (a run's
// memory is released before the next starts) or against N = 0.
//
//   orgsim-model-bench ARM N      ARM in project_mode|product_led|founder_backlog_pm|no_pm
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "engine/model/presets.h"
#include "engine/model/run.h"

int main(int argc, char** argv) {
  using namespace orgsim::model;
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s ARM N\n", argv[0]);
    return 2;
  }
  ModelConfig config = HeadlineCompany();
  if (!std::strcmp(argv[1], "project_mode")) {
    ApplyProjectMode(config);
  } else if (!std::strcmp(argv[1], "product_led")) {
    ApplyProductLed(config);
  } else if (!std::strcmp(argv[1], "founder_backlog_pm")) {
    ApplyFounderBacklogPm(config);
  } else if (!std::strcmp(argv[1], "no_pm")) {
    ApplyNoPm(config);
  } else {
    std::fprintf(stderr, "unknown arm %s\n", argv[1]);
    return 2;
  }
  const int n = std::atoi(argv[2]);
  const PreparedModel model(config);
  struct rusage before {};
  getrusage(RUSAGE_SELF, &before);
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  double events = 0;
  std::uint64_t mix = 0;
  for (int r = 0; r < n; ++r) {
    const RunOutcome out =
        RunReplication(model, {.seed = 1, .replication = static_cast<std::uint32_t>(r)});
    events += static_cast<double>(out.events);
    mix ^= out.fingerprint;
  }
  const double wall =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = 1000.0 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  struct rusage after {};
  getrusage(RUSAGE_SELF, &after);
  std::printf(
      "arm=%s runs=%d wall_ms_per_run=%.3f cpu_ms_per_run=%.3f events_per_run=%.0f "
      "peak_rss_kb_before_runs=%ld peak_rss_kb=%ld fingerprint_xor=%016llx\n",
      argv[1], n, n ? wall / n : 0.0, n ? cpu / n : 0.0, n ? events / n : 0.0, before.ru_maxrss,
      after.ru_maxrss, static_cast<unsigned long long>(mix));
  return 0;
}
