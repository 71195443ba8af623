// phold-baseline: the minimal hand-written PHOLD loop that orgsim's kernel is
// measured against (issue 2): std::priority_queue of (time, seq, lp),
// std::mt19937_64, std::exponential_distribution; compiled -O2. Same model,
// flags and output line as orgsim-phold:
//
//   phold-baseline --lps 1024 --per-lp 16 --end 100 --mean 1 --lookahead 0 --seed 1
//   ...
//   events=<n> seconds=<s> events_per_s=<r>
//
// Times are doubles here (no tick rounding) and the draws come from one
// generator, so event counts match orgsim's in distribution, not one by one.
// `seconds` is the wall time of the event loop only, as in orgsim-phold.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <queue>
#include <random>
#include <vector>

namespace {

struct Event {
  double time;
  std::uint64_t seq;
  std::uint32_t lp;
};

struct Later {
  bool operator()(const Event& a, const Event& b) const {
    return a.time > b.time || (a.time == b.time && a.seq > b.seq);
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::uint32_t lps = 1024;
  std::uint32_t per_lp = 16;
  double end = 100;
  double mean = 1;
  double lookahead = 0;
  double remote = 1;
  std::uint64_t seed = 1;
  CLI::App app{"Minimal hand-written PHOLD loop (the reference for orgsim-phold).",
               "phold-baseline"};
  app.add_option("--lps", lps)->check(CLI::Range(1u, 1u << 30));
  app.add_option("--per-lp", per_lp)->check(CLI::Range(1u, 1u << 30));
  app.add_option("--end", end)->check(CLI::Range(0.0, 1e9));
  app.add_option("--mean", mean)->check(CLI::Range(1e-9, 1e9));
  app.add_option("--lookahead", lookahead)->check(CLI::Range(0.0, 1e9));
  app.add_option("--remote", remote)->check(CLI::Range(0.0, 1.0));
  app.add_option("--seed", seed);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "phold-baseline: error: " << e.what() << "\n";
    return 2;
  }

  std::mt19937_64 gen(seed);
  std::exponential_distribution<double> exponential(1.0 / mean);
  std::uniform_int_distribution<std::uint32_t> pick(0, lps - 1);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  std::priority_queue<Event, std::vector<Event>, Later> queue;
  std::uint64_t seq = 0;
  for (std::uint32_t lp = 0; lp < lps; ++lp) {
    for (std::uint32_t m = 0; m < per_lp; ++m) {
      queue.push({lookahead + exponential(gen), seq++, lp});
    }
  }

  const auto start = std::chrono::steady_clock::now();
  std::uint64_t events = 0;
  while (!queue.empty() && queue.top().time <= end) {
    const Event event = queue.top();
    queue.pop();
    ++events;
    std::uint32_t destination = event.lp;
    if (remote >= 1.0 || (remote > 0.0 && coin(gen) < remote)) destination = pick(gen);
    queue.push({event.time + lookahead + exponential(gen), seq++, destination});
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::printf("phold-baseline lps=%u per_lp=%u end=%g mean=%g lookahead=%g remote=%g seed=%llu\n",
              lps, per_lp, end, mean, lookahead, remote, static_cast<unsigned long long>(seed));
  std::printf("events=%llu seconds=%.6f events_per_s=%.0f\n",
              static_cast<unsigned long long>(events), seconds,
              seconds > 0 ? static_cast<double>(events) / seconds : 0.0);
  return 0;
}
