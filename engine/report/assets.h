// The web assets (web/*: the workshop page, its script and styles, the
// report's stylesheet), embedded into the binary at build time so `orgsim
// serve` and `orgsim report` work from any directory and offline.
//
//   const Asset* page = FindAsset("index.html");
//   if (page) Send(page->content_type, page->data);
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace orgsim::report {

struct Asset {
  std::string_view path;          // relative to web/, e.g. "app.js"
  std::string_view content_type;  // from the extension, e.g. "text/javascript; charset=utf-8"
  std::string_view data;
};

// Every embedded asset, in the order web/CMake lists them.
std::vector<Asset> WebAssets();

// The asset at `path` (no leading slash), or nullptr.
const Asset* FindAsset(std::string_view path);

namespace internal {
struct EmbeddedFile {
  std::string_view path;
  std::string_view data;
};
extern const EmbeddedFile kEmbeddedAssets[];
extern const std::size_t kEmbeddedAssetCount;
}  // namespace internal

}  // namespace orgsim::report
