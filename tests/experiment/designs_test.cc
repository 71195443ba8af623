#include "engine/experiment/designs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

namespace orgsim::experiment {
namespace {

TEST(GridDesign, IsTheCartesianProductLastParameterFastest) {
  const Design d =
      GridDesign({{.name = "x", .values = {1, 2}}, {.name = "y", .values = {10, 20, 30}}});
  EXPECT_EQ(d.kind(), DesignKind::kGrid);
  ASSERT_EQ(d.size(), 6u);
  const std::vector<std::vector<double>> expected = {{1, 10}, {1, 20}, {1, 30},
                                                     {2, 10}, {2, 20}, {2, 30}};
  for (std::size_t p = 0; p < d.size(); ++p) {
    EXPECT_EQ(std::vector<double>(d.values(p).begin(), d.values(p).end()), expected[p]);
  }
}

TEST(Design, DefaultIsOneEmptyPoint) {
  const Design d;
  EXPECT_EQ(d.size(), 1u);
  EXPECT_TRUE(d.values(0).empty());
  EXPECT_EQ(d.kind(), DesignKind::kSinglePoint);
}

TEST(LatinHypercubeDesign, UsesEveryStratumOnceInEveryDimension) {
  const std::uint32_t n = 50;
  const Design d = LatinHypercubeDesign(
      {{.name = "a", .low = 0, .high = 1}, {.name = "b", .low = -5, .high = 15}}, n, 7);
  ASSERT_EQ(d.size(), n);
  for (std::size_t i = 0; i < 2; ++i) {
    const double low = i == 0 ? 0 : -5;
    const double width = i == 0 ? 1 : 20;
    std::set<int> strata;
    for (std::size_t p = 0; p < n; ++p) {
      const double u = (d.values(p)[i] - low) / width;
      ASSERT_GE(u, 0.0);
      ASSERT_LT(u, 1.0);
      strata.insert(static_cast<int>(std::floor(u * n)));
    }
    EXPECT_EQ(strata.size(), n) << "dimension " << i;
  }
}

TEST(LatinHypercubeDesign, IsAPureFunctionOfSeed) {
  const std::vector<ParameterRange> params = {{.name = "a", .low = 0, .high = 1}};
  const Design d1 = LatinHypercubeDesign(params, 10, 3);
  const Design d2 = LatinHypercubeDesign(params, 10, 3);
  const Design d3 = LatinHypercubeDesign(params, 10, 4);
  bool all_equal = true, any_diff = false;
  for (std::size_t p = 0; p < 10; ++p) {
    all_equal = all_equal && d1.values(p)[0] == d2.values(p)[0];
    any_diff = any_diff || d1.values(p)[0] != d3.values(p)[0];
  }
  EXPECT_TRUE(all_equal);
  EXPECT_TRUE(any_diff);
}

TEST(LatinHypercubeDesign, IntegerParametersCoverTheirValuesEvenly) {
  // 4 integers (1..4) over 8 points: each value exactly twice.
  const Design d =
      LatinHypercubeDesign({{.name = "k", .low = 1, .high = 4, .integer = true}}, 8, 1);
  std::vector<int> count(5, 0);
  for (std::size_t p = 0; p < d.size(); ++p) {
    const double v = d.values(p)[0];
    ASSERT_EQ(v, std::floor(v));
    ASSERT_GE(v, 1);
    ASSERT_LE(v, 4);
    ++count[static_cast<int>(v)];
  }
  EXPECT_EQ(count, (std::vector<int>{0, 2, 2, 2, 2}));
}

TEST(SaltelliDesign, LaysOutABAndABiBySample) {
  const std::vector<ParameterRange> params = {{.name = "x", .low = 0, .high = 1},
                                              {.name = "y", .low = 0, .high = 1},
                                              {.name = "z", .low = 0, .high = 1}};
  const Design d = SaltelliDesign(params, 16, 11);
  ASSERT_EQ(d.size(), 16u * 5u);
  EXPECT_EQ(d.saltelli_samples(), 16u);
  for (std::uint32_t j = 0; j < 16; ++j) {
    const std::size_t base = j * 5;
    ASSERT_EQ(d.role(base).block, SaltelliRole::Block::kA);
    ASSERT_EQ(d.role(base + 1).block, SaltelliRole::Block::kB);
    const auto a = d.values(base);
    const auto b = d.values(base + 1);
    for (std::uint32_t i = 0; i < 3; ++i) {
      const SaltelliRole& role = d.role(base + 2 + i);
      ASSERT_EQ(role.block, SaltelliRole::Block::kAB);
      ASSERT_EQ(role.sample, j);
      ASSERT_EQ(role.column, i);
      const auto ab = d.values(base + 2 + i);
      for (std::uint32_t k = 0; k < 3; ++k) EXPECT_EQ(ab[k], k == i ? b[k] : a[k]);
    }
  }
}

}  // namespace
}  // namespace orgsim::experiment
