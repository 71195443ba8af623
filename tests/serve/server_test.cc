// The workshop server on an ephemeral loopback port, driven with httplib's
// client: the page and API answer; bad parameters get 4xx with a clear JSON
// message; runs finish with the same numbers as running the model directly;
// runs can be cancelled; several clients at once work; nothing outside the
// scenarios folder is reachable.
#include "engine/serve/server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "engine/io/scenario_loader.h"
#include "engine/model/run.h"
#include "tests/experiment/cli_harness.h"
#include "tests/testing/files.h"

namespace orgsim::serve {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A private scenarios folder: the test scenario, a symlink leading out
    // of the folder, and a file outside it.
    root_ = fs::temp_directory_path() / ("orgsim_serve_test_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "scenarios" / "sub");
    fs::copy_file(test::SourcePath("tests/serve/scenarios/small.textproto"),
                  root_ / "scenarios" / "small.textproto");
    fs::copy_file(test::SourcePath("tests/serve/scenarios/small.textproto"),
                  root_ / "outside.textproto");
    fs::create_symlink(root_ / "outside.textproto",
                       root_ / "scenarios" / "sub" / "escape.textproto");
    WorkshopOptions options;
    options.scenarios_dir = (root_ / "scenarios").string();
    options.max_replications = 50;
    options.threads_per_run = 2;
    Configure(options);
    server_ = std::make_unique<WorkshopServer>(options, Access());
    port_ = server_->Bind("127.0.0.1", 0);
    ASSERT_GT(port_, 0);
    thread_ = std::thread([this] { server_->Listen(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_read_timeout(60, 0);
    // Wait until the listener accepts (Listen() runs on the thread).
    for (int i = 0; i < 200 && !client_->Get("/api/scenarios"); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  // Derived fixtures change options and add scenario files here.
  virtual void Configure(WorkshopOptions&) {}
  virtual AccessOptions Access() { return {}; }

  void TearDown() override {
    server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    fs::remove_all(root_);
  }

  // GET or POST; returns (status, parsed body).
  std::pair<int, json> Get(const std::string& path) {
    auto res = client_->Get(path.c_str());
    if (!res) return {0, json()};
    return {res->status, json::parse(res->body, nullptr, false)};
  }
  std::pair<int, json> Post(const std::string& path, const std::string& body) {
    auto res = client_->Post(path.c_str(), body, "application/json");
    if (!res) return {0, json()};
    return {res->status, json::parse(res->body, nullptr, false)};
  }
  // With extra headers (Host, tokens, cookies).
  std::pair<int, json> Get(const std::string& path, const httplib::Headers& headers) {
    auto res = client_->Get(path.c_str(), headers);
    if (!res) return {0, json()};
    return {res->status, json::parse(res->body, nullptr, false)};
  }
  std::pair<int, json> Post(const std::string& path, const std::string& body,
                            const std::string& content_type, const httplib::Headers& headers = {}) {
    auto res = client_->Post(path.c_str(), headers, body, content_type.c_str());
    if (!res) return {0, json()};
    return {res->status, json::parse(res->body, nullptr, false)};
  }
  // Polls a run until it is no longer queued or running.
  json WaitForRun(const std::string& id) {
    for (int i = 0; i < 6000; ++i) {
      auto [status, body] = Get("/api/runs/" + id);
      EXPECT_EQ(status, 200);
      const std::string state = body.value("state", "");
      if (state != "queued" && state != "running") return body;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "run " << id << " did not finish";
    return json();
  }
  // Polls a story until it is no longer being computed (202).
  std::pair<int, json> WaitForStory(const std::string& path) {
    for (int i = 0; i < 6000; ++i) {
      auto result = Get(path);
      if (result.first != 202) return result;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << path << " is still being computed";
    return {0, json()};
  }
  void ExpectError(const std::pair<int, json>& result, int status, const std::string& fragment) {
    EXPECT_EQ(result.first, status) << result.second.dump();
    ASSERT_TRUE(result.second.is_object()) << "error bodies are JSON";
    EXPECT_THAT(result.second.value("error", ""), HasSubstr(fragment));
  }

  fs::path root_;
  std::unique_ptr<WorkshopServer> server_;
  std::unique_ptr<httplib::Client> client_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(ServerTest, ServesTheEmbeddedPage) {
  auto page = client_->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("orgsim workshop"));
  EXPECT_THAT(page->get_header_value("Content-Type"), HasSubstr("text/html"));
  auto js = client_->Get("/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_THAT(js->body, HasSubstr("/api/runs"));
  ExpectError(Get("/no/such/thing"), 404, "no such endpoint");
}

TEST_F(ServerTest, ListsAndDescribesScenariosWithLeverRanges) {
  auto [status, list] = Get("/api/scenarios");
  ASSERT_EQ(status, 200);
  ASSERT_EQ(list["scenarios"].size(), 1u) << list.dump();  // the symlink out is not listed
  EXPECT_EQ(list["scenarios"][0]["id"], "small.textproto");
  EXPECT_EQ(list["scenarios"][0]["name"], "small_company");

  auto [s2, scenario] = Get("/api/scenario?id=small.textproto");
  ASSERT_EQ(s2, 200);
  EXPECT_EQ(scenario["baseline"], "project_mode");
  EXPECT_EQ(scenario["arms"].size(), 2u);
  bool found = false;
  for (const auto& lever : scenario["levers"]) {
    if (lever["path"] != "organization.pm.mandate") continue;
    found = true;
    EXPECT_EQ(lever["min"], 0.0);
    EXPECT_EQ(lever["max"], 1.0);
    EXPECT_EQ(lever["kind"], "number");
    EXPECT_EQ(lever["values"]["project_mode"], 0.2);
    EXPECT_EQ(lever["values"]["product_led"], 0.8);
    EXPECT_DOUBLE_EQ(lever["step"].get<double>(), 0.01);  // a round step near 1/100 of the range
  }
  EXPECT_TRUE(found);
  // The metrics come with labels, units and the direction that is better.
  ASSERT_FALSE(scenario["metrics"].empty());
  for (const auto& m : scenario["metrics"]) {
    EXPECT_FALSE(m["label"].get<std::string>().empty()) << m.dump();
    EXPECT_NE(m["label"], m["name"]) << m.dump();
    EXPECT_THAT(m["better"].get<std::string>(), ::testing::AnyOf("higher", "lower", "neither"));
    EXPECT_TRUE(m.contains("unit") && m.contains("description"));
  }
}

TEST_F(ServerTest, RejectsPathsOutsideTheScenariosFolder) {
  ExpectError(Get("/api/scenario"), 400, "\"id\"");
  ExpectError(Get("/api/scenario?id=../outside.textproto"), 400, "'..'");
  ExpectError(Get("/api/scenario?id=%2Fetc%2Fpasswd"), 400, "absolute");
  ExpectError(Get("/api/scenario?id=sub/escape.textproto"), 400, "outside the scenarios folder");
  ExpectError(Get("/api/scenario?id=nope.textproto"), 404, "no scenario");
  ExpectError(Get("/api/scenario?id=small.txt"), 400, ".textproto");
  ExpectError(Post("/api/runs", R"({"scenario": "../outside.textproto"})"), 400, "'..'");
}

TEST_F(ServerTest, FilesAScenarioReferencesMustLieInsideTheScenariosFolder) {
  // A scenario in the folder whose GraphML file is outside it.
  const std::string text = R"pb(name: "leak"
organization { teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 2 }
  graph { generator: GRAPH_GRAPHML graphml_path: "/etc/hostname" } }
market { segments { name: "smb" } }
)pb";
  std::ofstream(root_ / "scenarios" / "leak.textproto") << text;
  std::ofstream(root_ / "scenarios" / "leak_relative.textproto")
      << std::string(text).replace(text.find("/etc/hostname"), 13, "../outside.textproto");
  ExpectError(Get("/api/scenario?id=leak.textproto"), 400, "outside the scenarios folder");
  ExpectError(Get("/api/scenario?id=leak_relative.textproto"), 400, "outside the scenarios folder");
}

TEST_F(ServerTest, RejectsBadRunParametersWithClearMessages) {
  ExpectError(Post("/api/runs", "{not json"), 400, "not valid JSON");
  ExpectError(Post("/api/runs", "[]"), 400, "JSON object");
  ExpectError(Post("/api/runs", R"({"arm": "x"})"), 400, "\"scenario\"");
  ExpectError(Post("/api/runs", R"({"scenario": "small.textproto", "arm": "nope"})"), 400,
              "unknown arm 'nope'");
  ExpectError(Post("/api/runs", R"({"scenario": "small.textproto", "replications": 0})"), 400,
              "between 1 and 50");
  ExpectError(Post("/api/runs", R"({"scenario": "small.textproto", "replications": 51})"), 400,
              "between 1 and 50");
  ExpectError(Post("/api/runs", R"({"scenario": "small.textproto", "replications": 2.5})"), 400,
              "whole number");
  ExpectError(
      Post("/api/runs",
           R"({"scenario": "small.textproto", "levers": {"organization.pm.mandate": 1.5}})"),
      400, "mandate");
  ExpectError(Post("/api/runs",
                   R"({"scenario": "small.textproto", "levers": {"organization.pm.nope": 1}})"),
              400, "nope");
  ExpectError(
      Post("/api/runs",
           R"({"scenario": "small.textproto", "levers": {"organization.pm.mandate": "x"}})"),
      400, "number");
  ExpectError(Get("/api/runs/r999"), 404, "no run");
}

TEST_F(ServerTest, TheRunApiAcceptsOnlyTheLeversThePageOffersWithinTheirRanges) {
  // Fields outside the workshop catalogue could make one request arbitrarily expensive.
  ExpectError(Post("/api/runs", R"({"scenario": "small.textproto",
                                   "levers": {"work.exogenous_arrival_rate_per_day": 10000}})"),
              400, "not one the workshop offers");
  ExpectError(
      Post("/api/runs", R"({"scenario": "small.textproto", "levers": {"horizon_days": 3650}})"),
      400, "not one the workshop offers");
  ExpectError(Post("/api/runs", R"({"scenario": "small.textproto",
                                   "levers": {"organization.teams[eng].initial_headcount": 200}})"),
              400, "not one the workshop offers");
  // A catalogue lever outside the range the page shows.
  ExpectError(
      Post("/api/runs",
           R"({"scenario": "small.textproto", "levers": {"organization.pm.mandate": -0.1}})"),
      400, "outside its range [0, 1]");
  auto [status, scenario] = Get("/api/scenario?id=small.textproto");
  ASSERT_EQ(status, 200);
  for (const auto& lever : scenario["levers"]) {
    if (lever["path"] != "organization.pm.customer_interaction_hours_per_week") continue;
    const double above = lever["max"].get<double>() * 2 + 1;
    ExpectError(Post("/api/runs", json{{"scenario", "small.textproto"},
                                       {"levers", {{lever["path"].get<std::string>(), above}}}}
                                      .dump()),
                400, "outside its range");
  }
  auto [ok, started] = Post("/api/runs", R"({"scenario": "small.textproto", "replications": 1,
                                           "levers": {"organization.pm.mandate": 1}})");
  EXPECT_EQ(ok, 202) << started.dump();
}

TEST_F(ServerTest, RunIdsAreRandom128BitHex) {
  auto [s1, a] = Post("/api/runs", R"({"scenario": "small.textproto", "replications": 1})");
  auto [s2, b] = Post("/api/runs", R"({"scenario": "small.textproto", "replications": 1})");
  ASSERT_EQ(s1, 202);
  ASSERT_EQ(s2, 202);
  for (const json* run : {&a, &b}) {
    const std::string id = (*run)["id"];
    EXPECT_EQ(id.size(), 32u) << id;
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  }
  EXPECT_NE(a["id"], b["id"]);
  WaitForRun(a["id"]);
  WaitForRun(b["id"]);
}

TEST_F(ServerTest, AStoryIsComputedOnceAndThenServedFromTheCache) {
  auto [s1, started] = Post("/api/runs", R"({"scenario": "small.textproto", "replications": 2})");
  ASSERT_EQ(s1, 202);
  const std::string id = started["id"];
  const std::string path = "/api/runs/" + id + "/story?arm=baseline&replication=1";
  auto first = Get(path);
  EXPECT_EQ(first.first, 202) << "the first request starts the computation";
  EXPECT_EQ(first.second["state"], "computing");
  auto computed = WaitForStory(path);
  ASSERT_EQ(computed.first, 200) << computed.second.dump();
  auto again = Get(path);
  EXPECT_EQ(again.first, 200);
  EXPECT_EQ(again.second, computed.second);
}

TEST_F(ServerTest, NoStoryMonthLiesPastTheHorizon) {
  // small.textproto runs 365 days: 12 months. The books close at the
  // horizon's very instant, which belongs to month 12, not to a "Month 13".
  auto [s1, started] = Post("/api/runs", R"({"scenario": "small.textproto", "replications": 1})");
  ASSERT_EQ(s1, 202) << started.dump();
  auto [s2, story] = WaitForStory("/api/runs/" + started["id"].get<std::string>() +
                                  "/story?arm=design&replication=0");
  ASSERT_EQ(s2, 200) << story.dump();
  int last_month = 0;
  for (const auto& line : story["narrative"]) {
    const std::string text = line.get<std::string>();
    if (text.rfind("Month ", 0) != 0) continue;
    last_month = std::max(last_month, std::stoi(text.substr(6)));
  }
  EXPECT_EQ(last_month, 12) << story["narrative"].dump(1);
}

TEST_F(ServerTest, RunMatchesTheModelAndTellsAStory) {
  auto [status, started] =
      Post("/api/runs",
           R"({"scenario": "small.textproto", "arm": "product_led", "replications": 6,
          "levers": {"organization.pm.people_sense": 0.9}})");
  ASSERT_EQ(status, 202) << started.dump();
  const std::string id = started["id"];
  const json run = WaitForRun(id);
  ASSERT_EQ(run["state"], "done") << run.dump();
  EXPECT_EQ(run["done"], 6);
  EXPECT_EQ(run["replications_completed"], 6);

  // The same numbers, straight from the model.
  io::LoadResult loaded = io::LoadScenarioFile((root_ / "scenarios" / "small.textproto").string());
  ASSERT_TRUE(loaded.ok());
  const auto& scenario = *loaded.scenario;
  auto design = io::ConfigFor(scenario, *scenario.ArmIndex("product_led"),
                              {{"organization.pm.people_sense", 0.9}});
  auto base = io::ConfigFor(scenario, *scenario.ArmIndex("project_mode"), {});
  ASSERT_TRUE(design.ok() && base.ok());
  double design_sum = 0, base_sum = 0;
  for (std::uint32_t r = 0; r < 6; ++r) {
    const kernel::StreamKey key{.seed = scenario.seed, .design_point = 0, .replication = r};
    design_sum += model::RunReplication(*design, key).Metric("profit_total");
    base_sum += model::RunReplication(*base, key).Metric("profit_total");
  }
  bool found = false;
  for (const auto& m : run["metrics"]) {
    if (m["name"] != "profit_total") continue;
    found = true;
    EXPECT_NEAR(m["design"]["mean"].get<double>(), design_sum / 6,
                1e-6 * std::abs(design_sum / 6) + 1e-9);
    EXPECT_NEAR(m["baseline"]["mean"].get<double>(), base_sum / 6,
                1e-6 * std::abs(base_sum / 6) + 1e-9);
    EXPECT_THAT(m["svg"].get<std::string>(), HasSubstr("data-chart=\"distribution\""));
    // Words for the room, and the direction that is better (profit: higher).
    EXPECT_EQ(m["label"], "Profit over the run");
    EXPECT_EQ(m["better"], "higher");
    EXPECT_EQ(m["paired"]["better_share"], m["paired"]["prob_superiority"]);
  }
  EXPECT_TRUE(found);
  for (const auto& m : run["metrics"]) {
    if (m["name"] != "time_to_pmf_days") continue;
    EXPECT_EQ(m["better"], "lower");  // sooner is better: the share flips
    EXPECT_NEAR(m["paired"]["better_share"].get<double>(),
                1 - m["paired"]["prob_superiority"].get<double>(), 1e-12);
  }

  // Cash at each month end, median and 10-90% band per arm, as the model's
  // monthly series says for these replications.
  ASSERT_TRUE(run.contains("cash")) << run.dump();
  const json& cash = run["cash"];
  ASSERT_EQ(cash["months"].size(), 12u);  // a one-year run
  EXPECT_EQ(cash["months"][0], 1.0);
  std::vector<double> last;
  model::RunOptions with_series;
  with_series.record_timeseries = true;
  for (std::uint32_t r = 0; r < 6; ++r) {
    const kernel::StreamKey key{.seed = scenario.seed, .design_point = 0, .replication = r};
    last.push_back(model::RunReplication(*design, key, with_series).series.at(11).cash);
  }
  std::sort(last.begin(), last.end());
  EXPECT_NEAR(cash["design"]["median"][11].get<double>(), (last[2] + last[3]) / 2,
              1e-6 * std::abs(last[2]) + 1e-9);
  EXPECT_LE(cash["design"]["low"][11].get<double>(), cash["design"]["median"][11].get<double>());
  EXPECT_GE(cash["design"]["high"][11].get<double>(), cash["design"]["median"][11].get<double>());
  EXPECT_EQ(cash["baseline"]["median"].size(), 12u);
  EXPECT_THAT(cash["svg"].get<std::string>(), HasSubstr("data-chart=\"fan\""));
  EXPECT_THAT(cash["svg"].get<std::string>(), HasSubstr("Cash over time"));

  auto [s2, story] = WaitForStory("/api/runs/" + id + "/story?arm=design&replication=2");
  ASSERT_EQ(s2, 200) << story.dump();
  EXPECT_TRUE(story["fingerprint_matches_untraced"].get<bool>());
  ASSERT_FALSE(story["narrative"].empty());
  EXPECT_THAT(story["narrative"][0].get<std::string>(), HasSubstr("Month 1"));
  ExpectError(Get("/api/runs/" + id + "/story?arm=design&replication=6"), 400, "below 6");
  ExpectError(Get("/api/runs/" + id + "/story?arm=other&replication=0"), 400,
              "'design' or 'baseline'");
  ExpectError(Get("/api/runs/" + id + "/story?arm=design&replication=-1"), 400, "whole number");
}

TEST_F(ServerTest, RunsCanBeCancelledAndSeveralClientsRunAtOnce) {
  auto [s1, a] = Post("/api/runs", R"({"scenario": "small.textproto", "replications": 50})");
  ASSERT_EQ(s1, 202);
  auto [s2, cancelled] = Post("/api/runs/" + a["id"].get<std::string>() + "/cancel", "");
  ASSERT_EQ(s2, 200);
  EXPECT_TRUE(cancelled["cancel_requested"].get<bool>());
  const json run_a = WaitForRun(a["id"]);
  // Cancelled, unless every replication finished before the request arrived.
  const std::string state = run_a["state"];
  EXPECT_TRUE(state == "cancelled" || (state == "done" && run_a["done"] == 50)) << run_a.dump();

  // Two browsers at once, each with its own client connection.
  json results[2];
  std::thread clients[2];
  for (int c = 0; c < 2; ++c) {
    clients[c] = std::thread([&, c] {
      httplib::Client client("127.0.0.1", port_);
      client.set_read_timeout(60, 0);
      auto res = client.Post("/api/runs", R"({"scenario": "small.textproto", "replications": 3})",
                             "application/json");
      ASSERT_TRUE(res);
      ASSERT_EQ(res->status, 202);
      const std::string id = json::parse(res->body)["id"];
      for (int i = 0; i < 6000; ++i) {
        auto status = client.Get(("/api/runs/" + id).c_str());
        ASSERT_TRUE(status);
        results[c] = json::parse(status->body);
        if (results[c]["state"] != "queued" && results[c]["state"] != "running") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
  }
  for (auto& t : clients) t.join();
  for (const auto& r : results) EXPECT_EQ(r["state"], "done") << r.dump();
  // Same scenario, same replications: same numbers for both clients.
  EXPECT_EQ(results[0]["metrics"][0]["design"]["mean"], results[1]["metrics"][0]["design"]["mean"]);
}

// A run whose replications take seconds: 100 small items a day for ten years.
const char* kHeavyScenario = R"pb(name: "heavy"
seed: 3
horizon_days: 3650
organization {
  teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 30 }
  teams { name: "pm" role: ROLE_PRODUCT initial_headcount: 1 reports_to: "eng" }
}
work { exogenous_arrival_rate_per_day: 100 effort_mean_days: 0.05 }
mechanisms { market: false sales: false }
)pb";

// One story at a time, a short request deadline, and the heavy scenario.
class BusyServerTest : public ServerTest {
 protected:
  void Configure(WorkshopOptions& options) override {
    options.story_threads = 1;
    options.max_stories_in_flight = 1;
    options.request_deadline_seconds = 1;
    options.http_threads = 8;
    std::ofstream(fs::path(options.scenarios_dir) / "heavy.textproto") << kHeavyScenario;
  }
};

TEST_F(BusyServerTest, CancelStopsWorkInsideAReplication) {
  auto [status, started] =
      Post("/api/runs", R"({"scenario": "heavy.textproto", "replications": 2})");
  ASSERT_EQ(status, 202) << started.dump();
  const std::string id = started["id"];
  for (int i = 0; i < 1000 && Get("/api/runs/" + id).second.value("state", "") == "queued"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  auto [s2, cancelled] = Post("/api/runs/" + id + "/cancel", "");
  ASSERT_EQ(s2, 200);
  const json run = WaitForRun(id);
  EXPECT_EQ(run["state"], "cancelled") << run.dump();
  // Both replications were in flight: cancel stopped them midway instead of
  // letting them run to the end.
  EXPECT_EQ(run["done"], 0) << run.dump();
}

TEST_F(BusyServerTest, StoriesAreBoundedAndNeverBlockOtherEndpoints) {
  auto [status, started] =
      Post("/api/runs", R"({"scenario": "heavy.textproto", "replications": 1})");
  ASSERT_EQ(status, 202) << started.dump();
  const std::string id = started["id"];
  Post("/api/runs/" + id + "/cancel", "");  // the story does not need the run's results
  auto first = Get("/api/runs/" + id + "/story?arm=design&replication=0");
  EXPECT_EQ(first.first, 202) << first.second.dump();
  // While that story is computed (seconds), a second one is refused and the
  // other endpoints answer.
  ExpectError(Get("/api/runs/" + id + "/story?arm=baseline&replication=0"), 503, "busy");
  auto list = Get("/api/scenarios");
  EXPECT_EQ(list.first, 200);
  auto again = Get("/api/runs/" + id + "/story?arm=design&replication=0");
  EXPECT_TRUE(again.first == 202 || again.first == 200) << again.second.dump();
}

// A raw loopback connection.
int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// True when the server has closed `fd` (EOF or reset).
bool ClosedByServer(int fd) {
  char buffer[512];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT);
    if (n == 0) return true;
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
  }
}

TEST_F(BusyServerTest, ASlowClientIsCutOffAtTheRequestDeadline) {
  // A request sent one byte every 100 ms would take 20 s; the deadline is 1 s.
  const std::string request =
      "GET /api/scenarios HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + std::string(150, 'x') +
      "\r\n\r\n";
  const int fd = Connect(port_);
  ASSERT_GE(fd, 0);
  std::size_t sent = 0;
  bool closed = false;
  for (; sent < request.size() && !closed; ++sent) {
    if (::send(fd, request.data() + sent, 1, MSG_NOSIGNAL) != 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    closed = ClosedByServer(fd);
  }
  ::close(fd);
  EXPECT_LT(sent, request.size()) << "the server waited for the whole slow request";
}

TEST_F(BusyServerTest, SlowClientsDoNotHoldEveryWorker) {
  // More slow connections than HTTP workers (here 8), each dribbling a byte
  // every 200 ms for up to 15 s; a normal request must still be answered.
  std::vector<int> slow;
  for (int i = 0; i < 10; ++i) {
    const int fd = Connect(port_);
    ASSERT_GE(fd, 0);
    slow.push_back(fd);
  }
  std::atomic<bool> stop{false};
  std::thread dribble([&] {
    for (int step = 0; step < 75 && !stop; ++step) {
      for (int fd : slow) ::send(fd, "G", 1, MSG_NOSIGNAL);
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(10, 0);
  client.set_connection_timeout(10, 0);
  auto res = client.Get("/api/scenarios");
  stop = true;
  dribble.join();
  for (int fd : slow) ::close(fd);
  ASSERT_TRUE(res) << "no answer while slow clients were connected";
  EXPECT_EQ(res->status, 200);
}

// --- Safe to open to a room: Host allow-list, JSON-only POST, tokens, queue, port.

TEST_F(ServerTest, AForeignHostHeaderGets403OnLoopbackToo) {
  const std::string port = ":" + std::to_string(port_);
  ExpectError(Get("/api/scenarios", {{"Host", "evil.example" + port}}), 403, "DNS rebinding");
  ExpectError(Get("/", {{"Host", "evil.example" + port}}), 403, "--allow-host");
  // The right name on another port, or no port, is not this server either.
  ExpectError(Get("/api/scenarios", {{"Host", "127.0.0.1:1"}}), 403, "Host");
  ExpectError(Get("/api/scenarios", {{"Host", "localhost"}}), 403, "Host");
  for (const std::string host : {"localhost", "LOCALHOST", "127.0.0.1", "[::1]"}) {
    EXPECT_EQ(Get("/api/scenarios", {{"Host", host + port}}).first, 200) << host;
  }
  EXPECT_THAT(server_->allowed_hosts(), ::testing::ElementsAre("127.0.0.1", "localhost", "[::1]"));
  EXPECT_FALSE(server_->token_required()) << "loopback needs no token";
}

TEST_F(ServerTest, PostsNeedJsonContentTypeAndNoCorsHeadersAreSent) {
  const std::string body = R"({"scenario": "small.textproto", "replications": 2})";
  for (const std::string type :
       {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"}) {
    ExpectError(Post("/api/runs", body, type), 415, "application/json");
  }
  ExpectError(Post("/api/runs/0123/cancel", "", "text/plain"), 415, "application/json");
  auto [status, runs] = Get("/api/runs");
  ASSERT_EQ(status, 200) << runs.dump();
  EXPECT_TRUE(runs["runs"].empty()) << "a refused POST started a run: " << runs.dump();
  ExpectError(Post("/api/runs", body, "application/json", {{"Origin", "http://evil.example"}}), 403,
              "another site");
  ExpectError(Post("/api/runs", body, "application/json", {{"Origin", "null"}}), 403,
              "another site");
  EXPECT_EQ(Post("/api/runs", body, "Application/JSON; charset=utf-8").first, 202);
  EXPECT_EQ(Post("/api/runs", body, "application/json",
                 {{"Origin", "http://localhost:" + std::to_string(port_)}})
                .first,
            202);

  for (const char* method : {"GET", "OPTIONS"}) {
    httplib::Request req;
    req.method = method;
    req.path = "/api/scenarios";
    req.headers = {{"Origin", "http://evil.example"}, {"Access-Control-Request-Method", "POST"}};
    auto res = client_->send(req);
    ASSERT_TRUE(res) << method;
    for (const auto& [name, value] : res->headers) {
      EXPECT_EQ(name.rfind("Access-Control-", 0), std::string::npos)
          << method << ": " << name << ": " << value;
    }
  }
}

// Token mode, forced on loopback: what binding 0.0.0.0 turns on.
class TokenServerTest : public ServerTest {
 protected:
  AccessOptions Access() override { return {.allow_hosts = {"Room.Local"}, .require_token = true}; }
  httplib::Headers Participant() { return {{"X-Orgsim-Token", server_->token()}}; }
  httplib::Headers Facilitator() { return {{"X-Orgsim-Token", server_->facilitator_token()}}; }
};

TEST_F(TokenServerTest, EveryApiRequestNeedsAToken) {
  ASSERT_TRUE(server_->token_required());
  const std::string token = server_->token();
  EXPECT_THAT(token, ::testing::MatchesRegex("[0-9a-f]{32}"));
  EXPECT_THAT(server_->facilitator_token(), ::testing::MatchesRegex("[0-9a-f]{32}"));
  EXPECT_NE(token, server_->facilitator_token());

  ExpectError(Get("/api/scenarios"), 401, "token");
  ExpectError(Get("/api/scenario?id=small.textproto"), 401, "token");
  ExpectError(Post("/api/runs", R"({"scenario": "small.textproto"})"), 401, "token");
  ExpectError(Get("/api/scenarios", {{"X-Orgsim-Token", std::string(32, '0')}}), 401, "token");
  ExpectError(Get("/api/scenarios?token=" + token.substr(0, 31)), 401, "token");
  ExpectError(Get("/api/scenarios", {{"Cookie", "orgsim_token=" + token + "x"}}), 401, "token");
  // The page itself is public; its API is not.
  auto page = client_->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);

  EXPECT_EQ(Get("/api/scenarios", Participant()).first, 200);
  EXPECT_EQ(Get("/api/scenarios", {{"Cookie", "a=b; orgsim_token=" + token}}).first, 200);
  // The join link's ?token= sets the cookie the page's later requests carry.
  auto joined = client_->Get(("/?token=" + token).c_str());
  ASSERT_TRUE(joined);
  EXPECT_EQ(joined->status, 200);
  EXPECT_EQ(joined->get_header_value("Set-Cookie"),
            "orgsim_token=" + token + "; Path=/; HttpOnly; SameSite=Strict");
  EXPECT_EQ(Get("/api/scenarios?token=" + token).first, 200);
  // Host is still checked first, and --allow-host names are allowed.
  ExpectError(Get("/api/scenarios",
                  {{"Host", "evil.example:" + std::to_string(port_)}, {"X-Orgsim-Token", token}}),
              403, "Host");
  EXPECT_EQ(Get("/api/scenarios",
                {{"Host", "room.local:" + std::to_string(port_)}, {"X-Orgsim-Token", token}})
                .first,
            200);
}

TEST_F(ServerTest, TheJoinLinkOnLoopbackCarriesNoToken) {
  auto [status, join] = Get("/api/join");
  ASSERT_EQ(status, 200);
  EXPECT_EQ(join["url"], "http://127.0.0.1:" + std::to_string(port_) + "/");
  EXPECT_FALSE(join["token_required"].get<bool>());
  EXPECT_EQ(join["role"], "facilitator");  // on loopback every request is the facilitator's
  auto qr = client_->Get("/api/join-qr.svg");
  ASSERT_TRUE(qr);
  EXPECT_EQ(qr->status, 200);
  EXPECT_THAT(qr->get_header_value("Content-Type"), HasSubstr("image/svg+xml"));
  EXPECT_THAT(qr->body, HasSubstr("Join link: http://127.0.0.1:"));
}

TEST_F(TokenServerTest, TheJoinLinkAndItsQrCodeNeedATokenAndCarryTheParticipantsToken) {
  ExpectError(Get("/api/join"), 401, "token");
  auto anonymous = client_->Get("/api/join-qr.svg");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  auto [status, join] = Get("/api/join", Facilitator());
  ASSERT_EQ(status, 200);
  EXPECT_EQ(join["url"], server_->JoinUrl());
  EXPECT_THAT(join["url"].get<std::string>(), HasSubstr("?token=" + server_->token()));
  EXPECT_THAT(join["url"].get<std::string>(),
              ::testing::Not(HasSubstr(server_->facilitator_token())));
  EXPECT_TRUE(join["token_required"].get<bool>());
  EXPECT_EQ(join["role"], "facilitator");
  EXPECT_EQ(Get("/api/join", Participant()).second["role"], "participant");
  auto qr = client_->Get("/api/join-qr.svg", Participant());
  ASSERT_TRUE(qr);
  EXPECT_EQ(qr->status, 200);
  EXPECT_THAT(qr->body, HasSubstr("<svg"));
  EXPECT_THAT(qr->body, HasSubstr("?token=" + server_->token()));  // in its <title>
}

TEST_F(TokenServerTest, FacilitatorActionsNeedTheFacilitatorToken) {
  const std::string body = R"({"scenario": "small.textproto", "replications": 2})";
  ExpectError(Get("/api/runs", Participant()), 403, "facilitator");
  auto [status, started] = Post("/api/runs", body, "application/json", Participant());
  ASSERT_EQ(status, 202) << started.dump();
  const std::string id = started["id"], key = started["cancel_key"];
  EXPECT_THAT(key, ::testing::MatchesRegex("[0-9a-f]{32}"));
  // Another participant cannot cancel it; its starter (with the key) and the facilitator can.
  ExpectError(Post("/api/runs/" + id + "/cancel", "", "application/json", Participant()), 403,
              "facilitator");
  ExpectError(Post("/api/runs/" + id + "/cancel", R"({"cancel_key": "0123"})", "application/json",
                   Participant()),
              403, "cancel_key");
  EXPECT_EQ(Post("/api/runs/" + id + "/cancel", json{{"cancel_key", key}}.dump(),
                 "application/json", Participant())
                .first,
            200);
  EXPECT_EQ(Post("/api/runs/" + id + "/cancel", "", "application/json", Facilitator()).first, 200);
  auto [ls, list] = Get("/api/runs", Facilitator());
  ASSERT_EQ(ls, 200) << list.dump();
  ASSERT_EQ(list["runs"].size(), 1u);
  EXPECT_EQ(list["runs"][0]["id"], id);
  EXPECT_FALSE(list["runs"][0].contains("cancel_key")) << "the list must not hand out cancel keys";
}

// One run at a time, two may wait: the heavy scenario keeps the slot busy.
class QueueServerTest : public BusyServerTest {
 protected:
  void Configure(WorkshopOptions& options) override {
    BusyServerTest::Configure(options);
    options.max_active_runs = 1;
    options.max_queued_runs = 2;
  }
  std::string Start() {
    auto [status, started] =
        Post("/api/runs", R"({"scenario": "heavy.textproto", "replications": 2})");
    EXPECT_EQ(status, 202) << started.dump();
    return started.value("id", "");
  }
};

TEST_F(QueueServerTest, RunsBeyondTheLimitWaitInABoundedQueueWithTheirPosition) {
  const std::string a = Start();
  for (int i = 0; i < 1000 && Get("/api/runs/" + a).second.value("state", "") == "queued"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(Get("/api/runs/" + a).second["state"], "running");
  const std::string b = Start(), c = Start();
  auto [sb, run_b] = Get("/api/runs/" + b);
  EXPECT_EQ(run_b["state"], "queued") << run_b.dump();
  EXPECT_EQ(run_b["queue_position"], 1) << run_b.dump();
  auto [sc, run_c] = Get("/api/runs/" + c);
  EXPECT_EQ(run_c["queue_position"], 2) << run_c.dump();
  EXPECT_FALSE(Get("/api/runs/" + a).second.contains("queue_position"));
  ExpectError(Post("/api/runs", R"({"scenario": "heavy.textproto", "replications": 2})"), 429,
              "queue is full");
  auto [sl, list] = Get("/api/runs");
  EXPECT_EQ(list["running"], 1);
  EXPECT_EQ(list["waiting"], 2);

  // A queued run cancelled leaves the queue without running; the one behind moves up.
  Post("/api/runs/" + b + "/cancel", "");
  const json cancelled = WaitForRun(b);
  EXPECT_EQ(cancelled["state"], "cancelled");
  EXPECT_EQ(cancelled["done"], 0);
  EXPECT_EQ(Get("/api/runs/" + c).second["queue_position"], 1);
  // The slot freed by the running one goes to the next in line.
  Post("/api/runs/" + a + "/cancel", "");
  EXPECT_EQ(WaitForRun(a)["state"], "cancelled");
  std::string state_c;
  for (int i = 0;
       i < 1000 && (state_c = Get("/api/runs/" + c).second.value("state", "")) == "queued"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_NE(state_c, "queued");
  Post("/api/runs/" + c + "/cancel", "");
  EXPECT_EQ(WaitForRun(c)["state"], "cancelled");
}

// A listening loopback socket that allows port sharing (SO_REUSEPORT) on
// port 0; returns its port and keeps it open in *fd.
int ListenSharingAPort(int* fd) {
  *fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int yes = 1;
  ::setsockopt(*fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  ::setsockopt(*fd, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof(yes));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(*fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || ::listen(*fd, 4) != 0)
    return -1;
  socklen_t len = sizeof(addr);
  ::getsockname(*fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

TEST_F(ServerTest, APortInUseIsRefusedNeverShared) {
  WorkshopOptions options;
  options.scenarios_dir = (root_ / "scenarios").string();
  WorkshopServer second(options);
  EXPECT_EQ(second.Bind("127.0.0.1", port_), -1) << "a second server shared the port";
  int fd = -1;
  const int shared = ListenSharingAPort(&fd);
  ASSERT_GT(shared, 0);
  WorkshopServer third(options);
  EXPECT_EQ(third.Bind("127.0.0.1", shared), -1)
      << "SO_REUSEPORT let the server share a port in use";
  ::close(fd);
}

#ifdef ORGSIM_CLI_BINARY
// `orgsim serve` itself: bad start-up conditions exit 2 at once (bounded by
// timeout(1) in case it served instead).
cli_test::CliResult Serve(const std::string& args) {
  const fs::path dir =
      fs::temp_directory_path() / ("orgsim_serve_cli_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  cli_test::CliResult r =
      cli_test::RunInFolder(dir, std::string("timeout 30 ") + ORGSIM_CLI_BINARY + " serve " + args);
  fs::remove_all(dir);
  return r;
}

TEST(ServeCliTest, ABusyPortExitsWith2) {
  int fd = -1;
  const int port = ListenSharingAPort(&fd);
  ASSERT_GT(port, 0);
  const auto r = Serve("--host 127.0.0.1 --port " + std::to_string(port) + " --scenarios " +
                       test::SourcePath("tests/serve/scenarios"));
  ::close(fd);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("already in use"));
}

TEST(ServeCliTest, AMissingScenariosFolderExitsWith2) {
  const auto r = Serve("--host 127.0.0.1 --port 0 --scenarios no_such_folder");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("--scenarios folder 'no_such_folder' does not exist"));
}
#endif

}  // namespace
}  // namespace orgsim::serve
