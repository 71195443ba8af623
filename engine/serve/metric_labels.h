// Words for the room: the short human label every metric of the model's
// catalog declares with it (engine/model/run.h MetricInfo::label), by name.
// The workshop API sends them with the catalog's unit, description and
// better-direction, so the page never shows `time_to_pmf_days`.
//
//   std::string_view label = MetricLabel("time_to_pmf_days");  // "Time to product-market fit"
//
// Every catalog metric has a label (metric_labels_test checks it); a name
// that is not in the table gets "" (the caller falls back to the name).
#pragma once

#include <string_view>

#include "engine/model/run.h"

namespace orgsim::serve {

// "" when `metric` has no label.
std::string_view MetricLabel(std::string_view metric);

// "higher", "lower" or "neither": the JSON word for a metric's better-direction.
std::string_view BetterWord(model::Better better);

}  // namespace orgsim::serve
