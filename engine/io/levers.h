// Describing levers for interactive use (the workshop page's sliders): the
// range, unit, kind and current value of a field path in one arm, read from
// the schema's (min)/(max)/(unit) options, so the page never hard-codes a
// range. Written by the viz layer (issue 6) on top of the io internals;
// see /work/notes/viz-needs.md.
//
//   StatusOr<LeverInfo> lever = DescribeLever(scenario, arm, "organization.pm.mandate");
//   if (lever.ok()) Slider(lever->min, lever->max, lever->value);
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "engine/base/status.h"
#include "engine/io/scenario_loader.h"

namespace orgsim::io {

struct LeverInfo {
  std::string path;
  std::string kind;  // "number", "integer" or "bool"
  double min = 0;    // -inf / +inf when unbounded
  double max = 0;
  bool min_exclusive = false;
  bool max_exclusive = false;
  std::string unit;  // empty when dimensionless
  double value = 0;  // the arm's current value (the field's default if unset)
};

// InvalidArgument when `path` does not resolve to a numeric or bool field
// of the arm (or the arm index is out of range). Thread-safe (reads only).
StatusOr<LeverInfo> DescribeLever(const LoadedScenario& scenario, std::size_t arm_index,
                                  const std::string& path);

}  // namespace orgsim::io
