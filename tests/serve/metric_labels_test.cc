// Every metric of the model's catalog has a human label for the workshop
// page, and the API's metric description carries the catalog's direction.
#include "engine/serve/metric_labels.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "engine/serve/workshop.h"

namespace orgsim::serve {
namespace {

TEST(MetricLabels, EveryCatalogMetricHasALabel) {
  std::set<std::string> seen;
  for (const model::MetricInfo& info : model::MetricCatalog()) {
    const std::string_view label = MetricLabel(info.name);
    EXPECT_FALSE(label.empty()) << info.name
                                << " has no label (declare it with the metric, MetricInfo::label)";
    EXPECT_NE(label, info.name) << "a label is words, not the metric's name";
    EXPECT_LE(label.size(), 45u) << info.name << ": labels must fit a card";
    EXPECT_TRUE(seen.insert(std::string(label)).second)
        << "two metrics share the label '" << label << "'";
  }
}

TEST(MetricLabels, UnknownNamesHaveNoLabel) { EXPECT_TRUE(MetricLabel("no_such_metric").empty()); }

TEST(MetricLabels, TheApiDescriptionFollowsTheCatalog) {
  for (const model::MetricInfo& info : model::MetricCatalog()) {
    const nlohmann::json j = MetricJson(info);
    EXPECT_EQ(j["name"], std::string(info.name));
    EXPECT_EQ(j["label"], std::string(MetricLabel(info.name)));
    EXPECT_EQ(j["unit"], std::string(info.unit));
    const std::string expected = info.better == model::Better::kHigher  ? "higher"
                                 : info.better == model::Better::kLower ? "lower"
                                                                        : "neither";
    EXPECT_EQ(j["better"], expected) << info.name;
  }
}

TEST(MetricLabels, EveryWorkshopMetricIsInTheCatalog) {
  for (const std::string& name : WorkshopMetrics())
    EXPECT_NO_THROW(model::MetricIndex(name)) << name;
}

}  // namespace
}  // namespace orgsim::serve
