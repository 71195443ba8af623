// MemorySink: a RecordSink that keeps every record in memory, in the order
// the runner hands them over (unit order). For callers that analyse runs
// at once instead of storing them: the validation suite, the stylized facts.
//
//   MemorySink sink;
//   RunPlan(plan, run, sink, {.threads = 2});
//   for (const RunRecord& r : sink.records()) ...
#pragma once

#include <span>
#include <vector>

#include "engine/experiment/runner.h"

namespace orgsim::experiment {

class MemorySink : public RecordSink {
 public:
  Status Write(std::span<const RunRecord> records) override {
    records_.insert(records_.end(), records.begin(), records.end());
    return Status::Ok();
  }
  std::vector<RunRecord>& records() { return records_; }

 private:
  std::vector<RunRecord> records_;
};

}  // namespace orgsim::experiment
