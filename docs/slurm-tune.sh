#!/usr/bin/env bash
# Run an infomorph-tui γ study (`tune`) as a SLURM array job: every array
# task is one process of the same study, working in one folder on a shared
# file system. The processes form ONE study: each claims trial numbers and
# leases with create-exclusive files, reads every finished trial before
# proposing, and never duplicates or loses a trial (docs/tuning.md).
#
#   export TUNE_DIR=/shared/studies/lateral-tpe     # one folder for all tasks
#   sbatch --array=1-8 docs/slurm-tune.sh \
#       --preset mnist-lateral --sampler tpe --trials 500 --epochs 100
#
# Everything after the script's name is passed to `infomorph-tui tune` (do
# not pass --study or --jobs: this script sets them). Every task gets the
# same arguments, so any array works (--array=1-8, --array=1,4,9, a task
# submitted alone); to add processes later, submit more tasks with the same
# arguments, or `tune --study DIR` alone. A task ends (status 0) when the
# study has its --trials trials and none is left that nobody trains.
#
# Resources: the node must have --cpus-per-task CPUs. A request larger than
# every node of the partition is accepted and then pends for ever (squeue
# reason PartitionConfig) without an error; `sinfo -o '%P %c %m'` shows the
# CPUs and memory (MB) per node. Each task trains --cpus-per-task trials at
# once, one core each.
#
# Time limits and preemption: SLURM sends SIGTERM two minutes before the time
# limit (--signal below); this script passes it on, tune saves the trials in
# progress (runs/*.part.json), releases their leases and exits with status
# 130 (a repeated SIGTERM, from SLURM and from this script, does not skip the
# save), and this script requeues the task. Meanwhile other tasks may take
# the saved trials over; whoever does continues them exactly where they
# stopped. If a task dies without saving (SIGKILL after KillWait, a node
# failure), its trials are taken over by the others once their leases go
# stale (2 minutes without a heartbeat; at once on the same node), and
# continue from the last saved state or from the start; finished trials are
# never trained again. A requeued task waits about two minutes (squeue
# reason BeginTime) before it starts again.
#   SIGTERM to this script (--signal, `scancel -b -s TERM`)  requeued here
#   `scontrol requeue`, preemption with requeue             requeued by SLURM
#   `scancel` (the whole job)                                 not requeued
# Set REQUEUE=0 to stop instead of requeueing. To try it:
#   scancel -b -s TERM <jobid>_<task>    # -b: only this script gets the signal;
#                                        # plain `scancel -s TERM` reaches no one
#
# Environment:
#   TUNE_DIR        the study folder (required; on a file system all nodes see)
#   INFOMORPH_BIN   the binary (default: infomorph-tui on PATH; build it once
#                   with `go build -o ~/bin/infomorph-tui .`)
#   INFOMORPH_DATA  folder with the MNIST idx files, if the nodes have no Go
#                   module cache with the GoMNIST module
#   REQUEUE         1 (default): requeue the task after a SIGTERM
#
# Exit status: 0 when there is nothing left for the task or it was
# requeued, 130 when the task was interrupted and not requeued (its trials
# are saved), 2 for bad arguments or another study in the folder, otherwise
# tune's own status.
#
# Afterwards: infomorph-tui tune --study "$TUNE_DIR" --best;
#             infomorph-tui plot "$TUNE_DIR" -o study.png; infomorph-tui --study "$TUNE_DIR"
#
#SBATCH --job-name=infomorph-tune
#SBATCH --array=1-4
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=04:00:00
#SBATCH --output=infomorph-tune-%A_%a.log
#SBATCH --signal=B:TERM@120
#SBATCH --requeue
#SBATCH --open-mode=append

set -euo pipefail

log() { echo "$(date -Is) $*"; }
die() {
  echo "slurm-tune.sh: $*" >&2
  exit 2
}

: "${TUNE_DIR:?set TUNE_DIR to the study folder (on a shared file system)}"
bin=${INFOMORPH_BIN:-infomorph-tui}
requeue=${REQUEUE:-1}
command -v "$bin" >/dev/null || die "$bin: not found (set INFOMORPH_BIN to the infomorph-tui binary)"
for a in "$@"; do
  case "$a" in
  --study | --study=* | -study | -study=* | --jobs | --jobs=* | -jobs | -jobs=* | --best | -best)
    die "do not pass ${a%%=*}: this script sets --study (\$TUNE_DIR) and --jobs" ;;
  esac
done
jobs=${SLURM_CPUS_PER_TASK:-1}

log "task ${SLURM_ARRAY_TASK_ID:-0} on $(hostname), $jobs trials at a time, study $TUNE_DIR"

# Run tune in the background so that this shell can pass a SIGTERM sent to
# it alone (--signal=B:…, scancel -b) on: a shell waiting for a foreground
# child would run no trap until the child had ended.
child=
signals=0
forward() {
  signals=$((signals + 1))
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; fi
}
trap forward TERM INT
"$bin" tune "$@" --study "$TUNE_DIR" --jobs "$jobs" &
child=$!
if [ "$signals" -gt 0 ]; then kill -TERM "$child" 2>/dev/null || true; fi

# Wait by polling, not with `wait` alone: a trapped signal ends a `wait`
# early, and when tune exits at that moment bash can lose its status.
# `kill -0` fails once the shell has reaped tune, which keeps its status for
# the one `wait` below.
while kill -0 "$child" 2>/dev/null; do
  sleep 1 &
  wait $! || true
done
trap '' TERM INT
status=0
wait "$child" || status=$?

log "task ${SLURM_ARRAY_TASK_ID:-0} ended with status $status"
if [ "$status" -ne 130 ] || [ "$requeue" != 1 ] || [ -z "${SLURM_JOB_ID:-}" ]; then
  exit "$status"
fi

# The study process was interrupted and saved its trials in progress. Who stopped it decides what
# follows; `scontrol show job` tells, while this script still runs:
#   JobState=RUNNING                 a signal to this script alone (--signal=B:…,
#                                    scancel -b): requeue
#   COMPLETING, Reason=TimeLimit     the hard time limit: requeue
#   Restarts above SLURM_RESTART_COUNT, or PENDING
#                                    SLURM has requeued the job (scontrol requeue,
#                                    preemption): nothing to do (requeueing
#                                    again fails with "Job is pending execution")
#   COMPLETING otherwise, CANCELLED  scancel: the user wants it stopped
# Name the task as ARRAYJOB_TASK: the last task's own SLURM_JOB_ID is the
# array's id, and `scontrol requeue` of that requeues every task of the array.
job=$SLURM_JOB_ID
if [ -n "${SLURM_ARRAY_JOB_ID:-}" ]; then job=${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}; fi
info=
field() { grep -o " $1=[^ ]*" <<<" $info" | head -n 1 | cut -d= -f2- || true; }
requeued() { # has SLURM requeued the job already?
  local restarts
  info=$(scontrol -o show job "$job" 2>/dev/null | head -n 1 || true)
  restarts=$(field Restarts)
  case "$(field JobState)" in PENDING | REQUEUE* | SPECIAL_EXIT) return 0 ;; esac
  [ "${restarts:-0}" -gt "${SLURM_RESTART_COUNT:-0}" ] 2>/dev/null
}
if requeued; then
  log "job $job has been requeued by SLURM; it continues the study"
  exit 0
fi
jobstate=$(field JobState) reason=$(field Reason)
case "$jobstate/$reason" in
RUNNING/* | COMPLETING/TimeLimit | TIMEOUT/* | PREEMPTED/* | /*) ;;
*)
  log "job $job is ending (JobState=$jobstate Reason=$reason: scancel?), not requeueing;" \
    "submit the same command again to continue"
  exit "$status"
  ;;
esac
log "requeueing job $job to continue the study"
if out=$(scontrol requeue "$job" 2>&1); then
  exit 0
fi
if requeued; then
  log "job $job has been requeued by SLURM; it continues the study"
  exit 0
fi
log "could not requeue job $job: $out"
log "its trials are saved: submit the same command again to continue"
exit "$status"
