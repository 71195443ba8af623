// The workshop room over real HTTP on loopback: tables join, decide, the
// facilitator closes rounds; every table's companies run on the same market
// draws (equal fingerprints for equal decisions); the board's leaderboard,
// the debrief's counterfactuals, the decision log, save and load; and the
// 4xx answers to hostile input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>

#include "engine/serve/server.h"
#include "tests/testing/files.h"

namespace orgsim::serve {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;

constexpr const char* kMandate = "organization.pm.mandate";

class RoomTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("orgsim_room_test_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "scenarios");
    fs::create_directories(root_ / "saves");
    fs::copy_file(test::SourcePath("tests/serve/scenarios/small.textproto"),
                  root_ / "scenarios" / "small.textproto");
    WorkshopOptions options;
    options.scenarios_dir = (root_ / "scenarios").string();
    options.max_replications = 50;
    options.threads_per_run = 2;
    RoomOptions room;
    room.save_dir = (root_ / "saves").string();
    room.threads = 2;
    server_ = std::make_unique<WorkshopServer>(options, Access(), room);
    port_ = server_->Bind("127.0.0.1", 0);
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_->Listen(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_read_timeout(60, 0);
    for (int i = 0; i < 200 && !client_->Get("/api/room", Facilitator()); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  void TearDown() override {
    server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    fs::remove_all(root_);
  }
  virtual AccessOptions Access() { return {}; }
  virtual httplib::Headers Facilitator() { return {}; }
  virtual httplib::Headers Participant() { return {}; }

  std::pair<int, json> Get(const std::string& path, const httplib::Headers& headers) {
    auto res = client_->Get(path.c_str(), headers);
    if (!res) return {0, json()};
    return {res->status, json::parse(res->body, nullptr, false)};
  }
  std::pair<int, json> Get(const std::string& path) { return Get(path, Facilitator()); }
  std::pair<int, json> Post(const std::string& path, const json& body,
                            const httplib::Headers& headers) {
    auto res = client_->Post(path.c_str(), headers, body.dump(), "application/json");
    if (!res) return {0, json()};
    return {res->status, json::parse(res->body, nullptr, false)};
  }
  std::pair<int, json> Post(const std::string& path, const json& body) {
    return Post(path, body, Facilitator());
  }
  void ExpectError(const std::pair<int, json>& result, int status, const std::string& fragment) {
    EXPECT_EQ(result.first, status) << result.second.dump();
    ASSERT_TRUE(result.second.is_object());
    EXPECT_THAT(result.second.value("error", ""), HasSubstr(fragment));
  }
  void WaitIdle() {
    for (int i = 0; i < 6000 && !server_->room().Idle(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_TRUE(server_->room().Idle()) << "the round was not computed";
  }
  void OpenRoom(double round_days = 30) {
    auto [status, body] =
        Post("/api/room/open",
             {{"scenario", "small.textproto"}, {"round_days", round_days}, {"replications", 3}});
    ASSERT_EQ(status, 200) << body.dump();
  }
  json Join(const std::string& name, const std::string& table = "") {
    json request{{"name", name}};
    if (!table.empty()) request["table"] = table;
    auto [status, body] = Post("/api/room/join", request, Participant());
    EXPECT_EQ(status, 200) << body.dump();
    return body;
  }
  void Decide(const json& seat, const json& levers) {
    auto [status, body] =
        Post("/api/room/decide",
             {{"table", seat["table"]}, {"key", seat["key"]}, {"levers", levers}}, Participant());
    EXPECT_EQ(status, 200) << body.dump();
  }
  json CloseAndWait() {
    auto [status, body] = Post("/api/room/close", json::object());
    EXPECT_EQ(status, 202) << body.dump();
    WaitIdle();
    auto board = Get("/api/room/board");
    EXPECT_EQ(board.first, 200) << board.second.dump();
    return board.second;
  }
  static const json& TableOf(const json& board, const std::string& id) {
    for (const json& t : board["tables"]) {
      if (t["id"] == id) return t;
    }
    static const json none;
    ADD_FAILURE() << "no table " << id;
    return none;
  }

  fs::path root_;
  std::unique_ptr<WorkshopServer> server_;
  std::unique_ptr<httplib::Client> client_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(RoomTest, ServesTheRoomPage) {
  auto page = client_->Get("/room");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("/room.js"));
  auto script = client_->Get("/room.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
  EXPECT_THAT(script->body, HasSubstr("/api/room/decide"));
}

TEST_F(RoomTest, TablesJoinByNameAloneOrAsATable) {
  ExpectError(Post("/api/room/join", {{"name", "Ada"}}), 409, "no room");
  OpenRoom();
  auto [status, state] = Get("/api/room");
  ASSERT_EQ(status, 200);
  EXPECT_TRUE(state["open"].get<bool>());
  EXPECT_EQ(state["baseline"], "project_mode");
  EXPECT_EQ(state["round"], 1);
  EXPECT_EQ(state["rounds"][0]["end_day"], 30);
  ASSERT_FALSE(state["levers"].empty());
  const json ada = Join("Ada");
  const json bob = Join("Bob", "Blue");
  const json cy = Join("Cy", "Blue");
  EXPECT_EQ(ada["table"], "t1");
  EXPECT_EQ(ada["table_name"], "Ada");
  EXPECT_EQ(bob["table"], "t2");
  EXPECT_EQ(cy["table"], "t2");
  EXPECT_EQ(cy["key"], bob["key"]);
  EXPECT_NE(ada["key"], bob["key"]);
  EXPECT_THAT(bob["key"].get<std::string>(), ::testing::MatchesRegex("[0-9a-f]{32}"));
  EXPECT_EQ(cy["members"], json({"Bob", "Cy"}));
  auto tables = Get("/api/room").second["tables"];
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_FALSE(tables[0].contains("key")) << "the room's state must not hand out table keys";
}

TEST_F(RoomTest, EveryTableRunsOnTheSameMarketDrawsAndTheBoardRanksThePairedEffect) {
  OpenRoom(180);                    // long enough for the PM's levers to change some company
  const json keeper = Join("Ada");  // keeps the baseline design
  const json blue = Join("Bob", "Blue");
  const json red = Join("Dee", "Red");
  const json product_led = {{kMandate, 0.8},
                            {"organization.pm.business_ownership", 0.8},
                            {"organization.pm.outcome_orientation", 0.9}};
  Decide(blue, product_led);
  Decide(red, {{kMandate, 0.3}});
  Decide(red, product_led);  // the last value in a round counts
  const json board = CloseAndWait();
  EXPECT_EQ(board["round"], 1);
  EXPECT_EQ(board["end_day"], 180);
  ASSERT_EQ(board["tables"].size(), 3u);
  ASSERT_EQ(board["leaderboard"].size(), 3u);
  // Same decisions, same draws: the same companies; different decisions: not.
  EXPECT_EQ(TableOf(board, "t1")["fingerprints"], board["baseline"]["fingerprints"]);
  EXPECT_EQ(TableOf(board, "t2")["fingerprints"], TableOf(board, "t3")["fingerprints"]);
  EXPECT_NE(TableOf(board, "t2")["fingerprints"], board["baseline"]["fingerprints"]);
  // The design shows what changed against the baseline.
  EXPECT_TRUE(TableOf(board, "t1")["design"].empty());
  ASSERT_EQ(TableOf(board, "t2")["design"].size(), 3u);
  const json& mandate = TableOf(board, "t2")["design"][1];  // by path
  EXPECT_EQ(mandate["path"], kMandate);
  EXPECT_EQ(mandate["baseline"], 0.2);
  EXPECT_EQ(mandate["value"], 0.8);
  // The leaderboard: paired effect against the baseline with its CI.
  for (const json& entry : board["leaderboard"]) {
    EXPECT_TRUE(entry.contains("ci_low") && entry.contains("ci_high")) << entry.dump();
    EXPECT_EQ(entry["n"], 3);
    if (entry["table"] == "t1") {
      EXPECT_EQ(entry["mean_diff"], 0.0);
    }
  }
  EXPECT_EQ(board["leaderboard"][0]["rank"], 1);
  ASSERT_FALSE(board["charts"].empty());
  EXPECT_THAT(board["charts"][0]["svg"].get<std::string>(), HasSubstr("<svg"));
  EXPECT_THAT(board["charts"][0]["svg"].get<std::string>(), HasSubstr("Red"));
}

TEST_F(RoomTest, RoundsAccumulateAScheduleAndTheDebriefComparesCounterfactuals) {
  OpenRoom();
  const json keeper = Join("Ada");
  const json blue = Join("Bob", "Blue");
  Decide(blue, {{kMandate, 0.8}});
  CloseAndWait();
  auto state = Get("/api/room").second;
  EXPECT_EQ(state["round"], 2);
  EXPECT_EQ(state["rounds"][1]["start_day"], 30);
  EXPECT_EQ(state["rounds"][1]["end_day"], 60);
  ASSERT_EQ(Post("/api/room/extend", {{"days", 10}}).first, 200);
  Decide(blue, {{kMandate, 0.5}});
  const json board = CloseAndWait();
  EXPECT_EQ(board["round"], 2);
  EXPECT_EQ(board["end_day"], 70);
  EXPECT_EQ(TableOf(board, "t2")["design"][0]["value"], 0.5);

  // Had it kept the baseline: a table that did keep it differs by nothing.
  auto [ks, kept] = Get("/api/room/debrief?table=t1");
  ASSERT_EQ(ks, 200) << kept.dump();
  for (const auto& [metric, paired] : kept["kept_baseline"].items()) {
    if (!paired["mean_diff"].is_null()) {
      EXPECT_EQ(paired["mean_diff"], 0.0) << metric;
    }
  }
  ASSERT_EQ(kept["rounds"].size(), 2u);
  EXPECT_EQ(kept["rounds"][0]["vs_baseline"]["mean_diff"], 0.0);
  EXPECT_EQ(kept["rounds"][1]["vs_baseline"]["mean_diff"], 0.0);
  // The other table: its decisions round by round, the gap at each round's end.
  auto [bs, debrief] = Get("/api/room/debrief?table=t2");
  ASSERT_EQ(bs, 200) << debrief.dump();
  EXPECT_EQ(debrief["round"], 2);
  ASSERT_EQ(debrief["rounds"].size(), 2u);
  EXPECT_EQ(debrief["rounds"][0]["decisions"][0]["value"], 0.8);
  EXPECT_EQ(debrief["rounds"][1]["decisions"][0]["value"], 0.5);
  EXPECT_EQ(debrief["rounds"][1]["end_day"], 70);
  EXPECT_TRUE(debrief["rounds"][1]["vs_baseline"].contains("ci_low"));
  EXPECT_GE(debrief["gap_opened_round"].get<int>(), 1);
  EXPECT_TRUE(debrief["leader"]["table"] == "t1" || debrief["leader"]["table"] == "t2");
  // Had it copied the leader: the leader's own debrief says zero.
  const std::string leader = debrief["leader"]["table"];
  auto lead = Get("/api/room/debrief?table=" + leader).second;
  for (const auto& [metric, paired] : lead["copied_leader"].items()) {
    if (!paired["mean_diff"].is_null()) {
      EXPECT_EQ(paired["mean_diff"], 0.0) << metric;
    }
  }
  ExpectError(Get("/api/room/debrief?table=t9"), 404, "no table");
}

TEST_F(RoomTest, TheDecisionLogExportsAsCsvAndJson) {
  OpenRoom();
  const json blue = Join("Bob", "Blue, \"the\" team");
  Decide(blue, {{kMandate, 0.8}});
  CloseAndWait();
  Decide(blue, {{kMandate, 0.6}});
  auto [js, log] = Get("/api/room/log.json");
  ASSERT_EQ(js, 200);
  ASSERT_EQ(log["decisions"].size(), 2u);
  EXPECT_EQ(log["decisions"][0]["round"], 1);
  EXPECT_EQ(log["decisions"][1]["round"], 2);
  EXPECT_EQ(log["decisions"][1]["table"], "t1");
  EXPECT_EQ(log["decisions"][1]["lever"], kMandate);
  EXPECT_EQ(log["decisions"][1]["value"], 0.6);
  EXPECT_THAT(log["decisions"][0]["time"].get<std::string>(),
              ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"));
  auto csv = client_->Get("/api/room/log.csv", Facilitator());
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_THAT(csv->get_header_value("Content-Type"), HasSubstr("text/csv"));
  std::istringstream lines(csv->body);
  std::string header, first, second, extra;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_EQ(header, "round,table,table_name,lever,value,time");
  EXPECT_THAT(
      first, ::testing::StartsWith("1,t1,\"Blue, \"\"the\"\" team\",organization.pm.mandate,0.8,"));
  EXPECT_THAT(second, ::testing::StartsWith("2,t1,"));
  EXPECT_FALSE(std::getline(lines, extra));
}

TEST_F(RoomTest, ASavedSessionLoadsBackAndReRunsToTheSameResults) {
  OpenRoom();
  const json blue = Join("Bob", "Blue");
  Join("Ada");
  Decide(blue, {{kMandate, 0.8}});
  const json before = CloseAndWait();
  Decide(blue, {{kMandate, 0.4}});  // pending in the open round
  auto [ss, saved] = Post("/api/room/save", {{"path", "room1.json"}});
  ASSERT_EQ(ss, 200) << saved.dump();
  ASSERT_TRUE(fs::exists(root_ / "saves" / "room1.json"));
  const json session = saved["session"];
  EXPECT_EQ(session["format"], "orgsim-room");
  EXPECT_EQ(session["tables"].size(), 2u);
  EXPECT_EQ(session["decisions"].size(), 2u);

  OpenRoom();  // a fresh room forgets everything
  EXPECT_TRUE(Get("/api/room").second["tables"].empty());
  auto [ls, loaded] = Post("/api/room/load", {{"path", "room1.json"}});
  ASSERT_EQ(ls, 202) << loaded.dump();
  EXPECT_EQ(loaded["rounds_rerun"], 1);
  WaitIdle();
  auto [bs, after] = Get("/api/room/board");
  ASSERT_EQ(bs, 200) << after.dump();
  EXPECT_EQ(after["tables"], before["tables"]);
  EXPECT_EQ(after["leaderboard"], before["leaderboard"]);
  auto state = Get("/api/room").second;
  EXPECT_EQ(state["round"], 2);
  EXPECT_EQ(state["tables"][0]["decided"][kMandate], 0.4);
  // The saved key still lets the table decide.
  Decide(blue, {{kMandate, 0.5}});
  // And the JSON itself loads too (download, then upload).
  auto [js, again] = Post("/api/room/load", {{"session", session}});
  EXPECT_EQ(js, 202) << again.dump();
  WaitIdle();
}

TEST_F(RoomTest, HostileInputGetsAClear4xx) {
  ExpectError(Post("/api/room/open", {{"scenario", "../outside.textproto"}}), 400, "..");
  ExpectError(Post("/api/room/open", {{"scenario", "none.textproto"}}), 404, "no scenario");
  ExpectError(Post("/api/room/open", {{"scenario", "small.textproto"}, {"round_days", 0}}), 400,
              "round_days");
  ExpectError(Post("/api/room/open", {{"scenario", "small.textproto"}, {"replications", 1e9}}), 400,
              "replications");
  ExpectError(Post("/api/room/open", {{"scenario", "small.textproto"}, {"baseline", "nope"}}), 400,
              "unknown arm");
  OpenRoom();
  const json blue = Join("Bob", "Blue");
  ExpectError(Post("/api/room/join", {{"name", ""}}), 400, "empty");
  ExpectError(Post("/api/room/join", {{"name", std::string(41, 'x')}}), 400, "longer");
  ExpectError(Post("/api/room/join", {{"name", "a\x01"}}), 400, "control");
  auto decide = [&](const json& levers, const json& key) {
    return Post("/api/room/decide", {{"table", "t1"}, {"key", key}, {"levers", levers}},
                Participant());
  };
  ExpectError(decide({{"organization.teams[eng].initial_headcount", 50}}, blue["key"]), 400,
              "not one the room offers");
  ExpectError(decide({{kMandate, 7}}, blue["key"]), 400, "outside its range");
  ExpectError(decide({{kMandate, "high"}}, blue["key"]), 400, "number");
  ExpectError(decide(json::object(), blue["key"]), 400, "levers");
  ExpectError(Post("/api/room/decide", {{"table", "t7"}, {"levers", {{kMandate, 0.5}}}}), 404,
              "no table");
  ASSERT_EQ(Post("/api/room/pause", {{"paused", true}}).first, 200);
  ExpectError(decide({{kMandate, 0.5}}, blue["key"]), 409, "paused");
  ASSERT_EQ(Post("/api/room/pause", {{"paused", false}}).first, 200);
  ExpectError(Post("/api/room/pause", {{"paused", "yes"}}), 400, "paused");
  ExpectError(Post("/api/room/extend", {{"days", -5}}), 400, "days");
  ExpectError(Get("/api/room/board"), 409, "no round");
  ExpectError(Get("/api/room/board?metric=nope"), 400, "unknown metric");
  // Save paths stay inside the save folder and end in .json.
  for (const char* path : {"../escape.json", "/tmp/escape.json", "a/../../b.json", "x.txt",
                           "sub//x.json", "bad name.json"}) {
    ExpectError(Post("/api/room/save", {{"path", path}}), 400, "path");
    ExpectError(Post("/api/room/load", {{"path", path}}), 400, "path");
  }
  ExpectError(Post("/api/room/save", {{"path", "missing/x.json"}}), 400, "folder");
  ExpectError(Post("/api/room/load", {{"path", "absent.json"}}), 404, "no session");
  // A session with a lever out of range, an unknown lever, a foreign table.
  json session = Post("/api/room/save", json::object()).second["session"];
  session["decisions"] = {{{"round", 1}, {"table", "t1"}, {"lever", kMandate}, {"value", 3}}};
  ExpectError(Post("/api/room/load", {{"session", session}}), 400, "outside its range");
  session["decisions"] = {{{"round", 1}, {"table", "t1"}, {"lever", "horizon_days"}, {"value", 3}}};
  ExpectError(Post("/api/room/load", {{"session", session}}), 400, "not one the room offers");
  session["decisions"] = {{{"round", 1}, {"table", "t5"}, {"lever", kMandate}, {"value", 0.5}}};
  ExpectError(Post("/api/room/load", {{"session", session}}), 400, "table");
  session["decisions"] = json::array();
  session["scenario_hash"] = "0000000000000000";
  ExpectError(Post("/api/room/load", {{"session", session}}), 409, "changed");
  ExpectError(Post("/api/room/load", {{"session", {{"format", "other"}}}}), 400, "orgsim room");
  // The room is untouched by the refused loads.
  EXPECT_EQ(Get("/api/room").second["tables"].size(), 1u);
}

// Token mode: participants may join and decide, only the facilitator runs the room.
class TokenRoomTest : public RoomTest {
 protected:
  AccessOptions Access() override { return {.allow_hosts = {}, .require_token = true}; }
  httplib::Headers Facilitator() override {
    return {{"X-Orgsim-Token", server_->facilitator_token()}};
  }
  httplib::Headers Participant() override { return {{"X-Orgsim-Token", server_->token()}}; }
};

TEST_F(TokenRoomTest, TheFacilitatorRunsTheRoomAndRevealsTheBoard) {
  ExpectError(Get("/api/room", {}), 401, "token");
  ExpectError(Post("/api/room/open", {{"scenario", "small.textproto"}}, Participant()), 403,
              "facilitator");
  OpenRoom();
  EXPECT_EQ(Get("/api/room", Participant()).second["role"], "participant");
  const json blue = Join("Bob", "Blue");
  const json red = Join("Dee", "Red");
  // A participant cannot decide for another table.
  ExpectError(Post("/api/room/decide",
                   {{"table", red["table"]}, {"key", blue["key"]}, {"levers", {{kMandate, 0.5}}}},
                   Participant()),
              403, "key");
  Decide(blue, {{kMandate, 0.8}});
  for (const char* action : {"/api/room/close", "/api/room/pause", "/api/room/extend",
                             "/api/room/reveal", "/api/room/save", "/api/room/load"}) {
    ExpectError(Post(action, json::object(), Participant()), 403, "facilitator");
  }
  ExpectError(Get("/api/room/log.json", Participant()), 403, "facilitator");
  CloseAndWait();
  ExpectError(Get("/api/room/board", Participant()), 403, "hidden");
  ExpectError(Get("/api/room/debrief?table=t1", Participant()), 403, "hidden");
  ASSERT_EQ(Post("/api/room/reveal", {{"revealed", true}}).first, 200);
  auto [status, board] = Get("/api/room/board", Participant());
  EXPECT_EQ(status, 200) << board.dump();
  EXPECT_EQ(board["tables"].size(), 2u);
  EXPECT_EQ(Get("/api/room/debrief?table=t1", Participant()).first, 200);
}

}  // namespace
}  // namespace orgsim::serve
