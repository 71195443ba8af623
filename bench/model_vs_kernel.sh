#!/usr/bin/env bash
# The organization model's cost per event against the kernel's (issue 18's
# first figure; goal: model <= 5x kernel), measured side by side:
#
#   bench/model_vs_kernel.sh [BUILD_DIR]      # default BUILD_DIR: build
#
#   model   `orgsim run` of the headline scenario on one thread (-j 1):
#           process wall time / the events its runs stored (the `events`
#           metric, summed over the runs table of the results database);
#   kernel  `orgsim-phold --lps 1024 --per-lp 16 --end 100 --mean 1
#           --lookahead 0`: its own timed seconds / events (setup excluded).
#
# The two alternate (model first in odd pairs, kernel first in even ones), so
# each pair's runs are made moments apart; prints the median over pairs of
# each cost (ns per event, wall and CPU) and of the per-pair ratio. CPU time
# (user + system, GNU time) is shown too: on a shared machine it moves less
# than wall time. Knobs (environment):
#   PAIRS=3 REPLICATIONS=100 (per arm) SCENARIO=<headline> PHOLD_END=100
#   ORGSIM_BENCH_QUICK=1: one pair, 1 replication, PHOLD_END=1 (smoke test)
set -euo pipefail

SCRIPT=model_vs_kernel.sh
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/bench_lib.sh
source "$ROOT/bench/bench_lib.sh"
BUILD="$(cd "${1:-$ROOT/build}" 2>/dev/null && pwd)" || die "build directory ${1:-$ROOT/build} not found"
SCENARIO="${SCENARIO:-$ROOT/scenarios/product_led_vs_project_mode.textproto}"
PAIRS="${PAIRS:-3}"
REPLICATIONS="${REPLICATIONS:-100}"
PHOLD_END="${PHOLD_END:-100}"
if [[ "$QUICK" == 1 ]]; then PAIRS=1 REPLICATIONS=1 PHOLD_END=1; fi

ORGSIM="$BUILD/orgsim"
PHOLD="$BUILD/bench/orgsim-phold"
require_exe "$ORGSIM" "$PHOLD"
require_cmd sqlite3
[[ -f "$SCENARIO" ]] || die "scenario $SCENARIO not found"
make_scratch

# model N: one `orgsim run`; prints "wall_ns_per_event cpu_ns_per_event events".
model() {
  local db="$SCRATCH/model$1.db"
  timed "$SCRATCH/model$1" "$ORGSIM" run "$SCENARIO" -n "$REPLICATIONS" -j 1 -q --db "$db"
  local events failed
  events="$(sqlite3 -readonly "$db" "SELECT CAST(COALESCE(SUM(events), 0) AS INTEGER) FROM runs WHERE status = 'ok'")"
  failed="$(sqlite3 -readonly "$db" "SELECT COUNT(*) FROM runs WHERE status != 'ok'")"
  [[ "$failed" == 0 ]] || die "$failed failed runs in $db"
  [[ "$events" -gt 0 ]] || die "no events stored in $db"
  local wall cpu
  read -r wall cpu _ <"$SCRATCH/model$1.time"
  awk -v w="$wall" -v c="$cpu" -v n="$events" 'BEGIN { printf "%.2f %.2f %d\n", 1e9 * w / n, 1e9 * c / n, n }'
}

# kernel N: one PHOLD run; prints "wall_ns_per_event cpu_ns_per_event events"
# (wall: PHOLD's own timer; CPU: the whole process, setup included).
kernel() {
  timed "$SCRATCH/kernel$1" "$PHOLD" --lps 1024 --per-lp 16 --end "$PHOLD_END" --mean 1 --lookahead 0
  local last
  last="$(tail -n 1 "$SCRATCH/kernel$1.log")"
  [[ "$last" =~ ^events=([0-9]+)\ seconds=([0-9.]+) ]] || die "unexpected PHOLD output: $last"
  local cpu
  read -r _ cpu _ <"$SCRATCH/kernel$1.time"
  awk -v n="${BASH_REMATCH[1]}" -v s="${BASH_REMATCH[2]}" -v c="$cpu" \
    'BEGIN { printf "%.2f %.2f %d\n", 1e9 * s / n, 1e9 * c / n, n }'
}

echo "model vs kernel: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
echo "  model: $(basename "$SCENARIO") -n $REPLICATIONS -j 1; kernel: PHOLD N=1024 M=16 T=$PHOLD_END; $PAIRS pairs" >&2
LOAD_START="$(load_average)"
declare -a mw mc kw kc rw rc
for ((p = 1; p <= PAIRS; p++)); do
  if ((p % 2)); then
    m="$(model "$p")"; k="$(kernel "$p")"
  else
    k="$(kernel "$p")"; m="$(model "$p")"
  fi
  read -r a b me <<<"$m"
  read -r c d ke <<<"$k"
  mw+=("$a"); mc+=("$b"); kw+=("$c"); kc+=("$d")
  rw+=("$(awk -v x="$a" -v y="$c" 'BEGIN { print x / y }')")
  rc+=("$(awk -v x="$b" -v y="$d" 'BEGIN { print x / y }')")
  printf '  pair %d: model %s ns/event wall, %s CPU (%s events); kernel %s wall, %s CPU (%s events); load %s\n' \
    "$p" "$a" "$b" "$me" "$c" "$d" "$ke" "$(load_average)" >&2
done

RATIO="$(median "${rw[@]}")"
printf 'model  (orgsim run, 1 thread):  %8.1f ns/event wall  %8.1f ns/event CPU  (median of %d)\n' \
  "$(median "${mw[@]}")" "$(median "${mc[@]}")" "$PAIRS"
printf 'kernel (PHOLD N=1024 M=16):     %8.1f ns/event wall  %8.1f ns/event CPU\n' \
  "$(median "${kw[@]}")" "$(median "${kc[@]}")"
printf 'model / kernel: %.2fx wall, %.2fx CPU (median of per-pair ratios); goal <= 5x wall: %s\n' \
  "$RATIO" "$(median "${rc[@]}")" "$(awk -v r="$RATIO" 'BEGIN { print (r <= 5 ? "met" : "NOT met") }')"
echo "load average: $LOAD_START at start, $(load_average) at end, on $(nproc) CPUs"
