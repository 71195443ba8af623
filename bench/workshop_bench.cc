// orgsim-workshop-bench: how long a participant waits for an answer. A
// workshop server on loopback (in this process, as `orgsim serve` runs it)
// gets a lever change as the page sends it (POST /api/runs: one lever moved,
// N paired replications of the design against the baseline) and is polled
// like the page polls, until the run is done; the wall time from the POST to
// the status that says "done" is the latency (issue 16 section 5).
//
//   orgsim-workshop-bench --scenarios scenarios --scenario product_led_vs_project_mode.textproto
//       --arm product_led --lever organization.pm.mandate --replications 200 --repeats 5
//
// Prints one JSON line per request and a summary line: median, min and max
// seconds, the process's CPU seconds per request (server and client: on a
// shared machine, CPU / cores bounds what an idle machine would take), and
// how many intermediate progress values the polls saw (progress visible
// meanwhile). Each request moves the lever to a different value, so no two
// requests are the same design.
#include <httplib.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/serve/server.h"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Flags {
  std::string scenarios = "scenarios";
  std::string scenario = "product_led_vs_project_mode.textproto";
  std::string arm = "product_led";
  std::string lever = "organization.pm.mandate";
  unsigned replications = 200;
  unsigned repeats = 5;
  int threads = 0;   // per run; 0 = all cores
  int poll_ms = 20;  // the page polls every 250 ms; finer here to time the answer
};

// User + system CPU seconds of this process so far.
double CpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct Sample {
  double seconds = 0;
  double cpu_seconds = 0;
  std::size_t progress_values = 0;  // distinct "done" values strictly between 0 and N
};

int Bench(const Flags& flags) {
  orgsim::serve::WorkshopOptions options;
  options.scenarios_dir = flags.scenarios;
  options.max_replications = std::max(500u, flags.replications);
  options.threads_per_run = flags.threads;
  orgsim::serve::WorkshopServer server(options);
  const int port = server.Bind("127.0.0.1", 0);
  if (port < 0) {
    std::cerr << "orgsim-workshop-bench: cannot bind a loopback port\n";
    return 2;
  }
  std::thread listener([&] { server.Listen(); });
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(120, 0);
  auto stop = [&](int code) {
    server.Stop();
    listener.join();
    return code;
  };
  // The page has loaded the scenario before anyone moves a lever.
  std::string body;
  int status = 0;
  for (int i = 0; i < 200 && status == 0; ++i) {
    if (auto res = client.Get("/api/scenario?id=" + flags.scenario)) {
      status = res->status;
      body = res->body;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  if (status != 200) {
    std::cerr << "orgsim-workshop-bench: " << (status == 0 ? std::string("no answer") : body)
              << "\n";
    return stop(2);
  }
  double lo = 0, hi = 1;
  for (const json& lever : json::parse(body)["levers"]) {
    if (lever["path"] != flags.lever) continue;
    lo = lever["min"].get<double>();
    hi = lever["max"].get<double>();
  }

  std::vector<Sample> samples;
  for (unsigned i = 0; i < flags.repeats; ++i) {
    const double value = lo + (hi - lo) * (0.35 + 0.5 * i / std::max(1u, flags.repeats));
    const json request{{"scenario", flags.scenario},
                       {"arm", flags.arm},
                       {"replications", flags.replications},
                       {"levers", {{flags.lever, value}}}};
    const Clock::time_point start = Clock::now();
    const double cpu_start = CpuSeconds();
    auto started = client.Post("/api/runs", request.dump(), "application/json");
    if (!started || started->status != 202) {
      std::cerr << "orgsim-workshop-bench: " << (started ? started->body : std::string("no answer"))
                << "\n";
      return stop(1);
    }
    const std::string id = json::parse(started->body)["id"];
    std::set<unsigned> progress;
    json status;
    for (;;) {
      auto polled = client.Get("/api/runs/" + id);
      if (!polled || polled->status != 200) return stop(1);
      status = json::parse(polled->body);
      const std::string state = status["state"];
      if (state != "queued" && state != "running") break;
      const unsigned done = status["done"];
      if (done > 0 && done < flags.replications) progress.insert(done);
      std::this_thread::sleep_for(std::chrono::milliseconds(flags.poll_ms));
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (status["state"] != "done") {
      std::cerr << "orgsim-workshop-bench: run ended " << status.dump() << "\n";
      return stop(1);
    }
    const double cpu = CpuSeconds() - cpu_start;
    samples.push_back({seconds, cpu, progress.size()});
    std::cout << json{{"request", i},
                      {"lever", flags.lever},
                      {"value", value},
                      {"replications", flags.replications},
                      {"seconds", seconds},
                      {"cpu_seconds", cpu},
                      {"progress_values_seen", progress.size()}}
                     .dump()
              << std::endl;
  }
  std::vector<double> seconds, cpu;
  std::size_t min_progress = samples.empty() ? 0 : samples.front().progress_values;
  for (const Sample& s : samples) {
    seconds.push_back(s.seconds);
    cpu.push_back(s.cpu_seconds);
    min_progress = std::min(min_progress, s.progress_values);
  }
  std::sort(seconds.begin(), seconds.end());
  std::sort(cpu.begin(), cpu.end());
  std::cout << json{{"summary", "lever change answered"},
                    {"scenario", flags.scenario},
                    {"arm", flags.arm},
                    {"replications_per_arm", flags.replications},
                    {"requests", seconds.size()},
                    {"hardware_threads", std::thread::hardware_concurrency()},
                    {"median_seconds", seconds.empty() ? 0.0 : seconds[seconds.size() / 2]},
                    {"min_seconds", seconds.empty() ? 0.0 : seconds.front()},
                    {"max_seconds", seconds.empty() ? 0.0 : seconds.back()},
                    {"median_cpu_seconds", cpu.empty() ? 0.0 : cpu[cpu.size() / 2]},
                    {"min_progress_values_seen", min_progress}}
                   .dump()
            << std::endl;
  return stop(0);
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  CLI::App app{
      "Latency of a workshop lever change: N paired replications of two arms through the server "
      "API"};
  app.add_option("--scenarios", flags.scenarios, "Scenarios folder")->capture_default_str();
  app.add_option("--scenario", flags.scenario, "Scenario id inside the folder")
      ->capture_default_str();
  app.add_option("--arm", flags.arm, "Arm the participant starts from")->capture_default_str();
  app.add_option("--lever", flags.lever, "Lever the participant moves")->capture_default_str();
  app.add_option("--replications", flags.replications, "Paired replications per request")
      ->check(CLI::Range(1u, 100000u))
      ->capture_default_str();
  app.add_option("--repeats", flags.repeats, "Requests, one after another")
      ->check(CLI::Range(1u, 1000u))
      ->capture_default_str();
  app.add_option("--threads", flags.threads, "Threads per run (0 = all cores)")
      ->check(CLI::Range(0, 1024));
  app.add_option("--poll-ms", flags.poll_ms, "Milliseconds between status polls")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return Bench(flags);
}
