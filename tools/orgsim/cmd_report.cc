// `orgsim report --db PATH -o report.html`: one self-contained HTML file
// (inline SVG and CSS; opens offline) from a results database.
//
//   orgsim run scenarios/product_led_vs_project_mode.textproto --timeseries --db
//   results/headline.db orgsim report --db results/headline.db -o report.html
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "engine/io/explore_results.h"
#include "engine/io/results_store.h"
#include "engine/report/explore_section.h"
#include "engine/report/html_report.h"
#include "tools/orgsim/experiment_output.h"
#include "tools/orgsim/subcommand.h"

namespace orgsim::cli {
namespace {

struct ReportFlags {
  std::string db;
  std::string output = "report.html";
  std::string scenario_dir = ".";
  std::vector<std::string> metrics;
};

int RunReport(const ReportFlags& flags) {
  const std::string folder = MissingFolderReason(flags.output);
  if (!folder.empty()) {
    std::cerr << "orgsim report: error: cannot write "
              << std::filesystem::path(flags.output).filename().string() << ": " << folder << "\n";
    return kExitUsage;
  }
  if (!flags.metrics.empty()) {
    auto store = io::ResultsStore::OpenReadOnly(flags.db);
    const std::string unknown = store.ok() ? UnknownMetricError(**store, flags.metrics) : "";
    if (!unknown.empty()) {
      std::cerr << "orgsim report: error: " << unknown << "\n";
      return kExitUsage;
    }
  }
  report::ReportOptions options;
  options.scenario_base_dir = flags.scenario_dir;
  options.metrics = flags.metrics;
  auto html = report::BuildHtmlReport(flags.db, options);
  if (!html.ok()) {
    // A damaged or unreadable database is a runtime failure, not a usage error.
    const auto code = html.status().code();
    if (code == StatusCode::kDataLoss) {
      std::cerr << "orgsim report: error: " << html.status().message() << "\n";
    } else {
      std::cerr << "orgsim report: " << flags.db << ": " << html.status().ToString() << "\n";
    }
    return code == StatusCode::kDataLoss || code == StatusCode::kIoError ? kExitFailure
                                                                         : kExitUsage;
  }
  // An explore database also gets its win-shares and PRIM boxes.
  if (auto store = io::ResultsStore::OpenReadOnly(flags.db);
      store.ok() && (*store)->manifest().design.kind() == experiment::DesignKind::kExplore) {
    std::vector<std::string> metrics = flags.metrics;
    if (metrics.empty()) {
      const std::vector<std::string> key = StoredKeyMetrics(**store);
      metrics.push_back(key.empty() ? "profit_total" : key.front());
    }
    auto reader = io::ResultsReader::Open(flags.db);
    if (!reader.ok()) {
      std::cerr << "orgsim report: error: " << reader.status().message() << "\n";
      return kExitFailure;
    }
    auto explored = io::AnalyzeExplore(**reader, metrics);
    if (!explored.ok()) {
      std::cerr << "orgsim report: error: " << explored.status().message() << "\n";
      return kExitFailure;
    }
    report::InsertExploreSection(*html, *explored);
  }
  // Write next to the target and rename, so a failed write never leaves a
  // truncated report behind.
  const std::string tmp = flags.output + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << *html;
    out.close();
    if (!out) {
      std::cerr << "orgsim report: error: cannot write " << tmp << ": " << std::strerror(errno)
                << "\n";
      std::remove(tmp.c_str());
      return kExitFailure;
    }
  }
  if (std::rename(tmp.c_str(), flags.output.c_str()) != 0) {
    std::cerr << "orgsim report: cannot write " << flags.output << "\n";
    std::remove(tmp.c_str());
    return kExitFailure;
  }
  std::cout << "wrote " << flags.output << " (" << html->size() / 1024 << " KiB)\n";
  return kExitOk;
}

const SubcommandRegistrar kReport{
    "report", "Write a self-contained HTML report (charts, tables) from a results database",
    [](CLI::App& app) -> Action {
      auto flags = std::make_shared<ReportFlags>();
      app.add_option("--db", flags->db, "Results database written by orgsim run/sweep")->required();
      app.add_option("-o,--output", flags->output, "Output HTML file")->capture_default_str();
      app.add_option("--metric", flags->metrics,
                     "Metric to chart (repeatable; default: the scenario's experiment.metrics)");
      app.add_option("--scenario-dir", flags->scenario_dir,
                     "Folder that relative paths in the stored scenario (GraphML) resolve against")
          ->capture_default_str();
      app.footer("Store time series with `orgsim run --timeseries` to get the fan charts.");
      return [flags] { return RunReport(*flags); };
    }};

}  // namespace
}  // namespace orgsim::cli
