// Tests of io::ResultsReader: the typed queries reports use return what was
// written, keyed by arm index and replication, without SQL in the caller.
#include "engine/io/results_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/experiment/runner.h"
#include "tests/testing/files.h"
#include "tests/testing/status_matchers.h"

namespace orgsim::io {
namespace {

using experiment::RunKey;
using experiment::RunRecord;

StoreManifest Manifest() {
  StoreManifest m;
  m.scenario_name = "reader_test";
  m.scenario_text = "name: \"reader_test\"\n";
  m.scenario_sha256 = std::string(64, 'b');
  m.orgsim_version = "0.0.test";
  m.seed = 7;
  m.replications = 3;
  m.arms = {"zeta", "alpha"};  // arm index order differs from name order
  m.baseline_arm = 0;
  m.metrics = {{"profit_total", "USD"}, {"customers_end", "accounts"}};
  m.series = {"day", "revenue"};
  return m;
}

RunRecord Record(std::uint32_t arm, std::uint32_t replication, bool ok = true) {
  RunRecord r;
  r.key = RunKey{.point = 0, .arm = arm, .replication = replication};
  r.ok = ok;
  if (!ok) {
    r.error = "boom";
    return r;
  }
  r.metrics = {100.0 * arm + replication, std::nan("")};  // customers_end stored as NULL
  // Two months: (day, revenue) per month.
  r.series = {30.0, 10.0 * arm + replication, 60.0, 20.0 * arm + replication};
  return r;
}

class ReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = ResultsStore::OpenForWriting(path_, Manifest());
    ASSERT_OK(store);
    std::vector<RunRecord> records = {Record(0, 0), Record(0, 1), Record(0, 2, /*ok=*/false),
                                      Record(1, 0), Record(1, 1), Record(1, 2)};
    ASSERT_OK((*store)->Write(records));
  }

  test::TempDir dir_{"reader"};
  std::string path_ = dir_.Path("r.db");
};

TEST_F(ReaderTest, ReadRunsGivesOkRunsByArmIndexWithNullAsNaN) {
  auto reader = ResultsReader::Open(path_);
  ASSERT_OK(reader);
  EXPECT_EQ((*reader)->manifest().arms, Manifest().arms);
  auto runs = (*reader)->ReadRuns(0, {"profit_total", "customers_end"});
  ASSERT_OK(runs);
  ASSERT_EQ(runs->size(), 5u);  // the failed run is left out
  // Ordered by arm name ("alpha" = index 1 first), then replication.
  EXPECT_EQ((*runs)[0].arm, 1u);
  EXPECT_EQ((*runs)[0].replication, 0u);
  EXPECT_EQ((*runs)[0].values[0], 100.0);
  EXPECT_TRUE(std::isnan((*runs)[0].values[1]));
  EXPECT_EQ((*runs)[4].arm, 0u);
  EXPECT_EQ((*runs)[4].replication, 1u);
  EXPECT_EQ((*runs)[4].values[0], 1.0);
}

TEST_F(ReaderTest, ReadSeriesGivesEveryMonthOfTheSeries) {
  auto reader = ResultsReader::Open(path_);
  ASSERT_OK(reader);
  auto series = (*reader)->ReadSeries(0, "revenue");
  ASSERT_OK(series);
  ASSERT_EQ(series->size(), 10u);  // 5 ok runs x 2 months (a failed run stores no series)
  EXPECT_EQ((*series)[0].arm, 1u);
  EXPECT_EQ((*series)[0].value, 10.0);
  EXPECT_EQ((*series)[0].month, (*series)[1].month);
}

TEST_F(ReaderTest, CountsAndSummaryComeThroughTheReader) {
  auto reader = ResultsReader::Open(path_);
  ASSERT_OK(reader);
  auto failed = (*reader)->CountRuns(/*failed_only=*/true);
  ASSERT_OK(failed);
  EXPECT_EQ(*failed, 1u);
  auto summary = (*reader)->Summarize();
  ASSERT_OK(summary);
  EXPECT_EQ(summary->metrics.size(), 2u);
  auto record = (*reader)->Record();
  ASSERT_OK(record);
  EXPECT_FALSE(record->has_value());  // nothing wrote an experiment record
}

TEST_F(ReaderTest, AnUnknownMetricIsAnErrorNotACrash) {
  auto reader = ResultsReader::Open(path_);
  ASSERT_OK(reader);
  EXPECT_THAT((*reader)->ReadRuns(0, {"no_such_metric"}),
              test::StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT((*reader)->ReadSeries(0, "no_such_series"),
              test::StatusIs(StatusCode::kInvalidArgument));
}

TEST(Reader, OpeningAMissingFileIsNotFound) {
  test::TempDir dir("reader_missing");
  EXPECT_THAT(ResultsReader::Open(dir.Path("none.db")), test::StatusIs(StatusCode::kNotFound));
}

}  // namespace
}  // namespace orgsim::io
