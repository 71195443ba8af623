// The analytic validation suite behind `orgsim validate-model` and
// docs/validation.md.
//
// Every check runs degenerate configurations of the real model — scenario
// files under scenarios/validation/, loaded by io::LoadScenarioFile and run
// by experiment::RunPlan through io::SetUpExperiment, exactly as `orgsim
// run` does — and compares what the runs measure with a closed form:
//
//   group         scenario(s)                           closed form
//   M/M/1, M/M/c  mm1, mm1_high_load, mmc, mmc_two      Erlang C: W, Wq, Lq, busy servers
//   M/G/1         mg1 (M/D/1), mg1_lognormal            Pollaczek–Khinchine
//   Bass          bass                                  exact mean of the stochastic Bass
//                                                       process; deterministic m F(t) shown
//   VDT           vdt_list_schedule                     release dates of the list schedule
//   Conservation  product_led_vs_project_mode,          cash = initial + sum(revenue - costs)
//                 stable_market                         at every book; customer counts
//   Little        scenarios/**/*.textproto              L = lambda W per run, window edges
//   PHOLD         engine/phold/phold.h (kernel only)           renewal count N M M(T)
//
// Pass rules (also written into the generated document):
//  * Statistical checks (a mean over independent replications): pass when
//    |estimate - analytic| <= t * SE, with SE the standard error over
//    replications and t the Student-t quantile at two-sided level
//    family_alpha / K, K the number of statistical checks (Bonferroni), so
//    the probability that a correct model fails any check is <= family_alpha.
//    The 95% CI is reported alongside.
//  * Exact checks (deterministic runs, accounting identities): pass when the
//    difference is within the bound of floating-point and tick rounding that
//    the check states (no statistical tolerance at all).
//
//   SuiteOptions options{.quick = true, .threads = 2};
//   SuiteReport report = RunSuite(options);
//   std::cout << FormatMarkdown(report, "orgsim validate-model --quick");
//   return report.AllPass() ? 0 : 1;
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace orgsim::validation {

struct SuiteOptions {
  // The subset CI runs (fewer replications, a sample of the shipped
  // scenarios for Little's law): well under a minute on 2 cores.
  bool quick = false;
  // Replications of every statistical check (default: the scenario's own in
  // the full suite, a fixed smaller number in the quick one).
  std::optional<std::uint32_t> replications;
  int threads = 0;                    // 0 = every core
  std::optional<std::uint64_t> seed;  // overrides every scenario's seed
  std::string root = ".";             // repository root (scenarios/ lives here)
  double family_alpha = 0.01;         // false-alarm probability of the whole suite
  // Called with one line per finished step (progress on stderr).
  void (*progress)(const std::string& line) = nullptr;
};

// One row of the report.
struct Check {
  std::string group;        // "M/M/1", "Bass", "Little", ...
  std::string name;         // what is compared, e.g. "rho 0.8: W (lead_time_mean_days)"
  std::string source;       // scenario path or "engine/phold/phold.h"
  bool statistical = true;  // false: exact (rounding-bound) check
  std::uint64_t n = 0;      // replications (statistical) or values compared (exact)
  double estimate = 0;      // mean over replications / the worst case found
  double se = 0;            // standard error (statistical)
  double ci95_low = 0, ci95_high = 0;
  double analytic = 0;
  double tolerance = 0;  // allowed |estimate - analytic|
  bool pass = false;
  std::string note;  // how the analytic value is obtained, extra numbers
};

struct ScenarioUsed {
  std::string path;
  std::string sha256;
  std::uint64_t seed = 0;
  std::uint32_t replications = 0;
  std::uint64_t runs = 0;         // runs of this scenario in the suite
  std::uint64_t failed_runs = 0;  // runs that threw (each also fails a check)
};

struct SuiteReport {
  bool quick = false;
  double family_alpha = 0;
  std::uint64_t statistical_checks = 0;  // K
  double per_check_alpha = 0;            // family_alpha / K
  std::vector<Check> checks;
  std::vector<ScenarioUsed> scenarios;
  std::vector<std::string> errors;  // a scenario that did not load or run
  double wall_seconds = 0;
  int threads = 0;

  std::size_t Failed() const;
  bool AllPass() const { return Failed() == 0 && errors.empty() && !checks.empty(); }
};

// Runs the suite. Never throws for a model or scenario problem: those become
// errors or failed checks.
SuiteReport RunSuite(const SuiteOptions& options);

// The report as Markdown (docs/validation.md); `command` is the command
// line that regenerates it. Contains no timings, so the same code, scenarios,
// seed and options give the same bytes.
std::string FormatMarkdown(const SuiteReport& report, const std::string& command);

// A short plain-text table of the checks (stdout of the command).
std::string FormatText(const SuiteReport& report);

}  // namespace orgsim::validation
