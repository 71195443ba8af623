#include "tools/orgsim/experiment_output.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <utility>

#include "engine/experiment/report.h"
#include "engine/io/atomic_file.h"
#include "engine/io/experiment_setup.h"
#include "engine/io/results_json.h"
#include "engine/io/scenario_loader.h"
#include "tools/orgsim/choices.h"
#include "tools/orgsim/subcommand.h"

namespace orgsim::cli {
namespace {

// The report restricted to `names` (for the stdout table).
experiment::ExperimentReport SubsetReport(const experiment::ExperimentReport& report,
                                          const std::vector<std::string>& names) {
  std::vector<std::size_t> keep;
  for (const std::string& name : names) {
    for (std::size_t i = 0; i < report.metrics.size(); ++i) {
      if (report.metrics[i].name == name) keep.push_back(i);
    }
  }
  experiment::ExperimentReport out = report;
  out.metrics.clear();
  for (std::size_t i : keep) out.metrics.push_back(report.metrics[i]);
  for (experiment::PointReport& point : out.points) {
    for (experiment::ArmReport& arm : point.arms) {
      std::vector<experiment::Summary> metrics;
      for (std::size_t i : keep) metrics.push_back(arm.metrics[i]);
      arm.metrics = std::move(metrics);
    }
    for (experiment::PairedReport& paired : point.paired) {
      std::vector<experiment::PairedComparison> metrics;
      for (std::size_t i : keep) metrics.push_back(paired.metrics[i]);
      paired.metrics = std::move(metrics);
    }
  }
  out.sobol.clear();
  for (const auto& s : report.sobol) {
    if (std::find(names.begin(), names.end(), s.metric) != names.end()) out.sobol.push_back(s);
  }
  return out;
}

}  // namespace

std::vector<std::string> StoredKeyMetrics(const io::ResultsStore& store) {
  const io::StoreManifest& m = store.manifest();
  io::LoadResult loaded = io::LoadScenarioText(m.scenario_text, m.scenario_name, ".");
  std::vector<std::string> wanted = loaded.ok() && !loaded.scenario->experiment.metrics.empty()
                                        ? loaded.scenario->experiment.metrics
                                        : io::DefaultKeyMetrics();
  std::vector<std::string> stored;
  for (const std::string& name : wanted) {
    for (const auto& metric : m.metrics) {
      if (metric.name == name) stored.push_back(name);
    }
  }
  return stored;
}

int PrintExperimentSummary(const io::ResultsStore& store, const SummaryRequest& request) {
  const bool sweep = store.manifest().design.kind() != experiment::DesignKind::kSinglePoint;
  const std::vector<std::string> table_metrics =
      request.metrics.empty() ? StoredKeyMetrics(store) : request.metrics;
  // Runs summarize every metric (the JSON has them all); sweeps only the
  // table's, so memory stays proportional to the number of points.
  io::SummarizeOptions summarize;
  if (sweep) summarize.metrics = table_metrics;
  auto report = store.Summarize(summarize);
  if (!report.ok()) {
    std::cerr << "orgsim " << request.command << ": error: " << report.status().message() << "\n";
    return kExitFailure;
  }
  if (request.json != "-") {
    std::cout << experiment::FormatComparisonTable(SubsetReport(*report, table_metrics),
                                                   {.max_points = sweep ? 10u : 1u});
    std::cout.flush();
  }
  if (!request.json.empty()) {
    const std::string json = sweep ? io::SweepSummaryJson(*report, store.path())
                                   : io::RunSummaryJson(*report, store.path());
    if (!WriteOutputFile(request.command, request.json, json)) return kExitFailure;
  }
  if (report->failed_runs > 0) {
    std::cerr << "orgsim " << request.command << ": " << report->failed_runs
              << " runs failed; their errors are in the runs table (status = 'failed', error)\n";
    return kExitFailure;
  }
  return kExitOk;
}

std::string UnknownMetricError(const io::ResultsStore& store,
                               const std::vector<std::string>& names) {
  std::vector<std::string> stored;
  for (const auto& metric : store.manifest().metrics) stored.push_back(metric.name);
  for (const std::string& name : names) {
    if (std::find(stored.begin(), stored.end(), name) == stored.end()) {
      return UnknownValueMessage("metric", name, stored);
    }
  }
  return "";
}

std::string MissingFolderReason(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return "";
  std::error_code ec;
  if (std::filesystem::is_directory(parent, ec)) return "";
  if (std::filesystem::exists(parent, ec)) return parent.string() + " is not a folder";
  return "folder " + parent.string() + " does not exist";
}

bool WriteOutputFile(const std::string& command, const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text << std::flush;
    return true;
  }
  const std::string name = std::filesystem::path(path).filename().string();
  const std::string folder = MissingFolderReason(path);
  if (!folder.empty()) {
    std::cerr << "orgsim " << command << ": error: cannot write " << name << ": " << folder << "\n";
    return false;
  }
  // All or nothing: a full disk leaves no empty or truncated file.
  const Status status = io::WriteFileAtomically(path, [&](std::ostream& out) {
    out << text;
    return Status::Ok();
  });
  if (!status.ok()) {
    std::cerr << "orgsim " << command << ": error: cannot write " << path << ": "
              << status.message() << "\n";
    return false;
  }
  return true;
}

}  // namespace orgsim::cli
