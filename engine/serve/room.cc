#include "engine/serve/room.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "engine/experiment/statistics.h"
#include "engine/io/folder.h"
#include "engine/model/lever_schedule.h"
#include "engine/model/run.h"
#include "engine/report/charts.h"
#include "engine/report/svg.h"
#include "engine/serve/secret.h"

namespace orgsim::serve {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kSessionFormat = "orgsim-room";
constexpr int kSessionVersion = 1;
constexpr std::size_t kMaxRounds = 200;
constexpr std::size_t kMaxSessionBytes = 8 << 20;

ApiResult Error(int status, std::string message) {
  return {status, json{{"error", std::move(message)}}};
}

json Num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

std::string NowUtc() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// FNV-1a over the scenario file's bytes: a saved session names the file it
// was played on, and loading refuses a file that changed since.
std::string FileHash(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::uint64_t h = 1469598103934665603ull;
  char c;
  while (in.get(c)) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  char hex[20];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

// A name a person gives: 1..max characters after trimming, no control characters.
StatusOr<std::string> CheckName(const json& value, const char* what, std::size_t max) {
  if (!value.is_string())
    return InvalidArgumentError(std::string("\"") + what + "\" must be a string");
  std::string name = value.get<std::string>();
  const auto space = [](unsigned char c) { return c == ' ' || c == '\t'; };
  while (!name.empty() && space(name.back())) name.pop_back();
  std::size_t first = 0;
  while (first < name.size() && space(name[first])) ++first;
  name.erase(0, first);
  if (name.empty()) return InvalidArgumentError(std::string("\"") + what + "\" is empty");
  if (name.size() > max) {
    return InvalidArgumentError(std::string("\"") + what + "\" is longer than " +
                                std::to_string(max) + " characters");
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) {
      return InvalidArgumentError(std::string("\"") + what + "\" contains a control character");
    }
  }
  return name;
}

bool IsWholeInRange(const json& v, double lo, double hi) {
  if (!v.is_number()) return false;
  const double d = v.get<double>();
  return std::isfinite(d) && std::floor(d) == d && d >= lo && d <= hi;
}

bool IsSegmentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

// A CSV field: quoted when needed; a leading = + - @ is defused for
// spreadsheets (names are typed by participants).
std::string CsvField(const std::string& text) {
  std::string s = text;
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) s = "'" + s;
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string NumberText(double v) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.10g", v);
  return text;
}

// The paired comparison of `a` against `b` for metric `info`, as the page shows it.
json PairedJson(const std::vector<double>& a, const std::vector<double>& b,
                const model::MetricInfo& info) {
  const experiment::PairedComparison pc = experiment::ComparePaired(a, b);
  double better_share = std::numeric_limits<double>::quiet_NaN();
  if (info.better == model::Better::kHigher) better_share = pc.prob_superiority;
  if (info.better == model::Better::kLower) better_share = 1 - pc.prob_superiority;
  return json{{"n", pc.n},
              {"mean_diff", Num(pc.mean_diff)},
              {"ci_low", Num(pc.ci_low)},
              {"ci_high", Num(pc.ci_high)},
              {"better_share", Num(better_share)}};
}

json SummaryJson(const std::vector<double>& values) {
  const experiment::Summary s = experiment::Summarize(values);
  return json{{"n", s.n},
              {"mean", Num(s.mean)},
              {"ci_low", Num(s.ci_low)},
              {"ci_high", Num(s.ci_high)},
              {"median", Num(s.median)}};
}

// The effect in the metric's good direction (higher is better after this).
double GoodDirection(double mean_diff, model::Better better) {
  return better == model::Better::kLower ? -mean_diff : mean_diff;
}

std::string Hex(std::uint64_t v) {
  char hex[20];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(v));
  return hex;
}

}  // namespace

struct Room::Table {
  std::string id;    // "t1", "t2", ... in joining order
  std::string name;  // as typed
  std::string key;   // random; lets the table's members decide
  std::vector<std::string> members;
};

struct Room::Round {
  double start_day = 0;
  double end_day = 0;
  bool closed = false;
};

struct Room::Decision {
  std::size_t round = 0;  // index into rounds
  std::string table;
  std::string lever;
  double value = 0;
  std::string time;  // UTC, ISO 8601
};

// One configuration's results: per catalog metric, per replication.
struct Room::Outcome {
  std::vector<std::vector<double>> values;
  std::vector<std::uint64_t> fingerprints;
};

struct Room::RoundResult {
  std::size_t round = 0;
  double end_day = 0;
  Outcome baseline;
  std::vector<std::string> table_ids;  // the tables at the close, aligned with `tables`
  std::vector<Outcome> tables;
  std::string error;  // non-empty when the runs failed
};

struct Room::Session {
  std::string scenario_id;
  std::string scenario_hash;
  std::shared_ptr<const io::LoadedScenario> scenario;
  std::size_t baseline_index = 0;
  std::string baseline;
  double round_days = 91;
  std::uint32_t replications = 30;
  bool paused = false;
  bool revealed = false;
  std::vector<Round> rounds;  // the last one is open
  std::vector<Table> tables;
  std::vector<Decision> log;
  json levers = json::array();                              // the levers tables may set (page form)
  std::map<std::string, double> baseline_values;            // per lever path
  std::vector<std::shared_ptr<const RoundResult>> results;  // per round; null until computed
};

namespace {

const model::MetricInfo* FindMetric(const std::string& name) {
  for (const model::MetricInfo& info : model::MetricCatalog()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

std::size_t MetricPosition(const std::string& name) {
  const auto catalog = model::MetricCatalog();
  for (std::size_t m = 0; m < catalog.size(); ++m) {
    if (catalog[m].name == name) return m;
  }
  return catalog.size();
}

}  // namespace

Room::Room(Workshop& workshop, RoomOptions options)
    : workshop_(workshop),
      options_(std::move(options)),
      pool_(std::make_unique<BackgroundPool>(1)) {}

Room::~Room() {
  stopping_ = true;  // a round in flight stops between events
  pool_.reset();
}

bool Room::Idle() { return !computing_; }

Room::Table* Room::FindTable(const std::string& id) {
  for (Table& t : session_->tables) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

ApiResult Room::Open(const json& request) {
  if (!request.is_object()) return Error(400, "the request body must be a JSON object");
  if (!request.contains("scenario") || !request["scenario"].is_string()) {
    return Error(400, "\"scenario\" (a scenario id string) is required");
  }
  json session{{"format", kSessionFormat},
               {"version", kSessionVersion},
               {"scenario", request["scenario"]},
               {"round_days", request.value("round_days", json(options_.round_days))},
               {"replications", request.value("replications", json(options_.replications))},
               {"rounds", json::array()},
               {"tables", json::array()},
               {"decisions", json::array()}};
  if (request.contains("baseline")) session["baseline"] = request["baseline"];
  return Restore(session);
}

// Validates a session (a new room or a saved one) and makes it the room;
// re-runs its closed rounds.
ApiResult Room::Restore(const json& s) {
  if (!s.is_object()) return Error(400, "the session must be a JSON object");
  if (s.value("format", "") != kSessionFormat || s.value("version", 0) != kSessionVersion) {
    return Error(400, std::string("not an orgsim room session (\"format\": \"") + kSessionFormat +
                          "\", \"version\": " + std::to_string(kSessionVersion) + " expected)");
  }
  if (!s.contains("scenario") || !s["scenario"].is_string()) {
    return Error(400, "\"scenario\" (a scenario id string) is required");
  }
  auto next = std::make_unique<Session>();
  next->scenario_id = s["scenario"].get<std::string>();
  StatusOr<std::string> path = workshop_.ResolveScenarioPath(next->scenario_id);
  if (!path.ok())
    return Error(path.status().code() == StatusCode::kNotFound ? 404 : 400,
                 path.status().message());
  auto loaded = workshop_.LoadScenario(next->scenario_id);
  if (!loaded.ok()) return Error(400, loaded.status().message());
  next->scenario = *loaded;
  std::lock_guard<std::mutex> lock(mutex_);
  if (computing_) return Error(409, "a round is being computed; try again when it is done");
  next->scenario_hash = FileHash(*path);
  if (s.contains("scenario_hash") && s["scenario_hash"] != next->scenario_hash) {
    return Error(409, "scenario '" + next->scenario_id +
                          "' changed since the session was saved (its hash differs)");
  }
  const io::LoadedScenario& scenario = *next->scenario;
  next->baseline_index = scenario.experiment.baseline;
  if (s.contains("baseline")) {
    if (!s["baseline"].is_string()) return Error(400, "\"baseline\" must be an arm name");
    const auto found = scenario.ArmIndex(s["baseline"].get<std::string>());
    const auto& compared = scenario.experiment.arms;
    if (!found || std::find(compared.begin(), compared.end(), *found) == compared.end()) {
      return Error(400, "unknown arm '" + s["baseline"].get<std::string>() + "'");
    }
    next->baseline_index = *found;
  }
  next->baseline = scenario.arms[next->baseline_index].name;
  const double max_horizon = workshop_.options().max_horizon_days;
  const json& days = s.value("round_days", json(options_.round_days));
  if (!days.is_number() || !(days.get<double>() >= 1) || days.get<double>() > max_horizon) {
    return Error(
        400, "\"round_days\" must be a number of days between 1 and " + NumberText(max_horizon));
  }
  next->round_days = days.get<double>();
  const std::uint32_t max_reps =
      std::min(options_.max_replications, workshop_.options().max_replications);
  const json& reps = s.value("replications", json(options_.replications));
  if (!IsWholeInRange(reps, 1, max_reps)) {
    return Error(
        400, "\"replications\" must be a whole number between 1 and " + std::to_string(max_reps));
  }
  next->replications = reps.get<std::uint32_t>();
  next->paused = s.value("paused", false);
  next->revealed = s.value("revealed", false);
  // The levers: the page's, where a schedule may change them mid-run.
  for (const LeverSpec& spec : WorkshopLevers()) {
    if (model::FindSchedulableLever(spec.path) == nullptr) continue;
    auto lever = WorkshopLeverJson(scenario, spec);
    if (!lever || !(*lever)["values"].contains(next->baseline)) continue;
    next->baseline_values[spec.path] = (*lever)["values"][next->baseline].get<double>();
    (*lever)["baseline"] = (*lever)["values"][next->baseline];
    lever->erase("values");
    next->levers.push_back(std::move(*lever));
  }
  // Rounds: contiguous from day 0, all closed but the last.
  const json rounds = s.value("rounds", json::array());
  if (!rounds.is_array() || rounds.size() > kMaxRounds) {
    return Error(400, "\"rounds\" must be an array of at most " + std::to_string(kMaxRounds));
  }
  for (std::size_t k = 0; k < rounds.size(); ++k) {
    const json& r = rounds[k];
    const std::string where = "rounds[" + std::to_string(k) + "]: ";
    if (!r.is_object() || !r.contains("start_day") || !r["start_day"].is_number() ||
        !r.contains("end_day") || !r["end_day"].is_number()) {
      return Error(400, where + "needs numbers \"start_day\" and \"end_day\"");
    }
    Round round{r["start_day"].get<double>(), r["end_day"].get<double>(), r.value("closed", false)};
    const double expected_start = k == 0 ? 0.0 : next->rounds.back().end_day;
    if (round.start_day != expected_start || !(round.end_day > round.start_day) ||
        round.end_day > max_horizon) {
      return Error(400, where +
                            "rounds must follow each other from day 0, each ending after it "
                            "starts and by day " +
                            NumberText(max_horizon));
    }
    if (round.closed != (k + 1 < rounds.size())) {
      return Error(400, where + "every round but the last is closed");
    }
    next->rounds.push_back(round);
  }
  if (next->rounds.empty()) {
    next->rounds.push_back({0, std::min(next->round_days, max_horizon), false});
  }
  const json tables = s.value("tables", json::array());
  if (!tables.is_array() || tables.size() > options_.max_tables) {
    return Error(400,
                 "\"tables\" must be an array of at most " + std::to_string(options_.max_tables));
  }
  for (std::size_t i = 0; i < tables.size(); ++i) {
    const json& t = tables[i];
    const std::string where = "tables[" + std::to_string(i) + "]: ";
    if (!t.is_object()) return Error(400, where + "must be an object");
    Table table;
    table.id = "t" + std::to_string(i + 1);
    if (t.value("id", json("")) != table.id) {
      return Error(400, where + "\"id\" must be '" + table.id + "' (tables in joining order)");
    }
    auto name = CheckName(t.value("name", json()), "name", options_.max_name_length);
    if (!name.ok()) return Error(400, where + name.status().message());
    table.name = *name;
    const json key = t.value("key", json(""));
    if (!key.is_string() || key.get<std::string>().size() != 32 ||
        key.get<std::string>().find_first_not_of("0123456789abcdef") != std::string::npos) {
      return Error(400, where + "\"key\" must be 32 lowercase hex digits");
    }
    table.key = key.get<std::string>();
    const json members = t.value("members", json::array());
    if (!members.is_array() || members.size() > options_.max_members) {
      return Error(400, where + "\"members\" must be an array of at most " +
                            std::to_string(options_.max_members) + " names");
    }
    for (const json& m : members) {
      auto member = CheckName(m, "members", options_.max_name_length);
      if (!member.ok()) return Error(400, where + member.status().message());
      table.members.push_back(*member);
    }
    next->tables.push_back(std::move(table));
  }
  const json decisions = s.value("decisions", json::array());
  if (!decisions.is_array() || decisions.size() > options_.max_decisions) {
    return Error(
        400, "\"decisions\" must be an array of at most " + std::to_string(options_.max_decisions));
  }
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    const json& d = decisions[i];
    const std::string where = "decisions[" + std::to_string(i) + "]: ";
    if (!d.is_object()) return Error(400, where + "must be an object");
    if (!IsWholeInRange(d.value("round", json()), 1, static_cast<double>(next->rounds.size())))
      return Error(400, where + "\"round\" must be a round of the session (1.." +
                            std::to_string(next->rounds.size()) + ")");
    const json table = d.value("table", json());
    if (!table.is_string() ||
        std::none_of(next->tables.begin(), next->tables.end(),
                     [&](const Table& t) { return t.id == table.get<std::string>(); }))
      return Error(400, where + "\"table\" must be a table of the session");
    if (!d.value("lever", json()).is_string())
      return Error(400, where + "\"lever\" must be a lever path");
    StatusOr<double> v = CheckLever(*next, d["lever"], d.value("value", json()));
    if (!v.ok()) return Error(400, where + v.status().message());
    const json time = d.value("time", json(""));
    if (!time.is_string() || time.get<std::string>().size() > 40)
      return Error(400, where + "\"time\" must be a short string");
    next->log.push_back(
        {d["round"].get<std::size_t>() - 1, table, d["lever"], *v, time.get<std::string>()});
  }
  session_ = std::move(next);
  session_->results.assign(session_->rounds.size(), nullptr);
  std::vector<std::size_t> closed;
  for (std::size_t k = 0; k + 1 < session_->rounds.size(); ++k) closed.push_back(k);
  if (!closed.empty()) StartComputing(closed);
  return {closed.empty() ? 200 : 202, json{{"opened", true}, {"rounds_rerun", closed.size()}}};
}

StatusOr<double> Room::CheckLever(const Session& session, const std::string& path,
                                  const json& value) {
  const json* lever = nullptr;
  for (const json& l : session.levers) {
    if (l["path"] == path) lever = &l;
  }
  if (lever == nullptr) {
    return InvalidArgumentError("lever '" + path +
                                "' is not one the room offers (see \"levers\" of /api/room)");
  }
  StatusOr<double> v = CheckWorkshopLever(*session.scenario, path, value);
  if (!v.ok()) return v;
  if ((*lever)["kind"] != "number" && std::floor(*v) != *v) {
    return InvalidArgumentError("lever '" + path + "' takes whole numbers");
  }
  return v;
}

std::map<std::string, double> Room::DesignOf(const std::string& table, std::size_t round) {
  std::map<std::string, double> design = session_->baseline_values;
  for (const Decision& d : session_->log) {
    if (d.table == table && d.round <= round) design[d.lever] = d.value;
  }
  return design;
}

StatusOr<model::ModelConfig> Room::ConfigOf(const std::string& table, std::size_t round) {
  StatusOr<model::ModelConfig> config =
      io::ConfigFor(*session_->scenario, session_->baseline_index, {});
  if (!config.ok()) return config;
  config->horizon_days = session_->rounds[round].end_day;
  config->schedule.clear();
  for (std::size_t r = 0; r <= round; ++r) {
    std::map<std::string, double> last;  // the last value per lever in round r
    for (const Decision& d : session_->log) {
      if (d.table == table && d.round == r) last[d.lever] = d.value;
    }
    if (last.empty()) continue;
    model::ScheduleEntryConfig entry;
    entry.at_day = session_->rounds[r].start_day;
    for (const auto& [path, value] : last) {
      model::LeverChangeConfig change;
      change.path = path;
      change.value = value;
      entry.set.push_back(change);
    }
    config->schedule.push_back(std::move(entry));
  }
  return config;
}

void Room::StartComputing(std::vector<std::size_t> rounds) {
  struct Job {
    std::size_t round;
    double end_day;
    std::vector<std::string> ids;  // "" = the baseline, then the tables
    std::vector<StatusOr<model::ModelConfig>> configs;
  };
  std::vector<Job> jobs;
  std::uint32_t total = 0;
  for (std::size_t k : rounds) {
    Job job{k, session_->rounds[k].end_day, {""}, {}};
    job.configs.push_back(ConfigOf("", k));
    for (const Table& t : session_->tables) {
      job.ids.push_back(t.id);
      job.configs.push_back(ConfigOf(t.id, k));
    }
    total += static_cast<std::uint32_t>(job.configs.size()) * session_->replications;
    jobs.push_back(std::move(job));
  }
  computing_ = true;
  progress_done_ = 0;
  progress_total_ = total;
  const std::uint64_t seed = session_->scenario->seed;
  const std::uint32_t reps = session_->replications;
  const int threads =
      options_.threads > 0 ? options_.threads : tbb::this_task_arena::max_concurrency();
  Session* session = session_.get();  // Open and Load wait until computing_ is false
  pool_->Submit([this, jobs = std::move(jobs), seed, reps, threads, session] {
    for (const Job& job : jobs) {
      auto result = std::make_shared<RoundResult>();
      result->round = job.round;
      result->end_day = job.end_day;
      result->table_ids.assign(job.ids.begin() + 1, job.ids.end());
      std::vector<Outcome> outcomes(job.configs.size());
      const std::size_t metrics = model::MetricCatalog().size();
      try {
        std::vector<std::unique_ptr<model::PreparedModel>> prepared;
        for (const auto& config : job.configs) {
          if (!config.ok()) throw std::runtime_error(config.status().message());
          prepared.push_back(std::make_unique<model::PreparedModel>(*config));
        }
        for (Outcome& o : outcomes) {
          o.values.assign(metrics, std::vector<double>(reps, std::nan("")));
          o.fingerprints.assign(reps, 0);
        }
        tbb::task_arena arena(std::max(1, threads));
        arena.execute([&] {
          tbb::parallel_for(tbb::blocked_range<std::size_t>(0, prepared.size() * reps, 1),
                            [&](const tbb::blocked_range<std::size_t>& range) {
                              for (std::size_t i = range.begin(); i != range.end(); ++i) {
                                if (stopping_) return;
                                const std::size_t c = i / reps;
                                const auto r = static_cast<std::uint32_t>(i % reps);
                                // Every table's replication r: the same key, the same market draws.
                                const kernel::StreamKey key{
                                    .seed = seed, .design_point = 0, .replication = r};
                                model::RunOptions run_options;
                                run_options.cancel = &stopping_;
                                const model::RunOutcome out =
                                    model::RunReplication(*prepared[c], key, run_options);
                                if (out.cancelled) return;
                                for (std::size_t m = 0; m < metrics && m < out.metrics.size(); ++m)
                                  outcomes[c].values[m][r] = out.metrics[m];
                                outcomes[c].fingerprints[r] = out.fingerprint;
                                progress_done_.fetch_add(1);
                              }
                            });
        });
        if (stopping_) result->error = "the server is shutting down";
      } catch (const std::exception& e) {
        result->error = e.what();
      }
      result->baseline = std::move(outcomes[0]);
      result->tables.assign(std::make_move_iterator(outcomes.begin() + 1),
                            std::make_move_iterator(outcomes.end()));
      std::lock_guard<std::mutex> lock(mutex_);
      session->results[job.round] = std::move(result);
    }
    computing_ = false;
  });
}

std::shared_ptr<const Room::RoundResult> Room::LastResult() {
  for (std::size_t k = session_->results.size(); k-- > 0;) {
    if (session_->results[k]) return session_->results[k];
  }
  return nullptr;
}

ApiResult Room::State() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!session_) return {200, json{{"open", false}}};
  const Session& s = *session_;
  json tables = json::array();
  const std::size_t open_round = s.rounds.size() - 1;
  for (const Table& t : s.tables) {
    json decided = json::object();
    for (const Decision& d : s.log) {
      if (d.table == t.id && d.round == open_round) decided[d.lever] = d.value;
    }
    tables.push_back(
        {{"id", t.id}, {"name", t.name}, {"members", t.members}, {"decided", decided}});
  }
  json rounds = json::array();
  for (std::size_t k = 0; k < s.rounds.size(); ++k) {
    rounds.push_back({{"round", k + 1},
                      {"start_day", s.rounds[k].start_day},
                      {"end_day", s.rounds[k].end_day},
                      {"closed", s.rounds[k].closed},
                      {"computed", s.results[k] != nullptr}});
  }
  return {200,
          json{{"open", true},
               {"scenario", s.scenario_id},
               {"scenario_name", s.scenario->name},
               {"baseline", s.baseline},
               {"round_days", s.round_days},
               {"replications", s.replications},
               {"round", open_round + 1},
               {"rounds", rounds},
               {"paused", s.paused},
               {"revealed", s.revealed},
               {"computing", computing_.load()},
               {"progress", {{"done", progress_done_.load()}, {"total", progress_total_.load()}}},
               {"tables", tables},
               {"levers", s.levers},
               {"metrics", WorkshopMetrics()}}};
}

ApiResult Room::Join(const json& request) {
  if (!request.is_object()) return Error(400, "the request body must be a JSON object");
  std::lock_guard<std::mutex> lock(mutex_);
  if (!session_) return Error(409, "no room is open; the facilitator opens one");
  auto name = CheckName(request.value("name", json()), "name", options_.max_name_length);
  if (!name.ok()) return Error(400, name.status().message());
  std::string table_name = *name;
  if (request.contains("table")) {
    auto given = CheckName(request["table"], "table", options_.max_name_length);
    if (!given.ok()) return Error(400, given.status().message());
    table_name = *given;
  }
  Table* table = nullptr;
  for (Table& t : session_->tables) {
    if (t.name == table_name) table = &t;
  }
  if (table == nullptr) {
    if (session_->tables.size() >= options_.max_tables) {
      return Error(409, "the room is full (" + std::to_string(options_.max_tables) + " tables)");
    }
    session_->tables.push_back(
        {"t" + std::to_string(session_->tables.size() + 1), table_name, RandomHex128(), {}});
    table = &session_->tables.back();
  }
  if (table->members.size() >= options_.max_members) {
    return Error(409, "table '" + table->name + "' is full");
  }
  table->members.push_back(*name);
  return {200, json{{"table", table->id},
                    {"table_name", table->name},
                    {"key", table->key},
                    {"members", table->members},
                    {"round", session_->rounds.size()}}};
}

ApiResult Room::Decide(const json& request, bool facilitator) {
  if (!request.is_object()) return Error(400, "the request body must be a JSON object");
  std::lock_guard<std::mutex> lock(mutex_);
  if (!session_) return Error(409, "no room is open");
  if (!request.value("table", json()).is_string())
    return Error(400, "\"table\" (an id) is required");
  Table* table = FindTable(request["table"]);
  if (table == nullptr) return Error(404, "no table '" + request["table"].get<std::string>() + "'");
  const json key = request.value("key", json(""));
  if (!facilitator && (!key.is_string() || !SameSecret(key.get<std::string>(), table->key))) {
    return Error(403,
                 "only the table's members (with its \"key\") or the facilitator may decide "
                 "for table '" +
                     table->id + "'");
  }
  if (session_->paused) return Error(409, "the room is paused: no decisions are accepted now");
  if (!request.value("levers", json()).is_object() || request["levers"].empty()) {
    return Error(400, "\"levers\" must be an object {path: value} with at least one lever");
  }
  if (request["levers"].size() > 64) return Error(400, "too many levers (at most 64)");
  if (session_->log.size() + request["levers"].size() > options_.max_decisions) {
    return Error(409, "the decision log is full");
  }
  std::vector<std::pair<std::string, double>> checked;
  for (const auto& [path, value] : request["levers"].items()) {
    StatusOr<double> v = CheckLever(*session_, path, value);
    if (!v.ok()) return Error(400, v.status().message());
    checked.emplace_back(path, *v);
  }
  const std::size_t round = session_->rounds.size() - 1;
  const std::string time = NowUtc();
  json decided = json::object();
  for (const auto& [path, value] : checked) {
    session_->log.push_back({round, table->id, path, value, time});
  }
  for (const Decision& d : session_->log) {
    if (d.table == table->id && d.round == round) decided[d.lever] = d.value;
  }
  return {200, json{{"table", table->id}, {"round", round + 1}, {"decided", decided}}};
}

ApiResult Room::CloseRound() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!session_) return Error(409, "no room is open");
  if (computing_) return Error(409, "the last round is still being computed");
  Session& s = *session_;
  const double max_horizon = workshop_.options().max_horizon_days;
  Round& open = s.rounds.back();
  open.closed = true;
  const std::size_t closed = s.rounds.size() - 1;
  const double next_end = std::min(open.end_day + s.round_days, max_horizon);
  if (next_end > open.end_day && s.rounds.size() < kMaxRounds) {
    s.rounds.push_back({open.end_day, next_end, false});
  } else {
    open.closed = false;
    return Error(409, "the room has reached its last round (day " + NumberText(max_horizon) +
                          " or " + std::to_string(kMaxRounds) + " rounds)");
  }
  s.results.resize(s.rounds.size());
  StartComputing({closed});
  return {202, json{{"closed", closed + 1},
                    {"end_day", s.rounds[closed].end_day},
                    {"round", s.rounds.size()},
                    {"tables", s.tables.size()}}};
}

ApiResult Room::Pause(const json& request) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!session_) return Error(409, "no room is open");
  if (!request.is_object() || !request.value("paused", json()).is_boolean())
    return Error(400, "\"paused\" (true or false) is required");
  session_->paused = request["paused"].get<bool>();
  return {200, json{{"paused", session_->paused}}};
}

ApiResult Room::Reveal(const json& request) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!session_) return Error(409, "no room is open");
  if (!request.is_object() || !request.value("revealed", json()).is_boolean())
    return Error(400, "\"revealed\" (true or false) is required");
  session_->revealed = request["revealed"].get<bool>();
  return {200, json{{"revealed", session_->revealed}}};
}

ApiResult Room::Extend(const json& request) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!session_) return Error(409, "no room is open");
  const double max_horizon = workshop_.options().max_horizon_days;
  Round& open = session_->rounds.back();
  const json days = request.is_object() ? request.value("days", json()) : json();
  if (!days.is_number() || !(days.get<double>() > 0) ||
      open.end_day + days.get<double>() > max_horizon) {
    return Error(400, "\"days\" must be a positive number keeping the round's end by day " +
                          NumberText(max_horizon));
  }
  open.end_day += days.get<double>();
  return {200, json{{"round", session_->rounds.size()},
                    {"start_day", open.start_day},
                    {"end_day", open.end_day}}};
}

ApiResult Room::Board(bool facilitator, const std::string& metric) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!session_) return Error(409, "no room is open");
  if (!facilitator && !session_->revealed)
    return Error(403, "the board is hidden until the facilitator reveals it");
  const std::string lead_name = metric.empty() ? WorkshopMetrics().front() : metric;
  const model::MetricInfo* lead = FindMetric(lead_name);
  if (lead == nullptr) return Error(400, "unknown metric '" + lead_name + "'");
  auto result = LastResult();
  if (!result) return Error(409, "no round has been computed yet; the facilitator closes one");
  if (!result->error.empty()) return Error(500, "the round's runs failed: " + result->error);
  const Session& s = *session_;
  const auto catalog = model::MetricCatalog();
  const std::size_t lead_m = MetricPosition(lead_name);
  json tables = json::array();
  json leaderboard = json::array();
  for (std::size_t i = 0; i < result->table_ids.size(); ++i) {
    const std::string& id = result->table_ids[i];
    const Table* table = FindTable(id);
    const Outcome& o = result->tables[i];
    json design = json::array();
    for (const auto& [path, value] : DesignOf(id, result->round)) {
      const double base = s.baseline_values.at(path);
      if (value == base) continue;
      std::string label = path;
      for (const json& l : s.levers) {
        if (l["path"] == path) label = l["label"];
      }
      design.push_back({{"path", path}, {"label", label}, {"baseline", base}, {"value", value}});
    }
    json metrics = json::object();
    for (const std::string& name : WorkshopMetrics()) {
      const std::size_t m = MetricPosition(name);
      if (m == catalog.size()) continue;
      metrics[name] = {
          {"summary", SummaryJson(o.values[m])},
          {"vs_baseline", PairedJson(o.values[m], result->baseline.values[m], catalog[m])}};
    }
    json fingerprints = json::array();
    for (std::uint64_t f : o.fingerprints) fingerprints.push_back(Hex(f));
    tables.push_back({{"id", id},
                      {"name", table->name},
                      {"members", table->members},
                      {"design", design},
                      {"metrics", metrics},
                      {"fingerprints", fingerprints}});
    json entry = PairedJson(o.values[lead_m], result->baseline.values[lead_m], *lead);
    entry["table"] = id;
    entry["name"] = table->name;
    leaderboard.push_back(entry);
  }
  // Best paired effect first, in the metric's good direction; no number last.
  std::stable_sort(leaderboard.begin(), leaderboard.end(), [&](const json& a, const json& b) {
    if (a["mean_diff"].is_null() || b["mean_diff"].is_null()) return !a["mean_diff"].is_null();
    return GoodDirection(a["mean_diff"].get<double>(), lead->better) >
           GoodDirection(b["mean_diff"].get<double>(), lead->better);
  });
  for (std::size_t i = 0; i < leaderboard.size(); ++i) leaderboard[i]["rank"] = i + 1;
  // Outcome distributions side by side: the baseline and every table.
  json charts = json::array();
  for (const std::string& name : WorkshopMetrics()) {
    const std::size_t m = MetricPosition(name);
    if (m == catalog.size()) continue;
    const json info = MetricJson(catalog[m]);
    report::DistributionChart chart;
    chart.frame.id = "room-chart-" + name;
    chart.frame.title = info["label"].get<std::string>();
    chart.frame.subtitle = "Every table's companies on the same market draws; ● mean with 95% CI";
    chart.frame.data = {{"metric", name}};
    chart.frame.width = 560;
    chart.x = {name, std::string(catalog[m].unit)};
    auto series = [&](const std::string& label, const std::vector<double>& values,
                      std::size_t color) {
      const experiment::Summary sum = experiment::Summarize(values);
      chart.series.push_back({.name = label,
                              .values = values,
                              .color = color,
                              .mean = sum.mean,
                              .ci_low = sum.ci_low,
                              .ci_high = sum.ci_high,
                              .median = sum.median});
    };
    series("baseline (" + s.baseline + ")", result->baseline.values[m], 7);
    for (std::size_t i = 0; i < result->table_ids.size(); ++i) {
      series(FindTable(result->table_ids[i])->name, result->tables[i].values[m], i % 7);
    }
    json entry = info;
    entry["baseline"] = SummaryJson(result->baseline.values[m]);
    entry["svg"] = report::RenderDistribution(chart);
    charts.push_back(entry);
  }
  json baseline_fingerprints = json::array();
  for (std::uint64_t f : result->baseline.fingerprints) baseline_fingerprints.push_back(Hex(f));
  return {200, json{{"round", result->round + 1},
                    {"end_day", result->end_day},
                    {"replications", s.replications},
                    {"seed", s.scenario->seed},
                    {"metric", MetricJson(*lead)},
                    {"baseline", {{"arm", s.baseline}, {"fingerprints", baseline_fingerprints}}},
                    {"tables", tables},
                    {"leaderboard", leaderboard},
                    {"charts", charts},
                    {"revealed", s.revealed}}};
}

ApiResult Room::Debrief(const std::string& table_id, bool facilitator, const std::string& metric) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!session_) return Error(409, "no room is open");
  if (!facilitator && !session_->revealed)
    return Error(403, "the debrief is hidden until the facilitator reveals the board");
  const Table* table = FindTable(table_id);
  if (table == nullptr) return Error(404, "no table '" + table_id + "'");
  const std::string lead_name = metric.empty() ? WorkshopMetrics().front() : metric;
  const model::MetricInfo* lead = FindMetric(lead_name);
  if (lead == nullptr) return Error(400, "unknown metric '" + lead_name + "'");
  auto last = LastResult();
  if (!last) return Error(409, "no round has been computed yet");
  if (!last->error.empty()) return Error(500, "the round's runs failed: " + last->error);
  const auto catalog = model::MetricCatalog();
  const std::size_t lead_m = MetricPosition(lead_name);
  auto index_in = [](const RoundResult& r, const std::string& id) -> std::ptrdiff_t {
    const auto it = std::find(r.table_ids.begin(), r.table_ids.end(), id);
    return it == r.table_ids.end() ? -1 : it - r.table_ids.begin();
  };
  const std::ptrdiff_t me = index_in(*last, table_id);
  if (me < 0) return Error(409, "table '" + table_id + "' joined after the last computed round");
  // The leading table: the best paired effect on the leaderboard metric.
  std::size_t leader = 0;
  double best = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < last->tables.size(); ++i) {
    const double d =
        experiment::ComparePaired(last->tables[i].values[lead_m], last->baseline.values[lead_m])
            .mean_diff;
    if (std::isfinite(d) && GoodDirection(d, lead->better) > best) {
      best = GoodDirection(d, lead->better);
      leader = i;
    }
  }
  const Outcome& mine = last->tables[static_cast<std::size_t>(me)];
  json vs_baseline = json::object(), vs_leader = json::object();
  for (const std::string& name : WorkshopMetrics()) {
    const std::size_t m = MetricPosition(name);
    if (m == catalog.size()) continue;
    vs_baseline[name] = PairedJson(mine.values[m], last->baseline.values[m], catalog[m]);
    vs_leader[name] = PairedJson(mine.values[m], last->tables[leader].values[m], catalog[m]);
  }
  // Round by round: the gap to the baseline at the end of each round.
  json rounds = json::array();
  double previous = 0;
  std::size_t opened = 0;
  double widest = -1;
  for (std::size_t k = 0; k <= last->round; ++k) {
    json decisions = json::array();
    for (const Decision& d : session_->log) {
      if (d.table == table_id && d.round == k)
        decisions.push_back({{"lever", d.lever}, {"value", d.value}, {"time", d.time}});
    }
    json row{{"round", k + 1}, {"decisions", decisions}};
    const auto& r = session_->results[k];
    const std::ptrdiff_t at = r && r->error.empty() ? index_in(*r, table_id) : -1;
    if (at >= 0) {
      row["end_day"] = r->end_day;
      json gap = PairedJson(r->tables[static_cast<std::size_t>(at)].values[lead_m],
                            r->baseline.values[lead_m], *lead);
      const double now = gap["mean_diff"].is_null() ? 0.0 : gap["mean_diff"].get<double>();
      row["vs_baseline"] = gap;
      row["change"] = now - previous;
      if (std::abs(now - previous) > widest) {
        widest = std::abs(now - previous);
        opened = k + 1;
      }
      previous = now;
    }
    rounds.push_back(row);
  }
  return {200, json{{"table", table_id},
                    {"name", table->name},
                    {"round", last->round + 1},
                    {"metric", MetricJson(*lead)},
                    {"design", DesignOf(table_id, last->round)},
                    {"kept_baseline", vs_baseline},
                    {"leader",
                     {{"table", last->table_ids[leader]},
                      {"name", FindTable(last->table_ids[leader])->name}}},
                    {"copied_leader", vs_leader},
                    {"rounds", rounds},
                    {"gap_opened_round", opened}}};
}

ApiResult Room::LogJson() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!session_) return Error(409, "no room is open");
  json rows = json::array();
  for (const Decision& d : session_->log) {
    rows.push_back({{"round", d.round + 1},
                    {"table", d.table},
                    {"table_name", FindTable(d.table)->name},
                    {"lever", d.lever},
                    {"value", d.value},
                    {"time", d.time}});
  }
  return {200, json{{"scenario", session_->scenario_id}, {"decisions", rows}}};
}

std::string Room::LogCsv() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::string out = "round,table,table_name,lever,value,time\n";
  if (!session_) return out;
  for (const Decision& d : session_->log) {
    out += std::to_string(d.round + 1) + "," + d.table + "," + CsvField(FindTable(d.table)->name) +
           "," + d.lever + "," + NumberText(d.value) + "," + CsvField(d.time) + "\n";
  }
  return out;
}

json Room::SessionJson() {
  const Session& s = *session_;
  json rounds = json::array(), tables = json::array(), decisions = json::array();
  for (const Round& r : s.rounds) {
    rounds.push_back({{"start_day", r.start_day}, {"end_day", r.end_day}, {"closed", r.closed}});
  }
  for (const Table& t : s.tables) {
    tables.push_back({{"id", t.id}, {"name", t.name}, {"key", t.key}, {"members", t.members}});
  }
  for (const Decision& d : s.log) {
    decisions.push_back({{"round", d.round + 1},
                         {"table", d.table},
                         {"lever", d.lever},
                         {"value", d.value},
                         {"time", d.time}});
  }
  return json{{"format", kSessionFormat},
              {"version", kSessionVersion},
              {"scenario", s.scenario_id},
              {"scenario_hash", s.scenario_hash},
              {"baseline", s.baseline},
              {"round_days", s.round_days},
              {"replications", s.replications},
              {"paused", s.paused},
              {"revealed", s.revealed},
              {"rounds", rounds},
              {"tables", tables},
              {"decisions", decisions}};
}

StatusOr<std::string> Room::SavePath(const json& value) const {
  if (!value.is_string()) return InvalidArgumentError("\"path\" must be a string");
  const std::string path = value.get<std::string>();
  if (path.empty() || path.size() > 200 || path.front() == '/') {
    return InvalidArgumentError("\"path\" must be a relative path of at most 200 characters");
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    const std::string segment =
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (segment.empty() || segment == "." || segment == ".." ||
        !std::all_of(segment.begin(), segment.end(), IsSegmentChar)) {
      return InvalidArgumentError("\"path\" '" + path +
                                  "' may only use letters, digits, '.', '_', '-' and '/', with no "
                                  "empty, '.' or '..' segment");
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (path.size() < 5 || path.substr(path.size() - 5) != ".json") {
    return InvalidArgumentError("\"path\" '" + path + "' must end in .json");
  }
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(fs::absolute(options_.save_dir), ec);
  const fs::path full = fs::weakly_canonical(root / path, ec);
  if (ec || !io::IsInsideFolder(full.string(), root.string())) {
    return InvalidArgumentError("\"path\" '" + path + "' leads outside the save folder");
  }
  return full.string();
}

ApiResult Room::Save(const json& request) {
  if (!request.is_object()) return Error(400, "the request body must be a JSON object");
  json session;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!session_) return Error(409, "no room is open");
    session = SessionJson();
  }
  if (!request.contains("path")) return {200, json{{"session", session}}};
  StatusOr<std::string> path = SavePath(request["path"]);
  if (!path.ok()) return Error(400, path.status().message());
  std::error_code ec;
  if (!fs::is_directory(fs::path(*path).parent_path(), ec)) {
    return Error(400, "the folder of \"path\" does not exist");
  }
  const std::string temp = *path + ".partial";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << session.dump(2) << "\n";
    if (!out) return Error(500, "cannot write " + temp);
  }
  fs::rename(temp, *path, ec);
  if (ec) return Error(500, "cannot write " + *path + ": " + ec.message());
  return {200, json{{"saved", request["path"]}, {"session", session}}};
}

ApiResult Room::Load(const json& request) {
  if (!request.is_object()) return Error(400, "the request body must be a JSON object");
  if (request.contains("session")) return Restore(request["session"]);
  if (!request.contains("path")) return Error(400, "\"path\" or \"session\" is required");
  StatusOr<std::string> path = SavePath(request["path"]);
  if (!path.ok()) return Error(400, path.status().message());
  std::error_code ec;
  if (!fs::is_regular_file(*path, ec)) return Error(404, "no session file at \"path\"");
  if (fs::file_size(*path, ec) > kMaxSessionBytes)
    return Error(413, "the session file is too large");
  std::ifstream in(*path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const json session = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (session.is_discarded()) return Error(400, "the session file is not valid JSON");
  return Restore(session);
}

}  // namespace orgsim::serve
