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
      {"workforce", [](World& w) -> Mechanism& { return w.workforce; }, Workforce::Metrics()},
  };
  return modules;
}

Mechanism& Adopt(World& world, std::unique_ptr<Mechanism> mechanism) {
  world.extensions.push_back(std::move(mechanism));
  return *world.extensions.back();
}

}  // namespace orgsim::model
