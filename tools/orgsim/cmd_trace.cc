// `orgsim trace FILE --arm NAME --replication R [--format jsonl|text]`: the
// event log of one replication as JSON lines, or the story of the run as a
// month-by-month narrative. Tracing does not change any random draw: the
// traced run's outcomes and fingerprint equal the untraced run's (and the
// `runs` row of `orgsim run` for the same seed, arm and replication).
//
//   orgsim trace scenarios/product_led_vs_project_mode.textproto --arm product_led --replication 3
//   orgsim trace FILE --arm no_pm --replication 0 --format jsonl | jq 'select(.kind == "release")'
#include <cinttypes>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/io/scenario_loader.h"
#include "engine/model/run.h"
#include "engine/report/narrative.h"
#include "tools/orgsim/choices.h"
#include "tools/orgsim/subcommand.h"

namespace orgsim::cli {
namespace {

struct TraceFlags {
  std::string file;
  std::string arm;
  std::uint32_t replication = 0;
  std::string format = "text";
  std::vector<std::string> sets;
  std::size_t events_per_month = 0;
  bool allow_large = false;
};

int RunTrace(const TraceFlags& flags) {
  io::LoadResult loaded =
      io::LoadScenarioFile(flags.file, io::LoadOptions::AllowingLarge(flags.allow_large));
  std::cerr << io::FormatDiagnostics(loaded.diagnostics);
  if (!loaded.ok()) return kExitUsage;
  const io::LoadedScenario& scenario = *loaded.scenario;
  const std::string arm_name =
      flags.arm.empty() ? scenario.arms[scenario.experiment.baseline].name : flags.arm;
  const auto arm = scenario.ArmIndex(arm_name);
  if (!arm) {
    std::vector<std::string> names;
    for (const auto& a : scenario.arms) names.push_back(a.name);
    std::cerr << "orgsim trace: error: " << UnknownValueMessage("arm", arm_name, names) << "\n";
    return kExitUsage;
  }
  std::vector<std::pair<std::string, double>> overrides;
  for (const std::string& set : flags.sets) {
    const auto eq = set.find('=');
    char* end = nullptr;
    const double value = eq == std::string::npos ? 0 : std::strtod(set.c_str() + eq + 1, &end);
    if (eq == std::string::npos || end == set.c_str() + eq + 1 || *end != '\0') {
      std::cerr << "orgsim trace: --set expects PATH=NUMBER, got '" << set << "'\n";
      return kExitUsage;
    }
    overrides.emplace_back(set.substr(0, eq), value);
  }
  StatusOr<model::ModelConfig> config = io::ConfigFor(scenario, *arm, overrides);
  if (!config.ok()) {
    std::cerr << "orgsim trace: " << config.status().message() << "\n";
    return kExitUsage;
  }
  const kernel::StreamKey key{
      .seed = scenario.seed, .design_point = 0, .replication = flags.replication};
  const bool jsonl = flags.format == "jsonl";
  report::TraceLog log;
  model::RunOptions options;
  // JSON lines stream as they happen; the narrative needs the whole run.
  if (jsonl) {
    options.trace = [](const model::TraceEvent& e) {
      std::cout << report::TraceJsonLine(report::ToRecord(e)) << '\n';
    };
  } else {
    options.trace = log.Sink();
  }
  const model::RunOutcome outcome = model::RunReplication(*config, key, options);
  char fingerprint[20];
  std::snprintf(fingerprint, sizeof(fingerprint), "%016" PRIx64, outcome.fingerprint);
  if (jsonl) {
    std::cout.flush();
    std::cerr << "orgsim trace: " << scenario.name << " / " << arm_name << " / replication "
              << flags.replication << ": fingerprint " << fingerprint << "\n";
    return kExitOk;
  }
  std::cout << "The story of one company — scenario " << scenario.name << ", arm " << arm_name
            << ", replication " << flags.replication << " (seed " << scenario.seed << ")\n\n";
  report::StoryOptions story;
  story.events_per_month = flags.events_per_month;
  story.horizon_days = config->horizon_days;
  for (const std::string& line : report::Narrate(log.records(), story)) std::cout << line << "\n";
  std::cout << "\n";
  for (const std::string& line : report::OutcomeLines(outcome)) std::cout << line << "\n";
  std::cout << "(" << log.seen() << " events traced; fingerprint " << fingerprint << ")\n";
  return kExitOk;
}

const SubcommandRegistrar kTrace{
    "trace", "Event log (JSON lines) or narrative of one replication: the story of one company",
    [](CLI::App& app) -> Action {
      auto flags = std::make_shared<TraceFlags>();
      app.add_option("FILE", flags->file, "Scenario file")->required();
      app.add_option("--arm", flags->arm, "Arm to trace (default: the baseline)");
      app.add_option("--replication", flags->replication,
                     "Replication index (same key as orgsim run)")
          ->capture_default_str();
      app.add_option("--format", flags->format, "jsonl (one event per line) or text (narrative)")
          ->check(OneOf("format", {"jsonl", "text"}))
          ->capture_default_str();
      app.add_option("--set", flags->sets,
                     "Override a lever, PATH=VALUE (repeatable), as in a sweep");
      app.add_option("--events-per-month", flags->events_per_month,
                     "Text format: also list up to N raw events under each month");
      app.add_flag("--allow-large", flags->allow_large,
                   "Trace a scenario whose estimated cost per run exceeds the validation limits");
      app.footer(
          "JSON fields: day, month, agent, agent_name, kind, value1, value2, text "
          "(value meanings per kind: docs/model.md).");
      return [flags] { return RunTrace(*flags); };
    }};

}  // namespace
}  // namespace orgsim::cli
