#!/usr/bin/env bash
# Smoke test of one bench/ script (ctest bench_script_*): runs it in its tiny
# configuration (ORGSIM_BENCH_QUICK=1) from an empty working directory and
# checks that it printed its summary line and left no file behind, neither in
# the working directory nor in TMPDIR. Times nothing.
#
#   tests/bench/smoke.sh SCRIPT BUILD_DIR EXPECTED_REGEX
set -euo pipefail
script="$1" build="$2" expected="$3"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/cwd" "$work/tmp"
cd "$work/cwd"
rc=0
out="$(ORGSIM_BENCH_QUICK=1 TMPDIR="$work/tmp" bash "$script" "$build" 2>&1)" || rc=$?
if ((rc != 0)); then
  echo "$out"
  echo "smoke: $script exited with status $rc" >&2
  exit 1
fi
echo "$out"
grep -Eq "$expected" <<<"$out" || { echo "smoke: no line matching '$expected'" >&2; exit 1; }
left="$(find "$work/cwd" "$work/tmp" -mindepth 1)"
[[ -z "$left" ]] || { echo "smoke: $script left files behind:" >&2; echo "$left" >&2; exit 1; }
