// The metric registry: every metric is declared once, by the mechanism that
// owns it, and the catalog keeps its historical order (stored results and
// goldens are aligned to it).
#include "engine/model/metric_registry.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/kernel/check.h"
#include "engine/model/mechanisms.h"

namespace orgsim::model {
namespace {

TEST(MetricRegistry, CatalogKeepsTheHistoricalOrder) {
  const auto catalog = MetricCatalog();
  ASSERT_EQ(catalog.size(), kCatalogOrder.size());
  for (std::size_t i = 0; i < catalog.size(); ++i) {
    EXPECT_EQ(catalog[i].name, kCatalogOrder[i]) << i;
    EXPECT_EQ(MetricIndex(kCatalogOrder[i]), i);
    EXPECT_FALSE(catalog[i].unit.empty()) << catalog[i].name;
    EXPECT_FALSE(catalog[i].description.empty()) << catalog[i].name;
  }
  // Spot checks of the declarations that travel with the names.
  EXPECT_EQ(catalog[0].name, "revenue_total");
  EXPECT_EQ(catalog[0].better, Better::kHigher);
  EXPECT_EQ(catalog[MetricIndex("rework_fraction")].better, Better::kLower);
  EXPECT_EQ(catalog[MetricIndex("events")].better, Better::kNeither);
  EXPECT_EQ(catalog[MetricIndex("pm_contact_hours")].unit, "hours");
}

TEST(MetricRegistry, EachMetricIsDeclaredByExactlyOneMechanism) {
  std::map<std::string, std::string> owner;
  for (const MechanismModule& module : BuiltInMechanisms()) {
    for (const MetricDef& def : module.metrics) {
      EXPECT_TRUE(owner.emplace(std::string(def.info.name), std::string(module.name)).second)
          << def.info.name << " declared by " << owner[std::string(def.info.name)] << " and "
          << module.name;
      EXPECT_TRUE(def.compute) << def.info.name;
    }
  }
  EXPECT_EQ(owner.size(), kCatalogOrder.size());
  EXPECT_EQ(owner["deals_won"], "market");  // the market counts every account won
  EXPECT_EQ(owner["deadline_misses"], "sales");
  EXPECT_EQ(owner["tech_debt_end"], "delivery");
  EXPECT_EQ(owner["pm_betweenness"], "structure");
}

TEST(MetricRegistry, LayoutAppendsNewMetricsAndRefusesGaps) {
  const std::vector<MetricDef> fresh = {
      {{"zeta", "u", "new metric", Better::kNeither, "Zeta"},
       [](const Mechanism&, const World&) { return 1.0; }},
      {{"revenue_total", "u", "listed metric", Better::kHigher, "Revenue"},
       [](const Mechanism&, const World&) { return 2.0; }},
  };
  const std::vector<const std::vector<MetricDef>*> defs = {&fresh};
  const MetricLayout layout = LayOutMetrics(defs, /*require_catalog=*/false);
  ASSERT_EQ(layout.catalog.size(), 2u);
  EXPECT_EQ(layout.catalog[0].name, "revenue_total");  // catalog names first
  EXPECT_EQ(layout.catalog[1].name, "zeta");
  EXPECT_THROW((void)LayOutMetrics(defs, /*require_catalog=*/true), kernel::InvariantError);
  const std::vector<const std::vector<MetricDef>*> twice = {&fresh, &fresh};
  EXPECT_THROW((void)LayOutMetrics(twice, /*require_catalog=*/false), kernel::InvariantError);
}

}  // namespace
}  // namespace orgsim::model
