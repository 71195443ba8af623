// Metric accumulators of one run.
//
// Mechanisms add to a Recorder while the run goes; at the end each metric's
// declaration (MetricDef, next to the mechanism that owns it; see
// metric_registry.h) turns the accumulators into its value. The market,
// sales, backlog and books keep their tallies themselves; the Recorder holds
// what delivery and product still share (moving those into their owners is
// the next step of narrowing the World). TimeAverage is the tool for the
// time-averaged metrics of every mechanism.
// Time averages (WIP, backlog, alignment, fit) are integrals of piecewise-
// constant signals over [warm-up, horizon] or [0, horizon] as documented
// per metric in docs/model.md.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/kernel/sim_time.h"

namespace orgsim::model {

// Integral of a piecewise-constant signal from `start` on.
class TimeAverage {
 public:
  void Start(kernel::SimTime start, double value) {
    start_ = start;
    last_ = start;
    value_ = value;
  }
  // The signal changes to `value` at `now`.
  void Set(kernel::SimTime now, double value) {
    Advance(now);
    value_ = value;
  }
  void Advance(kernel::SimTime now) {
    if (now > last_) {
      if (now > start_) {
        const kernel::SimTime from = last_ > start_ ? last_ : start_;
        area_ += value_ * static_cast<double>(now - from);
      }
      last_ = now;
    }
  }
  double value() const { return value_; }
  // Mean over [start, now]. REQUIRES: Advance(now) called.
  double Mean(kernel::SimTime now) const {
    return now > start_ ? area_ / static_cast<double>(now - start_) : value_;
  }

 private:
  kernel::SimTime start_ = 0;
  kernel::SimTime last_ = 0;
  double value_ = 0.0;
  double area_ = 0.0;
};

// The accumulators not yet owned by their mechanism (delivery's flow and
// product's decisions and signals; the market, sales, backlog and books keep
// their own tallies).
struct Recorder {
  // --- launches (product) ---
  std::int64_t launches = 0, launches_coordinated = 0;
  // --- work ---
  std::int64_t features_shipped = 0, items_completed = 0;  // completed after warm-up
  std::int64_t items_completed_all = 0;
  double cycle_sum_days = 0, lead_sum_days = 0;
  double effort_done = 0, rework_done = 0, feature_effort = 0;
  double pm_contact_hours = 0;  // PM hours spent on cross-team contacts (C7)
  double integration_rework_done = 0;  // the part of rework_done from integration conflicts
  double understanding_weighted = 0, understanding_weight = 0;
  TimeAverage wip;            // from warm-up
  // --- product / organization ---
  std::int64_t decisions_issued = 0, decisions_adopted = 0;
  double decision_latency_sum = 0;
  TimeAverage alignment;      // from 0
  std::int64_t signals_emitted = 0, signals_routed = 0, signal_fixes = 0;
  double signal_fix_days_sum = 0;
  // Information that travelled over the communication graph (C7): the
  // customer "why" of each customer-facing item started, market -> its
  // originator -> its builder, and each routed problem signal, observer ->
  // owner. Latency sums cover reachable paths only; an unreachable why path
  // adds fidelity 0 (what the builders got) and counts as broken.
  std::int64_t why_paths = 0, why_paths_broken = 0;
  double why_latency_sum = 0, why_fidelity_sum = 0;
  std::int64_t signals_unreachable = 0;
  double signal_latency_sum = 0, signal_fidelity_sum = 0;
  double need_error_sum = 0;
  std::int64_t need_error_samples = 0;
  double overhead_hours = 0, engineer_hours = 0;  // capacity accounting
  double ceremony_hours = 0;                      // ceremonies + process + planning
  std::int64_t interviews = 0, measurements = 0;
};

}  // namespace orgsim::model
