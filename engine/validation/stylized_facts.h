// Stylized facts: published operating numbers of Series-A to Series-B B2B
// SaaS companies, held against the base company's runs (pattern-oriented
// modelling, Grimm et al. 2005). The closed-form checks (suite.h) say the
// model computes what it claims; these say whether the company it simulates
// looks like a real one of its stage.
//
// Each fact names a model metric (or a ratio or difference of two), a
// published range and its sources. The base company
// (scenarios/companies/series_a_saas.textproto) passes a fact when its
// median over replications lies inside the range; the arms of the headline
// comparison (scenarios/product_led_vs_project_mode.textproto) are shown
// beside it, marked inside or outside — a design may sit at the edge of a
// range, and the document says which. A fact whose metric the model does not
// compute yet is listed as not measured (never passed).
//
// Facts are calibration targets, not correctness checks: `orgsim
// validate-model` reports them in their own section of docs/validation.md
// and its exit code does not depend on them.
//
//   FactsReport facts = RunStylizedFacts({.root = ".", .replications = 200, .threads = 2});
//   std::cout << FactsMarkdown(facts);
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace orgsim::validation {

// How a fact's value comes from the metrics of one run.
enum class FactValue {
  kMetric,      // metric
  kRatio,       // metric / other
  kDifference,  // metric - other
};

struct StylizedFact {
  std::string id;         // short, stable, e.g. "grr"
  std::string statement;  // what the sources report
  FactValue value = FactValue::kMetric;
  std::string metric;
  std::string other;  // kRatio, kDifference
  std::string unit;
  double low = 0;  // the published range, inclusive
  double high = 0;
  std::string sources;  // author or publisher, title, year; where they disagree
};

// Every fact, in document order.
std::span<const StylizedFact> StylizedFacts();

struct FactsOptions {
  std::string root = ".";             // repository root
  std::uint32_t replications = 200;   // per subject
  int threads = 0;                    // 0 = every core
  std::optional<std::uint64_t> seed;  // overrides the scenarios' seeds
  void (*progress)(const std::string& line) = nullptr;
};

struct FactResult {
  const StylizedFact* fact = nullptr;
  bool measured = false;        // the model computes the fact's metrics
  std::vector<double> medians;  // per subject (NaN when not measured or no runs)
  bool pass = false;            // the base company's median is inside the range
};

struct FactsReport {
  // Subjects: the base company first, then the headline's compared arms.
  std::vector<std::string> subjects;
  std::vector<std::string> sources;  // scenario path of each subject
  std::uint32_t replications = 0;
  std::vector<FactResult> results;  // aligned with StylizedFacts()
  std::vector<std::string> errors;  // a scenario that did not load or run

  std::size_t Passed() const;
  std::size_t Measured() const;
};

FactsReport RunStylizedFacts(const FactsOptions& options);

// The "Stylized facts" section of docs/validation.md (no timings).
std::string FactsMarkdown(const FactsReport& report);
// One line per fact (stdout of `orgsim validate-model`).
std::string FactsText(const FactsReport& report);

}  // namespace orgsim::validation
