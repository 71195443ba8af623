// The workshop server on an ephemeral loopback port, driven with httplib's
// client: the page and API answer; bad parameters get 4xx with a clear JSON
// message; runs finish with the same numbers as running the model directly;
// runs can be cancelled; several clients at once work; nothing outside the
// scenarios folder is reachable.
#include "engine/serve/server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "engine/io/scenario_loader.h"
#include "engine/model/run.h"

namespace orgsim::serve {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;

std::string SourceDir() {
  const char* dir = std::getenv("ORGSIM_SOURCE_DIR");
  return dir != nullptr ? dir : ".";
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A private scenarios folder: the test scenario, a symlink leading out
    // of the folder, and a file outside it.
    root_ = fs::temp_directory_path() / ("orgsim_serve_test_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "scenarios" / "sub");
    fs::copy_file(SourceDir() + "/tests/serve/scenarios/small.textproto", root_ / "scenarios" / "small.textproto");
    fs::copy_file(SourceDir() + "/tests/serve/scenarios/small.textproto", root_ / "outside.textproto");
    fs::create_symlink(root_ / "outside.textproto", root_ / "scenarios" / "sub" / "escape.textproto");
    WorkshopOptions options;
    options.scenarios_dir = (root_ / "scenarios").string();
    options.max_replications = 50;
    options.threads_per_run = 2;
    server_ = std::make_unique<WorkshopServer>(options);
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
  }
  EXPECT_TRUE(found);
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

TEST_F(ServerTest, RejectsBadRunParametersWithClearMessages) {
  ExpectError(Post("/api/runs", "{not json"), 400, "not valid JSON");
  ExpectError(Post("/api/runs", "[]"), 400, "JSON object");
  ExpectError(Post("/api/runs", R"({"arm": "x"})"), 400, "\"scenario\"");
  ExpectError(Post("/api/runs", R"({"scenario": "small.textproto", "arm": "nope"})"), 400, "unknown arm 'nope'");
  ExpectError(Post("/api/runs", R"({"scenario": "small.textproto", "replications": 0})"), 400, "between 1 and 50");
  ExpectError(Post("/api/runs", R"({"scenario": "small.textproto", "replications": 51})"), 400, "between 1 and 50");
  ExpectError(Post("/api/runs", R"({"scenario": "small.textproto", "replications": 2.5})"), 400, "whole number");
  ExpectError(Post("/api/runs", R"({"scenario": "small.textproto", "levers": {"organization.pm.mandate": 1.5}})"),
              400, "mandate");
  ExpectError(Post("/api/runs", R"({"scenario": "small.textproto", "levers": {"organization.pm.nope": 1}})"), 400,
              "nope");
  ExpectError(Post("/api/runs", R"({"scenario": "small.textproto", "levers": {"organization.pm.mandate": "x"}})"),
              400, "number");
  ExpectError(Get("/api/runs/r999"), 404, "no run");
}

TEST_F(ServerTest, RunMatchesTheModelAndTellsAStory) {
  auto [status, started] = Post(
      "/api/runs",
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
  auto design = io::ConfigFor(scenario, *scenario.ArmIndex("product_led"), {{"organization.pm.people_sense", 0.9}});
  auto base = io::ConfigFor(scenario, *scenario.ArmIndex("project_mode"), {});
  ASSERT_TRUE(design.ok() && base.ok());
  double design_sum = 0, base_sum = 0;
  for (std::uint32_t r = 0; r < 6; ++r) {
    const kernel::StreamKey key{.seed = scenario.seed, .design_point = 0, .replication = r};
    design_sum += model::RunReplication(*design.config, key).Metric("profit_total");
    base_sum += model::RunReplication(*base.config, key).Metric("profit_total");
  }
  bool found = false;
  for (const auto& m : run["metrics"]) {
    if (m["name"] != "profit_total") continue;
    found = true;
    EXPECT_NEAR(m["design"]["mean"].get<double>(), design_sum / 6, 1e-6 * std::abs(design_sum / 6) + 1e-9);
    EXPECT_NEAR(m["baseline"]["mean"].get<double>(), base_sum / 6, 1e-6 * std::abs(base_sum / 6) + 1e-9);
    EXPECT_THAT(m["svg"].get<std::string>(), HasSubstr("data-chart=\"distribution\""));
  }
  EXPECT_TRUE(found);

  auto [s2, story] = Get("/api/runs/" + id + "/story?arm=design&replication=2");
  ASSERT_EQ(s2, 200) << story.dump();
  EXPECT_TRUE(story["fingerprint_matches_untraced"].get<bool>());
  ASSERT_FALSE(story["narrative"].empty());
  EXPECT_THAT(story["narrative"][0].get<std::string>(), HasSubstr("Month 1"));
  ExpectError(Get("/api/runs/" + id + "/story?arm=design&replication=6"), 400, "below 6");
  ExpectError(Get("/api/runs/" + id + "/story?arm=other&replication=0"), 400, "'design' or 'baseline'");
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
      auto res = client.Post("/api/runs", R"({"scenario": "small.textproto", "replications": 3})", "application/json");
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

}  // namespace
}  // namespace orgsim::serve
