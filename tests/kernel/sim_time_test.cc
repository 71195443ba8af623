#include "engine/kernel/sim_time.h"

#include <gtest/gtest.h>

#include <limits>

namespace orgsim::kernel {
namespace {

TEST(SimTime, EverydayDurationsRoundToTheNearestTick) {
  EXPECT_EQ(Days(1.0), kTicksPerDay);
  EXPECT_EQ(Hours(1.5), kTicksPerHour * 3 / 2);
  EXPECT_EQ(Seconds(-2.0), -2 * kTicksPerSecond);
  EXPECT_EQ(Days(1e-11), 1);  // 0.864 ticks
}

TEST(SimTime, HugeDurationsSaturateInsteadOfWrappingIntoThePast) {
  // 1e9 days is the mean wait of an arrival rate of 1e-9 per day.
  EXPECT_EQ(Days(1e9), kFarFuture);
  EXPECT_EQ(Days(1e300), kFarFuture);
  EXPECT_EQ(Days(-1e300), -kFarFuture);
  EXPECT_EQ(Days(std::numeric_limits<double>::infinity()), kFarFuture);
  EXPECT_EQ(Days(std::numeric_limits<double>::quiet_NaN()), kFarFuture);
  EXPECT_EQ(Hours(1e300), kFarFuture);
  EXPECT_EQ(Seconds(1e300), kFarFuture);
  const SimTime now = 100 * kTicksPerYear;
  EXPECT_GT(now + Days(1e12), now);  // no overflow
  EXPECT_LT(Days(1e7), kFarFuture);  // 27,000 years still exact
  EXPECT_EQ(Days(1e7), 10'000'000LL * kTicksPerDay);
}

}  // namespace
}  // namespace orgsim::kernel
