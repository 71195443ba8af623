// `orgsim explore` through the built binary: rows identical whatever the
// threads or shards (merged), an exact resume, common random numbers across
// points, the JSON summary's shape, and bad input refused with exit 2 and a
// message that names the mistake.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/experiment/cli_harness.h"
#include "tests/testing/files.h"

namespace {

const std::string kBinary = (orgsim::test::BinaryDir() / "orgsim").string();
const std::string kExplore =
    orgsim::test::SourcePath("tests/experiment/data/small_explore.textproto");
const std::string kSmall =
    orgsim::test::SourcePath("tests/experiment/data/small_company.textproto");

using Result = orgsim::cli_test::CliResult;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ExploreCli : public orgsim::cli_test::FolderTest {
 protected:
  Result Orgsim(const std::string& args) {
    return orgsim::cli_test::RunInFolder(dir_, kBinary + " " + args);
  }
  std::string Runs(const std::string& db) {
    const Result r = Orgsim("export --db " + db + " --format csv --table runs");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
};

TEST_F(ExploreCli, RowsAreTheSameWhateverTheThreadsOrShards) {
  const std::string common = "explore " + kExplore + " --points 4 -n 3 -q --json -";
  Result one = Orgsim(common + " --threads 1 --out one.db");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  Result two = Orgsim(common + " --threads 2 --db two.db");
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(Runs("one.db"), Runs("two.db"));
  // The summaries agree too, apart from the database they name.
  auto one_json = nlohmann::json::parse(one.out);
  auto two_json = nlohmann::json::parse(two.out);
  one_json.erase("database");
  two_json.erase("database");
  EXPECT_EQ(one_json, two_json);
  for (int k = 0; k < 3; ++k) {
    const std::string shard = std::to_string(k) + "/3";
    Result r = Orgsim("explore " + kExplore + " --points 4 -n 3 -q --threads 1 --shard " + shard +
                      " --db s" + std::to_string(k) + ".db");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  Result merged = Orgsim("merge --db merged.db s0.db s1.db s2.db");
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_EQ(Runs("merged.db"), Runs("one.db"));
  // summarize of the merged shards prints what the single process printed.
  Result summary = Orgsim("summarize --db merged.db --json -");
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  auto merged_json = nlohmann::json::parse(summary.out);
  merged_json.erase("database");
  EXPECT_EQ(merged_json, one_json);
}

TEST_F(ExploreCli, ResumeContinuesExactly) {
  Result fresh = Orgsim("explore " + kExplore + " --points 3 -n 4 -q --db fresh.db");
  ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
  Result part = Orgsim("explore " + kExplore + " --points 3 -n 2 -q --db part.db");
  ASSERT_EQ(part.exit_code, 0) << part.err;
  // --points comes from the database; a different one is refused.
  Result wrong = Orgsim("explore " + kExplore + " --points 5 -n 4 -q --db part.db --resume");
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_TRUE(Has(wrong.err, "--points 5 asks for another design")) << wrong.err;
  Result rest = Orgsim("explore " + kExplore + " -n 4 -q --db part.db --resume");
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  EXPECT_EQ(Runs("part.db"), Runs("fresh.db"));
  EXPECT_EQ(rest.out, fresh.out);
}

TEST_F(ExploreCli, ReplicationsShareTheirStreamsAcrossPoints) {
  Result r = Orgsim("explore " + kExplore + " --points 3 -n 2 -q --db x.db");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string runs = Runs("x.db");
  // stream_key is seed/design point/replication: the point part is always 0.
  EXPECT_TRUE(Has(runs, ",11/0/1,")) << runs.substr(0, 400);
  EXPECT_FALSE(Has(runs, ",11/1/")) << runs.substr(0, 400);
  EXPECT_FALSE(Has(runs, ",11/2/"));
}

TEST_F(ExploreCli, ReportsWinSharesBoxesAndSensitivity) {
  Result r = Orgsim("explore " + kExplore +
                    " --points 6 -n 3 -q --db x.db --metric profit_total --metric customers_end "
                    "--json out.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "product_led vs project_mode on profit_total")) << r.out;
  EXPECT_TRUE(Has(r.out, "Benjamini-Hochberg")) << r.out;
  EXPECT_TRUE(Has(r.out, "PRIM box where project_mode wins")) << r.out;
  EXPECT_TRUE(Has(r.out, "sensitivity of the mean effect")) << r.out;
  const auto json = nlohmann::json::parse(orgsim::cli_test::ReadFile(dir_ / "out.json"));
  EXPECT_EQ(json["points"], 6);
  ASSERT_EQ(json["uncertainties"].size(), 2u);
  EXPECT_EQ(json["uncertainties"][0]["path"], "market.launch_boost");
  EXPECT_EQ(json["uncertainties"][1]["high"], 0.04);
  ASSERT_EQ(json["comparisons"].size(), 2u);
  const auto& c = json["comparisons"][0];
  EXPECT_EQ(c["arm"], "product_led");
  EXPECT_EQ(c["baseline"], "project_mode");
  const auto& bh = c["win_share"]["benjamini_hochberg"];
  EXPECT_EQ(bh["a_better"].get<int>() + bh["b_better"].get<int>() + bh["tie"].get<int>(), 6);
  EXPECT_TRUE(c["prim_claim_fails"].contains("restricted"));
  EXPECT_EQ(c["sensitivity"].size(), 2u);
  EXPECT_EQ(c["points"].size(), 6u);
  // The HTML report draws the win-share bars and, where a box exists, the box.
  Result report = Orgsim("report --db x.db -o r.html --metric customers_end");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const std::string html = orgsim::cli_test::ReadFile(dir_ / "r.html");
  EXPECT_TRUE(Has(html, "<section id=\"explore\">"));
  EXPECT_TRUE(Has(html, "class=\"explore-share\""));
  const auto& customers = json["comparisons"][1];
  if (customers["prim_claim_fails"]["cases_of_interest"].get<int>() > 0) {
    EXPECT_TRUE(Has(html, "class=\"prim-box\"")) << "a claim-fails box to draw";
  }
}

TEST_F(ExploreCli, RefusesBadInputWithExitTwo) {
  Result r = Orgsim("explore " + kExplore + " --points 0 -q");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "--points")) << r.err;
  r = Orgsim("explore " + kExplore + " --metric proft_total -q");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "did you mean \"profit_total\"")) << r.err;
  r = Orgsim("explore " + kExplore + " --pionts 4 -q");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "did you mean --points?")) << r.err;
  r = Orgsim("explore " + kExplore + " --shard 3/3 -q");
  EXPECT_EQ(r.exit_code, 2);
  r = Orgsim("explore " + kSmall + " -q --db none.db");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "declares no uncertainties")) << r.err;
  // An explore database is continued by explore, not by sweep.
  ASSERT_EQ(Orgsim("explore " + kExplore + " --points 2 -n 1 -q --db e.db").exit_code, 0);
  r = Orgsim("sweep " + kExplore + " -n 1 -q --db e.db --resume");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(Has(r.err, "continue it with `orgsim explore")) << r.err;
}

}  // namespace
