#!/usr/bin/env bash
# The experiment layer's benchmark (issue 5): replication throughput with 1
# and 2 threads against two independent single-thread processes on the same
# machine in the same run (parallel efficiency), the cost of the SQLite store,
# and peak RSS at N and 10N replications.
#
#   bash bench/experiment_bench.sh [BUILD_DIR] [SCENARIO] [REPLICATIONS]
#
# Each measurement is repeated 3 times; the median is reported. Prints JSON
# lines per measurement and a summary.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
SCENARIO="${2:-$ROOT/scenarios/product_led_vs_project_mode.textproto}"
N="${3:-200}"  # per arm; below ~200 (under a second per sample) efficiency is noise
BENCH="$BUILD/bench/orgsim-experiment-bench"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])['$1'])" "$2"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

one() {  # threads store reps -> runs_per_s
  local out
  out="$("$BENCH" --scenario "$SCENARIO" --replications "$3" --threads "$1" --store "$2" --db "$TMP/b$RANDOM.db")"
  echo "$out" >&2
  field runs_per_s "$out"
}

declare -a t1 t2 pair off on
for i in 1 2 3; do
  t1+=("$(one 1 sqlite "$N")")
  t2+=("$(one 2 sqlite "$N")")
  # Two independent single-thread processes at once: their summed rate.
  "$BENCH" --scenario "$SCENARIO" --replications "$N" --threads 1 --store sqlite --db "$TMP/p1.db" >"$TMP/p1.json" &
  "$BENCH" --scenario "$SCENARIO" --replications "$N" --threads 1 --store sqlite --db "$TMP/p2.db" >"$TMP/p2.json" &
  wait
  cat "$TMP/p1.json" "$TMP/p2.json" >&2
  pair+=("$(python3 -c "import json; print(sum(json.load(open(f))['runs_per_s'] for f in ['$TMP/p1.json','$TMP/p2.json']))")")
  off+=("$(one 1 none "$N")")
  on+=("$(one 1 sqlite "$N")")
done
T1="$(median "${t1[@]}")"; T2="$(median "${t2[@]}")"; P="$(median "${pair[@]}")"
OFF="$(median "${off[@]}")"; ON="$(median "${on[@]}")"

rss() {  # reps -> peak RSS (kB) of a stored + summarized run
  field peak_rss_kb "$("$BENCH" --scenario "$SCENARIO" --replications "$1" --threads 2 --store sqlite --summary --db "$TMP/r.db")"
}
# The store's own share: time inside the store's Write() / run time (1 thread).
SHARE="$(python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(d['store_seconds']/d['seconds'])" \
  "$("$BENCH" --scenario "$SCENARIO" --replications "$N" --threads 1 --store sqlite --db "$TMP/s.db")")"
R1="$(rss "$N")"
R10="$(rss $((10 * N)))"

python3 - "$T1" "$T2" "$P" "$OFF" "$ON" "$R1" "$R10" "$N" "$SHARE" <<'PY'
import sys
t1, t2, pair, off, on, r1, r10 = map(float, sys.argv[1:8]); n = int(sys.argv[8]); share = float(sys.argv[9])
print(f"runs/s, 1 thread:                     {t1:.1f}")
print(f"runs/s, 2 threads:                    {t2:.1f}  (speed-up {t2/t1:.2f}x)")
print(f"runs/s, 2 independent processes:      {pair:.1f}")
print(f"parallel efficiency (2 threads / 2 processes): {100*t2/pair:.1f}%  (goal >= 90%)")
print(f"store cost (1 thread, off {off:.1f} vs on {on:.1f} runs/s): {100*(off/on-1):.1f}%  (goal < 5%)")
print(f"store share of wall time (inside the store's Write, 1 thread): {100*share:.2f}%")
print(f"peak RSS, {n} reps/arm: {r1/1024:.1f} MiB; {10*n} reps/arm: {r10/1024:.1f} MiB "
      f"({100*(r10/r1-1):+.1f}%, goal within 10%)")
PY
