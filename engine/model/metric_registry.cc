#include "engine/model/metric_registry.h"

#include <map>
#include <string>

#include "engine/kernel/check.h"
#include "engine/model/mechanisms.h"

namespace orgsim::model {
namespace {

const MetricLayout& BuiltInLayout() {
  static const MetricLayout layout = [] {
    std::vector<const std::vector<MetricDef>*> defs;
    for (const MechanismModule& module : BuiltInMechanisms()) defs.push_back(&module.metrics);
    return LayOutMetrics(defs, /*require_catalog=*/true);
  }();
  return layout;
}

}  // namespace

MetricLayout LayOutMetrics(std::span<const std::vector<MetricDef>* const> defs,
                           bool require_catalog) {
  std::map<std::string_view, std::size_t> order;
  for (std::size_t i = 0; i < kCatalogOrder.size(); ++i) order.emplace(kCatalogOrder[i], i);
  MetricLayout layout;
  std::vector<const MetricDef*> listed(kCatalogOrder.size(), nullptr);
  std::vector<std::size_t> listed_module(kCatalogOrder.size(), 0);
  std::vector<std::pair<std::size_t, const MetricDef*>> appended;
  std::map<std::string_view, int> seen;
  for (std::size_t m = 0; m < defs.size(); ++m) {
    for (const MetricDef& def : *defs[m]) {
      ORGSIM_CHECK(++seen[def.info.name] == 1,
                   "metric '" << def.info.name << "' is declared twice");
      const auto it = order.find(def.info.name);
      if (it != order.end()) {
        listed[it->second] = &def;
        listed_module[it->second] = m;
      } else {
        appended.emplace_back(m, &def);
      }
    }
  }
  for (std::size_t i = 0; i < listed.size(); ++i) {
    if (listed[i] == nullptr) {
      ORGSIM_CHECK(!require_catalog,
                   "metric '" << kCatalogOrder[i] << "' is declared by no mechanism");
      continue;
    }
    layout.slots.push_back(MetricSlot{listed_module[i], listed[i], layout.catalog.size()});
    layout.catalog.push_back(listed[i]->info);
  }
  for (const auto& [module, def] : appended) {
    layout.slots.push_back(MetricSlot{module, def, layout.catalog.size()});
    layout.catalog.push_back(def->info);
  }
  return layout;
}

std::span<const MetricInfo> MetricCatalog() { return BuiltInLayout().catalog; }

std::size_t MetricIndex(std::string_view name) {
  const std::span<const MetricInfo> catalog = MetricCatalog();
  for (std::size_t i = 0; i < catalog.size(); ++i) {
    if (catalog[i].name == name) return i;
  }
  ORGSIM_CHECK(false, "unknown metric '" << name << "'");
  return 0;
}

}  // namespace orgsim::model
