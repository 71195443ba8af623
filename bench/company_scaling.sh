#!/usr/bin/env bash
# Does the cost per event stay flat as the company grows? (issue 18's second
# figure; goal: the 20x company within 1.2x of the headline's cost per event.)
#
#   bench/company_scaling.sh [BUILD_DIR]      # default BUILD_DIR: build
#
# Runs, alternating, `orgsim run -j 1` of the headline scenario and of
# bench/scenarios/headline_x20.textproto (the same four arms in a company 20
# times as large: headcounts, potential and initial customers, cash); per run
# the cost per event is process wall time (and CPU time) / the events its runs
# stored, and the peak RSS comes from GNU time. Prints the medians over rounds
# and the median of the per-round ratios. Knobs (environment):
#   ROUNDS=3 REPLICATIONS=40 (per arm, headline) REPLICATIONS_X20=2 (per arm)
#   ORGSIM_BENCH_QUICK=1: one round of 1 replication each (smoke test)
set -euo pipefail

SCRIPT=company_scaling.sh
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/bench_lib.sh
source "$ROOT/bench/bench_lib.sh"
BUILD="$(cd "${1:-$ROOT/build}" 2>/dev/null && pwd)" || die "build directory ${1:-$ROOT/build} not found"
HEADLINE="$ROOT/scenarios/product_led_vs_project_mode.textproto"
X20="$ROOT/bench/scenarios/headline_x20.textproto"
ROUNDS="${ROUNDS:-3}"
REPLICATIONS="${REPLICATIONS:-40}"
REPLICATIONS_X20="${REPLICATIONS_X20:-2}"
if [[ "$QUICK" == 1 ]]; then ROUNDS=1 REPLICATIONS=1 REPLICATIONS_X20=1; fi

ORGSIM="$BUILD/orgsim"
require_exe "$ORGSIM"
require_cmd sqlite3
make_scratch

# company LABEL SCENARIO N ROUND: prints "wall_ns_per_event cpu_ns_per_event
# max_rss_kb events".
company() {
  local out="$SCRATCH/$1-$4"
  timed "$out" "$ORGSIM" run "$2" -n "$3" -j 1 -q --db "$out.db"
  local events failed wall cpu rss
  events="$(sqlite3 -readonly "$out.db" "SELECT CAST(COALESCE(SUM(events), 0) AS INTEGER) FROM runs WHERE status = 'ok'")"
  failed="$(sqlite3 -readonly "$out.db" "SELECT COUNT(*) FROM runs WHERE status != 'ok'")"
  [[ "$failed" == 0 ]] || die "$failed failed runs in $out.db"
  [[ "$events" -gt 0 ]] || die "no events stored in $out.db"
  read -r wall cpu rss <"$out.time"
  awk -v w="$wall" -v c="$cpu" -v r="$rss" -v n="$events" \
    'BEGIN { printf "%.2f %.2f %d %d\n", 1e9 * w / n, 1e9 * c / n, r, n }'
}

echo "company scaling: $(nproc) CPUs; headline -n $REPLICATIONS, x20 -n $REPLICATIONS_X20, -j 1; $ROUNDS rounds" >&2
LOAD_START="$(load_average)"
declare -a hw hc hr xw xc xr rw rc
for ((r = 1; r <= ROUNDS; r++)); do
  if ((r % 2)); then
    h="$(company headline "$HEADLINE" "$REPLICATIONS" "$r")"; x="$(company x20 "$X20" "$REPLICATIONS_X20" "$r")"
  else
    x="$(company x20 "$X20" "$REPLICATIONS_X20" "$r")"; h="$(company headline "$HEADLINE" "$REPLICATIONS" "$r")"
  fi
  read -r a b c he <<<"$h"
  read -r d e f xe <<<"$x"
  hw+=("$a"); hc+=("$b"); hr+=("$c"); xw+=("$d"); xc+=("$e"); xr+=("$f")
  rw+=("$(awk -v x="$d" -v y="$a" 'BEGIN { print x / y }')")
  rc+=("$(awk -v x="$e" -v y="$b" 'BEGIN { print x / y }')")
  printf '  round %d: headline %s ns/event wall, %s CPU, %s kB (%s events); x20 %s, %s, %s kB (%s events); load %s\n' \
    "$r" "$a" "$b" "$c" "$he" "$d" "$e" "$f" "$xe" "$(load_average)" >&2
done

RATIO="$(median "${rw[@]}")"
printf 'headline (37 people at t=0):  %8.1f ns/event wall  %8.1f ns/event CPU  peak RSS %6.1f MiB\n' \
  "$(median "${hw[@]}")" "$(median "${hc[@]}")" "$(awk -v k="$(median "${hr[@]}")" 'BEGIN { print k / 1024 }')"
printf 'x20      (740 people at t=0): %8.1f ns/event wall  %8.1f ns/event CPU  peak RSS %6.1f MiB\n' \
  "$(median "${xw[@]}")" "$(median "${xc[@]}")" "$(awk -v k="$(median "${xr[@]}")" 'BEGIN { print k / 1024 }')"
printf 'x20 / headline cost per event: %.2fx wall, %.2fx CPU (median of per-round ratios); goal <= 1.2x wall: %s\n' \
  "$RATIO" "$(median "${rc[@]}")" "$(awk -v r="$RATIO" 'BEGIN { print (r <= 1.2 ? "met" : "NOT met") }')"
echo "load average: $LOAD_START at start, $(load_average) at end, on $(nproc) CPUs"
