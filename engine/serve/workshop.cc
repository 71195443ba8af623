#include "engine/serve/workshop.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "engine/experiment/statistics.h"
#include "engine/io/folder.h"
#include "engine/io/levers.h"
#include "engine/model/run.h"
#include "engine/report/charts.h"
#include "engine/report/narrative.h"
#include "engine/report/svg.h"
#include "engine/serve/http_status.h"
#include "engine/serve/metric_labels.h"
#include "engine/serve/secret.h"

namespace orgsim::serve {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

ApiResult Error(int status, std::string message) {
  return {status, json{{"error", std::move(message)}}};
}

ApiResult Error(const Status& status) {
  return Error(HttpStatusOf(status.code()), status.message());
}

// JSON has no NaN/inf: they become null.
json Num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

bool IsSegmentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

enum class RunState { kQueued, kRunning, kDone, kCancelled, kFailed };

const char* StateName(RunState s) {
  switch (s) {
    case RunState::kQueued:
      return "queued";
    case RunState::kRunning:
      return "running";
    case RunState::kDone:
      return "done";
    case RunState::kCancelled:
      return "cancelled";
    case RunState::kFailed:
      return "failed";
  }
  return "unknown";
}

// A round step near `span` / 100 (1, 2 or 5 times a power of ten): the grid a
// dragged slider snaps to. The schema declares no step, and the arms' own
// values need not lie on any grid: the page keeps them exact (it never
// rounds a value the user did not move) and offers free numeric entry.
double SliderStep(double span) {
  if (!(span > 0) || !std::isfinite(span)) return 1.0;
  const double raw = span / 100.0;
  const double decade = std::pow(10.0, std::floor(std::log10(raw)));
  for (double factor : {1.0, 2.0, 5.0}) {
    if (raw <= factor * decade * (1 + 1e-9)) return factor * decade;
  }
  return 10 * decade;
}

// The slider a lever gets on the page for this scenario (range, kind, unit),
// or nullopt when some compared arm lacks the field. The run API accepts
// exactly these ranges.
std::optional<json> PageLever(const io::LoadedScenario& scenario, const LeverSpec& spec) {
  json lever{
      {"path", spec.path}, {"label", spec.label}, {"claim", spec.claim}, {"help", spec.help}};
  json values = json::object();
  for (std::size_t a : scenario.experiment.arms) {
    auto info = io::DescribeLever(scenario, a, spec.path);
    if (!info.ok()) return std::nullopt;
    values[scenario.arms[a].name] = info->value;
    if (!lever.contains("kind")) {
      double lo = info->min, hi = info->max;
      // Sliders need finite ends: unbounded sides get a generous default.
      if (!std::isfinite(lo)) lo = 0;
      if (!std::isfinite(hi)) hi = std::max(1.0, std::abs(info->value) * 4);
      lever["kind"] = info->kind;
      lever["min"] = lo;
      lever["max"] = hi;
      lever["min_exclusive"] = info->min_exclusive;
      lever["max_exclusive"] = info->max_exclusive;
      lever["unit"] = info->unit;
      lever["step"] = info->kind == "number" ? SliderStep(hi - lo) : 1.0;
    }
  }
  lever["values"] = values;
  return lever;
}

std::string NumberText(double v) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.10g", v);
  return text;
}

// Empty when `value` lies in the page's range of `lever`, else why not.
std::string OutOfPageRange(const json& lever, double value) {
  const double lo = lever["min"].get<double>(), hi = lever["max"].get<double>();
  const bool lo_open = lever["min_exclusive"].get<bool>(),
             hi_open = lever["max_exclusive"].get<bool>();
  const bool ok = (lo_open ? value > lo : value >= lo) && (hi_open ? value < hi : value <= hi);
  if (ok) return "";
  return "lever '" + lever["path"].get<std::string>() + "' = " + NumberText(value) +
         " is outside its range " + (lo_open ? "(" : "[") + NumberText(lo) + ", " + NumberText(hi) +
         (hi_open ? ")" : "]");
}

std::string DesignName(const std::string& arm) { return "your design (" + arm + ")"; }
std::string BaselineName(const std::string& arm) { return "baseline (" + arm + ")"; }

// Cash at each month end over the completed replications: per arm the median
// and the 10th to 90th percentile, as numbers and as a fan chart; null when
// no replication completed.
json CashOverTime(const std::vector<std::vector<double>>& design,
                  const std::vector<std::vector<double>>& base, const std::vector<char>& completed,
                  const std::string& design_name, const std::string& base_name,
                  const std::string& run_id) {
  std::size_t months = std::numeric_limits<std::size_t>::max();
  std::size_t rows = 0;
  for (std::size_t r = 0; r < completed.size(); ++r) {
    if (!completed[r]) continue;
    ++rows;
    months = std::min({months, design[r].size(), base[r].size()});
  }
  if (rows == 0 || months == 0) return nullptr;
  auto fan = [&](const std::vector<std::vector<double>>& cash, const std::string& name,
                 std::size_t color) {
    report::FanSeries series;
    series.name = name;
    series.color = color;
    std::vector<double> column;
    for (std::size_t m = 0; m < months; ++m) {
      column.clear();
      for (std::size_t r = 0; r < completed.size(); ++r) {
        if (completed[r]) column.push_back(cash[r][m]);
      }
      std::sort(column.begin(), column.end());
      series.x.push_back(static_cast<double>(m + 1));
      series.median.push_back(experiment::QuantileSorted(column, 0.5));
      series.low.push_back(experiment::QuantileSorted(column, 0.1));
      series.high.push_back(experiment::QuantileSorted(column, 0.9));
    }
    return series;
  };
  report::FanChart chart;
  chart.frame.id = "chart-cash";
  chart.frame.title = "Cash over time";
  chart.frame.subtitle =
      "Cash at each month end. Line: the median company; band: 8 in 10 companies.";
  chart.frame.data = {{"series", "cash"}, {"run", run_id}};
  chart.frame.width = 560;
  chart.x = {"Month", ""};
  chart.y = {"Cash", "currency"};
  chart.band_label = "10th to 90th percentile of replications";
  chart.series.push_back(fan(base, base_name, 7));
  chart.series.push_back(fan(design, design_name, 0));
  auto numbers = [](const report::FanSeries& s) {
    return json{{"median", s.median}, {"low", s.low}, {"high", s.high}};
  };
  return json{{"months", chart.series[0].x},
              {"baseline", numbers(chart.series[0])},
              {"design", numbers(chart.series[1])},
              {"svg", report::RenderFan(chart)}};
}

}  // namespace

const std::vector<LeverSpec>& WorkshopLevers() {
  static const std::vector<LeverSpec> levers = {
      {"organization.pm.business_ownership", "PM owns the business (P&L)", "C1, C2",
       "The PM prioritises by expected profit and allocates capacity between building and "
       "go-to-market."},
      {"organization.pm.customer_interaction_hours_per_week", "PM time with customers", "C1",
       "Hours a week the PM spends in discovery with customers: costs PM time, sharpens what the "
       "PM knows."},
      {"organization.pm.gtm_responsibility", "PM owns go-to-market", "C1",
       "Share of releases launched with coordinated marketing and sales."},
      {"organization.pm.business_acumen", "Business acumen", "C2",
       "How well the PM's value estimates track real customer value and profit."},
      {"organization.pm.people_sense", "People sense", "C10",
       "Accuracy in discovery and trust built with the other functions."},
      {"organization.pm.mandate", "PM mandate", "C8, C11",
       "How much of the roadmap the PM decides (the rest: executives and sales requests)."},
      {"organization.pm.metric_ownership", "PM owns outcome metrics", "C11",
       "The PM measures shipped work against outcomes and kills what does not move them."},
      {"organization.pm.authority", "Formal authority", "C3",
       "Decisions by authority are adopted faster but without buy-in (engineers understand less of "
       "the why)."},
      {"organization.pm.outcome_orientation", "Outcome over output", "C6",
       "What the PM optimises: 0 = features shipped, 1 = customer value and profit."},
      {"organization.operating.ceremony_hours_per_week", "Ceremony load", "C4",
       "Hours a week in ceremonies per person: costs capacity, buys coordination with diminishing "
       "returns."},
      {"organization.operating.framework_adherence", "Framework adherence", "C4",
       "How strictly a delivery framework is followed regardless of the work."},
      {"organization.operating.layers_between_engineers_and_customers",
       "Layers between engineers and customers", "C9",
       "Intermediaries (project managers, proxies) between engineers and customers: shield and "
       "distort."},
      {"organization.operating.signal_routing", "Problem signals routed to product", "C5",
       "Share of sales, marketing and success problems that reach product and are owned there."},
      {"market.need_drift_per_sqrt_year", "Market uncertainty (need drift)", "regime",
       "How fast customers' needs move: in a stable market project mode can be competitive."},
  };
  return levers;
}

json MetricJson(const model::MetricInfo& info) {
  const std::string_view label = MetricLabel(info.name);
  return json{{"name", info.name},
              {"label", label.empty() ? info.name : label},
              {"unit", info.unit},
              {"description", info.description},
              {"better", BetterWord(info.better)}};
}

std::optional<json> WorkshopLeverJson(const io::LoadedScenario& scenario, const LeverSpec& spec) {
  return PageLever(scenario, spec);
}

StatusOr<double> CheckWorkshopLever(const io::LoadedScenario& scenario, const std::string& path,
                                    const json& value) {
  double v;
  if (value.is_boolean()) {
    v = value.get<bool>() ? 1.0 : 0.0;
  } else if (value.is_number()) {
    v = value.get<double>();
  } else {
    return InvalidArgumentError("lever '" + path + "' must be a number or a boolean");
  }
  if (!std::isfinite(v)) return InvalidArgumentError("lever '" + path + "' must be finite");
  // Only the page's levers, each within the page's range: any other
  // field (arrival rates, horizons, headcounts) could make a run
  // arbitrarily expensive.
  const auto& catalogue = WorkshopLevers();
  const auto spec = std::find_if(catalogue.begin(), catalogue.end(),
                                 [&](const LeverSpec& l) { return l.path == path; });
  if (spec == catalogue.end()) {
    return InvalidArgumentError(
        "lever '" + path + "' is not one the workshop offers (see \"levers\" of /api/scenario)");
  }
  const auto lever = PageLever(scenario, *spec);
  if (!lever) return InvalidArgumentError("lever '" + path + "' does not apply to this scenario");
  if (std::string why = OutOfPageRange(*lever, v); !why.empty()) return InvalidArgumentError(why);
  return v;
}

const std::vector<std::string>& WorkshopMetrics() {
  static const std::vector<std::string> metrics = {"profit_total",
                                                   "revenue_total",
                                                   "customers_end",
                                                   "customer_value_delivered",
                                                   "engineer_why_understanding",
                                                   "time_to_pmf_days"};
  return metrics;
}

// One background run: the chosen design against the baseline arm, with
// common random numbers (replication r of both uses the same key).
struct Workshop::Run {
  std::string id;
  std::string scenario_id;
  std::shared_ptr<const io::LoadedScenario> scenario;
  std::string arm;
  std::string baseline;
  json levers;
  model::ModelConfig design;
  model::ModelConfig base;
  std::uint32_t replications = 0;
  std::atomic<std::uint32_t> done{0};
  std::atomic<bool> cancel{false};
  std::atomic<RunState> state{RunState::kQueued};
  std::string cancel_key;  // random; lets the starter cancel without the facilitator token
  std::string error;       // set before state becomes kFailed
  int error_status = 500;  // the HTTP status of the error, from its code
  // Per metric of the catalog, per replication (NaN until run).
  std::vector<std::vector<double>> design_values, base_values;
  std::vector<std::uint64_t> design_fingerprints, base_fingerprints;
  // Cash at each month end, per replication (empty until run); summarised
  // into `cash` when the run ends and then freed.
  std::vector<std::vector<double>> design_cash, base_cash;
  json cash;                    // written before state leaves kRunning
  std::vector<char> completed;  // per replication
  std::thread thread;
};

// One story: computing until `done`, then `result` (200 or an error).
struct Workshop::StoryJob {
  std::atomic<bool> done{false};
  ApiResult result;  // written before done becomes true
};

Workshop::Workshop(WorkshopOptions options)
    : options_(std::move(options)),
      story_pool_(std::make_unique<BackgroundPool>(options_.story_threads)) {
  std::error_code ec;
  root_ = fs::weakly_canonical(fs::absolute(options_.scenarios_dir), ec).string();
}

Workshop::~Workshop() {
  shutting_down_ = true;  // stops stories being computed
  story_pool_.reset();
  std::vector<std::shared_ptr<Run>> runs;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [id, run] : runs_) runs.push_back(run);
  }
  for (auto& run : runs) run->cancel = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    slot_freed_.notify_all();  // queued runs leave the queue
  }
  for (auto& run : runs) {
    if (run->thread.joinable()) run->thread.join();
  }
}

StatusOr<std::string> Workshop::ResolveScenarioPath(const std::string& id) const {
  if (id.empty()) {
    return InvalidArgumentError("scenario id is empty");
  }
  if (id.size() > 200) {
    return InvalidArgumentError("scenario id is too long");
  }
  if (id.front() == '/') {
    return InvalidArgumentError(
        "scenario id must be a path relative to the scenarios folder, not an absolute path");
  }
  std::size_t start = 0;
  while (start <= id.size()) {
    const std::size_t slash = id.find('/', start);
    const std::string segment =
        id.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (segment.empty() || segment == "." || segment == "..") {
      return InvalidArgumentError("scenario id '" + id +
                                  "' has an empty, '.' or '..' path segment");
    }
    if (!std::all_of(segment.begin(), segment.end(), IsSegmentChar)) {
      return InvalidArgumentError("scenario id '" + id +
                                  "' may only use letters, digits, '.', '_', '-' and '/'");
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (id.size() < 10 || id.substr(id.size() - 10) != ".textproto") {
    return InvalidArgumentError("scenario id '" + id + "' must name a .textproto file");
  }
  std::error_code ec;
  const fs::path canonical = fs::canonical(fs::path(root_) / id, ec);
  if (ec) {
    return NotFoundError("no scenario '" + id + "' in the scenarios folder");
  }
  // Symlinks may not lead out of the folder.
  const std::string text = canonical.string();
  if (!io::IsInsideFolder(text, root_)) {
    return InvalidArgumentError("scenario '" + id + "' resolves outside the scenarios folder");
  }
  if (!fs::is_regular_file(canonical, ec)) {
    return InvalidArgumentError("scenario '" + id + "' is not a regular file");
  }
  return text;
}

StatusOr<std::shared_ptr<const io::LoadedScenario>> Workshop::LoadScenario(const std::string& id) {
  return Load(id);
}

StatusOr<std::shared_ptr<const io::LoadedScenario>> Workshop::Load(const std::string& id) {
  StatusOr<std::string> resolved = ResolveScenarioPath(id);
  if (!resolved.ok()) return resolved.status();
  const std::string& path = *resolved;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.find(path);
    if (it != cache_.end()) return std::shared_ptr<const io::LoadedScenario>(it->second);
  }
  io::LoadOptions load_options;
  load_options.confine_files_to = root_;  // GraphML files too must lie in the folder
  io::LoadResult result = io::LoadScenarioFile(path, load_options);
  if (!result.ok()) {
    return InvalidArgumentError("scenario '" + id + "' is invalid: " +
                                (result.diagnostics.empty() ? std::string("unknown error")
                                                            : result.diagnostics.front().message));
  }
  auto scenario = std::make_shared<const io::LoadedScenario>(std::move(*result.scenario));
  std::lock_guard<std::mutex> lock(mutex_);
  cache_.emplace(path, scenario);
  return std::shared_ptr<const io::LoadedScenario>(scenario);
}

ApiResult Workshop::ListScenarios() {
  std::vector<std::string> ids;
  std::error_code ec;
  // Directory symlinks are not followed; files are checked one by one.
  for (auto it = fs::recursive_directory_iterator(root_, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().extension() != ".textproto") continue;
    const std::string rel = fs::relative(it->path(), root_, ec).generic_string();
    if (!ec && ResolveScenarioPath(rel).ok()) ids.push_back(rel);
    if (ids.size() >= 500) break;
  }
  std::sort(ids.begin(), ids.end());
  json list = json::array();
  for (const auto& id : ids) {
    auto scenario = Load(id);
    json entry{{"id", id}};
    if (scenario.ok()) {
      entry["name"] = (*scenario)->name;
      entry["description"] = (*scenario)->description;
      entry["arms"] = (*scenario)->arms.size();
    } else {
      entry["error"] = scenario.status().message();
    }
    list.push_back(entry);
  }
  return {200, json{{"scenarios", list}, {"folder", root_}}};
}

ApiResult Workshop::DescribeScenario(const std::string& id) {
  auto loaded = Load(id);
  if (!loaded.ok()) return Error(loaded.status());
  const std::shared_ptr<const io::LoadedScenario>& scenario = *loaded;
  json arms = json::array();
  for (std::size_t a : scenario->experiment.arms) {
    arms.push_back(
        {{"name", scenario->arms[a].name}, {"description", scenario->arms[a].description}});
  }
  json levers = json::array();
  for (const LeverSpec& spec : WorkshopLevers()) {
    if (auto lever = PageLever(*scenario, spec)) levers.push_back(std::move(*lever));
  }
  const std::string& baseline = scenario->arms[scenario->experiment.baseline].name;
  json metrics = json::array();
  for (const std::string& name : WorkshopMetrics()) {
    metrics.push_back(MetricJson(model::MetricCatalog()[model::MetricIndex(name)]));
  }
  return {200, json{{"id", id},
                    {"name", scenario->name},
                    {"description", scenario->description},
                    {"seed", scenario->seed},
                    {"horizon_days", scenario->horizon_days},
                    {"arms", arms},
                    {"baseline", baseline},
                    {"levers", levers},
                    {"metrics", metrics},
                    {"limits",
                     {{"max_replications", options_.max_replications},
                      {"default_replications",
                       std::min(options_.default_replications, options_.max_replications)}}}}};
}

ApiResult Workshop::StartRun(const json& request) {
  if (!request.is_object()) return Error(400, "the request body must be a JSON object");
  if (!request.contains("scenario") || !request["scenario"].is_string()) {
    return Error(400, "\"scenario\" (a scenario id string) is required");
  }
  const std::string id = request["scenario"].get<std::string>();
  auto loaded = Load(id);
  if (!loaded.ok()) return Error(loaded.status());
  const std::shared_ptr<const io::LoadedScenario>& scenario = *loaded;

  const std::size_t baseline_index = scenario->experiment.baseline;
  std::size_t arm_index = baseline_index;
  if (request.contains("arm")) {
    if (!request["arm"].is_string()) return Error(400, "\"arm\" must be a string");
    const auto found = scenario->ArmIndex(request["arm"].get<std::string>());
    if (!found) {
      std::string names;
      for (const auto& a : scenario->arms) names += (names.empty() ? "" : ", ") + a.name;
      return Error(400,
                   "unknown arm '" + request["arm"].get<std::string>() + "' (arms: " + names + ")");
    }
    arm_index = *found;
  }
  std::uint32_t replications = std::min(options_.default_replications, options_.max_replications);
  if (request.contains("replications")) {
    const json& r = request["replications"];
    if (!r.is_number_integer() &&
        !(r.is_number_float() && std::floor(r.get<double>()) == r.get<double>())) {
      return Error(400, "\"replications\" must be a whole number");
    }
    const double value = r.get<double>();
    if (value < 1 || value > options_.max_replications) {
      return Error(400, "\"replications\" must be between 1 and " +
                            std::to_string(options_.max_replications) + " (got " + r.dump() + ")");
    }
    replications = static_cast<std::uint32_t>(value);
  }
  std::vector<std::pair<std::string, double>> overrides;
  json levers = json::object();
  if (request.contains("levers")) {
    if (!request["levers"].is_object())
      return Error(400, "\"levers\" must be an object {path: number}");
    if (request["levers"].size() > 64) return Error(400, "too many levers (at most 64)");
    for (const auto& [path, value] : request["levers"].items()) {
      StatusOr<double> v = CheckWorkshopLever(*scenario, path, value);
      if (!v.ok()) return Error(400, v.status().message());
      overrides.emplace_back(path, *v);
      levers[path] = *v;
    }
  }
  StatusOr<model::ModelConfig> design = io::ConfigFor(*scenario, arm_index, overrides);
  if (!design.ok()) return Error(400, "invalid lever: " + design.status().message());
  if (design->horizon_days > options_.max_horizon_days) {
    return Error(400, "horizon_days " + std::to_string(design->horizon_days) +
                          " is above the workshop limit of " +
                          std::to_string(options_.max_horizon_days));
  }
  StatusOr<model::ModelConfig> base = io::ConfigFor(*scenario, baseline_index, {});
  if (!base.ok()) return Error(500, "baseline arm: " + base.status().message());

  auto run = std::make_shared<Run>();
  run->scenario_id = id;
  run->scenario = scenario;
  run->arm = scenario->arms[arm_index].name;
  run->baseline = scenario->arms[baseline_index].name;
  run->levers = levers;
  run->design = std::move(design).value();
  run->base = std::move(base).value();
  run->replications = replications;
  const std::size_t metrics = model::MetricCatalog().size();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  run->design_values.assign(metrics, std::vector<double>(replications, nan));
  run->base_values.assign(metrics, std::vector<double>(replications, nan));
  run->design_fingerprints.assign(replications, 0);
  run->base_fingerprints.assign(replications, 0);
  run->design_cash.assign(replications, {});
  run->base_cash.assign(replications, {});
  run->completed.assign(replications, 0);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Runs not yet finished hold a slot or wait in the queue.
    const std::size_t slots = std::max<std::size_t>(1, options_.max_active_runs);
    if (running_ + queue_.size() >= slots + options_.max_queued_runs) {
      return Error(429, "the run queue is full (" + std::to_string(running_) + " running, " +
                            std::to_string(queue_.size()) + " waiting, at most " +
                            std::to_string(options_.max_queued_runs) +
                            " may wait); try again when one finishes");
    }
    // Forget the oldest finished runs beyond the limit.
    while (run_order_.size() >= options_.max_kept_runs) {
      auto victim = std::find_if(run_order_.begin(), run_order_.end(), [&](const std::string& rid) {
        const RunState s = runs_[rid]->state;
        return s != RunState::kQueued && s != RunState::kRunning;
      });
      if (victim == run_order_.end()) break;
      auto old = runs_[*victim];
      if (old->thread.joinable()) old->thread.join();
      runs_.erase(*victim);
      run_order_.erase(victim);
    }
    run->id = NewRunId();
    run->cancel_key = NewRunId();
    runs_[run->id] = run;
    run_order_.push_back(run->id);
    queue_.push_back(run->id);
    run->thread = std::thread([this, run] { Execute(run); });
  }
  return {202, json{{"id", run->id},
                    {"status_url", "/api/runs/" + run->id},
                    {"replications", replications},
                    {"cancel_key", run->cancel_key}}};
}

bool Workshop::WaitForSlot(Run& run) {
  std::unique_lock<std::mutex> lock(mutex_);
  const std::size_t slots = std::max<std::size_t>(1, options_.max_active_runs);
  slot_freed_.wait(lock,
                   [&] { return run.cancel || (queue_.front() == run.id && running_ < slots); });
  queue_.erase(std::find(queue_.begin(), queue_.end(), run.id));
  if (run.cancel) {
    slot_freed_.notify_all();  // the run behind this one may be first now
    return false;
  }
  ++running_;
  slot_freed_.notify_all();  // the next one may start if a slot is left
  return true;
}

void Workshop::ReleaseSlot() {
  std::lock_guard<std::mutex> lock(mutex_);
  --running_;
  slot_freed_.notify_all();
}

std::size_t Workshop::QueuePosition(const std::string& run_id) {
  const auto it = std::find(queue_.begin(), queue_.end(), run_id);
  return it == queue_.end() ? 0 : static_cast<std::size_t>(it - queue_.begin()) + 1;
}

void Workshop::Execute(const std::shared_ptr<Run>& run) {
  if (!WaitForSlot(*run)) {
    run->state = RunState::kCancelled;
    return;
  }
  run->state = RunState::kRunning;
  RunState final_state = RunState::kDone;
  StatusOr<model::PreparedModel> prepared_design = model::PreparedModel::Create(run->design);
  StatusOr<model::PreparedModel> prepared_base = model::PreparedModel::Create(run->base);
  const Status prepare_status =
      !prepared_design.ok() ? prepared_design.status() : prepared_base.status();
  if (!prepare_status.ok()) {
    run->error = prepare_status.message();
    run->error_status = HttpStatusOf(prepare_status.code());
    ReleaseSlot();
    run->state = RunState::kFailed;
    return;
  }
  try {
    const model::PreparedModel& design = *prepared_design;
    const model::PreparedModel& base = *prepared_base;
    const std::uint64_t seed = run->scenario->seed;
    const int threads = options_.threads_per_run > 0 ? options_.threads_per_run
                                                     : tbb::this_task_arena::max_concurrency();
    tbb::task_arena arena(std::max(1, threads));
    arena.execute([&] {
      tbb::parallel_for(
          tbb::blocked_range<std::uint32_t>(0, run->replications, 1),
          [&](const tbb::blocked_range<std::uint32_t>& range) {
            for (std::uint32_t r = range.begin(); r != range.end(); ++r) {
              if (run->cancel) return;
              const kernel::StreamKey key{.seed = seed, .design_point = 0, .replication = r};
              model::RunOptions options;
              options.cancel = &run->cancel;     // checked between events
              options.record_timeseries = true;  // only reads state: same outcome
              const model::RunOutcome a = model::RunReplication(design, key, options);
              if (a.cancelled) return;
              const model::RunOutcome b = model::RunReplication(base, key, options);
              if (b.cancelled) return;
              for (std::size_t m = 0; m < a.metrics.size() && m < run->design_values.size(); ++m) {
                run->design_values[m][r] = a.metrics[m];
                run->base_values[m][r] = b.metrics[m];
              }
              run->design_fingerprints[r] = a.fingerprint;
              run->base_fingerprints[r] = b.fingerprint;
              for (const model::TimePoint& p : a.series) run->design_cash[r].push_back(p.cash);
              for (const model::TimePoint& p : b.series) run->base_cash[r].push_back(p.cash);
              run->completed[r] = 1;
              run->done.fetch_add(1);
            }
          });
    });
    final_state = run->cancel ? RunState::kCancelled : RunState::kDone;
    run->cash = CashOverTime(run->design_cash, run->base_cash, run->completed, DesignName(run->arm),
                             BaselineName(run->baseline), run->id);
    run->design_cash = {};  // the summary is all that is kept
    run->base_cash = {};
  } catch (const std::exception& e) {
    run->error = e.what();
    final_state = RunState::kFailed;
  }
  // Free the slot before the final state: StartRun joins finished runs'
  // threads while holding mutex_.
  ReleaseSlot();
  run->state = final_state;
}

std::shared_ptr<Workshop::Run> Workshop::FindRun(const std::string& run_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = runs_.find(run_id);
  return it == runs_.end() ? nullptr : it->second;
}

json Workshop::RunJson(const Run& run) {
  const RunState state = run.state;
  json out{{"id", run.id},
           {"scenario", run.scenario_id},
           {"arm", run.arm},
           {"baseline", run.baseline},
           {"levers", run.levers},
           {"state", StateName(state)},
           {"done", run.done.load()},
           {"total", run.replications}};
  if (state == RunState::kFailed) {
    out["error"] = run.error;
    out["error_status"] = run.error_status;
  }
  if (state != RunState::kDone && state != RunState::kCancelled) return out;

  // Replications that completed (all of them unless cancelled), in index order.
  std::vector<std::uint32_t> rows;
  for (std::uint32_t r = 0; r < run.replications; ++r) {
    if (run.completed[r]) rows.push_back(r);
  }
  out["replications_completed"] = rows.size();
  const auto catalog = model::MetricCatalog();
  json metrics = json::array();
  const std::string design_name = DesignName(run.arm);
  const std::string base_name = BaselineName(run.baseline);
  for (const std::string& name : WorkshopMetrics()) {
    std::size_t m = 0;
    while (m < catalog.size() && catalog[m].name != name) ++m;
    if (m == catalog.size() || rows.empty()) continue;
    std::vector<double> a, b;
    for (std::uint32_t r : rows) {
      a.push_back(run.design_values[m][r]);
      b.push_back(run.base_values[m][r]);
    }
    const experiment::Summary sa = experiment::Summarize(a);
    const experiment::Summary sb = experiment::Summarize(b);
    const experiment::PairedComparison pc = experiment::ComparePaired(a, b);
    report::DistributionChart chart;
    chart.frame.id = "chart-" + name;
    const json info = MetricJson(catalog[m]);
    // The share of paired replications in which the design did better
    // (ties count half), in the metric's own direction; none for metrics
    // that are neither good nor bad.
    double better_share = std::numeric_limits<double>::quiet_NaN();
    if (catalog[m].better == model::Better::kHigher) better_share = pc.prob_superiority;
    if (catalog[m].better == model::Better::kLower) better_share = 1 - pc.prob_superiority;
    chart.frame.title = info["label"].get<std::string>();
    chart.frame.subtitle =
        "● mean with 95% CI; difference " + report::ShortNumber(pc.mean_diff, 3) + " [" +
        report::ShortNumber(pc.ci_low, 3) + ", " + report::ShortNumber(pc.ci_high, 3) + "]";
    chart.frame.data = {{"metric", name}, {"run", run.id}};
    chart.frame.width = 560;
    chart.x = {name, std::string(catalog[m].unit)};
    auto series = [](const std::string& label, const std::vector<double>& values, std::size_t color,
                     const experiment::Summary& s) {
      return report::DistributionSeries{.name = label,
                                        .values = values,
                                        .color = color,
                                        .mean = s.mean,
                                        .ci_low = s.ci_low,
                                        .ci_high = s.ci_high,
                                        .median = s.median};
    };
    chart.series.push_back(series(base_name, b, 7, sb));
    chart.series.push_back(series(design_name, a, 0, sa));
    auto summary_json = [](const experiment::Summary& s) {
      return json{{"n", s.n},
                  {"mean", Num(s.mean)},
                  {"ci_low", Num(s.ci_low)},
                  {"ci_high", Num(s.ci_high)},
                  {"median", Num(s.median)},
                  {"q25", Num(s.q25)},
                  {"q75", Num(s.q75)}};
    };
    metrics.push_back({{"name", name},
                       {"label", info["label"]},
                       {"unit", catalog[m].unit},
                       {"description", catalog[m].description},
                       {"better", info["better"]},
                       {"design", summary_json(sa)},
                       {"baseline", summary_json(sb)},
                       {"paired",
                        {{"mean_diff", Num(pc.mean_diff)},
                         {"ci_low", Num(pc.ci_low)},
                         {"ci_high", Num(pc.ci_high)},
                         {"prob_superiority", Num(pc.prob_superiority)},
                         {"better_share", Num(better_share)},
                         {"t_pvalue", Num(pc.t_pvalue)}}},
                       {"svg", report::RenderDistribution(chart)}});
  }
  out["metrics"] = metrics;
  if (!run.cash.is_null()) out["cash"] = run.cash;
  return out;
}

ApiResult Workshop::RunStatus(const std::string& run_id) {
  auto run = FindRun(run_id);
  if (!run) return Error(404, "no run '" + run_id + "'");
  json out = RunJson(*run);
  if (out["state"] == "queued") {
    std::lock_guard<std::mutex> lock(mutex_);
    if (const std::size_t position = QueuePosition(run_id); position > 0)
      out["queue_position"] = position;
  }
  return {200, out};
}

ApiResult Workshop::CancelRun(const std::string& run_id, bool facilitator, const std::string& key) {
  auto run = FindRun(run_id);
  if (!run) return Error(404, "no run '" + run_id + "'");
  if (!facilitator && !SameSecret(key, run->cancel_key)) {
    return Error(403, "only whoever started run '" + run_id +
                          "' (with its \"cancel_key\") or the facilitator may cancel it");
  }
  run->cancel = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    slot_freed_.notify_all();  // a queued run leaves the queue at once
  }
  return {200, json{{"id", run_id}, {"state", StateName(run->state)}, {"cancel_requested", true}}};
}

ApiResult Workshop::ListRuns() {
  std::lock_guard<std::mutex> lock(mutex_);
  json runs = json::array();
  for (const std::string& id : run_order_) {
    const Run& run = *runs_.at(id);
    json entry{{"id", id},
               {"scenario", run.scenario_id},
               {"arm", run.arm},
               {"state", StateName(run.state)},
               {"done", run.done.load()},
               {"total", run.replications}};
    if (const std::size_t position = QueuePosition(id); position > 0)
      entry["queue_position"] = position;
    runs.push_back(entry);
  }
  return {200, json{{"runs", runs},
                    {"running", running_},
                    {"waiting", queue_.size()},
                    {"max_active_runs", options_.max_active_runs},
                    {"max_queued_runs", options_.max_queued_runs}}};
}

std::string Workshop::NewRunId() { return RandomHex128(); }

ApiResult Workshop::Story(const std::string& run_id, const std::string& which,
                          const std::string& replication) {
  auto run = FindRun(run_id);
  if (!run) return Error(404, "no run '" + run_id + "'");
  if (which != "design" && which != "baseline")
    return Error(400, "\"arm\" must be 'design' or 'baseline'");
  if (replication.empty() || replication.size() > 9 ||
      !std::all_of(replication.begin(), replication.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return Error(400, "\"replication\" must be a whole number");
  }
  const std::uint32_t r = static_cast<std::uint32_t>(std::stoul(replication));
  if (r >= run->replications) {
    return Error(400, "\"replication\" must be below " + std::to_string(run->replications));
  }
  const std::string key = run_id + "/" + which + "/" + std::to_string(r);
  const json computing{
      {"run", run_id}, {"which", which}, {"replication", r}, {"state", "computing"}};
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto it = stories_.find(key); it != stories_.end()) {
    if (!it->second->done) return {202, computing};
    return it->second->result;
  }
  std::size_t in_flight = 0;
  for (const auto& [k, job] : stories_) in_flight += job->done ? 0 : 1;
  if (in_flight >= options_.max_stories_in_flight) {
    return Error(503, "the server is busy telling " + std::to_string(in_flight) +
                          " other stories; try again shortly");
  }
  // Forget the oldest finished stories beyond the limit.
  for (auto it = story_order_.begin();
       story_order_.size() >= options_.max_kept_stories && it != story_order_.end();) {
    if (stories_[*it]->done) {
      stories_.erase(*it);
      it = story_order_.erase(it);
    } else {
      ++it;
    }
  }
  auto job = std::make_shared<StoryJob>();
  stories_[key] = job;
  story_order_.push_back(key);
  const bool design = which == "design";
  story_pool_->Submit([this, run, job, design, r] {
    ApiResult result;
    try {
      result = ComputeStory(*run, design, r);
    } catch (const std::exception& e) {
      result = Error(500, std::string("the story failed: ") + e.what());
    }
    job->result = std::move(result);
    job->done = true;
  });
  return {202, computing};
}

ApiResult Workshop::ComputeStory(const Run& run, bool design, std::uint32_t r) {
  // One traced run: the first events travel as JSON, the kept ones feed the
  // narrative (at most max_story_events, so a long run's story stays bounded).
  report::TraceLog log(options_.max_story_events);
  model::RunOptions options;
  options.trace = log.Sink();
  options.cancel = &shutting_down_;
  const kernel::StreamKey key{.seed = run.scenario->seed, .design_point = 0, .replication = r};
  const model::ModelConfig& config = design ? run.design : run.base;
  const model::RunOutcome outcome = model::RunReplication(config, key, options);
  if (outcome.cancelled) return Error(503, "the server is shutting down");
  constexpr std::size_t kEventsShown = 400;
  json events = json::array();
  for (std::size_t i = 0; i < log.records().size() && i < kEventsShown; ++i) {
    events.push_back(json::parse(report::TraceJsonLine(log.records()[i])));
  }
  // The horizon closes the last month: no "Month 37" in a 36-month run.
  json narrative = report::Narrate(log.records(), {.horizon_days = config.horizon_days});
  if (log.truncated()) {
    narrative.push_back("(The story covers the first " + std::to_string(log.records().size()) +
                        " of " + std::to_string(log.seen()) + " events.)");
  }
  for (const auto& line : report::OutcomeLines(outcome)) narrative.push_back(line);
  char hex[20];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(outcome.fingerprint));
  const bool matches_untraced =
      run.completed[r] &&
      (design ? run.design_fingerprints[r] : run.base_fingerprints[r]) == outcome.fingerprint;
  return {200, json{{"run", run.id},
                    {"arm", design ? run.arm : run.baseline},
                    {"which", design ? "design" : "baseline"},
                    {"replication", r},
                    {"fingerprint", hex},
                    {"fingerprint_matches_untraced", matches_untraced},
                    {"events_total", log.seen()},
                    {"events", events},
                    {"narrative", narrative}}};
}

}  // namespace orgsim::serve
