// libFuzzer target over the scenario loader: any bytes must give either a
// loaded scenario or diagnostics, never a crash, a sanitizer report or a
// hang. Exercises parsing, every validation rule, arm merging, sweep
// building, the model's graph builder and ConfigFor on what loads.
//
//   tests/ci/fuzz.sh                      # build in build-fuzz, run ~60 s
//   build-fuzz/tests/fuzz/scenario_fuzzer -dict=tests/fuzz/scenario.dict CORPUS
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/io/diagnostics.h"
#include "engine/io/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // Never touch the file system: GraphML references become diagnostics.
  orgsim::io::LoadResult result =
      orgsim::io::LoadScenarioText(text, "fuzz.textproto", "", orgsim::io::LoadOptions::Offline());
  std::string formatted = orgsim::io::FormatDiagnostics(result.diagnostics);
  if (!result.ok()) {
    // An invalid input must say why, at a real position.
    if (result.diagnostics.empty()) __builtin_trap();
    for (const orgsim::io::Diagnostic& d : result.diagnostics) {
      if (d.line < 0 || d.column < 0) __builtin_trap();
    }
    return 0;
  }
  const orgsim::io::LoadedScenario& scenario = *result.scenario;
  std::string summary = orgsim::io::Summary(scenario);
  // Every arm at its own values, and at the midpoint (or first grid value)
  // of every sweep parameter: what a sweep runner would ask for.
  std::vector<double> point;
  for (const orgsim::io::SweepParameter& p : scenario.experiment.sweep.params) {
    point.push_back(p.grid.empty() ? (p.low + p.high) / 2 : p.grid.front());
  }
  for (std::size_t arm = 0; arm < scenario.arms.size() && arm < 4; ++arm) {
    auto plain = orgsim::io::ConfigFor(scenario, arm, {});
    if (!plain.ok()) __builtin_trap();  // a loaded arm must convert as loaded
    auto at_point = orgsim::io::ConfigForPoint(scenario, arm, point);
    (void)at_point;  // may fail (cross-field rules), must not crash
  }
  return 0;
}
