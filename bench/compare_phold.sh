#!/usr/bin/env bash
# Side-by-side PHOLD comparison (issue 2's performance goals) in one run.
#
#   bench/compare_phold.sh [BUILD_DIR]      # default BUILD_DIR: build
#
# Runs, in rounds, each program once per size, so every ratio compares runs
# made moments apart on the same machine; prints the median events/s of each
# and the median over rounds of the per-round ratios:
#   * orgsim-phold (the kernel through its public API, default calendar),
#     the same with the losing calendars (--calendar 4ary-heap, binary-heap),
#     and phold-baseline (std::priority_queue + mt19937_64, -O2),
#     at N=1024 M=1, N=1024 M=16 and N=65536 M=16 (1k, 16k and 1M pending);
#   * orgsim-phold against SimPy 2 (bench/phold_simpy.py) at N=1024 M=16,
#     SimPy with a shorter end time (events/s is stationary in T).
# mean=1, lookahead=0, remote=1 throughout. Knobs (environment):
#   ROUNDS=5 SIMPY_ROUNDS=3 T_1K=1000 T_16K=100 T_1M=3 T_SIMPY=10 SEED=1
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
ROUNDS="${ROUNDS:-5}"
SIMPY_ROUNDS="${SIMPY_ROUNDS:-3}"
T_1K="${T_1K:-1000}"
T_16K="${T_16K:-100}"
T_1M="${T_1M:-3}"
T_SIMPY="${T_SIMPY:-10}"
SEED="${SEED:-1}"

ORGSIM="$BUILD/bench/orgsim-phold"
BASELINE="$BUILD/bench/phold-baseline"
PYTHON=/usr/bin/python3  # Debian's python3-simpy lives there
[[ -x "$PYTHON" ]] || PYTHON=python3
for exe in "$ORGSIM" "$BASELINE"; do
  [[ -x "$exe" ]] || { echo "compare_phold.sh: $exe not built (cmake --build $BUILD)" >&2; exit 2; }
done
"$PYTHON" -c 'import SimPy.Simulation' 2>/dev/null || {
  echo "compare_phold.sh: SimPy 2 not importable by $PYTHON (apt-get install python3-simpy)" >&2
  exit 2
}

RESULTS="$(mktemp)"
trap 'rm -f "$RESULTS"' EXIT

# run LABEL SIZE ROUND command... : appends "LABEL SIZE ROUND events_per_s".
run() {
  local label="$1" size="$2" round="$3"
  shift 3
  local last
  last="$("$@" | tail -n 1)"
  local rate="${last##*events_per_s=}"
  [[ "$last" == events=* && -n "$rate" ]] || { echo "bad output from $*: $last" >&2; exit 1; }
  echo "$label $size $round $rate" >>"$RESULTS"
  printf '  %-12s %-4s round %d: %s\n' "$label" "$size" "$round" "$last" >&2
}

declare -A ARGS=(
  [1k]="--lps 1024 --per-lp 1 --end $T_1K"
  [16k]="--lps 1024 --per-lp 16 --end $T_16K"
  [1M]="--lps 65536 --per-lp 16 --end $T_1M"
)
COMMON="--mean 1 --lookahead 0 --remote 1 --seed $SEED"

echo "PHOLD comparison: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "  sizes: 1k = N1024 M1 T$T_1K, 16k = N1024 M16 T$T_16K, 1M = N65536 M16 T$T_1M; $ROUNDS rounds" >&2
for ((r = 1; r <= ROUNDS; r++)); do
  for size in 1k 16k 1M; do
    # shellcheck disable=SC2086
    {
      run orgsim "$size" "$r" "$ORGSIM" ${ARGS[$size]} $COMMON
      run baseline "$size" "$r" "$BASELINE" ${ARGS[$size]} $COMMON
      run 4ary-heap "$size" "$r" "$ORGSIM" ${ARGS[$size]} $COMMON --calendar 4ary-heap
      run binary-heap "$size" "$r" "$ORGSIM" ${ARGS[$size]} $COMMON --calendar binary-heap
    }
  done
done
for ((r = 1; r <= SIMPY_ROUNDS; r++)); do
  # shellcheck disable=SC2086
  run orgsim simpy "$r" "$ORGSIM" ${ARGS[16k]} $COMMON
  run simpy simpy "$r" "$PYTHON" "$ROOT/bench/phold_simpy.py" --lps 1024 --per-lp 16 --end "$T_SIMPY" $COMMON
done

"$PYTHON" - "$RESULTS" <<'EOF'
import collections
import statistics
import sys

rate = collections.defaultdict(dict)  # (label, size) -> {round: events/s}
for line in open(sys.argv[1]):
    label, size, rnd, r = line.split()
    rate[(label, size)][int(rnd)] = float(r)


def med(label, size):
    return statistics.median(rate[(label, size)].values())


def ratio(a, b):
    """Median over rounds of a/b, each round's runs made moments apart."""
    rounds = sorted(set(rate[a]) & set(rate[b]))
    return statistics.median(rate[a][r] / rate[b][r] for r in rounds)


labels = ["orgsim", "4ary-heap", "binary-heap", "baseline"]
names = {"orgsim": "orgsim (radix)", "4ary-heap": "4-ary heap", "binary-heap": "binary heap",
         "baseline": "baseline loop"}
print("PHOLD events/s (median over rounds); mean=1 lookahead=0 remote=1")
print("%-16s" % "size (pending)" + "".join("%16s" % names[l] for l in labels) + "%18s" % "orgsim/baseline")
for size in ["1k", "16k", "1M"]:
    row = "".join("%16.3e" % med(l, size) for l in labels)
    print("%-16s" % size + row + "%17.2fx" % ratio(("orgsim", size), ("baseline", size)))
print("%-16s" % "drop 16k->1M" + "".join(
    "%15.2fx" % ratio((l, "16k"), (l, "1M")) for l in labels))
for size in ["1k", "16k", "1M"]:
    print("%-16s" % ("orgsim/x " + size) + "".join(
        "%15.2fx" % ratio(("orgsim", size), (l, size)) for l in labels))
simpy = ratio(("orgsim", "simpy"), ("simpy", "simpy"))
print("SimPy 2 at N=1024 M=16: %.3e events/s; orgsim/SimPy = %.1fx"
      % (med("simpy", "simpy"), simpy))
print()
checks = [
    ("orgsim/baseline at 16k >= 1.5", ratio(("orgsim", "16k"), ("baseline", "16k")) >= 1.5),
    ("orgsim/SimPy >= 50", simpy >= 50),
    ("orgsim drop 16k->1M <= 1.5", ratio(("orgsim", "16k"), ("orgsim", "1M")) <= 1.5),
]
for name, ok in checks:
    print("goal %-32s %s" % (name, "met" if ok else "NOT met"))
EOF
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs (other work on the machine skews the ratios)"
