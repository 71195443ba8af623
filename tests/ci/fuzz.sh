#!/usr/bin/env bash
# Fuzzes the scenario loader with libFuzzer for a bounded time (run by
# `tools/dev.sh test` after the main tests, hence by .ci/run).
#
#   bash tests/ci/fuzz.sh                       # ~60 s
#   ORGSIM_FUZZ_SECONDS=600 bash tests/ci/fuzz.sh
#
# Builds tests/fuzz/scenario_fuzzer with clang++ (-fsanitize=fuzzer,address,
# undefined on every library it links) in build-fuzz/, runs it over a copy of
# the seed corpus tests/fuzz/corpus/ plus every shipped scenario, and fails on
# any crash, sanitizer report, leak or timeout. A crashing input is saved as
# build-fuzz/crash-* (reproduce: build-fuzz/tests/fuzz/scenario_fuzzer FILE).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BUILD="$ROOT/build-fuzz"
SECONDS_TO_RUN="${ORGSIM_FUZZ_SECONDS:-60}"
JOBS="${ORGSIM_JOBS:-$(nproc)}"

if [[ ! -f "$BUILD/build.ninja" ]]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DORGSIM_FUZZ=ON -DORGSIM_BUILD_BENCH=OFF
fi
cmake --build "$BUILD" --target scenario_fuzzer -j "$JOBS"

corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT
cp tests/fuzz/corpus/* "$corpus"/
find scenarios -name '*.textproto' -exec cp {} "$corpus"/ \; 2>/dev/null || true

cd "$BUILD"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ./tests/fuzz/scenario_fuzzer -max_total_time="$SECONDS_TO_RUN" -max_len=8192 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="$ROOT/tests/fuzz/scenario.dict" "$corpus"
echo "fuzz: no crash in ${SECONDS_TO_RUN}s"
