// TimeAverage: the time average of a piecewise-constant signal, the tool
// behind every time-averaged metric (WIP, backlog length, alignment, fit).
//
// Each mechanism keeps the tallies its metrics need itself (Market, Backlog,
// Delivery::Tally, Product::Tally, Books, Sales) and declares the metrics
// next to them (MetricDef, metric_registry.h). Averages run over [warm-up,
// horizon] or [0, horizon] as documented per metric in docs/model.md.
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

}  // namespace orgsim::model
