// The findings document (engine/report/findings.h): metric directions are
// read from the metric catalog.
#include <string>

#include <gtest/gtest.h>

#include "engine/model/run.h"
#include "engine/report/findings.h"

namespace orgsim::report {
namespace {

TEST(BetterDirection, IsTheCatalogsDirection) {
  for (const model::MetricInfo& info : model::MetricCatalog()) {
    const int expected = info.better == model::Better::kHigher  ? 1
                         : info.better == model::Better::kLower ? -1
                                                                : 0;
    EXPECT_EQ(BetterDirection(std::string(info.name)), expected) << info.name;
  }
  EXPECT_EQ(BetterDirection("not_a_metric"), 0);
}

}  // namespace
}  // namespace orgsim::report
