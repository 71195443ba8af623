#include "tools/orgsim/choices.h"

#include <algorithm>
#include <utility>

#include "engine/io/spelling.h"

namespace orgsim::cli {
std::string NearestName(const std::string& word, const std::vector<std::string>& candidates) {
  const std::vector<std::string> close = io::ClosestNames(word, candidates);
  return close.empty() ? std::string() : close.front();
}

std::string UnknownValueMessage(const std::string& what, const std::string& value,
                                const std::vector<std::string>& valid) {
  std::string message = "unknown " + what + " \"" + value + "\"";
  const std::string near = NearestName(value, valid);
  if (!near.empty()) message += "; did you mean \"" + near + "\"?";
  std::string list;
  for (std::size_t i = 0; i < valid.size() && i < 20; ++i) {
    list += (i == 0 ? "" : ", ") + valid[i];
  }
  if (valid.size() > 20) list += ", ... (" + std::to_string(valid.size()) + " in all)";
  return message + " (valid: " + list + ")";
}

CLI::Validator OneOf(const std::string& what, std::vector<std::string> valid) {
  std::string description;
  for (const auto& v : valid) description += (description.empty() ? "" : "|") + v;
  return CLI::Validator(
      [what, valid = std::move(valid)](std::string& value) -> std::string {
        if (std::find(valid.begin(), valid.end(), value) != valid.end()) return "";
        return UnknownValueMessage(what, value, valid);
      },
      "{" + description + "}");
}

}  // namespace orgsim::cli
