#include "engine/report/assets.h"

#include <string_view>
#include <vector>

namespace orgsim::report {
namespace {

std::string_view ContentType(std::string_view path) {
  auto ends = [&](std::string_view ext) {
    return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".json")) return "application/json";
  if (ends(".png")) return "image/png";
  return "application/octet-stream";
}

const std::vector<Asset>& Table() {
  static const std::vector<Asset> table = [] {
    std::vector<Asset> t;
    for (std::size_t i = 0; i < internal::kEmbeddedAssetCount; ++i) {
      const auto& f = internal::kEmbeddedAssets[i];
      t.push_back({f.path, ContentType(f.path), f.data});
    }
    return t;
  }();
  return table;
}

}  // namespace

std::vector<Asset> WebAssets() { return Table(); }

const Asset* FindAsset(std::string_view path) {
  for (const Asset& a : Table()) {
    if (a.path == path) return &a;
  }
  return nullptr;
}

}  // namespace orgsim::report
