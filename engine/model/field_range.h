// FieldRange: the allowed interval of one lever, as the schema declares it
// ((min), (max), (min_exclusive), (max_exclusive), (unit) in
// proto/orgsim/scenario.proto). The table of every lever's range is
// generated (ModelConfigRanges() in the generated config header), so the
// model checks exactly what the scenario files are checked against.
//
//   ForEachRangedValue(config, [](const FieldRange& r, double v, const std::string& path) {
//     if (!r.Contains(v)) ...  // path = "organization.teams[eng].hours_per_day"
//   });
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace orgsim::model {

struct FieldRange {
  // Field path from the config root, list fields without keys
  // ("market.segments.bass_p").
  std::string_view path;
  double min;  // -infinity when unbounded
  double max;  // +infinity when unbounded
  bool min_exclusive;
  bool max_exclusive;
  std::string_view unit;  // empty = dimensionless

  // False for NaN and for values outside the interval.
  bool Contains(double value) const;
};

// "[0, 1]", "(0, 720]", "[-1, inf)".
std::string IntervalText(const FieldRange& range);

// What the generated ForEachRangedValue calls for every ranged value.
using RangeVisitor = std::function<void(const FieldRange&, double value, const std::string& path)>;

}  // namespace orgsim::model
