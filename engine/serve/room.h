// A workshop room: tables of participants run the same company in rounds,
// on the same market draws, and a facilitator board compares their designs
// with a fair, paired leaderboard. engine/serve/server.h puts it behind HTTP
// (/api/room/...); this file knows nothing of HTTP.
//
//   Room room(workshop);                                  // the scenarios folder's loader
//   room.Open({{"scenario", "small.textproto"}, {"round_days", 91}});
//   ApiResult joined = room.Join({{"name", "Ada"}, {"table", "Blue"}});  // {table, key}
//   room.Decide({{"table", id}, {"key", key}, {"levers", {{"organization.pm.mandate", 0.8}}}});
//   room.CloseRound();         // 202: every table's company runs to the round's end
//   room.Board(true);          // designs, distributions, leaderboard vs the baseline
//
// The game. Round k covers days [start_k, end_k) (round_days each, default
// a quarter: 91 days; the facilitator may extend the open round). While a
// round is open each table sets levers (only the page's levers, within the
// page's ranges, and only levers a schedule may change mid-run); the last
// value a table gives a lever in round k becomes a lever-schedule entry at
// at_day = start_k (engine/model/lever_schedule.h). Closing round k runs,
// in the background, the baseline arm and every table's accumulated
// schedule from day 0 to end_k for the same `replications` paired
// replications: replication r of every table uses the same StreamKey, so
// every table faces the same market draws and two tables with the same
// decisions get the same fingerprints. Each closed round's results are
// kept, so the debrief can say where, round by round, a table's gap opened.
//
// Fairness: the leaderboard ranks the paired effect against the baseline
// design (mean difference with its 95% CI, experiment::ComparePaired), not
// one lucky path; the debrief compares a table with "had you kept the
// baseline" and "had you copied the leading table" on the same draws.
//
// Access (decided by the caller, server.cc): facilitator actions (open,
// close, pause, extend, reveal, save, load, the log) need the facilitator
// token; a table's decisions need its key (returned by Join) or the
// facilitator; the board and debriefs are the facilitator's until revealed.
// Every bad input gets a 4xx with a sentence: unknown levers, values out of
// range, decisions while paused, closing while a round is computing, save
// paths outside the save folder or not ending in .json.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/serve/background_pool.h"
#include "engine/serve/workshop.h"

namespace orgsim::serve {

struct RoomOptions {
  double round_days = 91;           // default round length: a quarter
  std::uint32_t replications = 30;  // default paired replications per round
  std::uint32_t max_replications = 500;
  std::size_t max_tables = 40;
  std::size_t max_members = 12;       // per table
  std::size_t max_name_length = 40;   // table and participant names
  std::size_t max_decisions = 20000;  // the whole log
  std::string save_dir = ".";         // save/load paths are relative to it and stay inside
  int threads = 0;                    // threads simulating a round; 0 = all cores
};

class Room {
 public:
  Room(Workshop& workshop, RoomOptions options = {});
  ~Room();  // stops a round being computed and joins
  Room(const Room&) = delete;
  Room& operator=(const Room&) = delete;

  // POST /api/room/open {"scenario", "baseline"?: arm, "round_days"?, "replications"?}
  // Replaces any room there was (its unsaved state is lost).
  ApiResult Open(const nlohmann::json& request);
  // GET /api/room: scenario, rounds, tables (no keys), flags, the levers
  // tables may set, and the computation's progress.
  ApiResult State();
  // POST /api/room/join {"name", "table"?}: joins the table of that name
  // (creating it), or a table of one named after the participant.
  // 200 {"table": id, "key": the table's secret, ...}.
  ApiResult Join(const nlohmann::json& request);
  // POST /api/room/decide {"table", "key", "levers": {PATH: VALUE}}: the
  // table's levers for the open round (later values replace earlier ones).
  ApiResult Decide(const nlohmann::json& request, bool facilitator);
  // POST /api/room/close: closes the open round, opens the next, and starts
  // the round's runs (202). 409 while paused or still computing.
  ApiResult CloseRound();
  // POST /api/room/pause {"paused": bool}; /extend {"days": N}; /reveal {"revealed": bool}
  ApiResult Pause(const nlohmann::json& request);
  ApiResult Extend(const nlohmann::json& request);
  ApiResult Reveal(const nlohmann::json& request);
  // GET /api/room/board?metric=NAME: the last computed round. 403 for a
  // participant while hidden; 409 before a round was computed.
  ApiResult Board(bool facilitator, const std::string& metric = "");
  // GET /api/room/debrief?table=ID: the table against its counterfactuals.
  ApiResult Debrief(const std::string& table, bool facilitator, const std::string& metric = "");
  // GET /api/room/log.json and log.csv: every decision (round, table, lever, value, time).
  ApiResult LogJson();
  std::string LogCsv();
  // POST /api/room/save {"path"?}: the session as JSON, written under
  // save_dir when "path" is given. POST /api/room/load {"path"} or
  // {"session": {...}}: restores it and re-runs its closed rounds (202).
  ApiResult Save(const nlohmann::json& request);
  ApiResult Load(const nlohmann::json& request);

  // True when no round is being computed (tests wait for it).
  bool Idle();

 private:
  struct Table;
  struct Round;
  struct Decision;
  struct Outcome;
  struct RoundResult;
  struct Session;

  ApiResult Restore(const nlohmann::json& session);
  nlohmann::json SessionJson();  // REQUIRES mutex_
  static StatusOr<double> CheckLever(const Session& session, const std::string& path,
                                     const nlohmann::json& value);
  StatusOr<model::ModelConfig> ConfigOf(const std::string& table,
                                        std::size_t round);  // REQUIRES mutex_
  void StartComputing(std::vector<std::size_t> rounds);      // REQUIRES mutex_
  std::shared_ptr<const RoundResult> LastResult();           // REQUIRES mutex_
  std::map<std::string, double> DesignOf(const std::string& table,
                                         std::size_t round);  // REQUIRES mutex_
  Table* FindTable(const std::string& id);                    // REQUIRES mutex_
  StatusOr<std::string> SavePath(const nlohmann::json& path) const;

  Workshop& workshop_;
  RoomOptions options_;
  std::mutex mutex_;
  std::unique_ptr<Session> session_;  // null until opened
  std::atomic<bool> stopping_{false};
  std::atomic<bool> computing_{false};
  std::atomic<std::uint32_t> progress_done_{0}, progress_total_{0};
  // Last member: destroyed (joined) first, while what its job uses still exists.
  std::unique_ptr<BackgroundPool> pool_;
};

}  // namespace orgsim::serve
