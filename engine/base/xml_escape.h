// XmlEscape: text made safe for XML and HTML, in element text and in
// attribute values alike. Shared by the GraphML export (model) and every
// SVG/HTML writer (report, serve).
#pragma once

#include <string>
#include <string_view>

namespace orgsim {

// Replaces &, <, >, " and ' by their entities; every other byte is copied.
std::string XmlEscape(std::string_view text);

}  // namespace orgsim
