// The workshop back end, without HTTP: the scenario catalogue (confined to
// one folder), the levers the page shows, background runs with progress and
// cancel, results as JSON with server-rendered SVG charts, and the story of
// one replication. engine/serve/server.h puts it behind cpp-httplib.
//
//   Workshop workshop({.scenarios_dir = "scenarios"});
//   ApiResult r = workshop.StartRun(nlohmann::json::parse(body));  // 202 {id} or 4xx {error}
//   ApiResult s = workshop.RunStatus(id);                          // progress, then results
//
// Every request parameter is validated here (ids, arms, lever paths and
// values through io::ConfigFor, replication caps) and answered with a 4xx
// and a sentence saying what is wrong; nothing outside the scenarios folder
// is ever opened (no "..", no absolute paths, no symlinks leading out).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/io/scenario_loader.h"
#include "engine/model/config.h"

namespace orgsim::serve {

struct WorkshopOptions {
  std::string scenarios_dir = "scenarios";
  std::uint32_t max_replications = 500;     // per run request
  std::uint32_t default_replications = 60;
  std::size_t max_active_runs = 4;          // queued + running, all browsers together
  std::size_t max_kept_runs = 64;           // finished runs kept for status/story
  int threads_per_run = 0;                  // 0 = all cores
  // Largest horizon a workshop run may simulate (days), to keep runs short.
  double max_horizon_days = 3650;
};

// A response: HTTP status and a JSON body ({"error": "..."} for 4xx/5xx).
struct ApiResult {
  int status = 200;
  nlohmann::json body;
};

// A lever the page offers, with words for the room.
struct LeverSpec {
  std::string path;   // field path, e.g. "organization.pm.mandate"
  std::string label;  // "PM mandate"
  std::string claim;  // "C8"
  std::string help;   // one sentence: what moving it means
};
const std::vector<LeverSpec>& WorkshopLevers();

// Metrics the page shows, in order.
const std::vector<std::string>& WorkshopMetrics();

class Workshop {
 public:
  explicit Workshop(WorkshopOptions options);
  ~Workshop();  // cancels and joins every run
  Workshop(const Workshop&) = delete;
  Workshop& operator=(const Workshop&) = delete;

  // GET /api/scenarios
  ApiResult ListScenarios();
  // GET /api/scenario?id=ID: arms, baseline, levers with ranges and per-arm values, limits.
  ApiResult DescribeScenario(const std::string& id);
  // POST /api/runs {"scenario": ID, "arm": NAME, "replications": N, "levers": {PATH: VALUE}}
  ApiResult StartRun(const nlohmann::json& request);
  // GET /api/runs/ID
  ApiResult RunStatus(const std::string& run_id);
  // POST /api/runs/ID/cancel
  ApiResult CancelRun(const std::string& run_id);
  // GET /api/runs/ID/story?arm=design|baseline&replication=R
  ApiResult Story(const std::string& run_id, const std::string& which, const std::string& replication);

  const WorkshopOptions& options() const { return options_; }

  // Validates a scenario id and returns the file's canonical path, or sets
  // *error. Accepted: a relative path of [A-Za-z0-9._-] segments separated
  // by '/', ending in ".textproto", naming a regular file whose canonical
  // path lies inside the scenarios folder.
  bool ResolveScenarioPath(const std::string& id, std::string* path, std::string* error) const;

 private:
  struct Run;
  std::shared_ptr<const io::LoadedScenario> Load(const std::string& id, std::string* error);
  std::shared_ptr<Run> FindRun(const std::string& run_id);
  void Execute(const std::shared_ptr<Run>& run);
  nlohmann::json RunJson(const Run& run);

  WorkshopOptions options_;
  std::string root_;  // canonical scenarios folder
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const io::LoadedScenario>> cache_;
  std::map<std::string, std::shared_ptr<Run>> runs_;
  std::vector<std::string> run_order_;  // oldest first, for eviction
  std::vector<std::thread> threads_;
  std::uint64_t next_id_ = 1;
};

}  // namespace orgsim::serve
