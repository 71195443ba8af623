// Tests of the PHOLD benchmark model (engine/phold/phold.h) and its command line:
// determinism of the event count for a seed, and the event-count law over
// seeds (exactly Poisson for lookahead 0; renewal theory for lookahead > 0).
#include "engine/phold/phold.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/testing/files.h"

namespace orgsim::bench {
namespace {

// Small sizes keep these fast (also under sanitizers).
PholdConfig Small() {
  PholdConfig c;
  c.lps = 16;
  c.per_lp = 4;
  c.end = 50;
  c.mean = 1;
  c.lookahead = 0;
  c.seed = 1;
  return c;
}

struct Counts {
  double mean = 0;
  double variance = 0;  // sample variance
  int runs = 0;
};

Counts CountOverSeeds(PholdConfig config, int seeds) {
  std::vector<double> counts;
  for (int s = 0; s < seeds; ++s) {
    config.seed = 1000 + static_cast<std::uint64_t>(s);
    counts.push_back(static_cast<double>(RunPhold(config).events));
  }
  Counts c;
  c.runs = seeds;
  for (double x : counts) c.mean += x;
  c.mean /= seeds;
  for (double x : counts) c.variance += (x - c.mean) * (x - c.mean);
  c.variance /= seeds - 1;
  return c;
}

// P(Poisson(lambda) >= k), summed in log space; exact enough for lambda and k
// in the hundreds.
double PoissonTailAtLeast(double lambda, int k) {
  if (k <= 0) return 1.0;
  double below = 0;
  for (int i = 0; i < k; ++i) {
    below += std::exp(i * std::log(lambda) - lambda - std::lgamma(i + 1.0));
  }
  return std::max(0.0, 1.0 - below);
}

// Expected renewals in (0, T] of one chain whose gaps are L + Exp(mean), the
// first one included: N(T) >= k iff kL + Gamma(k, mean) <= T, and
// P(Gamma(k, mean) <= x) = P(Poisson(x / mean) >= k). Exact, no asymptotics.
double ExpectedEventsPerChain(double end, double mean, double lookahead) {
  double expected = 0;
  for (int k = 1; k * lookahead <= end; ++k) {
    const double p = PoissonTailAtLeast((end - k * lookahead) / mean, k);
    expected += p;
    if (p < 1e-15) break;
  }
  return expected;
}

TEST(Phold, EventCountAndFingerprintAreFixedForASeed) {
  const PholdResult a = RunPhold(Small());
  const PholdResult b = RunPhold(Small());
  EXPECT_GT(a.events, 0u);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  PholdConfig other = Small();
  other.seed = 2;
  EXPECT_NE(RunPhold(other).fingerprint, a.fingerprint);
}

// Pins the whole chain: key layout of the random stream, the distributions,
// the kernel's event order and fingerprint. If one of them changes on
// purpose, update these values and say so in the change.
TEST(Phold, GoldenEventCountForSeedOne) {
  const PholdResult r = RunPhold(Small());
  EXPECT_EQ(r.events, 3282u);
  EXPECT_EQ(r.fingerprint, 0xbf532ffa15f4413cull) << std::hex << r.fingerprint;
}

TEST(Phold, EveryCalendarGivesTheSameRun) {
  PholdConfig config = Small();
  config.remote = 0.5;
  config.lookahead = 0.25;
  config.calendar = kernel::kAllCalendars[0];
  const PholdResult reference = RunPhold(config);
  for (kernel::CalendarKind kind : kernel::kAllCalendars) {
    config.calendar = kind;
    const PholdResult r = RunPhold(config);
    EXPECT_EQ(r.events, reference.events) << kernel::CalendarName(kind);
    EXPECT_EQ(r.fingerprint, reference.fingerprint) << kernel::CalendarName(kind);
  }
}

// Lookahead 0: each of the N*M chains is a Poisson process of rate 1/mean on
// (0, T] (up to sub-microsecond rounding of the gaps), so the total is
// Poisson(lambda = N*M*T/mean): the mean over K seeds has standard error
// sqrt(lambda/K), and (K-1) s^2 / lambda is chi-square with K-1 degrees of
// freedom.
TEST(Phold, EventCountIsPoissonWithMeanNMTOverMean) {
  for (double remote : {1.0, 0.0}) {
    PholdConfig config = Small();
    config.remote = remote;
    constexpr int kSeeds = 40;
    const Counts c = CountOverSeeds(config, kSeeds);
    const double lambda = config.lps * config.per_lp * config.end / config.mean;
    EXPECT_NEAR(c.mean, lambda, 5 * std::sqrt(lambda / kSeeds)) << "remote " << remote;
    // Dispersion: chi-square(K-1) bounds at about 1e-4 in each tail
    // (Wilson-Hilferty, z = 3.72).
    const double k = kSeeds - 1;
    auto chi2_quantile = [k](double z) {
      const double a = 2.0 / (9.0 * k);
      return k * std::pow(1 - a + z * std::sqrt(a), 3);
    };
    const double dispersion = (kSeeds - 1) * c.variance / lambda;
    EXPECT_GT(dispersion, chi2_quantile(-3.72)) << "remote " << remote;
    EXPECT_LT(dispersion, chi2_quantile(3.72)) << "remote " << remote;
  }
}

// Lookahead L > 0: each chain is a renewal process with gaps L + Exp(mean)
// (mean mu = L + mean, variance sigma^2 = mean^2). Its exact expected count
// is ExpectedEventsPerChain (about T/mu + (sigma^2 - mu^2) / (2 mu^2)); the
// count's variance is about sigma^2 T / mu^3 (renewal CLT), whence the
// standard error of the mean over K seeds.
TEST(Phold, EventCountFollowsRenewalTheoryWithLookahead) {
  for (double lookahead : {0.5, 2.0}) {
    PholdConfig config = Small();
    config.lookahead = lookahead;
    constexpr int kSeeds = 40;
    const Counts c = CountOverSeeds(config, kSeeds);
    const double chains = config.lps * config.per_lp;
    const double mu = lookahead + config.mean;
    const double expected = chains * ExpectedEventsPerChain(config.end, config.mean, lookahead);
    const double variance = chains * config.mean * config.mean * config.end / (mu * mu * mu);
    EXPECT_NEAR(c.mean, expected, 5 * std::sqrt(variance / kSeeds)) << "lookahead " << lookahead;
    // The plain N*M*T/mu is off by the renewal correction, which this size
    // resolves (a check that the test has power).
    EXPECT_NEAR(expected / chains,
                config.end / mu + (config.mean * config.mean - mu * mu) / (2 * mu * mu), 1e-6);
  }
}

TEST(Phold, ValidatesItsConfig) {
  EXPECT_EQ(ValidatePholdConfig(Small()), "");
  PholdConfig c = Small();
  c.lps = 0;
  EXPECT_THAT(ValidatePholdConfig(c), ::testing::HasSubstr("--lps"));
  c = Small();
  c.mean = 0;
  EXPECT_THAT(ValidatePholdConfig(c), ::testing::HasSubstr("--mean"));
  c = Small();
  c.remote = 1.5;
  EXPECT_THAT(ValidatePholdConfig(c), ::testing::HasSubstr("--remote"));
  c = Small();
  c.lookahead = -1;
  EXPECT_THAT(ValidatePholdConfig(c), ::testing::HasSubstr("--lookahead"));
  c = Small();
  c.end = std::nan("");
  EXPECT_THAT(ValidatePholdConfig(c), ::testing::HasSubstr("--end"));
}

TEST(Phold, TimeUnitIsOneSecondOfTicks) {
  EXPECT_EQ(PholdUnitsToTicks(1.0), kernel::kTicksPerSecond);
  EXPECT_EQ(PholdUnitsToTicks(0.25), kernel::kTicksPerSecond / 4);
  EXPECT_EQ(PholdUnitsToTicks(1e-7), 0);  // rounds to the nearest tick
}

// The whole-process command, when the build has it (benchmarks may be off).
struct Command {
  int status = -1;
  std::string output;
};

Command RunCommand(const std::string& command) {
  Command result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) result.output += buffer;
  const int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// <build>/bench/orgsim-phold ("" when benchmarks are not built).
std::string OrgsimPholdPath() {
  const std::filesystem::path path = test::BinaryDir() / "bench" / "orgsim-phold";
  return std::filesystem::exists(path) ? path.string() : "";
}

TEST(PholdCommand, PrintsTheResultLineLast) {
  const std::string binary = OrgsimPholdPath();
  if (binary.empty()) GTEST_SKIP() << "orgsim-phold not built (ORGSIM_BUILD_BENCH=OFF)";
  const Command run =
      RunCommand(binary + " --lps 16 --per-lp 4 --end 50 --mean 1 --lookahead 0 --seed 1");
  ASSERT_EQ(run.status, 0) << run.output;
  const std::string last = run.output.substr(run.output.rfind('\n', run.output.size() - 2) + 1);
  EXPECT_THAT(last, ::testing::MatchesRegex("events=3282 seconds=[0-9.]+ events_per_s=[0-9]+\n"));
}

TEST(PholdCommand, BadFlagsGiveOneLineAndStatusTwo) {
  const std::string binary = OrgsimPholdPath();
  if (binary.empty()) GTEST_SKIP() << "orgsim-phold not built (ORGSIM_BUILD_BENCH=OFF)";
  for (const char* flags :
       {"--lps 0", "--mean -1", "--no-such-flag", "--lps abc", "--calendar nope", "--remote 2"}) {
    const Command run = RunCommand(binary + " " + flags);
    EXPECT_EQ(run.status, 2) << flags << ": " << run.output;
    EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1)
        << flags << ": " << run.output;
    EXPECT_THAT(run.output, ::testing::StartsWith("orgsim-phold: error: ")) << flags;
  }
}

}  // namespace
}  // namespace orgsim::bench
