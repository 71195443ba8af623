// The workshop back end, without HTTP: the scenario catalogue (confined to
// one folder), the levers the page shows, background runs with progress and
// cancel, results as JSON with server-rendered SVG charts, and the story of
// one replication. engine/serve/server.h puts it behind cpp-httplib.
//
//   Workshop workshop({.scenarios_dir = "scenarios"});
//   ApiResult r = workshop.StartRun(nlohmann::json::parse(body));  // 202 {id} or 4xx {error}
//   ApiResult s = workshop.RunStatus(id);                          // progress, then results
//
// Every request parameter is validated here (ids, arms, replication caps;
// levers only from WorkshopLevers() and within the range the page shows)
// and answered with a 4xx and a sentence saying what is wrong; nothing
// outside the scenarios folder is ever opened (no "..", no absolute paths,
// no symlinks leading out, no GraphML file elsewhere). Run ids are random
// 128-bit hex. Stories are computed once in a small background pool and
// cached: a story request answers at once (200, or 202 while computing, 503
// when the pool is full).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/base/status.h"
#include "engine/io/scenario_loader.h"
#include "engine/model/config.h"
#include "engine/model/run.h"
#include "engine/serve/background_pool.h"

namespace orgsim::serve {

struct WorkshopOptions {
  std::string scenarios_dir = "scenarios";
  std::uint32_t max_replications = 500;  // per run request
  std::uint32_t default_replications = 60;
  // Runs simulating at once, all browsers together; more wait in a FIFO
  // queue of at most max_queued_runs (their status shows "queue_position"),
  // and a request beyond that gets 429.
  std::size_t max_active_runs = 4;
  std::size_t max_queued_runs = 32;
  std::size_t max_kept_runs = 64;  // finished runs kept for status/story
  int threads_per_run = 0;         // 0 = all cores
  // Largest horizon a workshop run may simulate (days), to keep runs short.
  double max_horizon_days = 3650;
  // Stories: threads computing them, at most this many queued or computing,
  // this many kept, and at most this many trace events kept for the narrative.
  std::size_t story_threads = 2;
  std::size_t max_stories_in_flight = 4;
  std::size_t max_kept_stories = 32;
  std::size_t max_story_events = 500'000;
  // HTTP: a request (line, headers, body) must arrive within this many
  // seconds of its first byte; an idle connection is closed after keep_alive.
  // With handlers that answer at once, slow clients must open more than
  // http_threads connections to delay anyone, and then for seconds.
  double request_deadline_seconds = 5;
  double keep_alive_seconds = 5;
  std::size_t http_threads = 32;
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

// The slider `spec` gets for `scenario` ({path, label, kind, min, max, unit,
// step, values per arm}), or nullopt when some compared arm lacks the field.
std::optional<nlohmann::json> WorkshopLeverJson(const io::LoadedScenario& scenario,
                                                const LeverSpec& spec);

// `value` (a number, or a boolean as 0/1) for lever `path`, checked as the
// run API checks it: only WorkshopLevers(), finite, within the page's range.
// InvalidArgument with a sentence otherwise. Thread-safe (reads only).
StatusOr<double> CheckWorkshopLever(const io::LoadedScenario& scenario, const std::string& path,
                                    const nlohmann::json& value);

// Metrics the page shows, in order.
const std::vector<std::string>& WorkshopMetrics();

// What the page shows of a metric: {name, label (engine/serve/metric_labels.h),
// unit, description, better: "higher" | "lower" | "neither"}.
nlohmann::json MetricJson(const model::MetricInfo& info);

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
  // The 202 answer carries "cancel_key": a secret that lets whoever started
  // the run cancel it (CancelRun's `key`).
  ApiResult StartRun(const nlohmann::json& request);
  // GET /api/runs/ID: state, progress, "queue_position" (1 = next) while queued;
  // when finished, per metric the distributions, the paired difference and
  // "better_share" (the share of paired replications the design did better
  // in, by the metric's direction), and "cash": cash at each month end
  // (median and 10th-90th percentile per arm) with its fan chart.
  ApiResult RunStatus(const std::string& run_id);
  // POST /api/runs/ID/cancel: `facilitator` may cancel any run; anyone else
  // needs the run's cancel key (403 otherwise).
  ApiResult CancelRun(const std::string& run_id, bool facilitator = true,
                      const std::string& key = "");
  // GET /api/runs (facilitator): every kept run, newest last, with state and queue position.
  ApiResult ListRuns();
  // GET /api/runs/ID/story?arm=design|baseline&replication=R: 200 with the
  // story when computed, 202 {"state": "computing"} while it is, 503 when
  // too many stories are being computed.
  ApiResult Story(const std::string& run_id, const std::string& which,
                  const std::string& replication);

  const WorkshopOptions& options() const { return options_; }

  // A scenario of the folder, loaded once and cached (id as for
  // ResolveScenarioPath). Thread-safe.
  StatusOr<std::shared_ptr<const io::LoadedScenario>> LoadScenario(const std::string& id);

  // Validates a scenario id and returns the file's canonical path;
  // NotFound when no such file exists, InvalidArgument otherwise. Accepted: a relative path of
  // [A-Za-z0-9._-] segments separated by '/', ending in ".textproto", naming a regular file whose
  // canonical path lies inside the scenarios folder.
  StatusOr<std::string> ResolveScenarioPath(const std::string& id) const;

 private:
  struct Run;
  struct StoryJob;
  StatusOr<std::shared_ptr<const io::LoadedScenario>> Load(const std::string& id);
  std::shared_ptr<Run> FindRun(const std::string& run_id);
  void Execute(const std::shared_ptr<Run>& run);
  nlohmann::json RunJson(const Run& run);
  bool WaitForSlot(Run& run);  // false when cancelled while queued
  void ReleaseSlot();
  std::size_t QueuePosition(const std::string& run_id);  // 0 = not queued; REQUIRES mutex_
  ApiResult ComputeStory(const Run& run, bool design, std::uint32_t replication);
  std::string NewRunId();

  WorkshopOptions options_;
  std::string root_;  // canonical scenarios folder
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const io::LoadedScenario>> cache_;
  std::map<std::string, std::shared_ptr<Run>> runs_;
  std::vector<std::string> run_order_;  // oldest first, for eviction
  std::deque<std::string> queue_;       // runs waiting for a slot, first = next
  std::size_t running_ = 0;             // runs holding a slot
  std::condition_variable slot_freed_;
  std::map<std::string, std::shared_ptr<StoryJob>> stories_;  // by "run/which/replication"
  std::vector<std::string> story_order_;                      // oldest first, for eviction
  std::atomic<bool> shutting_down_{false};
  // Last member: destroyed (joined) first, while what its jobs use still exists.
  std::unique_ptr<BackgroundPool> story_pool_;
};

}  // namespace orgsim::serve
