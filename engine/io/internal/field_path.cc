#include "engine/io/internal/field_path.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "engine/io/internal/spelling.h"

namespace orgsim::io::internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsIdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsIdentifierChar(char c) { return IsIdentifierStart(c) || (c >= '0' && c <= '9'); }

// Parses a non-negative decimal index; false when `key` is not one.
bool ParseIndex(const std::string& key, int* index) {
  if (key.empty() || key.size() > 9) return false;
  int value = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *index = value;
  return true;
}

// The names of the elements of a repeated named field, for error messages.
std::string ElementNames(const Message& message, const FieldDescriptor* field,
                         const FieldDescriptor* name_field) {
  const Reflection* reflection = message.GetReflection();
  int size = reflection->FieldSize(message, field);
  if (size == 0) return "there are none";
  std::string names;
  for (int i = 0; i < size; ++i) {
    const Message& element = reflection->GetRepeatedMessage(message, field, i);
    if (i > 0) names += ", ";
    names += element.GetReflection()->GetString(element, name_field);
  }
  return "defined: " + names;
}

// Walks to the message holding the leaf, creating parents as needed.
Message* MutableParent(Message* root, const ResolvedPath& path) {
  Message* message = root;
  for (std::size_t i = 0; i + 1 < path.steps.size(); ++i) {
    const PathStep& step = path.steps[i];
    const Reflection* reflection = message->GetReflection();
    message = step.index < 0 ? reflection->MutableMessage(message, step.field)
                             : reflection->MutableRepeatedMessage(message, step.field, step.index);
  }
  return message;
}

const Message& ConstParent(const Message& root, const ResolvedPath& path) {
  const Message* message = &root;
  for (std::size_t i = 0; i + 1 < path.steps.size(); ++i) {
    const PathStep& step = path.steps[i];
    const Reflection* reflection = message->GetReflection();
    message = step.index < 0 ? &reflection->GetMessage(*message, step.field)
                             : &reflection->GetRepeatedMessage(*message, step.field, step.index);
  }
  return *message;
}

template <typename Int>
bool ToInteger(double value, Int* out) {
  if (!std::isfinite(value) || value != std::floor(value)) return false;
  // Compare in double: the limits of 64-bit types round up to 2^63 / 2^64,
  // which are themselves out of range, hence the strict upper comparison.
  if (value < static_cast<double>(std::numeric_limits<Int>::min()) ||
      value >= static_cast<double>(std::numeric_limits<Int>::max()) + 1.0) {
    return false;
  }
  *out = static_cast<Int>(value);
  return true;
}

}  // namespace

std::string Quoted(std::string_view s) {
  // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict for
  // `"\"" + std::string(s)` (GCC bug 105329).
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  out.append(s);
  out.push_back('"');
  return out;
}

std::string NumberText(double value) {
  // Whole numbers print as integers ("200", not "2e+02").
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  // Prefer the shortest text that round-trips.
  for (int precision = 1; precision <= 17; ++precision) {
    char shorter[32];
    std::snprintf(shorter, sizeof(shorter), "%.*g", precision, value);
    if (std::strtod(shorter, nullptr) == value) return shorter;
  }
  return buffer;
}

StatusOr<ParsedPath> ParsePath(std::string_view text) {
  ParsedPath out;
  std::size_t i = 0;
  if (text.empty()) {
    return InvalidArgumentError("the path is empty");
  }
  while (true) {
    PathSegment segment;
    if (i >= text.size() || !IsIdentifierStart(text[i])) {
      return InvalidArgumentError("expected a field name at character " + std::to_string(i + 1));
    }
    std::size_t start = i;
    while (i < text.size() && IsIdentifierChar(text[i])) ++i;
    segment.field = std::string(text.substr(start, i - start));
    if (i < text.size() && text[i] == '[') {
      std::size_t close = text.find(']', i + 1);
      if (close == std::string_view::npos) {
        return InvalidArgumentError("unclosed '[' at character " + std::to_string(i + 1));
      }
      segment.has_key = true;
      segment.key = std::string(text.substr(i + 1, close - i - 1));
      if (segment.key.empty()) {
        return InvalidArgumentError("empty [] at character " + std::to_string(i + 1) +
                                    "; write an element name or index inside the brackets");
      }
      i = close + 1;
    }
    out.segments.push_back(std::move(segment));
    if (i == text.size()) return out;
    if (text[i] != '.') {
      return InvalidArgumentError("unexpected '" + std::string(1, text[i]) + "' at character " +
                                  std::to_string(i + 1) + "; expected '.' or the end of the path");
    }
    ++i;
  }
}

std::string PathToString(const ParsedPath& path) {
  std::string out;
  for (const PathSegment& segment : path.segments) {
    if (!out.empty()) out += ".";
    out += segment.field;
    if (segment.has_key) out += "[" + segment.key + "]";
  }
  return out;
}

std::string FieldNameList(const Descriptor* type) {
  std::string names;
  for (int i = 0; i < type->field_count(); ++i) {
    if (i > 0) names += ", ";
    names += type->field(i)->name();
  }
  return names;
}

const FieldDescriptor* NameField(const Descriptor* type) {
  const FieldDescriptor* field = type->FindFieldByName("name");
  if (field == nullptr || field->is_repeated() || field->type() != FieldDescriptor::TYPE_STRING) {
    return nullptr;
  }
  return field;
}

bool IsNumericField(const FieldDescriptor* field) {
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
    case FieldDescriptor::CPPTYPE_BOOL:
      return true;
    default:
      return false;
  }
}

bool IsIntegralField(const FieldDescriptor* field) {
  return IsNumericField(field) && field->cpp_type() != FieldDescriptor::CPPTYPE_DOUBLE &&
         field->cpp_type() != FieldDescriptor::CPPTYPE_FLOAT;
}

StatusOr<ResolvedPath> ResolvePath(const Message& root, const ParsedPath& path, PathTarget target,
                                   const std::vector<std::string>& allowed_roots) {
  ResolvedPath out;
  const Message* message = &root;
  std::string so_far;  // the path resolved so far, for messages
  for (std::size_t s = 0; s < path.segments.size(); ++s) {
    const PathSegment& segment = path.segments[s];
    const bool last = s + 1 == path.segments.size();
    const Descriptor* type = message->GetDescriptor();
    const FieldDescriptor* field = type->FindFieldByName(segment.field);
    if (s == 0 && !allowed_roots.empty()) {
      bool allowed = false;
      std::string roots;
      for (const std::string& r : allowed_roots) {
        allowed = allowed || r == segment.field;
        roots += (roots.empty() ? "" : ", ") + r;
      }
      if (!allowed) {
        return InvalidArgumentError("a path must start with one of: " + roots);
      }
    }
    if (field == nullptr) {
      return InvalidArgumentError((so_far.empty() ? std::string("the scenario") : Quoted(so_far)) +
                                  " (" + type->name() + ") has no field " + Quoted(segment.field) +
                                  FieldSuggestion(type, segment.field));
    }
    std::string here = so_far.empty() ? segment.field : so_far + "." + segment.field;
    const Reflection* reflection = message->GetReflection();

    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        return InvalidArgumentError(Quoted(here) +
                                    " is a list of values; a path can only set a single value");
      }
      if (segment.has_key) {
        return InvalidArgumentError(Quoted(here) + " is not a repeated message; remove [" +
                                    segment.key + "]");
      }
      if (!last) {
        return InvalidArgumentError(Quoted(here) +
                                    " is a value, not a message; nothing can follow it");
      }
      if (target == PathTarget::kElement) {
        return InvalidArgumentError(Quoted(here) +
                                    " is a value; expected an element of a repeated field, "
                                    "e.g. organization.teams[NAME]");
      }
      out.steps.push_back({field, -1});
      return out;
    }

    if (!field->is_repeated()) {
      if (segment.has_key) {
        return InvalidArgumentError(Quoted(here) + " is a single message, not a list; remove [" +
                                    segment.key + "]");
      }
      if (last) {
        return InvalidArgumentError(
            Quoted(here) + " is a message (" + field->message_type()->name() +
            "); name one of its fields: " + FieldNameList(field->message_type()));
      }
      out.steps.push_back({field, -1});
      message = &reflection->GetMessage(*message, field);
      so_far = here;
      continue;
    }

    // A repeated message: select one element.
    const FieldDescriptor* name_field = NameField(field->message_type());
    if (!segment.has_key) {
      return InvalidArgumentError(Quoted(here) + " is a list; select one element with " +
                                  (name_field != nullptr ? "[NAME]" : "[INDEX]") + ", e.g. " +
                                  here + (name_field != nullptr ? "[my_name]" : "[0]"));
    }
    int size = reflection->FieldSize(*message, field);
    int index = -1;
    if (name_field != nullptr) {
      for (int i = 0; i < size && index < 0; ++i) {
        const Message& element = reflection->GetRepeatedMessage(*message, field, i);
        if (element.GetReflection()->GetString(element, name_field) == segment.key) index = i;
      }
      if (index < 0) {
        return InvalidArgumentError(Quoted(here) + " has no element named " + Quoted(segment.key) +
                                    " (" + ElementNames(*message, field, name_field) + ")");
      }
    } else {
      if (!ParseIndex(segment.key, &index)) {
        return InvalidArgumentError(Quoted(here) +
                                    " elements have no name; select one by 0-based index, not " +
                                    Quoted(segment.key));
      }
      if (index >= size) {
        return InvalidArgumentError("index " + segment.key + " is out of range for " +
                                    Quoted(here) + " (" + std::to_string(size) +
                                    (size == 1 ? " element)" : " elements)"));
      }
    }
    here += "[" + segment.key + "]";
    out.steps.push_back({field, index});
    if (last) {
      if (target == PathTarget::kScalar) {
        return InvalidArgumentError(
            Quoted(here) + " is a message (" + field->message_type()->name() +
            "); name one of its fields: " + FieldNameList(field->message_type()));
      }
      return out;
    }
    message = &reflection->GetRepeatedMessage(*message, field, index);
    so_far = here;
  }
  return InvalidArgumentError("the path is empty");
}

std::string SetNumeric(Message* root, const ResolvedPath& path, double value) {
  const FieldDescriptor* field = path.leaf();
  Message* parent = MutableParent(root, path);
  const Reflection* reflection = parent->GetReflection();
  // Formatted only for a message: NumberText is costly and sweeps set values per point.
  auto shown = [value] { return NumberText(value); };
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_DOUBLE:
      if (std::isnan(value)) return "the value is not a number";
      reflection->SetDouble(parent, field, value);
      return "";
    case FieldDescriptor::CPPTYPE_FLOAT:
      if (std::isnan(value)) return "the value is not a number";
      reflection->SetFloat(parent, field, static_cast<float>(value));
      return "";
    case FieldDescriptor::CPPTYPE_INT32: {
      std::int32_t v;
      if (!ToInteger(value, &v))
        return field->name() + " takes a whole number (int32), not " + shown();
      reflection->SetInt32(parent, field, v);
      return "";
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      std::int64_t v;
      if (!ToInteger(value, &v))
        return field->name() + " takes a whole number (int64), not " + shown();
      reflection->SetInt64(parent, field, v);
      return "";
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      std::uint32_t v;
      if (!ToInteger(value, &v)) {
        return field->name() + " takes a whole number >= 0 (uint32), not " + shown();
      }
      reflection->SetUInt32(parent, field, v);
      return "";
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      std::uint64_t v;
      if (!ToInteger(value, &v)) {
        return field->name() + " takes a whole number >= 0 (uint64), not " + shown();
      }
      reflection->SetUInt64(parent, field, v);
      return "";
    }
    case FieldDescriptor::CPPTYPE_BOOL:
      if (value != 0 && value != 1)
        return field->name() + " is a bool; give 0 or 1, not " + shown();
      reflection->SetBool(parent, field, value == 1);
      return "";
    case FieldDescriptor::CPPTYPE_ENUM:
      return field->name() + " is an enum (" + field->enum_type()->name() +
             "); set it with enum_value: \"NAME\"";
    default:
      return field->name() + " is not a numeric field";
  }
}

std::string SetEnumByName(Message* root, const ResolvedPath& path, const std::string& name) {
  const FieldDescriptor* field = path.leaf();
  if (field->cpp_type() != FieldDescriptor::CPPTYPE_ENUM) {
    return field->name() + " is not an enum; set it with value: NUMBER";
  }
  const google::protobuf::EnumValueDescriptor* enum_value =
      field->enum_type()->FindValueByName(name);
  if (enum_value == nullptr) {
    std::string names;
    for (int i = 0; i < field->enum_type()->value_count(); ++i) {
      names += (i > 0 ? ", " : "") + field->enum_type()->value(i)->name();
    }
    return Quoted(name) + " is not a " + field->enum_type()->name() + "; expected one of: " + names;
  }
  Message* parent = MutableParent(root, path);
  parent->GetReflection()->SetEnum(parent, field, enum_value);
  return "";
}

double GetNumeric(const Message& root, const ResolvedPath& path) {
  const FieldDescriptor* field = path.leaf();
  const Message& parent = ConstParent(root, path);
  const Reflection* reflection = parent.GetReflection();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return reflection->GetDouble(parent, field);
    case FieldDescriptor::CPPTYPE_FLOAT:
      return reflection->GetFloat(parent, field);
    case FieldDescriptor::CPPTYPE_INT32:
      return reflection->GetInt32(parent, field);
    case FieldDescriptor::CPPTYPE_INT64:
      return static_cast<double>(reflection->GetInt64(parent, field));
    case FieldDescriptor::CPPTYPE_UINT32:
      return reflection->GetUInt32(parent, field);
    case FieldDescriptor::CPPTYPE_UINT64:
      return static_cast<double>(reflection->GetUInt64(parent, field));
    case FieldDescriptor::CPPTYPE_BOOL:
      return reflection->GetBool(parent, field) ? 1.0 : 0.0;
    case FieldDescriptor::CPPTYPE_ENUM:
      return reflection->GetEnumValue(parent, field);
    default:
      return std::numeric_limits<double>::quiet_NaN();
  }
}

void RemoveElement(Message* root, const ResolvedPath& path) {
  Message* parent = MutableParent(root, path);
  const PathStep& step = path.steps.back();
  const Reflection* reflection = parent->GetReflection();
  int size = reflection->FieldSize(*parent, step.field);
  // Bubble the element to the end, preserving the others' order, then drop it.
  for (int i = step.index; i + 1 < size; ++i) {
    reflection->SwapElements(parent, step.field, i, i + 1);
  }
  reflection->RemoveLast(parent, step.field);
}

}  // namespace orgsim::io::internal
