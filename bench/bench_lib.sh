# shellcheck shell=bash
# Shared helpers of the whole-process benchmark scripts in bench/ (sourced,
# not run). A script sets SCRIPT (its name for messages) and BUILD, then:
#
#   require_exe PATH...        exit 2 with a build hint when one is not built
#   require_cmd NAME [PKG]     exit 2 with an apt-get hint when NAME is missing
#   make_scratch               SCRATCH = a fresh temp dir, removed on exit
#   timed OUT cmd...           run cmd (stdout and stderr to OUT.log); write
#                              "wall_s cpu_s max_rss_kb" to OUT.time
#   median X...                the median of the numbers (middle one, or the
#                              mean of the two middle ones)
#   load_average               "1-min 5-min 15-min" from /proc/loadavg
#
# ORGSIM_BENCH_QUICK=1 asks a script for its tiny configuration (the ctest
# smoke tests bench_script_*, tests/bench/): every step runs, no number means anything.

# shellcheck disable=SC2034  # read by the scripts that source this file
QUICK="${ORGSIM_BENCH_QUICK:-0}"

die() {
  echo "$SCRIPT: $*" >&2
  exit 2
}

require_exe() {
  local exe
  for exe in "$@"; do
    [[ -x "$exe" ]] || die "$exe is not built (cmake --build $BUILD --target $(basename "$exe"))"
  done
}

require_cmd() {
  command -v "$1" >/dev/null 2>&1 || die "$1 not found (apt-get install ${2:-$1}; see tools/dev.sh)"
}

make_scratch() {
  SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/orgsim-bench.XXXXXX")"
  # shellcheck disable=SC2064  # expand now: SCRATCH is fixed from here on
  trap "rm -rf '$SCRATCH'" EXIT
}

# Wall time (perf_counter), CPU time (user + system) and peak RSS of the one
# child, from the rusage wait4 returns (what GNU time reads), in microseconds:
# GNU time prints centiseconds, too coarse for a 0.2 s PHOLD run.
timed() {
  local out="$1"
  shift
  if ! python3 - "$out" "$@" <<'PY' >"$out.log" 2>&1; then
import os, sys, time
out, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.execvp(argv[0], argv)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(out + ".time", "w") as f:
    f.write("%.6f %.6f %d\n" % (wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) and 1)
PY
    echo "$SCRIPT: failed: $*" >&2
    tail -n 20 "$out.log" >&2
    exit 1
  fi
}

median() {
  printf '%s\n' "$@" | sort -g |
    awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

load_average() {
  cut -d' ' -f1-3 /proc/loadavg
}

require_cmd python3
