#include "engine/io/scenario_loader.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "engine/io/internal/base_chain.h"
#include "engine/io/internal/convert.h"
#include "engine/io/internal/cost_checks.h"
#include "engine/io/internal/field_path.h"
#include "engine/io/internal/field_rules.h"
#include "engine/io/internal/graph_checks.h"
#include "engine/io/internal/located.h"
#include "engine/io/internal/merge.h"
#include "engine/io/internal/model_checks.h"
#include "engine/io/internal/scenario_state.h"
#include "engine/io/internal/schedule_checks.h"
#include "engine/io/internal/spelling.h"
#include "engine/io/sha256.h"
#include "engine/kernel/check.h"
#include "engine/model/config_rules.h"
#include "engine/model/run.h"
#include "proto/orgsim/scenario.pb.h"

namespace orgsim::io {
namespace {

namespace v1 = ::orgsim::v1;
using internal::ArmState;
using internal::DiagnosticSink;
using internal::Node;
using internal::ParsedPath;
using internal::PathTarget;
using internal::Position;
using internal::Quoted;
using internal::ResolvedPath;

// The fields of Scenario that make up the model (ModelConfig); the only ones
// a path may start with.
const std::vector<std::string>& ModelRoots() {
  static const std::vector<std::string> roots = {
      "horizon_days", "warmup_days", "organization", "market", "work",
      "delivery",     "sales",       "finance",      "pmf",    "mechanisms"};
  return roots;
}

// Largest number of design points a sweep may have.
constexpr std::uint64_t kMaxSweepPoints = 10'000'000;

std::string JoinQuoted(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + Quoted(n);
  return out.empty() ? "none" : out;
}

// A message without its parenthesised context ("... (teams: a, b)") or its
// "included from" lines, so the same problem in the base and in an arm that
// added a team compares equal.
std::string ProblemKey(const std::string& message) {
  return message.substr(0, std::min(message.find(" ("), message.find('\n')));
}

// The scenario with only its model sections (what arms start from).
v1::Scenario ModelSections(const v1::Scenario& scenario) {
  v1::Scenario model = scenario;
  model.clear_name();
  model.clear_description();
  model.clear_seed();
  model.clear_replications();
  model.clear_arms();
  model.clear_experiment();
  model.clear_uncertainties();
  return model;
}

// The scenario in canonical text format: every set field, in field-number
// order, doubles in the shortest form that reads back exactly.
std::string CanonicalText(const v1::Scenario& scenario) {
  std::string out;
  google::protobuf::TextFormat::Printer printer;
  ORGSIM_CHECK(printer.PrintToString(scenario, &out), "cannot print the scenario");
  return out;
}

// The comment lines a file starts with (its header), blank lines included,
// up to the first field.
std::string LeadingComment(std::string_view text) {
  std::size_t end = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    eol = eol == std::string_view::npos ? text.size() : eol + 1;
    const std::string_view line = text.substr(pos, eol - pos);
    const std::size_t first = line.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && line[first] != '#') break;
    if (first != std::string_view::npos) end = eol;
    pos = eol;
  }
  std::string header(text.substr(0, end));
  if (!header.empty() && header.back() != '\n') header += '\n';
  return header;
}

// Runs the model's own checks (model::CheckConfig: the schema's ranges and
// the rules between fields) behind the loader's; returns its message, or
// empty.
std::string ModelRejection(const model::ModelConfig& config) {
  return model::CheckConfig(config).message();
}

// Parses and resolves `text` as a path in `model`; empty error on success.
std::string Resolve(const v1::Scenario& model, const std::string& text, PathTarget target,
                    ResolvedPath* out) {
  StatusOr<ParsedPath> parsed = internal::ParsePath(text);
  if (!parsed.ok()) return "bad path " + Quoted(text) + ": " + parsed.status().message();
  StatusOr<ResolvedPath> resolved = internal::ResolvePath(model, *parsed, target, ModelRoots());
  if (!resolved.ok()) return "cannot resolve " + Quoted(text) + ": " + resolved.status().message();
  *out = std::move(resolved).value();
  return "";
}

// Applies one arm's overlays, removes and `set` overrides to `state->model`,
// reporting problems at their place in the arm.
void BuildArm(const Node& arm_node, const v1::Scenario& base_model, ArmState* state,
              DiagnosticSink& sink) {
  const auto& arm = static_cast<const v1::Arm&>(*arm_node.message);
  state->model = base_model;
  // Teams an arm adds (new names) must say what they are.
  for (int i = 0; i < arm.organization().teams_size(); ++i) {
    const v1::Team& team = arm.organization().teams(i);
    bool exists = false;
    for (const v1::Team& base_team : base_model.organization().teams()) {
      exists = exists || base_team.name() == team.name();
    }
    if (!exists && !team.has_role() && team.has_name()) {
      sink.Error(arm_node.Child("organization").Child("teams", i).position,
                 "team " + Quoted(team.name()) +
                     " is new in this arm and needs a role (e.g. role: ROLE_ENGINEERING)");
    }
  }
  // Overlays: every model section the arm sets, merged by the documented
  // semantics. The Arm fields carry the same names as the Scenario fields.
  const google::protobuf::Reflection* arm_reflection = arm.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  arm_reflection->ListFields(arm, &fields);
  for (const google::protobuf::FieldDescriptor* field : fields) {
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE ||
        field->is_repeated()) {
      continue;
    }
    const google::protobuf::FieldDescriptor* target =
        v1::Scenario::descriptor()->FindFieldByName(field->name());
    ORGSIM_CHECK(target != nullptr && target->message_type() == field->message_type(),
                 "Arm." << field->name() << " has no Scenario counterpart");
    internal::MergeOverlay(arm_reflection->GetMessage(arm, field),
                           state->model.GetReflection()->MutableMessage(&state->model, target));
  }
  for (int i = 0; i < arm.remove_size(); ++i) {
    ResolvedPath path;
    std::string error = Resolve(state->model, arm.remove(i), PathTarget::kElement, &path);
    if (!error.empty()) {
      sink.Error(arm_node.At("remove", i), "remove: " + error);
      continue;
    }
    internal::RemoveElement(&state->model, path);
  }
  for (int i = 0; i < arm.set_size(); ++i) {
    const v1::Override& set = arm.set(i);
    Node set_node = arm_node.Child("set", i);
    if (!set.has_path()) {
      sink.Error(set_node.position, "set needs a path, e.g. path: \"organization.pm.mandate\"");
      continue;
    }
    ResolvedPath path;
    std::string error = Resolve(state->model, set.path(), PathTarget::kScalar, &path);
    if (!error.empty()) {
      sink.Error(set_node.At("path"), error);
      continue;
    }
    const google::protobuf::FieldDescriptor* leaf = path.leaf();
    switch (set.new_value_case()) {
      case v1::Override::kValue: {
        if (leaf->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_ENUM ||
            !internal::IsNumericField(leaf)) {
          error =
              set.path() + " is " +
              (leaf->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_ENUM
                   ? "an enum (" + leaf->enum_type()->name() + "); set it with enum_value: \"NAME\""
                   : std::string("a string; only numbers, bools and enums can be set"));
        } else {
          error = internal::RangeViolation(leaf, set.value());
          if (error.empty()) error = internal::SetNumeric(&state->model, path, set.value());
        }
        if (!error.empty()) sink.Error(set_node.At("value"), error);
        break;
      }
      case v1::Override::kEnumValue:
        error = internal::SetEnumByName(&state->model, path, set.enum_value());
        if (!error.empty()) sink.Error(set_node.At("enum_value"), error);
        break;
      case v1::Override::NEW_VALUE_NOT_SET:
        sink.Error(set_node.position,
                   "set " + Quoted(set.path()) + " needs value: NUMBER or enum_value: \"NAME\"");
        break;
    }
  }
  // An arm's schedule replaces the scenario's as a whole.
  if (arm.schedule_size() > 0) {
    *state->model.mutable_schedule() = arm.schedule();
    internal::CheckSchedule(state->model, arm_node, ModelRoots(), sink);
  }
}

// Checks the experiment section and fills `spec` (and the arms' resolved
// sweep paths).
void BuildExperiment(const Node& root, const std::vector<std::string>& arm_names,
                     std::vector<ArmState>& arms, ExperimentSpec* spec, DiagnosticSink& sink) {
  const auto& scenario = static_cast<const v1::Scenario&>(*root.message);
  const v1::Experiment& experiment = scenario.experiment();
  Node experiment_node = root.Child("experiment");

  // Compared arms.
  std::set<std::string> compared;
  for (int i = 0; i < experiment.arms_size(); ++i) {
    const std::string& name = experiment.arms(i);
    auto it = std::find(arm_names.begin(), arm_names.end(), name);
    if (it == arm_names.end()) {
      sink.Error(experiment_node.At("arms", i),
                 "experiment arm " + Quoted(name) +
                     " is not defined (arms: " + JoinQuoted(arm_names) + ")");
    } else if (!compared.insert(name).second) {
      sink.Error(experiment_node.At("arms", i), "arm " + Quoted(name) + " is listed twice");
    } else {
      spec->arms.push_back(static_cast<std::size_t>(it - arm_names.begin()));
    }
  }
  if (experiment.arms_size() == 0) {
    for (std::size_t i = 0; i < arm_names.size(); ++i) spec->arms.push_back(i);
  }
  std::vector<std::string> compared_names;
  for (std::size_t index : spec->arms) compared_names.push_back(arm_names[index]);

  // Baseline.
  spec->baseline = spec->arms.empty() ? 0 : spec->arms.front();
  if (experiment.has_baseline()) {
    auto it = std::find(arm_names.begin(), arm_names.end(), experiment.baseline());
    if (it == arm_names.end()) {
      sink.Error(experiment_node.At("baseline"),
                 "baseline arm " + Quoted(experiment.baseline()) +
                     " is not defined (arms: " + JoinQuoted(arm_names) + ")");
    } else if (std::find(compared_names.begin(), compared_names.end(), experiment.baseline()) ==
               compared_names.end()) {
      sink.Error(experiment_node.At("baseline"), "baseline arm " + Quoted(experiment.baseline()) +
                                                     " is not among the compared arms (" +
                                                     JoinQuoted(compared_names) + ")");
    } else {
      spec->baseline = static_cast<std::size_t>(it - arm_names.begin());
    }
  }

  // Metrics: the comparison table's, the outcomes and manipulation checks
  // (never both for one metric), and the survival outcomes' time and event.
  std::vector<std::string> catalog_names;
  for (const model::MetricInfo& m : model::MetricCatalog()) catalog_names.emplace_back(m.name);
  const auto known = [&](const std::string& name, const Position& where) {
    if (std::find(catalog_names.begin(), catalog_names.end(), name) != catalog_names.end()) {
      return true;
    }
    std::string names;
    for (const std::string& m : catalog_names) names += (names.empty() ? "" : ", ") + m;
    sink.Error(where, "unknown metric " + Quoted(name) +
                          internal::DidYouMean(ClosestNames(name, catalog_names)) +
                          " (metrics: " + names + ")");
    return false;
  };
  const auto metric_list = [&](const char* field,
                               const google::protobuf::RepeatedPtrField<std::string>& names,
                               std::vector<std::string>* out) {
    std::set<std::string> seen;
    for (int i = 0; i < names.size(); ++i) {
      const std::string& name = names.Get(i);
      const Position where = experiment_node.At(field, i);
      if (!known(name, where)) continue;
      if (!seen.insert(name).second) {
        sink.Error(where, "metric " + Quoted(name) + " is listed twice");
      } else {
        out->push_back(name);
      }
    }
  };
  metric_list("metrics", experiment.metrics(), &spec->metrics);
  metric_list("outcomes", experiment.outcomes(), &spec->outcomes);
  metric_list("manipulation_checks", experiment.manipulation_checks(), &spec->manipulation_checks);
  for (int i = 0; i < experiment.manipulation_checks_size(); ++i) {
    const std::string& name = experiment.manipulation_checks(i);
    if (std::find(spec->outcomes.begin(), spec->outcomes.end(), name) != spec->outcomes.end()) {
      sink.Error(experiment_node.At("manipulation_checks", i),
                 "metric " + Quoted(name) +
                     " is both an outcome and a manipulation check; a metric that restates the "
                     "lever is a manipulation check only");
    }
  }
  // Without a metrics list, the comparison tables (orgsim run, report) show
  // the outcomes, then the manipulation checks.
  if (experiment.metrics_size() == 0) {
    spec->metrics = spec->outcomes;
    spec->metrics.insert(spec->metrics.end(), spec->manipulation_checks.begin(),
                         spec->manipulation_checks.end());
  }
  for (int i = 0; i < experiment.survival_size(); ++i) {
    const v1::SurvivalOutcome& survival = experiment.survival(i);
    Node node = experiment_node.Child("survival", i);
    if (!survival.has_time() || !survival.has_event()) {
      sink.Error(node.position, std::string("survival needs ") +
                                    (survival.has_time() ? "an event" : "a time") +
                                    " metric, e.g. survival { time: \"time_to_pmf_days\" "
                                    "event: \"pmf_reached\" }");
      continue;
    }
    const bool ok_time = known(survival.time(), node.At("time"));
    const bool ok_event = known(survival.event(), node.At("event"));
    if (ok_time && ok_event) spec->survival.push_back({survival.time(), survival.event()});
  }
  for (int i = 0; i < experiment.no_observation_size(); ++i) {
    const v1::NoObservation& none = experiment.no_observation(i);
    Node node = experiment_node.Child("no_observation", i);
    if (!none.has_metric() || !none.has_value()) {
      sink.Error(node.position, std::string("no_observation needs ") +
                                    (none.has_metric() ? "a value" : "a metric") +
                                    ", e.g. no_observation { metric: \"signal_fix_days_mean\" "
                                    "value: 0 }");
      continue;
    }
    if (known(none.metric(), node.At("metric"))) {
      spec->no_observation.emplace_back(none.metric(), none.value());
    }
  }

  // Sweep.
  if (!experiment.has_sweep()) return;
  const v1::Sweep& sweep = experiment.sweep();
  Node sweep_node = experiment_node.Child("sweep");
  SweepSpec& out = spec->sweep;
  DiagnosticSink located(sink.file());
  located.Error(sweep_node.position, "");
  out.location = located.diagnostics().front();
  switch (sweep.design_case()) {
    case v1::Sweep::kLatinHypercube:
      out.design = SweepDesign::kLatinHypercube;
      out.count = sweep.latin_hypercube().count();
      out.seed = sweep.latin_hypercube().seed();
      break;
    case v1::Sweep::kSaltelli:
      out.design = SweepDesign::kSaltelli;
      out.count = sweep.saltelli().base_samples();
      out.seed = sweep.saltelli().seed();
      out.second_order = sweep.saltelli().second_order();
      break;
    default:
      out.design = SweepDesign::kGrid;
  }
  const bool grid = out.design == SweepDesign::kGrid;
  const char* design_name = out.design == SweepDesign::kGrid             ? "grid"
                            : out.design == SweepDesign::kLatinHypercube ? "latin_hypercube"
                                                                         : "saltelli";
  if (sweep.parameters_size() == 0) {
    sink.Error(sweep_node.position,
               "the sweep needs at least one parameter (parameters { path: \"...\" ... })");
  }
  std::set<std::string> paths;
  for (int p = 0; p < sweep.parameters_size(); ++p) {
    const v1::SweepParameter& parameter = sweep.parameters(p);
    Node node = sweep_node.Child("parameters", p);
    SweepParameter param;
    param.path = parameter.path();
    if (!parameter.has_path()) {
      sink.Error(node.position,
                 "sweep parameter needs a path, e.g. path: \"organization.pm.mandate\"");
      continue;
    }
    if (!paths.insert(parameter.path()).second) {
      sink.Error(node.At("path"),
                 "sweep parameter " + Quoted(parameter.path()) + " is listed twice");
      continue;
    }
    // The path must resolve to a numeric field in every compared arm.
    const google::protobuf::FieldDescriptor* leaf = nullptr;
    std::vector<ResolvedPath> resolved(arms.size());
    bool resolved_everywhere = true;
    for (std::size_t index : spec->arms) {
      std::string error =
          Resolve(arms[index].model, parameter.path(), PathTarget::kScalar, &resolved[index]);
      if (!error.empty()) {
        if (spec->arms.size() > 1) error = "in arm " + Quoted(arm_names[index]) + ": " + error;
        sink.Error(node.At("path"), error);
        resolved_everywhere = false;
        break;
      }
      leaf = resolved[index].leaf();
    }
    if (!resolved_everywhere || leaf == nullptr) continue;
    if (!internal::IsNumericField(leaf)) {
      sink.Error(
          node.At("path"),
          Quoted(parameter.path()) + " is " +
              (leaf->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_ENUM ? "an enum"
                                                                                   : "a string") +
              "; only numeric and bool fields can be swept");
      continue;
    }
    param.integer = internal::IsIntegralField(leaf);
    param.log_scale = parameter.scale() == v1::SCALE_LOG;
    bool ok = true;
    auto fail = [&](Position where, std::string message) {
      sink.Error(where, std::move(message));
      ok = false;
    };
    const bool has_range = parameter.has_min() || parameter.has_max();
    if (grid && parameter.values_size() > 0) {
      if (has_range || parameter.has_levels()) {
        fail(node.At(parameter.has_min()   ? "min"
                     : parameter.has_max() ? "max"
                                           : "levels"),
             "give either values or min, max and levels, not both");
      }
      for (int k = 0; k < parameter.values_size(); ++k) {
        std::string why = internal::RangeViolation(leaf, parameter.values(k));
        if (!why.empty()) fail(node.At("values", k), "sweep value: " + why);
        param.grid.push_back(parameter.values(k));
      }
    } else {
      if (!grid && parameter.values_size() > 0) {
        fail(node.At("values", 0), std::string("values are for grid designs; ") + design_name +
                                       " samples the range [min, max]");
      }
      if (!grid && parameter.has_levels()) {
        fail(node.At("levels"),
             std::string("levels are for grid designs; ") + design_name + " takes no levels");
      }
      if (!parameter.has_min() || !parameter.has_max()) {
        fail(node.position, "sweep parameter " + Quoted(parameter.path()) + " needs " +
                                (grid ? "values: [...] or min, max and levels" : "min and max") +
                                " (" + internal::RangeText(leaf) + ")");
      } else {
        param.low = parameter.min();
        param.high = parameter.max();
        std::string why = internal::RangeViolation(leaf, param.low);
        if (!why.empty()) fail(node.At("min"), "sweep min: " + why);
        why = internal::RangeViolation(leaf, param.high);
        if (!why.empty()) fail(node.At("max"), "sweep max: " + why);
        if (!(param.low < param.high)) {
          fail(node.At("max"), "sweep range is empty or inverted: min " +
                                   internal::NumberText(param.low) + ", max " +
                                   internal::NumberText(param.high) + "; expected min < max");
        }
        if (param.log_scale && !(param.low > 0)) {
          fail(node.At("min"), "SCALE_LOG needs min > 0, not " + internal::NumberText(param.low));
        }
        if (grid && !parameter.has_levels()) {
          fail(node.position, "grid parameter " + Quoted(parameter.path()) +
                                  " needs levels (the number of values from min to max)");
        }
        if (grid && ok && parameter.has_levels()) {
          int levels = static_cast<int>(parameter.levels());
          for (int k = 0; k < levels; ++k) {
            double t = static_cast<double>(k) / (levels - 1);
            double v = param.log_scale ? std::exp(std::log(param.low) +
                                                  t * (std::log(param.high) - std::log(param.low)))
                                       : param.low + t * (param.high - param.low);
            if (k == 0) v = param.low;
            if (k == levels - 1) v = param.high;
            if (param.integer) v = std::round(v);
            if (!param.grid.empty() && param.grid.back() == v) continue;  // rounded twins
            param.grid.push_back(v);
          }
        }
      }
    }
    if (!ok) continue;
    for (std::size_t index : spec->arms) arms[index].sweep_paths.push_back(resolved[index]);
    out.params.push_back(std::move(param));
  }
  if (sink.error_count() == 0 && out.PointCount() > kMaxSweepPoints) {
    sink.Error(sweep_node.position, "the sweep has " + std::to_string(out.PointCount()) +
                                        " design points; at most " +
                                        std::to_string(kMaxSweepPoints) + " are supported");
  }
}

// Checks Scenario.uncertainties against the compared arms and fills `out`.
void BuildUncertainties(const Node& root, const std::vector<std::string>& arm_names,
                        const std::vector<ArmState>& arms, const ExperimentSpec& experiment,
                        std::vector<Uncertainty>* out, DiagnosticSink& sink) {
  const auto& scenario = static_cast<const v1::Scenario&>(*root.message);
  std::set<std::string> paths;
  for (int u = 0; u < scenario.uncertainties_size(); ++u) {
    const v1::Uncertainty& given = scenario.uncertainties(u);
    const Node node = root.Child("uncertainties", u);
    if (!given.has_path()) {
      sink.Error(node.position, "uncertainty needs a path, e.g. path: \"market.launch_boost\"");
      continue;
    }
    if (!paths.insert(given.path()).second) {
      sink.Error(node.At("path"), "uncertainty " + Quoted(given.path()) + " is listed twice");
      continue;
    }
    // The path must name the same numeric field in every compared arm.
    const google::protobuf::FieldDescriptor* leaf = nullptr;
    bool resolved = true;
    std::vector<ResolvedPath> paths_in_arms(arms.size());
    for (std::size_t index : experiment.arms) {
      ResolvedPath& path = paths_in_arms[index];
      std::string error = Resolve(arms[index].model, given.path(), PathTarget::kScalar, &path);
      if (!error.empty()) {
        if (experiment.arms.size() > 1) error = "in arm " + Quoted(arm_names[index]) + ": " + error;
        sink.Error(node.At("path"), "uncertainty: " + error);
        resolved = false;
        break;
      }
      leaf = path.leaf();
    }
    if (!resolved || leaf == nullptr) continue;
    if (!internal::IsNumericField(leaf)) {
      sink.Error(node.At("path"), "uncertainty " + Quoted(given.path()) +
                                      " is not a numeric field; only numbers can be explored");
      continue;
    }
    Uncertainty spec;
    spec.path = given.path();
    spec.integer = internal::IsIntegralField(leaf);
    spec.low = given.low();
    spec.high = given.high();
    spec.mode = given.mode();
    spec.distribution =
        given.distribution() == v1::DISTRIBUTION_LOG_UNIFORM  ? UncertaintyDistribution::kLogUniform
        : given.distribution() == v1::DISTRIBUTION_TRIANGULAR ? UncertaintyDistribution::kTriangular
                                                              : UncertaintyDistribution::kUniform;
    const std::size_t errors = sink.error_count();
    if (!given.has_low() || !given.has_high()) {
      sink.Error(node.position, "uncertainty " + Quoted(given.path()) +
                                    " needs low and high (its plausible range, inside " +
                                    internal::RangeText(leaf) + ")");
      continue;
    }
    std::string why = internal::RangeViolation(leaf, spec.low);
    if (!why.empty()) sink.Error(node.At("low"), "uncertainty low: " + why);
    why = internal::RangeViolation(leaf, spec.high);
    if (!why.empty()) sink.Error(node.At("high"), "uncertainty high: " + why);
    if (!(spec.low < spec.high)) {
      sink.Error(node.At("high"), "uncertainty range is empty or inverted: low " +
                                      internal::NumberText(spec.low) + ", high " +
                                      internal::NumberText(spec.high) + "; expected low < high");
    }
    if (spec.distribution == UncertaintyDistribution::kLogUniform && !(spec.low > 0)) {
      sink.Error(node.At("low"),
                 "DISTRIBUTION_LOG_UNIFORM needs low > 0, not " + internal::NumberText(spec.low));
    }
    if (spec.distribution == UncertaintyDistribution::kTriangular) {
      if (!given.has_mode()) {
        sink.Error(node.position, "DISTRIBUTION_TRIANGULAR needs a mode in [low, high]");
      } else if (!(spec.low <= spec.mode && spec.mode <= spec.high)) {
        sink.Error(node.At("mode"), "uncertainty mode " + internal::NumberText(spec.mode) +
                                        " is outside [low, high] = [" +
                                        internal::NumberText(spec.low) + ", " +
                                        internal::NumberText(spec.high) + "]");
      }
    } else if (given.has_mode()) {
      sink.Error(node.At("mode"), "mode is for DISTRIBUTION_TRIANGULAR only");
    }
    if (spec.integer && std::ceil(spec.low) > std::floor(spec.high)) {
      sink.Error(node.At("high"), "uncertainty " + Quoted(given.path()) +
                                      " holds whole numbers and [low, high] contains none");
    }
    if (sink.error_count() != errors) continue;
    // Arms that set the path differently from the baseline make it a lever.
    const double baseline_value =
        internal::GetNumeric(arms[experiment.baseline].model, paths_in_arms[experiment.baseline]);
    for (std::size_t index : experiment.arms) {
      const double value = internal::GetNumeric(arms[index].model, paths_in_arms[index]);
      if (value != baseline_value) {
        spec.set_by_arms.push_back(arm_names[index] + " (" + internal::NumberText(value) + ")");
      }
    }
    out->push_back(std::move(spec));
  }
}

}  // namespace

std::uint64_t SweepSpec::PointCount() const {
  const std::uint64_t k = params.size();
  switch (design) {
    case SweepDesign::kNone:
      return 1;
    case SweepDesign::kGrid: {
      std::uint64_t points = 1;
      for (const SweepParameter& p : params) {
        // Saturate instead of overflowing: anything this large is rejected.
        std::uint64_t n = p.grid.size();
        if (n != 0 && points > std::numeric_limits<std::uint64_t>::max() / n) {
          return std::numeric_limits<std::uint64_t>::max();
        }
        points *= n;
      }
      return points;
    }
    case SweepDesign::kLatinHypercube:
      return count;
    case SweepDesign::kSaltelli:
      return static_cast<std::uint64_t>(count) * (second_order ? 2 * k + 2 : k + 2);
  }
  return 1;
}

std::optional<std::size_t> LoadedScenario::ArmIndex(std::string_view arm_name) const {
  for (std::size_t i = 0; i < arms.size(); ++i) {
    if (arms[i].name == arm_name) return i;
  }
  return std::nullopt;
}

LoadResult LoadScenarioFile(const std::string& path, const LoadOptions& options) {
  LoadResult result;
  std::string text;
  std::string error = internal::ReadScenarioFile(path, &text);
  if (!error.empty()) {
    result.diagnostics.push_back({.file = path,
                                  .line = 0,
                                  .column = 0,
                                  .severity = Severity::kError,
                                  .message = "cannot read file: " + error});
    return result;
  }
  std::string base_dir = std::filesystem::path(path).parent_path().string();
  result = LoadScenarioText(text, path, base_dir, options);
  return result;
}

namespace {

constexpr std::size_t kCostlyArmsShown = 3;

// Refuses arm `i` when one run of it is estimated above the cost limits
// (the first kCostlyArmsShown such arms are named; *costly counts them all).
void ReportCost(const Node& root, const v1::Scenario& scenario, std::size_t i,
                const std::string& arm_name, const model::ModelConfig& config, std::size_t* costly,
                DiagnosticSink& sink) {
  const std::string refusal = internal::CostRefusal(config);
  if (refusal.empty()) return;
  if ((*costly)++ >= kCostlyArmsShown) return;
  if (scenario.arms_size() == 0) {
    sink.Error(scenario.has_horizon_days() ? root.At("horizon_days") : Position{1, 1}, refusal);
  } else {
    sink.Error(root.Child("arms", static_cast<int>(i)).At("name"),
               "arm " + Quoted(arm_name) + ": " + refusal);
  }
}

}  // namespace

LoadResult LoadScenarioText(std::string_view text, const std::string& display_name,
                            const std::string& base_dir, const LoadOptions& options) {
  LoadResult result;
  if (text.size() > kMaxScenarioBytes) {
    result.diagnostics.push_back({.file = display_name,
                                  .line = 0,
                                  .column = 0,
                                  .severity = Severity::kError,
                                  .message = "the scenario has " + std::to_string(text.size()) +
                                             " bytes; at most " +
                                             std::to_string(kMaxScenarioBytes) + " are supported"});
    return result;
  }
  internal::ScenarioChain chain;
  if (!internal::LoadChain(text, display_name, base_dir, options.read_external_files,
                           options.confine_files_to, &chain, &result.diagnostics)) {
    SortDiagnostics(result.diagnostics);
    return result;
  }
  const v1::Scenario& scenario = chain.merged;
  DiagnosticSink sink(display_name);
  for (Diagnostic& d : result.diagnostics) sink.diagnostics().push_back(std::move(d));
  result.diagnostics.clear();
  const Node root{&scenario, &chain.locations, {1, 1}};
  if (scenario.arms_size() > kMaxArms) {
    sink.Error(root.Child("arms", kMaxArms).position,
               "the scenario declares " + std::to_string(scenario.arms_size()) + " arms; at most " +
                   std::to_string(kMaxArms) + " are supported");
    result.diagnostics = std::move(sink.diagnostics());
    return result;
  }

  // 1. Per-field rules from the schema: ranges, finite numbers, names.
  internal::CheckFieldRules(root, sink);
  if (!scenario.has_name()) {
    sink.Error({1, 1}, "the scenario needs a name (name: \"...\")");
  } else if (!internal::IsValidName(scenario.name())) {
    sink.Error(root.At("name"), "invalid scenario name " + Quoted(scenario.name()) +
                                    "; use 1 to 64 letters, digits, '_', '-' or '.'");
  }

  // 2. The base model must itself be valid: it is the template of every arm
  //    and the model run when the file declares no arm.
  const internal::ModelCheckContext context{.base_dir = base_dir,
                                            .read_external_files = options.read_external_files,
                                            .prefix = "",
                                            .confine_dir = options.confine_files_to};
  const std::size_t before_base = sink.diagnostics().size();
  internal::CheckModelSections(root, context, sink);
  std::set<std::string> base_messages;
  for (std::size_t i = before_base; i < sink.diagnostics().size(); ++i) {
    base_messages.insert(ProblemKey(sink.diagnostics()[i].message));
  }
  internal::CheckSchedule(ModelSections(scenario), root, ModelRoots(), sink);
  const Node organization_node = root.Child("organization");
  for (int i = 0; i < scenario.organization().teams_size(); ++i) {
    if (!scenario.organization().teams(i).has_role()) {
      sink.Error(organization_node.Child("teams", i).position,
                 "team " + Quoted(scenario.organization().teams(i).name()) +
                     " needs a role (e.g. role: ROLE_ENGINEERING)");
    }
  }

  // 3. Arms: overlays, removes, overrides; then the merged model's checks,
  //    reported at the arm unless the base already has the same problem.
  auto state = std::make_shared<internal::ScenarioState>();
  state->base_dir = base_dir;
  state->read_external_files = options.read_external_files;
  const v1::Scenario base_model = ModelSections(scenario);
  std::vector<std::string> arm_names;
  std::vector<std::string> arm_descriptions;
  for (int i = 0; i < scenario.arms_size(); ++i) {
    const v1::Arm& arm = scenario.arms(i);
    Node arm_node = root.Child("arms", i);
    ArmState arm_state;
    BuildArm(arm_node, base_model, &arm_state, sink);
    DiagnosticSink arm_sink(display_name);
    internal::ModelCheckContext arm_context = context;
    arm_context.prefix = "arm " + Quoted(arm.name()) + ": ";
    internal::CheckModelSections(
        Node{&arm_state.model, nullptr, arm.has_name() ? arm_node.At("name") : arm_node.position},
        arm_context, arm_sink);
    for (Diagnostic& d : arm_sink.diagnostics()) {
      // The base's own problems are reported once, at the base.
      if (base_messages.count(ProblemKey(d.message.substr(arm_context.prefix.size()))) > 0) {
        continue;
      }
      sink.Add(std::move(d));
    }
    arm_names.push_back(arm.name());
    arm_descriptions.push_back(arm.description());
    state->arms.push_back(std::move(arm_state));
  }
  if (scenario.arms_size() == 0) {
    arm_names.push_back("base");
    arm_descriptions.push_back("the base scenario unchanged");
    state->arms.push_back(ArmState{.model = base_model, .sweep_paths = {}});
  }

  // 4. The experiment and its sweep.
  ExperimentSpec experiment;
  BuildExperiment(root, arm_names, state->arms, &experiment, sink);
  std::vector<Uncertainty> uncertainties;
  BuildUncertainties(root, arm_names, state->arms, experiment, &uncertainties, sink);

  // 5. Convert; the model's own validation is a safety net behind the
  //    schema's ranges (a disagreement between the two is a bug to fix in
  //    scenario.proto); then the communication graph the model would build.
  //    Only when everything above passed, so problems are not reported twice.
  std::vector<ArmSpec> arms;
  if (sink.error_count() == 0) {
    const model::ModelConfig base_config = internal::ToModelConfig(base_model, base_dir);
    std::set<std::string> base_problems;
    std::string rejection = ModelRejection(base_config);
    if (!rejection.empty()) {
      sink.Error({1, 1}, "the model rejects the base configuration: " + rejection);
      base_problems.insert(rejection);
    } else {
      const Node graph_node = organization_node.Child("graph");
      for (const internal::GraphProblem& problem : internal::CheckCommunicationGraph(base_config)) {
        Position where = problem.team >= 0 ? organization_node.Child("teams", problem.team).position
                         : scenario.organization().graph().has_graphml_path()
                             ? graph_node.At("graphml_path")
                             : graph_node.position;
        if (problem.severity == Severity::kError) {
          sink.Error(where, problem.message);
        } else {
          sink.Warning(where, problem.message);
        }
        base_problems.insert(problem.message);
      }
    }
    std::size_t costly_arms = 0;
    for (std::size_t i = 0; i < state->arms.size(); ++i) {
      model::ModelConfig config = internal::ToModelConfig(state->arms[i].model, base_dir);
      if (scenario.arms_size() > 0) {
        const Position where = root.Child("arms", static_cast<int>(i)).At("name");
        const std::string prefix = "arm " + Quoted(arm_names[i]) + ": ";
        std::string arm_rejection = ModelRejection(config);
        if (!arm_rejection.empty()) {
          if (base_problems.count(arm_rejection) == 0) {
            sink.Error(where, prefix + "the model rejects this configuration: " + arm_rejection);
          }
        } else {
          for (const internal::GraphProblem& problem : internal::CheckCommunicationGraph(config)) {
            if (base_problems.count(problem.message) > 0) continue;
            if (problem.severity == Severity::kError) {
              sink.Error(where, prefix + problem.message);
            } else {
              sink.Warning(where, prefix + problem.message);
            }
          }
        }
      }
      if (!options.allow_large)
        ReportCost(root, scenario, i, arm_names[i], config, &costly_arms, sink);
      arms.push_back({arm_names[i], arm_descriptions[i], std::move(config)});
    }
    if (costly_arms > kCostlyArmsShown) {
      sink.Error(root.Child("arms", static_cast<int>(kCostlyArmsShown)).At("name"),
                 "and " + std::to_string(costly_arms - kCostlyArmsShown) +
                     " more arms are estimated above the limits per run");
    }
  }

  result.diagnostics = std::move(sink.diagnostics());
  SortDiagnostics(result.diagnostics);
  if (HasErrors(result.diagnostics)) return result;

  LoadedScenario loaded;
  loaded.path = display_name;
  loaded.name = scenario.name();
  loaded.description = scenario.description();
  loaded.seed = scenario.seed();
  loaded.replications = scenario.experiment().has_replications()
                            ? scenario.experiment().replications()
                            : scenario.replications();
  loaded.horizon_days = scenario.horizon_days();
  loaded.base = internal::ToModelConfig(base_model, base_dir);
  loaded.arms = std::move(arms);
  loaded.experiment = std::move(experiment);
  loaded.uncertainties = std::move(uncertainties);
  loaded.text = std::string(text);
  loaded.has_base = chain.files.size() > 1;
  const std::string canonical = CanonicalText(scenario);
  const std::string header = LeadingComment(text);
  loaded.flat_text = header.empty() ? canonical : header + "\n" + canonical;
  loaded.sha256 = Sha256Hex(canonical);
  loaded.state = std::move(state);
  result.scenario = std::move(loaded);
  return result;
}

StatusOr<model::ModelConfig> ConfigFor(
    const LoadedScenario& scenario, std::size_t arm_index,
    const std::vector<std::pair<std::string, double>>& overrides) {
  const internal::ScenarioState& state = *scenario.state;
  if (arm_index >= state.arms.size()) {
    return InvalidArgumentError("arm index " + std::to_string(arm_index) + " is out of range (" +
                                std::to_string(state.arms.size()) + " arms)");
  }
  const ArmState& arm = state.arms[arm_index];
  v1::Scenario model = arm.model;
  const std::vector<SweepParameter>& params = scenario.experiment.sweep.params;
  for (const auto& [path_text, raw_value] : overrides) {
    // Sweep parameters were resolved at load; anything else is resolved now.
    ResolvedPath resolved;
    const ResolvedPath* path = nullptr;
    for (std::size_t p = 0; p < params.size() && p < arm.sweep_paths.size(); ++p) {
      if (params[p].path == path_text) path = &arm.sweep_paths[p];
    }
    if (path == nullptr) {
      std::string error = Resolve(model, path_text, PathTarget::kScalar, &resolved);
      if (!error.empty()) return InvalidArgumentError(error);
      path = &resolved;
    }
    const google::protobuf::FieldDescriptor* leaf = path->leaf();
    if (!internal::IsNumericField(leaf)) {
      return InvalidArgumentError(path_text + " is not a numeric field");
    }
    double value = internal::IsIntegralField(leaf) ? std::round(raw_value) : raw_value;
    std::string error = internal::RangeViolation(leaf, value);
    if (error.empty()) error = internal::SetNumeric(&model, *path, value);
    if (!error.empty()) return InvalidArgumentError(path_text + ": " + error);
  }
  DiagnosticSink sink(scenario.path);
  internal::CheckModelSections(Node{&model, nullptr, {0, 0}},
                               {.base_dir = state.base_dir,
                                .read_external_files = state.read_external_files,
                                .prefix = "",
                                .confine_dir = ""},
                               sink);
  std::string errors;  // every error, "; "-separated
  for (const Diagnostic& d : sink.diagnostics()) {
    if (d.severity == Severity::kError) errors += (errors.empty() ? "" : "; ") + d.message;
  }
  if (!errors.empty()) return InvalidArgumentError(errors);
  model::ModelConfig config = internal::ToModelConfig(model, state.base_dir);
  ORGSIM_RETURN_IF_ERROR(model::CheckConfig(config));
  for (const internal::GraphProblem& problem : internal::CheckCommunicationGraph(config)) {
    if (problem.severity == Severity::kError)
      errors += (errors.empty() ? "" : "; ") + problem.message;
  }
  if (!errors.empty()) return InvalidArgumentError(errors);
  return config;
}

StatusOr<model::ModelConfig> ConfigForPoint(const LoadedScenario& scenario, std::size_t arm_index,
                                            std::span<const double> parameter_values) {
  const std::vector<SweepParameter>& params = scenario.experiment.sweep.params;
  if (parameter_values.size() != params.size()) {
    return InvalidArgumentError("expected " + std::to_string(params.size()) +
                                " parameter values, got " +
                                std::to_string(parameter_values.size()));
  }
  std::vector<std::pair<std::string, double>> overrides;
  overrides.reserve(params.size());
  for (std::size_t p = 0; p < params.size(); ++p) {
    overrides.emplace_back(params[p].path, parameter_values[p]);
  }
  return ConfigFor(scenario, arm_index, overrides);
}

std::string Summary(const LoadedScenario& scenario) {
  std::ostringstream out;
  int people = 0;
  for (const model::TeamConfig& team : scenario.base.organization.teams) {
    people += team.initial_headcount;
  }
  const std::size_t compared = scenario.experiment.arms.size();
  out << compared << (compared == 1 ? " arm" : " arms");
  if (compared != scenario.arms.size()) out << " compared of " << scenario.arms.size();
  out << " (baseline " << scenario.arms[scenario.experiment.baseline].name << "), "
      << scenario.base.organization.teams.size()
      << (scenario.base.organization.teams.size() == 1 ? " team / " : " teams / ") << people
      << (people == 1 ? " person" : " people") << ", horizon "
      << internal::NumberText(scenario.horizon_days) << " days, " << scenario.replications
      << (scenario.replications == 1 ? " replication" : " replications") << ", ";
  const SweepSpec& sweep = scenario.experiment.sweep;
  switch (sweep.design) {
    case SweepDesign::kNone:
      out << "no sweep";
      break;
    case SweepDesign::kGrid:
      out << "grid sweep of " << sweep.PointCount() << " points";
      break;
    case SweepDesign::kLatinHypercube:
      out << "latin hypercube sweep of " << sweep.PointCount() << " points";
      break;
    case SweepDesign::kSaltelli:
      out << "saltelli sweep of " << sweep.PointCount() << " points";
      break;
  }
  if (sweep.design != SweepDesign::kNone) {
    out << " over " << sweep.params.size()
        << (sweep.params.size() == 1 ? " parameter" : " parameters");
  }
  return out.str();
}

}  // namespace orgsim::io
