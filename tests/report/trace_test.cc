// Tracing observes and never changes a run: the traced run's metrics and
// fingerprint equal the untraced run's. The narrative and JSON lines are
// built from the trace.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/model/presets.h"
#include "engine/model/run.h"
#include "engine/report/narrative.h"

namespace orgsim::report {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Bitwise equality, so NaN == NaN and -0 != +0 would be caught.
bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof(double)) == 0; }

TEST(TraceTest, TracingDoesNotChangeAnyDrawOrOutcome) {
  for (auto apply : {&model::ApplyProjectMode, &model::ApplyProductLed}) {
    model::ModelConfig config = model::HeadlineCompany();
    apply(config);
    const model::PreparedModel prepared(config);
    for (std::uint32_t r = 0; r < 3; ++r) {
      const kernel::StreamKey key{.seed = 42, .design_point = 0, .replication = r};
      const model::RunOutcome plain = model::RunReplication(prepared, key);
      TraceLog log;
      model::RunOptions options;
      options.trace = log.Sink();
      const model::RunOutcome traced = model::RunReplication(prepared, key, options);
      EXPECT_GT(log.seen(), 0u);
      EXPECT_EQ(traced.fingerprint, plain.fingerprint) << "replication " << r;
      EXPECT_EQ(traced.events, plain.events);
      ASSERT_EQ(traced.metrics.size(), plain.metrics.size());
      for (std::size_t m = 0; m < plain.metrics.size(); ++m) {
        EXPECT_TRUE(SameBits(traced.metrics[m], plain.metrics[m]))
            << model::MetricCatalog()[m].name << ": " << traced.metrics[m] << " vs "
            << plain.metrics[m];
      }
    }
  }
}

TEST(TraceTest, JsonLinesAndNarrativeTellTheRun) {
  model::ModelConfig config = model::HeadlineCompany();
  model::ApplyProductLed(config);
  TraceLog log;
  model::RunOptions options;
  options.trace = log.Sink();
  const model::RunOutcome outcome = model::RunReplication(
      config, kernel::StreamKey{.seed = 1, .design_point = 0, .replication = 0}, options);
  ASSERT_FALSE(log.records().empty());
  // Every record is one JSON object with the documented fields.
  for (std::size_t i = 0; i < log.records().size(); i += 97) {
    const auto j = nlohmann::json::parse(TraceJsonLine(log.records()[i]));
    for (const char* field :
         {"day", "month", "agent", "agent_name", "kind", "value1", "value2", "text"}) {
      EXPECT_TRUE(j.contains(field)) << field;
    }
    EXPECT_EQ(j["kind"], log.records()[i].kind);
    EXPECT_EQ(j["month"], MonthOfDay(log.records()[i].day));
  }
  // Times never go backwards.
  for (std::size_t i = 1; i < log.records().size(); ++i) {
    ASSERT_LE(log.records()[i - 1].day, log.records()[i].day);
  }
  const std::vector<std::string> story = Narrate(log.records());
  ASSERT_FALSE(story.empty());
  EXPECT_THAT(story.front(), StartsWith("Month 1: "));
  // The books close every month of the horizon (36 for the headline company).
  int books = 0;
  for (const auto& line : story) books += line.find("Books: revenue") != std::string::npos;
  EXPECT_EQ(books, static_cast<int>(std::lround(config.horizon_days / (365.0 / 12))));
  const auto outcome_lines = OutcomeLines(outcome);
  ASSERT_EQ(outcome_lines.size(), 3u);
  EXPECT_THAT(outcome_lines[0], HasSubstr("Outcome: revenue"));
}

TEST(TraceTest, NoEventIsToldAfterTheHorizon) {
  // A 36-month run: events at the horizon's very instant close month 36.
  const double horizon = 1095.0;
  std::vector<TraceRecord> records = {
      {.day = horizon,
       .agent = 3,
       .agent_name = "sales/0",
       .kind = "deal_won",
       .value1 = 1500,
       .value2 = 0.5,
       .text = "won"},
  };
  const auto unknown = Narrate(records);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].rfind("Month 37:", 0), 0u) << "the fixture no longer probes the edge";
  const auto story = Narrate(records, {.horizon_days = horizon});
  ASSERT_EQ(story.size(), 1u);
  EXPECT_EQ(story[0].rfind("Month 36:", 0), 0u) << story[0];
}

TEST(TraceTest, NarratorCountsAndPhrasesKnownKinds) {
  std::vector<TraceRecord> records = {
      {.day = 200.0,
       .agent = 3,
       .agent_name = "sales/0",
       .kind = "deal_won",
       .value1 = 1500,
       .value2 = 0.5,
       .text = "won"},
      {.day = 201.0,
       .agent = 4,
       .agent_name = "sales/1",
       .kind = "deal_won",
       .value1 = 3000,
       .value2 = 0.5,
       .text = "won"},
      {.day = 202.0,
       .agent = -1,
       .agent_name = "market",
       .kind = "churn",
       .value1 = 900,
       .value2 = 0.2,
       .text = "x"},
      {.day = 203.0,
       .agent = 1,
       .agent_name = "eng/1",
       .kind = "rework",
       .value1 = 2,
       .value2 = 0.3,
       .text = "x"},
      {.day = 203.5,
       .agent = 1,
       .agent_name = "eng/1",
       .kind = "integration_rework",
       .value1 = 2,
       .value2 = 12,
       .text = "x"},
      {.day = 203.6,
       .agent = 3,
       .agent_name = "sales/0",
       .kind = "signal_unreachable",
       .value1 = 0,
       .value2 = 1,
       .text = "x"},
      {.day = 204.0,
       .agent = 9,
       .agent_name = "sales/0",
       .kind = "not_adopted",
       .value1 = 0.2,
       .value2 = 0,
       .text = "team sales does not adopt the plan"},
      {.day = 205.0,
       .agent = 1,
       .agent_name = "eng/1",
       .kind = "mystery",
       .value1 = 0,
       .value2 = 0,
       .text = "?"},
      {.day = 7 * 365.0 / 12,
       .agent = -1,
       .agent_name = "market",
       .kind = "books",
       .value1 = 120000,
       .value2 = 1.02e7,
       .text = "books"},
  };
  const auto story = Narrate(records);
  ASSERT_EQ(story.size(), 1u);
  EXPECT_EQ(story[0],
            "Month 7: Sales won 2 accounts (+4500 MRR); 1 account churned (−900 MRR); team sales "
            "did not adopt "
            "the plan; 1 item needed rework because the builders misunderstood why; 1 item needed "
            "integration "
            "rework (conflicts with concurrent work that coordination missed); 1 problem signal "
            "found no path to "
            "an owner; 1 × mystery. Books: revenue "
            "120k, cash 10.2M.");
}

TEST(TraceTest, NarratorCitesCauses) {
  std::vector<TraceRecord> records = {
      {.day = 31.0,
       .agent = 5,
       .agent_name = "eng_core/2",
       .kind = "roadmap_jump",
       .value1 = 4,
       .value2 = 3,
       .text = "a sales request (item 9) pulls eng_core/2 off the roadmap, ahead of 4 items the "
               "plan ranks higher"},
      {.day = 32.0,
       .agent = 6,
       .agent_name = "eng_core/3",
       .kind = "roadmap_jump",
       .value1 = 2,
       .value2 = 3,
       .text = "a sales request (item 10) pulls eng_core/3 off the roadmap, ahead of 2 items the "
               "plan ranks higher"},
      {.day = 33.0,
       .agent = 3,
       .agent_name = "sales/0",
       .kind = "date_missed",
       .value1 = 5,
       .value2 = 9000,
       .text = "the committed date slipped"},
      {.day = 34.0,
       .agent = 3,
       .agent_name = "sales/0",
       .kind = "request_lost_deal",
       .value1 = 1,
       .value2 = 4000,
       .text = "lost"},
      {.day = 35.0,
       .agent = -1,
       .agent_name = "market",
       .kind = "churn",
       .value1 = 800,
       .value2 = 1.8,
       .text = "churned"},
      {.day = 36.0,
       .agent = 5,
       .agent_name = "eng_core/2",
       .kind = "rework",
       .value1 = 2,
       .value2 = 0.5,
       .text =
           "item 3 needs rework (misunderstood why: the builders understood 50% of it, lost mostly "
           "between customers and builders)"},
  };
  const auto story = Narrate(records);
  ASSERT_EQ(story.size(), 1u);
  EXPECT_THAT(story[0], HasSubstr("2 sales requests pulled 2 engineers off the roadmap"));
  EXPECT_THAT(story[0], HasSubstr("1 committed date slipped and its deal was lost"));
  EXPECT_THAT(story[0],
              HasSubstr("1 buyer who needed a dated feature walked away without a committed date"));
  EXPECT_THAT(story[0], HasSubstr("poor fit had raised the churn rate ×1.8"));
  EXPECT_THAT(story[0], HasSubstr("(1 lost between customers and builders)"));
}

}  // namespace
}  // namespace orgsim::report
