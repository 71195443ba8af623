// Whether a path lies inside a folder, for the workshop's rule that a
// scenario and every file it references stay in the scenarios folder.
//
//   IsInsideFolder("/srv/s/a.textproto", "/srv/s")   // true
//   IsInsideFolder("/srv/sx/a.textproto", "/srv/s")  // false: not a prefix by segment
#pragma once

#include <string_view>

namespace orgsim::io {

// REQUIRES: both canonical (absolute, symlinks resolved, no trailing '/').
inline bool IsInsideFolder(std::string_view path, std::string_view folder) {
  return path.size() > folder.size() && path.compare(0, folder.size(), folder) == 0 &&
         path[folder.size()] == '/';
}

}  // namespace orgsim::io
