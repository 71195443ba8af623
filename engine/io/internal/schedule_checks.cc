#include "engine/io/internal/schedule_checks.h"

#include "engine/io/internal/field_path.h"
#include "engine/io/internal/field_rules.h"
#include "engine/model/lever_schedule.h"

namespace orgsim::io::internal {

void CheckSchedule(const orgsim::v1::Scenario& model, const Node& owner,
                   const std::vector<std::string>& roots, DiagnosticSink& sink) {
  for (int i = 0; i < model.schedule_size(); ++i) {
    const orgsim::v1::ScheduleEntry& entry = model.schedule(i);
    const Node entry_node = owner.Child("schedule", i);
    if (entry.at_day() >= model.horizon_days()) {
      sink.Error(entry_node.At("at_day"),
                 "at_day " + NumberText(entry.at_day()) + " is not before horizon_days " +
                     NumberText(model.horizon_days()) + ": the change would never take effect");
    }
    if (entry.set_size() == 0) {
      sink.Error(entry_node.position,
                 "schedule entry changes nothing; add set { path: \"organization.pm.mandate\" "
                 "value: 0.8 }");
    }
    for (int j = 0; j < entry.set_size(); ++j) {
      const orgsim::v1::LeverChange& change = entry.set(j);
      const Node set_node = entry_node.Child("set", j);
      if (!change.has_path()) {
        sink.Error(set_node.position, "set needs a path, e.g. path: \"organization.pm.mandate\"");
        continue;
      }
      const StatusOr<ParsedPath> parsed = ParsePath(change.path());
      if (!parsed.ok()) {
        sink.Error(set_node.At("path"),
                   "bad path " + Quoted(change.path()) + ": " + parsed.status().message());
        continue;
      }
      const StatusOr<ResolvedPath> resolved_or =
          ResolvePath(model, *parsed, PathTarget::kScalar, roots);
      if (!resolved_or.ok()) {
        sink.Error(set_node.At("path"), "cannot resolve " + Quoted(change.path()) + ": " +
                                            resolved_or.status().message());
        continue;
      }
      const ResolvedPath& resolved = *resolved_or;
      std::string error;
      const google::protobuf::FieldDescriptor* leaf = resolved.leaf();
      const bool is_enum = leaf->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_ENUM;
      if (!is_enum && !IsNumericField(leaf)) {
        sink.Error(set_node.At("path"),
                   change.path() + " is a string; only numbers, bools and enums can be scheduled");
        continue;
      }
      if (model::FindSchedulableLever(change.path()) == nullptr) {
        sink.Error(
            set_node.At("path"),
            change.path() +
                (change.path().find('[') != std::string::npos
                     ? " is inside a list; levers of teams, segments and edges cannot be scheduled"
                     : " cannot be scheduled: the model reads it only when a run starts (set it in "
                       "the "
                       "arm instead)"));
        continue;
      }
      orgsim::v1::Scenario scratch = model;
      if (is_enum) {
        if (!change.has_enum_value() || change.has_value()) {
          sink.Error(set_node.position, change.path() + " is an enum (" +
                                            leaf->enum_type()->name() +
                                            "); give enum_value: \"NAME\" and no value");
          continue;
        }
        error = SetEnumByName(&scratch, resolved, change.enum_value());
        if (!error.empty()) sink.Error(set_node.At("enum_value"), error);
        continue;
      }
      if (!change.has_value() || change.has_enum_value()) {
        sink.Error(set_node.position,
                   "set " + Quoted(change.path()) + " needs value: NUMBER (and no enum_value)");
        continue;
      }
      error = RangeViolation(leaf, change.value());
      if (error.empty()) error = SetNumeric(&scratch, resolved, change.value());
      // The model's one value rule (lever_schedule.cc): product's market edge
      // is part of the communication graph, built when the run starts.
      if (error.empty() && change.path() == "organization.pm.customer_interaction_hours_per_week" &&
          (change.value() > 0) != (GetNumeric(model, resolved) > 0)) {
        error = change.path() +
                " cannot move to or from 0 within a run (whether product talks to the market is "
                "part of the communication graph, built when the run starts)";
      }
      if (!error.empty()) sink.Error(set_node.At("value"), error);
    }
  }
}

}  // namespace orgsim::io::internal
