// ExpectMarketPairedOrgDiffers: the common-random-numbers property between
// two designs of the same scenario. Both face the same exogenous work
// arrivals and the same market-side draws, while the organization differs
// (different fingerprints). Used by every test that changes an org lever,
// directly or by a schedule.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "engine/kernel/rng.h"
#include "engine/model/run.h"

namespace orgsim::model {

inline void ExpectMarketPairedOrgDiffers(const ModelConfig& a, const ModelConfig& b,
                                         const kernel::StreamKey& key) {
  std::vector<double> arrivals_a, arrivals_b;
  RunOptions oa, ob;
  oa.trace = [&arrivals_a](const TraceEvent& e) {
    if (e.kind == "arrival") arrivals_a.push_back(e.time + e.value1);
  };
  ob.trace = [&arrivals_b](const TraceEvent& e) {
    if (e.kind == "arrival") arrivals_b.push_back(e.time + e.value1);
  };
  oa.record_stream_draws = ob.record_stream_draws = true;
  const RunOutcome ra = RunReplication(a, key, oa), rb = RunReplication(b, key, ob);
  EXPECT_EQ(arrivals_a, arrivals_b);
  EXPECT_EQ(ra.market_draws, rb.market_draws);
  EXPECT_NE(ra.fingerprint, rb.fingerprint);
}

}  // namespace orgsim::model
