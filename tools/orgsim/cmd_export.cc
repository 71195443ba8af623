// `orgsim export --db PATH --format csv|json [--table T] [--output FILE]`:
// print a table of a results database.
//
//   orgsim export --db results/x.db --format csv > runs.csv
//   orgsim export --db results/x.db --format json --table points
//
// Rows come in key order (runs by point, arm, replication), so exports of
// equal databases are byte-identical. docs/results.md describes the tables.
#include <iostream>
#include <memory>
#include <string>

#include "engine/io/atomic_file.h"
#include "engine/io/results_store.h"
#include "tools/orgsim/choices.h"
#include "tools/orgsim/experiment_output.h"
#include "tools/orgsim/subcommand.h"

namespace orgsim::cli {
namespace {

int RunExport(const std::string& db, const std::string& format, const std::string& table,
              const std::string& output) {
  // Usage errors exit 2; a damaged or unreadable database, or a failed write, 1.
  auto exit_code = [](const Status& status) {
    const auto code = status.code();
    return code == StatusCode::kInvalidArgument || code == StatusCode::kNotFound ||
                   code == StatusCode::kFailedPrecondition
               ? kExitUsage
               : kExitFailure;
  };
  auto store = io::ResultsStore::OpenReadOnly(db);
  if (!store.ok()) {
    std::cerr << "orgsim export: error: " << store.status().message() << "\n";
    return exit_code(store.status());
  }
  if (!(*store)->integrity_note().empty()) {
    std::cerr << "orgsim export: warning: " << (*store)->integrity_note() << "\n";
  }
  const io::ExportFormat f = format == "json" ? io::ExportFormat::kJson : io::ExportFormat::kCsv;
  Status status;
  if (output.empty() || output == "-") {
    status = io::ExportTable(**store, table, f, std::cout);
  } else {
    const std::string folder = MissingFolderReason(output);
    if (!folder.empty()) {
      std::cerr << "orgsim export: error: cannot write " << output << ": " << folder << "\n";
      return kExitFailure;
    }
    // All or nothing: a full disk leaves no empty or truncated file.
    status = io::WriteFileAtomically(
        output, [&](std::ostream& out) { return io::ExportTable(**store, table, f, out); });
  }
  if (!status.ok()) {
    std::cerr << "orgsim export: error: " << status.message() << "\n";
    return exit_code(status);
  }
  return kExitOk;
}

const SubcommandRegistrar kExport{
    "export", "Print a table of a results database as CSV or JSON", [](CLI::App& app) -> Action {
      auto db = std::make_shared<std::string>();
      auto format = std::make_shared<std::string>("csv");
      auto table = std::make_shared<std::string>("runs");
      auto output = std::make_shared<std::string>();
      app.add_option("--db", *db, "Results database")->required();
      app.add_option("--format", *format, "csv or json")->check(OneOf("format", {"csv", "json"}));
      std::string tables;
      for (const std::string& t : io::ResultTables()) tables += (tables.empty() ? "" : ", ") + t;
      app.add_option("--table", *table, "Table to export (default runs): " + tables)
          ->check(OneOf("table", io::ResultTables()));
      app.add_option("--output,-o", *output, "Write to FILE instead of stdout");
      app.footer(
          "CSV: RFC 4180 with a header row, NULL as an empty field. JSON: an array of\n"
          "objects, NULL as null. Doubles keep 17 significant digits (exact round trip).\n"
          "Table runs of a sweep ends with one column per swept parameter (its value at\n"
          "the run's point), so no join with `points` is needed.");
      return [db, format, table, output] { return RunExport(*db, *format, *table, *output); };
    }};

}  // namespace
}  // namespace orgsim::cli
