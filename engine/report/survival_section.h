// The survival part of `orgsim findings` (engine/report/findings.h): a
// time-to-event outcome (experiment.survival, e.g. time to product-market
// fit with pmf_reached as its event) per cell as a Kaplan–Meier curve,
// censored where the event metric is 0 (at the horizon), and each arm
// against the baseline as a Cox hazard ratio and a log-rank test
// (engine/experiment/survival.h). A hazard ratio above 1 means the event
// comes sooner in arm A.
//
//   SurvivalCell cell = MakeSurvivalCell("metric_owner", "drift=0.5", times, events);
//   SurvivalContrast c = MakeSurvivalContrast("metric_owner − backlog_pm", "drift=0.5",
//                                             a_times, a_events, b_times, b_events);
//   std::string md = SurvivalMarkdown(section);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/experiment/survival.h"

namespace orgsim::report {

// One cell (arm at a sweep point): its curve and the share reaching the event.
struct SurvivalCell {
  std::string arm;
  std::string regime;  // "" without a sweep
  experiment::KaplanMeierCurve curve;
  std::size_t reached = 0;
  experiment::Proportion share;  // Wilson 95% interval
};

// Arm A against the baseline B at one regime.
struct SurvivalContrast {
  std::string comparison;  // "A − B"
  std::string regime;
  experiment::HazardRatio hazard_ratio;  // Efron ties
  experiment::LogRank log_rank;
};

struct SurvivalSection {
  std::string time_metric;   // e.g. "time_to_pmf_days"
  std::string event_metric;  // e.g. "pmf_reached"
  std::vector<SurvivalCell> cells;
  std::vector<SurvivalContrast> contrasts;
};

// Paired per-replication values of the time and event metrics of one cell
// (NaN: a failed run, skipped). An event value of 1 is an event; anything
// else censors the run at its time.
std::vector<experiment::SurvivalTime> SurvivalSample(const std::vector<double>& times,
                                                     const std::vector<double>& events);

SurvivalCell MakeSurvivalCell(std::string arm, std::string regime,
                              const std::vector<experiment::SurvivalTime>& sample);
SurvivalContrast MakeSurvivalContrast(std::string comparison, std::string regime,
                                      const std::vector<experiment::SurvivalTime>& a,
                                      const std::vector<experiment::SurvivalTime>& b);

// Markdown: the cells table and the contrasts table.
std::string SurvivalMarkdown(const SurvivalSection& section);
// HTML: one Kaplan–Meier chart per regime (one step curve per arm, with its
// pointwise 95% band) and the same two tables. `id` prefixes element ids.
std::string SurvivalHtml(const SurvivalSection& section, const std::string& id);

}  // namespace orgsim::report
