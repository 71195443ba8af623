#include "engine/kernel/check.h"

namespace orgsim::kernel::internal {

void FailCheck(const char* file, int line, const char* condition, const std::string& message) {
  std::ostringstream out;
  out << file << ":" << line << ": check failed: " << condition;
  if (!message.empty()) out << ": " << message;
  throw InvariantError(out.str());
}

}  // namespace orgsim::kernel::internal
