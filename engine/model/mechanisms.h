// The mechanism list: every module of a replication, in the one order in
// which its hooks run (mechanism.h).
//
//   market     segments, needs, leads, accounts, churn, revenue (market.h)
//   sales      reps, deals, dated requests (sales.h)
//   backlog    work items and the order they are taken (work.h)
//   delivery   engineers turning items into releases (delivery.h)
//   product    the PM function: knowledge, ideas, plans, signals (product.h)
//   books      the monthly P&L, hiring (pnl.h)
//   arrivals   exogenous work arrivals (arrivals.h)
//   structure  the communication graph's measures and the kernel's count
//              (structure.h; reports metrics only)
//   intray     in-trays of PMs, leads and executives: signals and plans wait
//              for their addressee's attention (intray.h; mechanisms.intray)
//   retention  per-account churn hazard, expansion and contraction
//              (mechanisms.retention), GRR/NRR/logo churn (retention.h)
//   exceptions exceptions up reports_to until someone with the authority
//              decides (mechanisms.exceptions; exceptions.h)
//   priority_churn  re-ranks abandon started work
//              (mechanisms.priority_churn; priority_churn.h)
//   beliefs    each function's need estimate: observation, relays over the
//              graph, ceremonies (mechanisms.beliefs; beliefs.h)
//
// The order is part of the results: at a weekly boundary the market drifts
// before delivery recomputes speeds and product plans its week; at a sprint
// boundary the backlog opens before delivery pulls. New modules append.
//
// Adding a mechanism: write one class deriving Mechanism (its state, its
// handlers, its phases, its metrics) and add one line to BuiltInMechanisms()
// in mechanisms.cc; new metric names also append to kCatalogOrder
// (metric_registry.h). Tests may instead pass the module to
// RunReplicationWith (below) without touching the list.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "engine/kernel/rng.h"
#include "engine/model/mechanism.h"
#include "engine/model/run.h"

namespace orgsim::model {

// One entry of the mechanism list.
struct MechanismModule {
  std::string_view name;
  // This replication's instance. The built-in modules are members of the
  // World (others read them through it); other modules are created here
  // and owned by the World (OwnedBy below).
  std::function<Mechanism&(World&)> attach;
  // What it reports (metric_registry.h).
  std::vector<MetricDef> metrics;
};

// The built-in modules, in hook order.
std::span<const MechanismModule> BuiltInMechanisms();

// Hands `mechanism` to the World, which keeps it for the replication.
Mechanism& Adopt(World& world, std::unique_ptr<Mechanism> mechanism);

// A module whose instance is a new M(world) per replication.
template <typename M>
MechanismModule OwnedModule(std::string_view name, std::vector<MetricDef> metrics) {
  return MechanismModule{
      name, [](World& world) -> Mechanism& { return Adopt(world, std::make_unique<M>(world)); },
      std::move(metrics)};
}

// RunReplication with `extra` modules after the built-in ones (a test seam:
// a new mechanism can be tried without editing the list). The outcome's
// metrics are MetricCatalog()'s followed by the extra modules' metrics in
// module order; ExtraMetricIndex finds one of the latter.
RunOutcome RunReplicationWith(const PreparedModel& model, const kernel::StreamKey& replication_key,
                              const RunOptions& options, std::span<const MechanismModule> extra);
std::size_t ExtraMetricIndex(std::span<const MechanismModule> extra, std::string_view name);

}  // namespace orgsim::model
