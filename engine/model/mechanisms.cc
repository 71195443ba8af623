#include "engine/model/mechanisms.h"

#include "engine/model/world.h"

namespace orgsim::model {

std::span<const MechanismModule> BuiltInMechanisms() {
  // The hook order of every replication (see mechanisms.h). Append only.
  static const std::vector<MechanismModule> modules = {
      {"market", [](World& w) -> Mechanism& { return w.market; }, Market::Metrics()},
      {"sales", [](World& w) -> Mechanism& { return w.sales; }, Sales::Metrics()},
      {"backlog", [](World& w) -> Mechanism& { return w.backlog; }, Backlog::Metrics()},
      {"delivery", [](World& w) -> Mechanism& { return w.delivery; }, Delivery::Metrics()},
      {"product", [](World& w) -> Mechanism& { return w.product; }, Product::Metrics()},
      {"books", [](World& w) -> Mechanism& { return w.books; }, Books::Metrics()},
      {"arrivals", [](World& w) -> Mechanism& { return w.arrivals; }, {}},
      {"structure", [](World& w) -> Mechanism& { return w.structure; }, Structure::Metrics()},
      {"intray", [](World& w) -> Mechanism& { return w.intray; }, InTray::Metrics()},
      {"retention", [](World& w) -> Mechanism& { return w.retention; }, Retention::Metrics()},
      {"funnel", [](World& w) -> Mechanism& { return w.funnel; }, Funnel::Metrics()},
      {"predictability", [](World& w) -> Mechanism& { return w.predictability; },
       Predictability::Metrics()},
      {"unit_economics", [](World& w) -> Mechanism& { return w.unit_economics; },
       UnitEconomics::Metrics()},
      {"exceptions", [](World& w) -> Mechanism& { return w.exceptions; }, Exceptions::Metrics()},
      {"priority_churn", [](World& w) -> Mechanism& { return w.priority_churn; },
       PriorityChurn::Metrics()},
      {"awareness", [](World& w) -> Mechanism& { return w.awareness; }, Awareness::Metrics()},
      {"capital_allocation", [](World& w) -> Mechanism& { return w.capital_allocation; },
       CapitalAllocation::Metrics()},
      {"overhead", [](World& w) -> Mechanism& { return w.overhead; }, {}},
      {"beliefs", [](World& w) -> Mechanism& { return w.beliefs; }, Beliefs::Metrics()},
      {"influence", [](World& w) -> Mechanism& { return w.influence; }, Influence::Metrics()},
      {"coordination", [](World& w) -> Mechanism& { return w.coordination; },
       Coordination::Metrics()},
      {"workforce", [](World& w) -> Mechanism& { return w.workforce; }, Workforce::Metrics()},
  };
  return modules;
}

Mechanism& Adopt(World& world, std::unique_ptr<Mechanism> mechanism) {
  world.extensions.push_back(std::move(mechanism));
  return *world.extensions.back();
}

}  // namespace orgsim::model
