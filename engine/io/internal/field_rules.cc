#include "engine/io/internal/field_rules.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <vector>

#include "engine/io/internal/field_path.h"
#include "proto/orgsim/options.pb.h"

namespace orgsim::io::internal {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr double kInf = std::numeric_limits<double>::infinity();

// Unsigned 64-bit fields (seeds) hold at most 2^63 - 1: results databases
// and exports keep them in SQLite's signed 64-bit integers, as `--seed` does.
// A double cannot tell 2^63 - 1 from 2^63, so this bound is checked on the
// integer itself (StoredUnsignedViolation), never through (max).
constexpr std::uint64_t kMaxStoredUnsigned = std::numeric_limits<std::int64_t>::max();

// The limits of the field's C++ type, so e.g. a uint32 field without a
// (max) option still reports 4294967295 as its bound.
void TypeLimits(const FieldDescriptor* field, double* lo, double* hi) {
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      *lo = std::numeric_limits<std::int32_t>::min();
      *hi = std::numeric_limits<std::int32_t>::max();
      return;
    case FieldDescriptor::CPPTYPE_UINT32:
      *lo = 0;
      *hi = std::numeric_limits<std::uint32_t>::max();
      return;
    case FieldDescriptor::CPPTYPE_INT64:
      *lo = static_cast<double>(std::numeric_limits<std::int64_t>::min());
      *hi = static_cast<double>(std::numeric_limits<std::int64_t>::max());
      return;
    case FieldDescriptor::CPPTYPE_UINT64:
      *lo = 0;
      *hi = static_cast<double>(kMaxStoredUnsigned);  // rounds up to 2^63: see above
      return;
    case FieldDescriptor::CPPTYPE_BOOL:
      *lo = 0;
      *hi = 1;
      return;
    default:
      *lo = -kInf;
      *hi = kInf;
  }
}

double ScalarAsDouble(const Message& message, const FieldDescriptor* field, int index) {
  const Reflection* r = message.GetReflection();
  const bool rep = index >= 0;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return rep ? r->GetRepeatedDouble(message, field, index) : r->GetDouble(message, field);
    case FieldDescriptor::CPPTYPE_FLOAT:
      return rep ? r->GetRepeatedFloat(message, field, index) : r->GetFloat(message, field);
    case FieldDescriptor::CPPTYPE_INT32:
      return rep ? r->GetRepeatedInt32(message, field, index) : r->GetInt32(message, field);
    case FieldDescriptor::CPPTYPE_INT64:
      return static_cast<double>(rep ? r->GetRepeatedInt64(message, field, index)
                                     : r->GetInt64(message, field));
    case FieldDescriptor::CPPTYPE_UINT32:
      return rep ? r->GetRepeatedUInt32(message, field, index) : r->GetUInt32(message, field);
    case FieldDescriptor::CPPTYPE_UINT64:
      return static_cast<double>(rep ? r->GetRepeatedUInt64(message, field, index)
                                     : r->GetUInt64(message, field));
    case FieldDescriptor::CPPTYPE_BOOL:
      return (rep ? r->GetRepeatedBool(message, field, index) : r->GetBool(message, field)) ? 1 : 0;
    default:
      return 0;
  }
}

// The exact check of kMaxStoredUnsigned for a uint64 field (empty when
// within, or when the field is not a uint64).
std::string StoredUnsignedViolation(const Message& message, const FieldDescriptor* field,
                                    int index) {
  if (field->cpp_type() != FieldDescriptor::CPPTYPE_UINT64) return "";
  const Reflection* r = message.GetReflection();
  const std::uint64_t value =
      index >= 0 ? r->GetRepeatedUInt64(message, field, index) : r->GetUInt64(message, field);
  if (value <= kMaxStoredUnsigned) return "";
  return field->name() + " is " + std::to_string(value) + "; expected a whole number " +
         RangeText(field);
}

// "team" for the list `teams`: how messages name one element.
std::string ElementNoun(const FieldDescriptor* field) {
  const std::string& name = field->name();
  return name.size() > 1 && name.back() == 's' ? name.substr(0, name.size() - 1) : name;
}

void CheckNamedList(const Node& node, const FieldDescriptor* field,
                    const FieldDescriptor* name_field, DiagnosticSink& sink) {
  const Reflection* reflection = node.message->GetReflection();
  std::map<std::string, Position> seen;
  int size = reflection->FieldSize(*node.message, field);
  for (int i = 0; i < size; ++i) {
    Node element = node.Child(field, i);
    const std::string& name =
        element.message->GetReflection()->GetString(*element.message, name_field);
    if (!element.message->GetReflection()->HasField(*element.message, name_field)) {
      sink.Error(element.position, ElementNoun(field) + " needs a name (name: \"...\")");
      continue;
    }
    Position where = element.At(name_field);
    if (!IsValidName(name)) {
      sink.Error(where,
                 "invalid name \"" + name + "\"; use 1 to 64 letters, digits, '_', '-' or '.'");
      continue;
    }
    auto [it, inserted] = seen.emplace(name, where);
    if (!inserted) {
      sink.Error(where, "duplicate " + ElementNoun(field) + " name \"" + name +
                            "\"; first defined at line " + std::to_string(it->second.line) +
                            ", column " + std::to_string(it->second.column));
    }
  }
}

}  // namespace

FieldRange RangeOf(const FieldDescriptor* field) {
  FieldRange range{-kInf, kInf, false, false};
  TypeLimits(field, &range.min, &range.max);
  const google::protobuf::FieldOptions& options = field->options();
  if (options.HasExtension(orgsim::v1::min)) {
    range.min = std::max(range.min, options.GetExtension(orgsim::v1::min));
    range.min_exclusive = options.GetExtension(orgsim::v1::min_exclusive);
  }
  if (options.HasExtension(orgsim::v1::max)) {
    range.max = std::min(range.max, options.GetExtension(orgsim::v1::max));
    range.max_exclusive = options.GetExtension(orgsim::v1::max_exclusive);
  }
  return range;
}

std::string UnitOf(const FieldDescriptor* field) {
  return field->options().HasExtension(orgsim::v1::unit)
             ? field->options().GetExtension(orgsim::v1::unit)
             : std::string();
}

std::string RangeText(const FieldDescriptor* field) {
  if (!IsNumericField(field)) return "";
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_BOOL) return "0 or 1";
  FieldRange r = RangeOf(field);
  const bool has_lo = std::isfinite(r.min);
  const bool has_hi = std::isfinite(r.max);
  std::string text;
  // The stored-integer bound of a uint64 field, exactly (as a double it reads 2^63).
  const std::string hi_text = field->cpp_type() == FieldDescriptor::CPPTYPE_UINT64 &&
                                      r.max >= static_cast<double>(kMaxStoredUnsigned)
                                  ? std::to_string(kMaxStoredUnsigned)
                                  : NumberText(r.max);
  if (has_lo && has_hi) {
    text = std::string("in ") + (r.min_exclusive ? "(" : "[") + NumberText(r.min) + ", " + hi_text +
           (r.max_exclusive ? ")" : "]");
  } else if (has_lo) {
    text = (r.min_exclusive ? "> " : ">= ") + NumberText(r.min);
  } else if (has_hi) {
    text = (r.max_exclusive ? "< " : "<= ") + hi_text;
  } else {
    text = "any finite number";
  }
  std::string unit = UnitOf(field);
  if (!unit.empty()) text += " (" + unit + ")";
  return text;
}

std::string RangeViolation(const FieldDescriptor* field, double value) {
  if (!IsNumericField(field)) return field->name() + " is not a numeric field";
  FieldRange r = RangeOf(field);
  bool ok = std::isfinite(value) && (r.min_exclusive ? value > r.min : value >= r.min) &&
            (r.max_exclusive ? value < r.max : value <= r.max);
  if (ok && IsIntegralField(field) && value != std::floor(value)) {
    return field->name() + " is " + NumberText(value) + "; expected a whole number " +
           RangeText(field);
  }
  if (ok) return "";
  return field->name() + " is " + NumberText(value) + "; expected " +
         (IsIntegralField(field) ? "a whole number " : "a value ") + RangeText(field);
}

bool IsValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

void CheckFieldRules(const Node& node, DiagnosticSink& sink) {
  const Reflection* reflection = node.message->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(*node.message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        if (const FieldDescriptor* name_field = NameField(field->message_type())) {
          CheckNamedList(node, field, name_field, sink);
        }
        int size = reflection->FieldSize(*node.message, field);
        for (int i = 0; i < size; ++i) CheckFieldRules(node.Child(field, i), sink);
      } else {
        CheckFieldRules(node.Child(field), sink);
      }
      continue;
    }
    if (!IsNumericField(field) || field->cpp_type() == FieldDescriptor::CPPTYPE_BOOL) continue;
    if (field->is_repeated()) {
      int size = reflection->FieldSize(*node.message, field);
      for (int i = 0; i < size; ++i) {
        std::string why = StoredUnsignedViolation(*node.message, field, i);
        if (why.empty()) why = RangeViolation(field, ScalarAsDouble(*node.message, field, i));
        if (!why.empty()) sink.Error(node.At(field, i), why);
      }
    } else {
      std::string why = StoredUnsignedViolation(*node.message, field, -1);
      if (why.empty()) why = RangeViolation(field, ScalarAsDouble(*node.message, field, -1));
      if (!why.empty()) sink.Error(node.At(field), why);
    }
  }
}

}  // namespace orgsim::io::internal
