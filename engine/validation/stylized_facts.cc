#include "engine/validation/stylized_facts.h"

#include <tbb/info.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "engine/experiment/memory_sink.h"
#include "engine/experiment/report.h"
#include "engine/experiment/runner.h"
#include "engine/io/experiment_setup.h"
#include "engine/io/scenario_loader.h"
#include "engine/model/run.h"

namespace orgsim::validation {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

constexpr const char* kBaseCompany = "scenarios/companies/series_a_saas.textproto";
constexpr const char* kHeadline = "scenarios/product_led_vs_project_mode.textproto";

// The published facts. Ranges are as wide as the sources' disagreement;
// where a range is partly our reading of several sources, `sources` says so.
const std::vector<StylizedFact>& Table() {
  static const std::vector<StylizedFact> facts = {
      {.id = "grr",
       .statement = "Gross revenue retention (annual, no expansion) of a venture-backed B2B "
                    "SaaS company at Series A-B",
       .value = FactValue::kMetric,
       .metric = "gross_revenue_retention",
       .other = "",
       .unit = "fraction",
       .low = 0.80,
       .high = 0.95,
       .sources = "KBCM Technology Group, Private SaaS Company Survey 2019 (median gross dollar "
                  "churn about 13% of ARR, i.e. GRR about 87%); private-company medians 88-90% "
                  "for 2021 (developmentcorporate.com summary of the 2021 surveys); Blossom "
                  "Street Ventures 2023 (median 95% among the 32 public SaaS companies that "
                  "disclose it, selection-biased upward; \"healthy SaaS has 80%+\")"},
      {.id = "nrr",
       .statement = "Net revenue retention (annual, with expansion and contraction)",
       .value = FactValue::kMetric,
       .metric = "net_revenue_retention",
       .other = "",
       .unit = "fraction",
       .low = 0.95,
       .high = 1.20,
       .sources = "KBCM Private SaaS Company Survey 2021 (private medians around 100-105%); "
                  "public SaaS median 114% in 2021 (developmentcorporate.com); segment bands "
                  "SMB 85-100%, mid-market 100-115%, enterprise 110-130% (User Intuition "
                  "benchmark compilation, 2025)"},
      {.id = "nrr_gap",
       .statement = "Expansion: net minus gross revenue retention",
       .value = FactValue::kDifference,
       .metric = "net_revenue_retention",
       .other = "gross_revenue_retention",
       .unit = "fraction",
       .low = 0.03,
       .high = 0.25,
       .sources = "The two ranges above (private medians about 87-90% gross against 100-105% "
                  "net; SaaS Capital, \"Examining the gap between gross and net revenue "
                  "retention\", 2023, treats a gap outside roughly this band as a warning sign)"},
      {.id = "logo_churn",
       .statement = "Annual logo churn of a company selling to SMB and mid-market accounts",
       .value = FactValue::kMetric,
       .metric = "logo_churn_annual",
       .other = "",
       .unit = "fraction/year",
       .low = 0.08,
       .high = 0.30,
       .sources = "User Intuition compilation 2025 (annual logo churn: SMB 15-25%, mid-market "
                  "8-12%, enterprise 3-7%); Recurly Churn Report 2025 via candidcreative.ca "
                  "(SMB 3-7% monthly, i.e. 31-58% a year, for self-serve SMB); blended over a "
                  "mix of segments"},
      {.id = "acv",
       .statement = "Annual contract value per account (ARR / customers)",
       .value = FactValue::kRatio,
       .metric = "arr_end",
       .other = "customers_end",
       .unit = "currency/account",
       .low = 15000,
       .high = 40000,
       .sources = "KBCM Private SaaS Company Surveys: median ACV about $20K (2018), about $28K "
                  "(2019 and 2021); the model's mean per account is compared with the surveys' "
                  "median contract"},
      {.id = "arr_growth",
       .statement = "Organic ARR growth year over year, ARR of a few $M",
       .value = FactValue::kMetric,
       .metric = "arr_growth_yoy",
       .other = "",
       .unit = "fraction/year",
       .low = 0.25,
       .high = 1.00,
       .sources = "KBCM Private SaaS Company Surveys: median organic ARR growth 52% (2017), 40% "
                  "(2018), about 31% (2020); smaller companies grow faster, with a long tail "
                  "above the median (forEntrepreneurs.com, 2018 and 2019 results)"},
      {.id = "arr_per_employee",
       .statement = "ARR per employee (full-time equivalents), ARR below $10M",
       .value = FactValue::kRatio,
       .metric = "arr_end",
       .other = "headcount_end",
       .unit = "currency/person",
       .low = 60000,
       .high = 200000,
       .sources = "KBCM Private SaaS Company Survey 2019 (ARR per FTE by ARR band; median "
                  "company $8.7M ARR with about 90 FTEs, i.e. about $97K); SaaS Capital 2023 "
                  "revenue-per-employee benchmarks; the band below $10M ARR is our reading of "
                  "both"},
      {.id = "cac_payback",
       .statement = "CAC payback (months of gross margin to recover acquisition cost)",
       .value = FactValue::kMetric,
       .metric = "cac_payback_months",
       .other = "",
       .unit = "months",
       .low = 8,
       .high = 24,
       .sources = "Benchmarkit 2025 SaaS Performance Metrics (median 18 months in 2024, 14 in "
                  "2023); Aleph x Benchmarkit 2026 (median 16 months, top quartile 6 or less, "
                  "bottom 24 or more); segment bands SMB 5-12, mid-market 12-20 "
                  "(pulserevops.com, 2026)"},
      {.id = "burn_multiple",
       .statement = "Burn multiple (net burn / net new ARR)",
       .value = FactValue::kMetric,
       .metric = "burn_multiple",
       .other = "",
       .unit = "ratio",
       .low = 1.0,
       .high = 3.0,
       .sources = "David Sacks (Craft Ventures), \"The Burn Multiple\", 2020: under 1 amazing, "
                  "1-1.5 great, 1.5-2 good, 2-3 suspect, over 3 bad; thresholds are looser at "
                  "Series A (winsabove.com glossary, 2026)"},
      {.id = "magic_number",
       .statement = "Magic number (net new ARR / prior-period sales and marketing spend)",
       .value = FactValue::kMetric,
       .metric = "magic_number",
       .other = "",
       .unit = "ratio",
       .low = 0.5,
       .high = 1.0,
       .sources = "Scale Venture Partners' rule of thumb (above 0.75 efficient, below 0.5 a "
                  "problem), as compiled by pulserevops.com (2026)"},
      {.id = "ltv_to_cac",
       .statement = "Customer lifetime value / customer acquisition cost",
       .value = FactValue::kMetric,
       .metric = "ltv_to_cac",
       .other = "",
       .unit = "ratio",
       .low = 2.0,
       .high = 6.0,
       .sources = "David Skok, \"SaaS Metrics 2.0\" (forEntrepreneurs.com, 2013): LTV above 3x "
                  "CAC; pulserevops.com 2026 (3:1 or more, segment-adjusted); companies above "
                  "about 5 are often said to under-invest in growth"},
      {.id = "win_rate",
       .statement = "Win rate of qualified opportunities (won / decided)",
       .value = FactValue::kMetric,
       .metric = "win_rate",
       .other = "",
       .unit = "fraction",
       .low = 0.15,
       .high = 0.35,
       .sources = "HubSpot survey of over 1,000 reps (21% of all opportunities, about 29% of "
                  "qualified ones; via salesmotion.io 2026); mid-market SaaS 15-25%, SMB "
                  "25-40% (Gartner and Forrester figures compiled by knowlee.ai)"},
      {.id = "sales_cycle",
       .statement = "Sales cycle, opportunity to close, at mid-market contract values",
       .value = FactValue::kMetric,
       .metric = "sales_cycle_days_mean",
       .other = "",
       .unit = "days",
       .low = 30,
       .high = 90,
       .sources = "RevOps Dictionary (SMB 14-30 days, mid-market 30-90, enterprise 90-180+); "
                  "Gong Labs 2024 (median cycles grew 24% from 2020 to 2024)"},
      {.id = "spend_rd",
       .statement = "Share of operating spend on research and development",
       .value = FactValue::kMetric,
       .metric = "spend_share_rd",
       .other = "",
       .unit = "fraction",
       .low = 0.20,
       .high = 0.40,
       .sources = "SaaS Capital 2023 spending benchmarks for private B2B SaaS and KBCM 2019 "
                  "(spend by function as a share of revenue); the shares of spend are our "
                  "reading of both (partly a guess)"},
      {.id = "spend_sm",
       .statement = "Share of operating spend on sales and marketing",
       .value = FactValue::kMetric,
       .metric = "spend_share_sm",
       .other = "",
       .unit = "fraction",
       .low = 0.30,
       .high = 0.55,
       .sources = "Blossom Street Ventures / DAN Fund on 47 public SaaS companies (S&M 25-96% "
                  "of revenue, most 30-60%); SaaS Capital 2023; KBCM 2019 (blended CAC ratio "
                  "$1.14 of S&M per $1 of new ARR); shares of spend partly a guess"},
      {.id = "spend_ga",
       .statement = "Share of operating spend on general and administrative functions",
       .value = FactValue::kMetric,
       .metric = "spend_share_ga",
       .other = "",
       .unit = "fraction",
       .low = 0.10,
       .high = 0.25,
       .sources = "SaaS Capital 2023 spending benchmarks; KBCM 2019; partly a guess"},
      {.id = "feature_success",
       .statement = "Share of shipped ideas that improve the metric they targeted",
       .value = FactValue::kMetric,
       .metric = "feature_success_rate",
       .other = "",
       .unit = "fraction",
       .low = 0.08,
       .high = 0.40,
       .sources = "Kohavi, Tang & Xu, Trustworthy Online Controlled Experiments, 2020 (about a "
                  "third at Microsoft, a third neutral, a third negative); Kohavi on Lenny's "
                  "Podcast, 2023 (66%, 85% and 92% of experiments failed at Microsoft, Bing "
                  "and Airbnb)"},
      {.id = "meeting_hours",
       .statement = "Hours per week an engineer spends in meetings",
       .value = FactValue::kMetric,
       .metric = "engineer_meeting_hours_per_week",
       .other = "",
       .unit = "hours/week",
       .low = 6,
       .high = 14,
       .sources = "Clockwise 2022 (1.5M meetings of 80,000 developers: 10.9 h/week on average, "
                  "9.7 h in companies of 1-249 people, 12.9 h in large ones)"},
  };
  return facts;
}

std::optional<std::size_t> CatalogIndex(const std::string& name) {
  const std::span<const model::MetricInfo> catalog = model::MetricCatalog();
  for (std::size_t i = 0; i < catalog.size(); ++i) {
    if (catalog[i].name == name) return i;
  }
  return std::nullopt;
}

double Median(std::vector<double> values) {
  if (values.empty()) return kNaN;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

bool Inside(const StylizedFact& fact, double value) {
  return std::isfinite(value) && value >= fact.low && value <= fact.high;
}

std::string Number(double v) {
  return std::isfinite(v) ? experiment::FormatNumber(v, 3) : std::string("—");
}

// Runs every compared arm of `relative_path`; per arm, the records.
struct SubjectRuns {
  std::vector<std::string> arms;
  std::vector<std::vector<std::vector<double>>> metrics;  // arm -> run -> metric
};

std::optional<SubjectRuns> RunArms(const FactsOptions& o, int threads,
                                   const std::string& relative_path, FactsReport& report) {
  io::LoadResult loaded = io::LoadScenarioFile((fs::path(o.root) / relative_path).string());
  if (!loaded.ok()) {
    report.errors.push_back(relative_path + ": " + io::FormatDiagnostics(loaded.diagnostics));
    return std::nullopt;
  }
  auto setup = io::SetUpExperiment(
      *loaded.scenario,
      {.design = io::DesignChoice::kSinglePoint, .seed = o.seed, .replications = o.replications});
  if (!setup.ok()) {
    report.errors.push_back(relative_path + ": " + setup.status().message());
    return std::nullopt;
  }
  experiment::MemorySink sink;
  const experiment::RunnerReport ran =
      experiment::RunPlan(setup->Plan(), setup->run, sink, {.threads = threads});
  if (!ran.status.ok()) {
    report.errors.push_back(relative_path + ": " + ran.status.message());
    return std::nullopt;
  }
  SubjectRuns out;
  out.arms = setup->manifest.arms;
  out.metrics.resize(out.arms.size());
  for (experiment::RunRecord& r : sink.records()) {
    if (!r.ok) {
      report.errors.push_back(relative_path + ": a run failed: " + r.error);
      continue;
    }
    out.metrics[r.key.arm].push_back(std::move(r.metrics));
  }
  if (o.progress != nullptr) {
    o.progress(relative_path + ": " + std::to_string(sink.records().size()) + " runs (facts)");
  }
  return out;
}

}  // namespace

std::span<const StylizedFact> StylizedFacts() { return Table(); }

std::size_t FactsReport::Passed() const {
  return static_cast<std::size_t>(
      std::count_if(results.begin(), results.end(), [](const FactResult& r) { return r.pass; }));
}

std::size_t FactsReport::Measured() const {
  return static_cast<std::size_t>(std::count_if(results.begin(), results.end(),
                                                [](const FactResult& r) { return r.measured; }));
}

FactsReport RunStylizedFacts(const FactsOptions& options) {
  FactsReport report;
  report.replications = options.replications;
  const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
  // Per subject, its runs' metric rows.
  std::vector<std::vector<std::vector<double>>> subject_runs;
  for (const char* path : {kBaseCompany, kHeadline}) {
    std::optional<SubjectRuns> runs = RunArms(options, threads, path, report);
    if (!runs) continue;
    for (std::size_t a = 0; a < runs->arms.size(); ++a) {
      report.subjects.push_back(path == std::string(kBaseCompany) ? "base company" : runs->arms[a]);
      report.sources.push_back(path);
      subject_runs.push_back(std::move(runs->metrics[a]));
    }
  }
  const bool have_base = !report.sources.empty() && report.sources.front() == kBaseCompany;
  for (const StylizedFact& fact : Table()) {
    FactResult result{.fact = &fact, .measured = false, .medians = {}, .pass = false};
    const std::optional<std::size_t> metric = CatalogIndex(fact.metric);
    const std::optional<std::size_t> other =
        fact.value == FactValue::kMetric ? std::optional<std::size_t>(0) : CatalogIndex(fact.other);
    result.measured = metric.has_value() && other.has_value();
    for (const std::vector<std::vector<double>>& runs : subject_runs) {
      if (!result.measured) {
        result.medians.push_back(kNaN);
        continue;
      }
      std::vector<double> values;
      for (const std::vector<double>& row : runs) {
        const double x = row[*metric];
        double v = x;
        if (fact.value == FactValue::kRatio) v = row[*other] != 0 ? x / row[*other] : kNaN;
        if (fact.value == FactValue::kDifference) v = x - row[*other];
        if (std::isfinite(v)) values.push_back(v);
      }
      result.medians.push_back(Median(std::move(values)));
    }
    result.pass = result.measured && have_base && Inside(fact, result.medians.front());
    report.results.push_back(std::move(result));
  }
  return report;
}

std::string FactsMarkdown(const FactsReport& report) {
  std::string md = "## Stylized facts\n\n";
  md +=
      "Published operating numbers of Series-A to Series-B B2B SaaS companies against the "
      "model's medians over " +
      std::to_string(report.replications) +
      " replications (pattern-oriented modelling, Grimm et al. 2005). The base company (`" +
      std::string(kBaseCompany) +
      "`) passes a fact when its median lies inside the published range; the arms of the "
      "headline comparison (`" +
      std::string(kHeadline) +
      "`) are shown beside it, ✓ inside and ✗ outside the range. These are calibration "
      "targets, not correctness checks: they do not change the exit code. **" +
      std::to_string(report.Passed()) + " of " + std::to_string(report.results.size()) +
      " facts hold for the base company; " + std::to_string(report.Measured()) +
      " are measured by the model.**\n\n";
  for (const std::string& e : report.errors) md += "- **Error:** " + e + "\n";
  if (!report.errors.empty()) md += "\n";
  md += "| fact | metric | published range | ";
  for (const std::string& s : report.subjects) md += s + " | ";
  md += "holds |\n|---|---|---|";
  for (std::size_t i = 0; i < report.subjects.size(); ++i) md += "---|";
  md += "---|\n";
  for (const FactResult& r : report.results) {
    const StylizedFact& f = *r.fact;
    std::string metric = "`" + f.metric + "`";
    if (f.value == FactValue::kRatio) metric += " / `" + f.other + "`";
    if (f.value == FactValue::kDifference) metric += " − `" + f.other + "`";
    md += "| " + f.statement + " | " + metric + " | " + Number(f.low) + " – " + Number(f.high) +
          " " + f.unit + " | ";
    for (double m : r.medians) {
      md += r.measured ? Number(m) + (Inside(f, m) ? " ✓" : " ✗") : std::string("—");
      md += " | ";
    }
    md += (r.measured ? (r.pass ? "yes" : "**no**") : "not measured yet") + std::string(" |\n");
  }
  md += "\nSources:\n\n";
  for (const FactResult& r : report.results) {
    md += "- **" + r.fact->statement + "** — " + r.fact->sources + ".\n";
  }
  md += "\n";
  return md;
}

std::string FactsText(const FactsReport& report) {
  std::string out = "stylized facts (base company median vs published range):\n";
  for (const FactResult& r : report.results) {
    const StylizedFact& f = *r.fact;
    out += "  " +
           std::string(r.pass       ? "PASS "
                       : r.measured ? "FAIL "
                                    : "---- ") +
           f.id + ": " +
           (r.measured && !r.medians.empty() ? Number(r.medians.front()) : std::string("n/a")) +
           " in [" + Number(f.low) + ", " + Number(f.high) + "] " + f.unit + "\n";
  }
  out += "  " + std::to_string(report.Passed()) + " of " + std::to_string(report.results.size()) +
         " facts hold; " + std::to_string(report.Measured()) + " measured\n";
  return out;
}

}  // namespace orgsim::validation
