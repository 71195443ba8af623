#!/usr/bin/env bash
# A real single-node Slurm cluster runs a 4-shard orgsim sweep as a job array
# and the dependent merge job (tools/slurm/); the merged database must equal a
# single-process `orgsim sweep` row for row.
#
#   bash tests/ci/slurm.sh            # as root; run by `tools/dev.sh test`
#
# Starts munged (as the munge user), slurmctld and slurmd with a minimal
# slurm.conf in a scratch folder (facts: shared/infra-facts.md), on private
# ports, and stops exactly the daemons it started, by PID, on every exit path.
# Installs slurmctld slurmd slurm-client munge if they are missing.
# Environment: ORGSIM_BIN (default build/orgsim), ORGSIM_SLURM_TIMEOUT (s, 300).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
ORGSIM_BIN="$(realpath "${ORGSIM_BIN:-build/orgsim}")"
TIMEOUT="${ORGSIM_SLURM_TIMEOUT:-300}"
SCENARIO="$ROOT/tests/experiment/data/small_company.textproto"
SHARDS=4
REPLICATIONS=3

log() { printf '[slurm.sh] %s\n' "$*" >&2; }
fail() {
  log "FAIL: $*"
  exit 1
}

[[ $(id -u) -eq 0 ]] || fail "must run as root (starts slurmctld, slurmd and munged)"
[[ -x "$ORGSIM_BIN" ]] || fail "no orgsim binary at $ORGSIM_BIN (build first, or set ORGSIM_BIN)"

# --- packages ---------------------------------------------------------------
missing=()
for pkg in slurmctld slurmd slurm-client munge; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]} > 0)); then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}" >/dev/null; then
    apt-get -o DPkg::Lock::Timeout=600 update -q >/dev/null
    apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# --- scratch folder and cleanup -----------------------------------------------
SCRATCH="$(mktemp -d /tmp/orgsim-slurm.XXXXXX)"
STARTED_MUNGED=0
MUNGED_PID_FILE=/run/munge/munged.pid
CTLD_PID_FILE="$SCRATCH/slurmctld.pid"
SLURMD_PID_FILE="$SCRATCH/slurmd.pid"
export SLURM_CONF="$SCRATCH/slurm.conf"

# Kills the process whose PID is in FILE (if alive) and waits for it.
stop_pid_file() {
  local file="$1" pid
  [[ -s "$file" ]] || return 0
  pid="$(cat "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || return 0
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
}

cleanup() {
  local status=$?
  set +e
  if [[ -s "$CTLD_PID_FILE" ]]; then
    scontrol shutdown >/dev/null 2>&1
    for _ in $(seq 30); do
      [[ -s "$CTLD_PID_FILE" ]] && kill -0 "$(cat "$CTLD_PID_FILE")" 2>/dev/null || break
      sleep 0.1
    done
  fi
  stop_pid_file "$SLURMD_PID_FILE"
  stop_pid_file "$CTLD_PID_FILE"
  if ((STARTED_MUNGED)); then stop_pid_file "$MUNGED_PID_FILE"; fi
  if ((status != 0)); then
    log "logs of the failed run:"
    for f in "$SCRATCH"/log/*.log "$SCRATCH"/out/logs/*.out; do
      [[ -f "$f" ]] && { echo "--- $f" >&2; tail -n 30 "$f" >&2; }
    done
  fi
  rm -rf "$SCRATCH"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$SCRATCH"/{spool,state,log,out}

# --- munge --------------------------------------------------------------------
if munge -n >/dev/null 2>&1; then
  log "munged already running; using it"
else
  mkdir -p /run/munge
  chown munge:munge /run/munge
  chmod 0755 /run/munge
  runuser -u munge -- munged
  STARTED_MUNGED=1
  for _ in $(seq 100); do
    munge -n >/dev/null 2>&1 && break
    sleep 0.1
  done
  munge -n >/dev/null 2>&1 || fail "munged did not start"
fi

# --- slurm.conf -----------------------------------------------------------------
cpus="$(nproc)"
cat >"$SLURM_CONF" <<EOF
ClusterName=orgsimci
SlurmctldHost=localhost
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MailProg=/bin/true
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SlurmctldPidFile=$CTLD_PID_FILE
SlurmdPidFile=$SLURMD_PID_FILE
SlurmdSpoolDir=$SCRATCH/spool
StateSaveLocation=$SCRATCH/state
SlurmctldLogFile=$SCRATCH/log/slurmctld.log
SlurmdLogFile=$SCRATCH/log/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=2000
PartitionName=debug Nodes=localhost Default=YES State=UP
EOF

log "starting slurmctld and slurmd"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF" -N localhost
for _ in $(seq 200); do
  state="$(sinfo -h -o %T 2>/dev/null | head -n1 || true)"
  [[ "$state" == idle ]] && break
  sleep 0.1
done
[[ "$state" == idle ]] || fail "the node did not become idle (state: '$state')"

# --- the reference: one process --------------------------------------------------
log "single-process reference sweep"
"$ORGSIM_BIN" sweep "$SCENARIO" -n "$REPLICATIONS" --db "$SCRATCH/single.db" --quiet >/dev/null

# --- the array job and the merge ---------------------------------------------------
log "submitting a $SHARDS-task array sweep and the dependent merge job"
read -r array_job merge_job < <(ORGSIM="$ORGSIM_BIN" SBATCH_ARRAY_OPTS="--chdir=$SCRATCH" \
  SBATCH_MERGE_OPTS="--chdir=$SCRATCH" \
  tools/slurm/submit_sweep.sh "$SCENARIO" "$SHARDS" "$SCRATCH/out" -n "$REPLICATIONS")
[[ -n "${array_job:-}" && -n "${merge_job:-}" ]] || fail "submission failed"
log "array job $array_job, merge job $merge_job"

deadline=$((SECONDS + TIMEOUT))
while [[ -n "$(squeue -h -j "$array_job,$merge_job" 2>/dev/null)" ]]; do
  ((SECONDS < deadline)) || fail "jobs still queued after ${TIMEOUT}s: $(squeue -h -j "$array_job,$merge_job")"
  sleep 0.2
done

for ((k = 0; k < SHARDS; k++)); do
  [[ -f "$SCRATCH/out/shard-$k-of-$SHARDS.db" ]] || fail "array task $k wrote no shard database"
done
[[ -f "$SCRATCH/out/merged.db" ]] || fail "the merge job wrote no merged database"

# --- compare row for row -------------------------------------------------------------
for table in runs points; do
  "$ORGSIM_BIN" export --db "$SCRATCH/single.db" --table "$table" --format csv >"$SCRATCH/single.$table.csv"
  "$ORGSIM_BIN" export --db "$SCRATCH/out/merged.db" --table "$table" --format csv >"$SCRATCH/merged.$table.csv"
  if ! cmp -s "$SCRATCH/single.$table.csv" "$SCRATCH/merged.$table.csv"; then
    diff "$SCRATCH/single.$table.csv" "$SCRATCH/merged.$table.csv" | head -n 20 >&2
    fail "table $table of the merged database differs from the single-process sweep"
  fi
done
rows=$(($(wc -l <"$SCRATCH/single.runs.csv") - 1))
shards_seen="$("$ORGSIM_BIN" export --db "$SCRATCH/out/merged.db" --table batches --format csv |
  awk -F, 'NR > 1 && $3 != "" { print $3 }' | sort -u | tr '\n' ' ')"
log "OK: merged database of $SHARDS array tasks (shards: $shards_seen) equals the single-process sweep ($rows runs)"
