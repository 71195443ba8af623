#include "engine/serve/metric_labels.h"

namespace orgsim::serve {

std::string_view MetricLabel(std::string_view metric) {
  for (const model::MetricInfo& info : model::MetricCatalog()) {
    if (info.name == metric) return info.label;
  }
  return {};
}

std::string_view BetterWord(model::Better better) {
  switch (better) {
    case model::Better::kHigher:
      return "higher";
    case model::Better::kLower:
      return "lower";
    case model::Better::kNeither:
      break;
  }
  return "neither";
}

}  // namespace orgsim::serve
