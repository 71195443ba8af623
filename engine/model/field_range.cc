#include "engine/model/field_range.h"

#include <cmath>
#include <sstream>

namespace orgsim::model {

bool FieldRange::Contains(double value) const {
  if (std::isnan(value)) return false;
  if (min_exclusive ? !(value > min) : !(value >= min)) return false;
  return max_exclusive ? value < max : value <= max;
}

std::string IntervalText(const FieldRange& range) {
  std::ostringstream out;
  out << (range.min_exclusive || std::isinf(range.min) ? "(" : "[");
  if (std::isinf(range.min)) {
    out << "-inf";
  } else {
    out << range.min;
  }
  out << ", ";
  if (std::isinf(range.max)) {
    out << "inf";
  } else {
    out << range.max;
  }
  out << (range.max_exclusive || std::isinf(range.max) ? ")" : "]");
  return out.str();
}

}  // namespace orgsim::model
