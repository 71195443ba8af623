#!/usr/bin/env bash
# Submit an orgsim sweep as a Slurm job array plus a dependent merge job.
#
#   tools/slurm/submit_sweep.sh SCENARIO SHARDS OUTDIR [orgsim sweep flags...]
#   # e.g. tools/slurm/submit_sweep.sh scenarios/claims/c10.textproto 64 /scratch/c10 -n 50
#
# Prints "ARRAY_JOB_ID MERGE_JOB_ID". The merged database is OUTDIR/merged.db.
# Extra sbatch options (partition, time, account, cpus) go in SBATCH_ARRAY_OPTS
# and SBATCH_MERGE_OPTS, e.g. SBATCH_ARRAY_OPTS="--partition=long --time=02:00:00".
# ORGSIM (the binary) is exported to the jobs; default: the orgsim found on PATH.
# ORGSIM_COMMAND=explore shards `orgsim explore` instead of `orgsim sweep`.
set -euo pipefail

if [[ $# -lt 3 ]]; then
  echo "usage: $0 SCENARIO SHARDS OUTDIR [orgsim sweep flags...]" >&2
  exit 2
fi
scenario="$(realpath "$1")"
shards="$2"
outdir="$(realpath -m "$3")"
shift 3
if ! [[ "$shards" =~ ^[1-9][0-9]*$ ]]; then
  echo "$0: SHARDS must be a positive integer, got '$shards'" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export ORGSIM="${ORGSIM:-$(command -v orgsim || true)}"
if [[ -z "$ORGSIM" || ! -x "$ORGSIM" ]]; then
  echo "$0: set ORGSIM to the orgsim binary (not found on PATH)" >&2
  exit 2
fi
# Refuse an invalid scenario before anything is queued.
"$ORGSIM" validate --quiet "$scenario"
mkdir -p "$outdir/logs"

# shellcheck disable=SC2086
array_job="$(sbatch --parsable --export=ALL --array="0-$((shards - 1))" \
  --output="$outdir/logs/shard-%a.out" ${SBATCH_ARRAY_OPTS:-} \
  "$here/sweep_array.sbatch" "$scenario" "$outdir" "$@")"
array_job="${array_job%%;*}"
# shellcheck disable=SC2086
merge_job="$(sbatch --parsable --export=ALL --dependency="afterok:$array_job" \
  --output="$outdir/logs/merge.out" ${SBATCH_MERGE_OPTS:-} \
  "$here/merge.sbatch" "$outdir" "$shards" "$outdir/merged.db")"
merge_job="${merge_job%%;*}"
echo "$array_job $merge_job"
