// `orgsim graph FILE [--arm NAME] [--format dot|graphml] [--output PATH]`:
// the communication graph one arm of a scenario would run on, with its
// measures (betweenness, latency and fidelity from the market) as vertex and
// edge attributes, for Graphviz, Gephi or yEd.
//
//   orgsim graph scenarios/product_led_vs_project_mode.textproto --arm product_led | dot -Tsvg
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/io/scenario_loader.h"
#include "engine/model/graph.h"
#include "tools/orgsim/choices.h"
#include "tools/orgsim/experiment_output.h"
#include "tools/orgsim/subcommand.h"

namespace orgsim::cli {
namespace {

struct GraphFlags {
  std::string file;
  std::string arm;
  std::string format = "dot";
  std::string output = "-";
};

int RunGraph(const GraphFlags& flags) {
  io::LoadResult result = io::LoadScenarioFile(flags.file);
  std::cerr << io::FormatDiagnostics(result.diagnostics);
  if (!result.ok()) return kExitUsage;
  const io::LoadedScenario& scenario = *result.scenario;
  std::size_t arm = scenario.experiment.baseline;
  if (!flags.arm.empty()) {
    std::optional<std::size_t> index = scenario.ArmIndex(flags.arm);
    if (!index) {
      std::vector<std::string> names;
      for (const io::ArmSpec& a : scenario.arms) names.push_back(a.name);
      std::cerr << "orgsim graph: error: " << flags.file << ": "
                << UnknownValueMessage("arm", flags.arm, names) << "\n";
      return kExitUsage;
    }
    arm = *index;
  }
  const model::ModelConfig& config = scenario.arms[arm].config;
  const std::string text =
      flags.format == "graphml" ? model::WriteGraphMl(config) : model::WriteGraphDot(config);
  if (flags.output == "-") {
    std::cout << text;
    return std::cout ? kExitOk : kExitFailure;
  }
  const std::string folder = MissingFolderReason(flags.output);
  std::ofstream out(flags.output, std::ios::binary);
  out << text;
  if (!out) {
    std::cerr << "orgsim graph: error: cannot write " << flags.output
              << (folder.empty() ? std::string() : ": " + folder) << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

const SubcommandRegistrar kGraph{
    "graph", "Export an arm's communication graph with its measures (DOT or GraphML)",
    [](CLI::App& app) -> Action {
      auto flags = std::make_shared<GraphFlags>();
      app.add_option("FILE", flags->file, "Scenario file")->required();
      app.add_option("--arm", flags->arm, "Arm to export (default: the baseline arm)");
      app.add_option("--format", flags->format, "Output format")
          ->check(OneOf("format", {"dot", "graphml"}))
          ->capture_default_str();
      app.add_option("-o,--output", flags->output, "Output file, - for stdout")
          ->capture_default_str();
      app.footer(
          "Writes the communication graph of one arm as built at the start of a run: agents\n"
          "and the market as vertices (team, role, betweenness, latency and fidelity from the\n"
          "market), links as edges. DOT renders with Graphviz (dot -Tsvg); GraphML opens in\n"
          "Gephi or networkx. Exit: 0 ok, 2 invalid scenario, unknown arm or format, or an\n"
          "output that cannot be written.");
      return [flags] { return RunGraph(*flags); };
    }};

}  // namespace
}  // namespace orgsim::cli
