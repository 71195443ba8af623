#!/usr/bin/env bash
# Workshop latency (issue 18's third figure, shared with issue 16; goal: a
# lever change answered in <= 1 s on 2 cores): 200 paired replications of two
# arms of the headline, through the workshop server's HTTP API, timed by
# build/bench/orgsim-workshop-bench (bench/workshop_bench.cc; README,
# "Latency of a lever change") from the POST to the status that says done.
#
#   bench/workshop_latency.sh [BUILD_DIR]      # default BUILD_DIR: build
#
# Prints the bench's JSON lines (one per request, then the summary: median,
# min, max seconds and CPU seconds per request) and the load average.
# Knobs (environment): REPLICATIONS=200 REPEATS=5
#   ORGSIM_BENCH_QUICK=1: 2 replications, 1 request (smoke test)
set -euo pipefail

SCRIPT=workshop_latency.sh
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/bench_lib.sh
source "$ROOT/bench/bench_lib.sh"
BUILD="$(cd "${1:-$ROOT/build}" 2>/dev/null && pwd)" || die "build directory ${1:-$ROOT/build} not found"
REPLICATIONS="${REPLICATIONS:-200}"
REPEATS="${REPEATS:-5}"
if [[ "$QUICK" == 1 ]]; then REPLICATIONS=2 REPEATS=1; fi

BENCH="$BUILD/bench/orgsim-workshop-bench"
require_exe "$BENCH"

LOAD_START="$(load_average)"
echo "workshop latency: $(nproc) CPUs; $REPLICATIONS replications x 2 arms, $REPEATS requests; load $LOAD_START" >&2
"$BENCH" --scenarios "$ROOT/scenarios" --scenario product_led_vs_project_mode.textproto \
  --arm product_led --lever organization.pm.mandate --replications "$REPLICATIONS" --repeats "$REPEATS"
echo "load average: $LOAD_START at start, $(load_average) at end, on $(nproc) CPUs"
