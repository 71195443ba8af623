#!/usr/bin/env bash
# The explore budget (issue 18's fourth figure, shared with issue 15; goal:
# under 3 minutes on 2 cores): 64 Latin-hypercube points x 100 paired
# replications x 2 arms of the headline (scenarios/explore/headline.textproto,
# 12,800 runs) through `orgsim explore`, wall time of the whole process.
#
#   bench/explore_budget.sh [BUILD_DIR]      # default BUILD_DIR: build
#
# Prints the wall time, the CPU time (user + system: on a shared machine,
# CPU / cores bounds what idle cores would take), CPU per run and peak RSS.
# Knobs (environment): POINTS=64 REPLICATIONS=100 THREADS=2
#   ORGSIM_BENCH_QUICK=1: 2 points x 2 replications (smoke test)
set -euo pipefail

SCRIPT=explore_budget.sh
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/bench_lib.sh
source "$ROOT/bench/bench_lib.sh"
BUILD="$(cd "${1:-$ROOT/build}" 2>/dev/null && pwd)" || die "build directory ${1:-$ROOT/build} not found"
SCENARIO="$ROOT/scenarios/explore/headline.textproto"
POINTS="${POINTS:-64}"
REPLICATIONS="${REPLICATIONS:-100}"
THREADS="${THREADS:-2}"
if [[ "$QUICK" == 1 ]]; then POINTS=2 REPLICATIONS=2; fi

ORGSIM="$BUILD/orgsim"
require_exe "$ORGSIM"
require_cmd sqlite3
make_scratch

LOAD_START="$(load_average)"
echo "explore budget: $(nproc) CPUs; --points $POINTS -n $REPLICATIONS -j $THREADS; load $LOAD_START" >&2
timed "$SCRATCH/explore" "$ORGSIM" explore "$SCENARIO" --points "$POINTS" -n "$REPLICATIONS" \
  -j "$THREADS" -q --db "$SCRATCH/explore.db"
RUNS="$(sqlite3 -readonly "$SCRATCH/explore.db" "SELECT COUNT(*) FROM runs WHERE status = 'ok'")"
[[ "$RUNS" -gt 0 ]] || die "no runs stored in $SCRATCH/explore.db"
read -r WALL CPU RSS <"$SCRATCH/explore.time"
awk -v w="$WALL" -v c="$CPU" -v r="$RSS" -v n="$RUNS" -v t="$THREADS" 'BEGIN {
  printf "explore %d runs: %.1f s wall, %.1f s CPU (%.2f ms CPU per run; CPU / %d threads = %.1f s), peak RSS %.1f MiB\n",
    n, w, c, 1e3 * c / n, t, c / t, r / 1024
  printf "goal < 180 s wall: %s\n", (w < 180 ? "met" : "NOT met")
}'
echo "load average: $LOAD_START at start, $(load_average) at end, on $(nproc) CPUs"
