// The story of one company: a traced replication as JSON lines and as a
// month-by-month narrative (`orgsim trace`, the workshop page's "story of
// one company").
//
// Tracing only observes (model/run.h: the sink never draws a random number
// or schedules an event), so a traced run has the same outcomes and
// fingerprint as an untraced one (tests/report/trace_test.cc checks it).
//
//   TraceLog log;
//   RunOptions options;
//   options.trace = log.Sink();
//   RunOutcome outcome = RunReplication(config, key, options);
//   for (const TraceRecord& r : log.records()) std::cout << TraceJsonLine(r) << "\n";
//   for (const std::string& line : Narrate(log.records())) std::cout << line << "\n";
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "engine/model/run.h"

namespace orgsim::report {

// A TraceEvent with owned strings and time in days.
struct TraceRecord {
  double day = 0.0;
  int agent = -1;
  std::string agent_name;
  std::string kind;
  double value1 = 0.0;
  double value2 = 0.0;
  std::string text;
};

TraceRecord ToRecord(const model::TraceEvent& event);

// Collects a run's trace. Not thread-safe (one run, one log).
class TraceLog {
 public:
  // Stop keeping records after `max_records` (counting goes on); 0 = keep all.
  explicit TraceLog(std::size_t max_records = 0) : max_records_(max_records) {}
  // A sink that appends to this log. The log must outlive the run.
  model::TraceSink Sink();
  const std::vector<TraceRecord>& records() const { return records_; }
  std::size_t seen() const { return seen_; }
  bool truncated() const { return seen_ > records_.size(); }

 private:
  std::size_t max_records_;
  std::size_t seen_ = 0;
  std::vector<TraceRecord> records_;
};

// One JSON object (no newline): {"day":..,"time_us":..,"month":..,"agent":..,
// "agent_name":..,"kind":..,"value1":..,"value2":..,"text":..}.
std::string TraceJsonLine(const TraceRecord& record);

// The month (1-based) a day falls in; a month is 1/12 of a 365-day year.
int MonthOfDay(double day);

struct StoryOptions {
  // Also list up to this many raw events under each month line (0 = none).
  std::size_t events_per_month = 0;
  // The run's horizon: events at its very end belong to its last month, so a
  // 36-month run never tells of a "Month 37". 0 = unknown.
  double horizon_days = 0;
};

// One line per month with something to tell, e.g.
// "Month 7: sales won 3 accounts (+4.5k MRR) and lost 2 deals; engineering
// shipped 4 items, 1 of them needed rework (the builders misunderstood why);
// team sales did not adopt the plan. Books: revenue 120k, cash 10.2M."
// Kinds it does not know are counted ("2 × kind").
std::vector<std::string> Narrate(std::span<const TraceRecord> records,
                                 const StoryOptions& options = {});

// Short outcome lines for the end of a story: the key metrics of `outcome`.
std::vector<std::string> OutcomeLines(const model::RunOutcome& outcome);

}  // namespace orgsim::report
