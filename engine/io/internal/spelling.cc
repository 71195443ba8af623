#include "engine/io/internal/spelling.h"

#include "engine/io/internal/field_path.h"

namespace orgsim::io::internal {

std::string DidYouMean(const std::vector<std::string>& names) {
  if (names.empty()) return "";
  std::string out = "; did you mean ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += Quoted(names[i]);
  }
  return out + "?";
}

std::string FieldSuggestion(const google::protobuf::Descriptor* type, std::string_view name) {
  std::vector<std::string> fields;
  for (int i = 0; i < type->field_count(); ++i) fields.push_back(type->field(i)->name());
  std::vector<std::string> close = ClosestNames(name, fields);
  if (!close.empty()) return DidYouMean(close);
  return "; its fields are: " + FieldNameList(type);
}

}  // namespace orgsim::io::internal
