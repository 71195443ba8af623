#include "tools/orgsim/resume.h"

#include <filesystem>
#include <utility>

namespace orgsim::cli {
namespace {

bool StoredSeries(const StoredExperiment& stored) {
  return stored.record ? stored.record->series : !stored.manifest.series.empty();
}

std::string StoredShard(const StoredExperiment& stored) {
  return stored.record ? stored.record->shard : std::string();
}

// The command that continues the stored experiment: "run", "sweep" or
// "explore".
std::string StoredCommand(const StoredExperiment& stored) {
  switch (stored.manifest.design.kind()) {
    case experiment::DesignKind::kSinglePoint:
      return "run";
    case experiment::DesignKind::kExplore:
      return "explore";
    default:
      return "sweep";
  }
}

std::string CommandWords(const std::string& command) {
  if (command == "run") return "a run of the arms (no sweep)";
  if (command == "explore") return "an explore of the uncertainties";
  return "a sweep";
}

}  // namespace

StatusOr<std::optional<StoredExperiment>> ReadStoredExperiment(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::optional<StoredExperiment>();
  auto store = io::ResultsStore::OpenReadOnly(path);
  // A damaged database is refused here, before its flags could settle anything.
  if (!store.ok() && store.status().code() == StatusCode::kDataLoss) {
    return store.status();
  }
  if (!store.ok()) return std::optional<StoredExperiment>();
  StoredExperiment stored;
  stored.manifest = (*store)->manifest();
  auto record = io::ReadExperimentRecord(**store);
  if (record.ok()) stored.record = *record;
  auto runs = (*store)->CountRuns();
  if (!runs.ok()) return std::optional<StoredExperiment>();
  stored.runs = *runs;
  return std::optional<StoredExperiment>(std::move(stored));
}

std::string DescribeStored(const StoredExperiment& stored) {
  std::string text = std::to_string(stored.manifest.replications) + " replications " +
                     io::SeriesWords(StoredSeries(stored));
  if (!StoredShard(stored).empty()) text += " (shard " + StoredShard(stored) + ")";
  return text;
}

Status SettleAgainstStored(const StoredExperiment& stored, const std::string& path,
                           ExperimentCommandOptions& o, std::string& note) {
  const std::string holds = path + " holds " + DescribeStored(stored);
  auto refuse = [&](const std::string& asked) {
    return FailedPreconditionError(holds + "; " + asked + ", or use a new --db");
  };
  if (stored.runs > 0 && !o.resume) {
    return FailedPreconditionError(
        path + " already holds " + std::to_string(stored.runs) + " runs of scenario '" +
        stored.manifest.scenario_name + "' (" + DescribeStored(stored) +
        "); pass --resume to continue it (stored runs are skipped), or --db to write elsewhere");
  }
  const std::string command = StoredCommand(stored);
  if (command != o.command) {
    return FailedPreconditionError(path + " holds " + CommandWords(command) +
                                   "; continue it with `orgsim " + command +
                                   " ... --resume`, or use a new --db");
  }
  if (command == "run") o.no_sweep = true;  // a run of the arms stays one
  if (command == "explore") {
    const auto points = static_cast<std::uint32_t>(stored.manifest.design.size());
    if (o.points && *o.points != points) {
      return refuse("an explore of " + std::to_string(points) + " points; --points " +
                    std::to_string(*o.points) + " asks for another design: drop --points");
    }
    o.points = points;
  }
  if (o.seed && *o.seed != stored.manifest.seed) {
    return refuse("seed " + std::to_string(stored.manifest.seed) + "; --seed " +
                  std::to_string(*o.seed) + " asks for another: drop --seed");
  }
  o.seed = stored.manifest.seed;
  const std::uint32_t reps = stored.manifest.replications;
  if (o.replications && *o.replications < reps) {
    return refuse("-n " + std::to_string(*o.replications) + " asks for fewer: drop -n");
  }
  if (o.replications && *o.replications > reps) {
    note = "extending " + path + " from " + std::to_string(reps) + " to " +
           std::to_string(*o.replications) + " replications";
  }
  if (!o.replications) o.replications = reps;
  const bool series = StoredSeries(stored);
  if (o.timeseries && !series) {
    return refuse("--timeseries asks for them: drop --timeseries");
  }
  if (o.no_timeseries && series) {
    return refuse("--no-timeseries asks for none: drop --no-timeseries");
  }
  o.timeseries = series;
  o.no_timeseries = !series;
  const std::string shard = StoredShard(stored);
  if (stored.record && !o.shard.empty() && o.shard != shard) {
    return refuse("--shard " + o.shard + " asks for " +
                  (shard.empty() ? std::string("a shard of it") : "another shard") +
                  ": drop --shard");
  }
  if (stored.record && o.shard.empty()) o.shard = shard;
  return Status::Ok();
}

}  // namespace orgsim::cli
