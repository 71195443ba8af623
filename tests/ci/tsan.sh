#!/usr/bin/env bash
# ThreadSanitizer check of the parallel parts (issue 7): the experiment runner,
# the results store and the orgsim CLI (run/sweep/merge with several threads),
# built with -fsanitize=thread in build-tsan/. Any data race report fails the
# check (halt_on_error). Debian's libtbb is not instrumented; the runner states
# the hand-offs TBB guarantees (engine/experiment/internal/happens_before.h).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
JOBS="${ORGSIM_JOBS:-$(nproc)}"
BUILD="${ORGSIM_TSAN_BUILD:-build-tsan}"

if [[ ! -f "$BUILD/build.ninja" ]]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DORGSIM_TSAN=ON \
    -DORGSIM_BUILD_BENCH=OFF -DCMAKE_CXX_FLAGS=-O1
fi
cmake --build "$BUILD" -j "$JOBS" --target orgsim experiment_runner_test \
  experiment_results_store_test experiment_cli_test
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$ROOT/tests/ci/tsan.supp" \
  ctest --test-dir "$BUILD" --output-on-failure -j "$JOBS" \
  -R '^(RunPlan|StoreTest|CliTest)\.'
echo "tsan: no data races reported"
