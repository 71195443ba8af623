#include "engine/io/internal/base_chain.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

#include "engine/io/folder.h"
#include "engine/io/internal/field_path.h"
#include "engine/io/internal/merge.h"
#include "engine/io/internal/text_parse.h"
#include "engine/io/scenario_loader.h"

namespace orgsim::io::internal {
namespace {

namespace fs = std::filesystem;
namespace v1 = ::orgsim::v1;

struct ChainWalk {
  bool read_external_files = true;
  std::string confine_dir;  // when set, every base must lie inside it
  ScenarioChain* chain = nullptr;
  std::vector<Diagnostic>* diagnostics = nullptr;
  // The files being loaded, outermost first: as shown, and canonical.
  std::vector<std::string> shown;
  std::vector<std::string> canonical;
};

std::string CanonicalPath(const fs::path& path) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  return (ec ? fs::absolute(path, ec) : canonical).lexically_normal().string();
}

// A base's relative GraphML path is relative to the base's folder; the
// merged scenario resolves paths against the top file's.
void RebaseGraphmlPath(const fs::path& base_folder, v1::Scenario* scenario) {
  if (!scenario->organization().graph().has_graphml_path()) return;
  const fs::path path(scenario->organization().graph().graphml_path());
  if (path.empty() || path.is_absolute() || base_folder.empty()) return;
  scenario->mutable_organization()->mutable_graph()->set_graphml_path(
      (base_folder / path).lexically_normal().string());
}

// Parses one file of the chain and, first, its base; leaves the file merged
// over its bases in `merged` / `locations`.
bool LoadLevel(std::string_view text, const SourceFile* source, const fs::path& folder,
               ChainWalk& walk, v1::Scenario* merged, LocationTree* locations) {
  v1::Scenario scenario;
  google::protobuf::TextFormat::ParseInfoTree parse_info;
  const std::size_t before = walk.diagnostics->size();
  // A UTF-8 byte order mark (editors on Windows write one) is not text.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const bool parsed = ParseTextProto(text, source->path, &scenario, &parse_info, walk.diagnostics);
  for (std::size_t i = before; i < walk.diagnostics->size(); ++i) {
    (*walk.diagnostics)[i].message += source->IncludedFrom();
  }
  if (!parsed) return false;
  LocationTree tree = LocationTree::FromParse(scenario, parse_info, source);
  if (!scenario.has_base()) {
    *merged = std::move(scenario);
    *locations = std::move(tree);
    return true;
  }

  const Position* found = tree.Find(v1::Scenario::descriptor()->FindFieldByName("base"), -1);
  const Position where = found != nullptr ? *found : Position{1, 1, source};
  auto fail = [&](std::string message) {
    walk.diagnostics->push_back({.file = source->path,
                                 .line = where.line,
                                 .column = where.column,
                                 .severity = Severity::kError,
                                 .message = std::move(message) + source->IncludedFrom()});
    return false;
  };
  if (scenario.base().empty())
    return fail("base needs a file name, e.g. base: \"companies/x.textproto\"");
  if (!walk.read_external_files) {
    return fail("base " + Quoted(scenario.base()) + " cannot be read: external files are disabled");
  }
  fs::path base_path(scenario.base());
  if (base_path.is_relative() && !folder.empty()) base_path = folder / base_path;
  base_path = base_path.lexically_normal();
  const std::string shown = base_path.string();
  const std::string canonical = CanonicalPath(base_path);
  if (!walk.confine_dir.empty() && !IsInsideFolder(canonical, walk.confine_dir)) {
    return fail("base " + Quoted(shown) + " lies outside the scenarios folder");
  }
  auto seen = std::find(walk.canonical.begin(), walk.canonical.end(), canonical);
  if (seen != walk.canonical.end()) {
    std::string cycle;
    for (auto it = walk.shown.begin() + (seen - walk.canonical.begin()); it != walk.shown.end();
         ++it) {
      cycle += *it + " -> ";
    }
    return fail("base files form a cycle: " + cycle + shown);
  }
  std::string base_text;
  std::string error = ReadScenarioFile(shown, &base_text);
  if (!error.empty()) return fail("cannot read base " + Quoted(shown) + ": " + error);

  auto file = std::make_unique<SourceFile>();
  file->path = shown;
  file->included_from.push_back(source->path + ":" + std::to_string(where.line));
  file->included_from.insert(file->included_from.end(), source->included_from.begin(),
                             source->included_from.end());
  const SourceFile* base_source = file.get();
  walk.chain->files.push_back(std::move(file));
  walk.shown.push_back(shown);
  walk.canonical.push_back(canonical);
  v1::Scenario base;
  LocationTree base_locations;
  const bool base_ok =
      LoadLevel(base_text, base_source, base_path.parent_path(), walk, &base, &base_locations);
  walk.shown.pop_back();
  walk.canonical.pop_back();
  if (!base_ok) return false;

  RebaseGraphmlPath(fs::path(scenario.base()).parent_path(), &base);
  MergeOverlay(scenario, &base, &tree, &base_locations);
  base.clear_base();
  *merged = std::move(base);
  *locations = std::move(base_locations);
  return true;
}

}  // namespace

std::string ReadScenarioFile(const std::string& path, std::string* text) {
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return ec ? ec.message() : "No such file or directory";
  if (fs::is_directory(status)) return "it is a directory";
  if (!fs::is_regular_file(status)) return "not a regular file";
  std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return ec.message();
  if (size > kMaxScenarioBytes) {
    return "the file has " + std::to_string(size) + " bytes; at most " +
           std::to_string(kMaxScenarioBytes) + " are supported";
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::strerror(errno);
  try {
    text->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } catch (const std::exception&) {
    // libstdc++ throws from underflow on a read error (EIO on /proc/self/mem).
    return std::string("read error: ") + std::strerror(errno);
  }
  if (in.bad()) return std::strerror(errno);
  return "";
}

bool LoadChain(std::string_view text, const std::string& display_name, const std::string& base_dir,
               bool read_external_files, const std::string& confine_dir, ScenarioChain* chain,
               std::vector<Diagnostic>* diagnostics) {
  ChainWalk walk{.read_external_files = read_external_files,
                 .confine_dir = confine_dir,
                 .chain = chain,
                 .diagnostics = diagnostics,
                 .shown = {display_name},
                 .canonical = {}};
  std::error_code ec;
  walk.canonical.push_back(fs::is_regular_file(display_name, ec) ? CanonicalPath(display_name)
                                                                 : std::string());
  auto top = std::make_unique<SourceFile>();
  top->path = display_name;
  const SourceFile* source = top.get();
  chain->files.push_back(std::move(top));
  return LoadLevel(text, source, fs::path(base_dir), walk, &chain->merged, &chain->locations);
}

}  // namespace orgsim::io::internal
