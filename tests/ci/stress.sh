#!/usr/bin/env bash
# Scale stress test (issue 7): a Latin-hypercube sweep of thousands of small
# runs with --threads well above the core count. Checks that
#   * every (point, arm, replication) row is present exactly once, all 'ok';
#   * peak memory stays flat: the same design with 10x the replications (10x
#     the runs) peaks within 10% plus 2 MiB (SQLite's page cache fills up to its
#     default 2 MiB cap as the database grows; nothing else may grow)
#     of the small one;
#   * the rows do not depend on the thread count (1 thread vs oversubscribed).
#
#   bash tests/ci/stress.sh [BUILD_DIR]      (default build/; RUNS_SCALE=N multiplies the size)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${1:-$ROOT/build}"
ORGSIM="$BUILD/orgsim"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
THREADS=$(( $(nproc) * 4 ))
SCALE="${RUNS_SCALE:-1}"

scenario() {  # points replications -> scenario text with 2 arms
  cat <<TXT
name: "stress"
description: "Stress test: many small runs"
seed: 11
replications: $2
horizon_days: 180
organization {
  teams { name: "eng" role: ROLE_ENGINEERING initial_headcount: 3 }
  teams { name: "founders" role: ROLE_EXECUTIVE initial_headcount: 1 }
  teams { name: "sales" role: ROLE_SALES initial_headcount: 1 reports_to: "founders" }
  teams { name: "product" role: ROLE_PRODUCT initial_headcount: 1 }
}
market { segments { name: "smb" potential_customers: 200 price_per_month: 500 } }
arms { name: "a" }
arms { name: "b" set { path: "organization.pm.outcome_orientation" value: 0.9 } }
experiment {
  baseline: "a"
  metrics: "profit_total"
  sweep {
    parameters { path: "organization.pm.people_sense" min: 0 max: 1 }
    parameters { path: "organization.operating.ceremony_hours_per_week" min: 0 max: 8 }
    latin_hypercube { count: $1 }
  }
}
TXT
}

sweep() {  # replications threads db -> peak RSS in KiB
  scenario "$POINTS" "$1" >"$TMP/s$1.textproto"
  if ! /usr/bin/time -f '%M' -o "$TMP/rss" "$ORGSIM" sweep "$TMP/s$1.textproto" --threads "$2" \
      --db "$3" --quiet >/dev/null; then
    echo "stress: orgsim sweep of $POINTS points x $1 replications with --threads $2 failed: $(head -1 "$TMP/rss")" >&2
    return 1
  fi
  tail -1 "$TMP/rss"
}

check_rows() {  # db replications
  local expected=$(( POINTS * 2 * $2 ))
  local got
  got="$(sqlite3 "$1" "SELECT COUNT(*), COUNT(DISTINCT point || '/' || arm || '/' || replication),
           SUM(status = 'ok'), MIN(point), MAX(point) FROM runs")"
  if [[ "$got" != "$expected|$expected|$expected|0|$(( POINTS - 1 ))" ]]; then
    echo "stress: $1: expected $expected unique ok rows over points 0..$(( POINTS - 1 )), got $got" >&2
    exit 1
  fi
}

POINTS=$(( 200 * SCALE )); SMALL=1; LARGE=10
rss_small="$(sweep "$SMALL" "$THREADS" "$TMP/small.db")" || exit 1
check_rows "$TMP/small.db" "$SMALL"
start=$(date +%s.%N)
rss_large="$(sweep "$LARGE" "$THREADS" "$TMP/large.db")" || exit 1
wall=$(python3 -c "import time; print(round(time.time() - $start, 1))")
check_rows "$TMP/large.db" "$LARGE"
echo "stress: $(( POINTS * 2 * SMALL )) runs peak ${rss_small} KiB; $(( POINTS * 2 * LARGE )) runs peak ${rss_large} KiB" \
     "(--threads $THREADS on $(nproc) cores, ${wall} s)"
python3 - "$rss_small" "$rss_large" <<'PY'
import sys
small, large = map(int, sys.argv[1:])
if large > small * 1.10 + 2048:
    sys.exit(f"stress: peak RSS grew from {small} KiB to {large} KiB with 10x the runs")
PY

# The same rows with one thread (the oversubscribed run must not differ).
"$ORGSIM" sweep "$TMP/s$SMALL.textproto" --threads 1 --db "$TMP/one.db" --quiet >/dev/null ||
  { echo "stress: orgsim sweep with --threads 1 failed" >&2; exit 1; }
q="SELECT point, arm, replication, seed, fingerprint, profit_total FROM runs ORDER BY 1, 2, 3"
if ! cmp -s <(sqlite3 "$TMP/small.db" "$q") <(sqlite3 "$TMP/one.db" "$q"); then
  echo "stress: rows differ between --threads $THREADS and --threads 1" >&2
  exit 1
fi
echo "stress: all rows present exactly once; memory flat; thread count does not change rows"
