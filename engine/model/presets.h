// Preset configurations built in C++: the headline company, its four arms,
// and the degenerate queueing / diffusion configurations.
//
// The scenario files (scenarios/*.textproto) are the user-facing source of
// these; the presets exist for benchmarks and tests that must not depend on
// the io layer. They are bundles of lever values — the model never sees a
// preset's name.
//
//   ModelConfig base = HeadlineCompany();
//   ModelConfig arm = base;
//   ApplyProductLed(arm);
//   ModelConfig queue = QueueingConfig({.servers = 3, .arrival_rate_per_day = 2.4,
//                                       .effort_mean_days = 1.0});
#pragma once

#include "engine/model/config.h"

namespace orgsim::model {

// The company of scenarios/product_led_vs_project_mode.textproto, the same
// run for run (a test compares them): a Series-A B2B SaaS start-up of 37
// people (2 founders, 3 PMs, 2 engineering teams, design, sales, marketing,
// customer success) growing to ~57 over three years, selling to SMB and
// mid-market segments, with 20M cash. Its base organization is project
// mode, as in the file; apply an arm on top.
ModelConfig HeadlineCompany();

// Arms of the headline comparison (lever bundles; see docs/model.md).
void ApplyProjectMode(ModelConfig& config);  // baseline
void ApplyProductLed(ModelConfig& config);
void ApplyFounderBacklogPm(ModelConfig& config);  // C11: a PM hired to ship a backlog
void ApplyNoPm(ModelConfig& config);              // C7: product-led without the glue

struct QueueingSpec {
  int servers = 1;                    // c engineers
  double arrival_rate_per_day = 0.5;  // λ
  double effort_mean_days = 1.0;      // 1/μ
  EffortDistribution distribution = EffortDistribution::kExponential;
  double effort_cv = 1.0;  // for kLognormal
  double horizon_days = 20000.0;
  double warmup_days = 1000.0;
};

// One team of c engineers serving exogenous Poisson arrivals FIFO; every
// organizational mechanism off (M/M/c, M/G/1, M/D/1 ...).
ModelConfig QueueingConfig(const QueueingSpec& spec);

struct BassSpec {
  int potential_customers = 10000;
  double p = 0.03;  // per year
  double q = 0.38;  // per year
  double horizon_days = 3650.0;
};

// Self-serve adoption with fixed fit, no churn, no organization effects:
// the active-account curve is stochastic Bass diffusion.
ModelConfig BassConfig(const BassSpec& spec);

}  // namespace orgsim::model
