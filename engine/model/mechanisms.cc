#include "engine/model/mechanisms.h"

#include "engine/model/world.h"

namespace orgsim::model {

std::span<const MechanismModule> BuiltInMechanisms() {
  // The hook order of every replication (see mechanisms.h). Append only.
  static const std::vector<MechanismModule> modules = {
      {"market", [](World& w) -> Mechanism& { return w.market_; }, Market::Metrics()},
      {"sales", [](World& w) -> Mechanism& { return w.sales_; }, Sales::Metrics()},
      {"backlog", [](World& w) -> Mechanism& { return w.backlog_; }, Backlog::Metrics()},
      {"delivery", [](World& w) -> Mechanism& { return w.delivery_; }, Delivery::Metrics()},
      {"product", [](World& w) -> Mechanism& { return w.product_; }, Product::Metrics()},
      {"books", [](World& w) -> Mechanism& { return w.books_; }, Books::Metrics()},
      {"arrivals", [](World& w) -> Mechanism& { return w.arrivals_; }, {}},
      {"structure", [](World& w) -> Mechanism& { return w.structure_; }, Structure::Metrics()},
      {"intray", [](World& w) -> Mechanism& { return w.intray_; }, InTray::Metrics()},
      {"retention", [](World& w) -> Mechanism& { return w.retention_; }, Retention::Metrics()},
      {"funnel", [](World& w) -> Mechanism& { return w.funnel_; }, Funnel::Metrics()},
      {"predictability", [](World& w) -> Mechanism& { return w.predictability_; },
       Predictability::Metrics()},
      {"unit_economics", [](World& w) -> Mechanism& { return w.unit_economics_; },
       UnitEconomics::Metrics()},
      {"exceptions", [](World& w) -> Mechanism& { return w.exceptions_; }, Exceptions::Metrics()},
      {"priority_churn", [](World& w) -> Mechanism& { return w.priority_churn_; },
       PriorityChurn::Metrics()},
      {"awareness", [](World& w) -> Mechanism& { return w.awareness_; }, Awareness::Metrics()},
      {"capital_allocation", [](World& w) -> Mechanism& { return w.capital_allocation_; },
       CapitalAllocation::Metrics()},
      {"overhead", [](World& w) -> Mechanism& { return w.overhead_; }, {}},
      {"beliefs", [](World& w) -> Mechanism& { return w.beliefs_; }, Beliefs::Metrics()},
      {"influence", [](World& w) -> Mechanism& { return w.influence_; }, Influence::Metrics()},
      {"coordination", [](World& w) -> Mechanism& { return w.coordination_; },
       Coordination::Metrics()},
      {"workforce", [](World& w) -> Mechanism& { return w.workforce_; }, Workforce::Metrics()},
  };
  return modules;
}

Mechanism& Adopt(World& world, std::unique_ptr<Mechanism> mechanism) {
  world.extensions.push_back(std::move(mechanism));
  return *world.extensions.back();
}

}  // namespace orgsim::model
