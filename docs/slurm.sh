#!/usr/bin/env bash
# Run an infomorph-tui γ sweep or γ study as a SLURM array job, every array
# task working in one folder on a shared file system:
#
#   sweep: every task trains one shard of the sweep (`sweep --shard K/N`);
#          each finished run is its own file in SWEEP_DIR/runs/ and every
#          shard rewrites SWEEP_DIR/results.csv from all run files when it
#          ends, so the folder needs no merging (docs/sweeps.md).
#   tune:  every task is one process of the same study (`tune --study`):
#          each claims trial numbers and leases with create-exclusive files,
#          reads every finished trial before proposing, and never duplicates
#          or loses a trial (docs/tuning.md).
#
#   export SWEEP_DIR=/shared/sweeps/context-grid     # one folder for all shards
#   sbatch --array=1-8 docs/slurm.sh sweep \
#       --preset mnist-context --vary '{1}=-1:1:9' --vary '{1}{2}=0:2:9' \
#       --seeds 3 --epochs 20
#
#   export TUNE_DIR=/shared/studies/lateral-tpe      # one folder for all tasks
#   sbatch --array=1-8 --cpus-per-task=2 docs/slurm.sh tune \
#       --preset mnist-lateral --sampler tpe --trials 500 --epochs 100
#
# The first argument is the command; everything after it is passed to
# `infomorph-tui sweep` or `infomorph-tui tune` (do not pass --out, --shard,
# --study or --jobs: this script sets them). Sweep: the array size is the
# number of shards, the K-th task of an array of N runs `--shard K/N`; the
# array must be a range, with or without a step (--array=1-8, --array=0-7,
# --array=0-30:10, --array=1-8%2); a list with gaps (--array=1,3,7) is
# refused, as its tasks would not cover the sweep. Tune: every task gets
# the same arguments, so any array works (a task submitted alone too; to add
# processes later, submit more tasks with the same arguments); a task ends
# (status 0) when the study has its --trials trials and none is left that
# nobody trains.
#
# Resources: the node must have --cpus-per-task CPUs. A request larger than
# every node of the partition is accepted and then pends for ever (squeue
# reason PartitionConfig) without an error; `sinfo -o '%P %c %m'` shows the
# CPUs and memory (MB) per node. Each task trains --cpus-per-task runs (or
# trials) at once, one core each.
#
# Time limits and preemption: SLURM sends SIGTERM two minutes before the time
# limit (--signal below); this script passes it on, the command saves its
# runs in progress (runs/*.part.json; tune also releases its leases) and
# exits with status 130, and this script requeues the task, which continues
# exactly where it stopped (results are identical to an uninterrupted run;
# in a study, other tasks may take the saved trials over meanwhile). When
# SLURM signals the whole job the command saves the same way, within
# KillWait (default 30 s); a second SIGTERM does not cut the save short. If
# a study task dies without saving (SIGKILL after KillWait, a node failure),
# the others take its trials over once their leases go stale (2 minutes
# without a heartbeat; at once on the same node). Then:
#   SIGTERM to this script (--signal, scancel -b -s TERM)   requeued here
#   the hard time limit                                      requeued here
#   scontrol requeue, preemption with requeue               requeued by SLURM
#   scancel (the job or the task)                            stops, status 130
# A requeued task waits about two minutes (squeue reason BeginTime) before it
# starts again. Submitting the same command again continues any sweep or
# study: finished runs are never trained again. REQUEUE=0: stop instead of
# requeueing. To try it, `scancel -b -s TERM <jobid>_<task>`: without -b
# the signal goes only to job steps, and this script starts none.
#
# Environment:
#   SWEEP_DIR       sweep: the sweep folder (on a file system all nodes see)
#   TUNE_DIR        tune: the study folder (on a file system all nodes see)
#   INFOMORPH_BIN   the binary (default: infomorph-tui on PATH; build it once
#                   with `go build -o ~/bin/infomorph-tui .`)
#   INFOMORPH_DATA  folder with the MNIST idx files, if the nodes have no Go
#                   module cache with the GoMNIST module
#   REQUEUE         1 (default): requeue the task after a SIGTERM
#
# Exit status: 0 when the task's work is done or the task was requeued, 130
# when it was interrupted and not requeued (its runs are saved), 2 for a bad
# command, array or arguments (or another study in the folder), otherwise
# the command's own status.
#
# Afterwards: infomorph-tui show "$SWEEP_DIR"; infomorph-tui plot "$SWEEP_DIR" -o sweep.png
#             infomorph-tui tune --study "$TUNE_DIR" --best; infomorph-tui --study "$TUNE_DIR"
#
#SBATCH --job-name=infomorph
#SBATCH --array=1-4
#SBATCH --cpus-per-task=4
#SBATCH --mem=4G
#SBATCH --time=04:00:00
#SBATCH --output=infomorph-%A_%a.log
#SBATCH --signal=B:TERM@120
#SBATCH --requeue
#SBATCH --open-mode=append

set -euo pipefail

log() { echo "$(date -Is) $*"; }
die() {
  echo "slurm.sh: $*" >&2
  exit 2
}

cmd=${1:-}
[ $# -gt 0 ] && shift
bin=${INFOMORPH_BIN:-infomorph-tui}
requeue=${REQUEUE:-1}
jobs=${SLURM_CPUS_PER_TASK:-1}
case "$cmd" in
sweep)
  : "${SWEEP_DIR:?set SWEEP_DIR to the sweep folder (on a shared file system)}"
  forbidden="--out --shard --jobs" what=runs
  ;;
tune)
  : "${TUNE_DIR:?set TUNE_DIR to the study folder (on a shared file system)}"
  forbidden="--study --jobs --best" what=trials
  ;;
*) die "the first argument is the command, sweep or tune (got \"$cmd\")" ;;
esac
command -v "$bin" >/dev/null || die "$bin: not found (set INFOMORPH_BIN to the infomorph-tui binary)"
for a in "$@"; do
  case "$a" in -*) ;; *) continue ;; esac
  flag=${a%%=*} flag=${flag#-} flag=--${flag#-} # -out, --out=x → --out
  for f in $forbidden; do
    if [ "$flag" = "$f" ]; then
      die "do not pass ${a%%=*}: this script sets ${forbidden// /, }"
    fi
  done
done

# Sweep: the shard is this task's position in the array (1-based) of the
# array's size, whatever its first index and step. SLURM gives every task of
# an array the same COUNT, MIN, MAX and STEP (a requeued task too); a list
# with gaps shows up as COUNT smaller than the range, and is refused.
shard=1 count=1
if [ "$cmd" = sweep ] && [ -n "${SLURM_ARRAY_TASK_ID:-}" ]; then
  task=$SLURM_ARRAY_TASK_ID
  count=${SLURM_ARRAY_TASK_COUNT:-0}
  min=${SLURM_ARRAY_TASK_MIN:-$task}
  max=${SLURM_ARRAY_TASK_MAX:-$task}
  step=${SLURM_ARRAY_TASK_STEP:-1}
  if [ "$step" -lt 1 ] || [ $(((max - min) % step)) -ne 0 ] ||
    [ $(((max - min) / step + 1)) -ne "$count" ] || [ $(((task - min) % step)) -ne 0 ]; then
    die "array task $task: the array (${count} tasks from $min to $max, step $step) is not a range;" \
      "submit a range such as --array=1-8 (tasks whose runs are all finished end at once)," \
      "or rerun one task with scontrol requeue <jobid>_<task>"
  fi
  shard=$(((task - min) / step + 1))
fi

case "$cmd" in
sweep)
  where="shard $shard/$count"
  args=(sweep "$@" --out "$SWEEP_DIR" --shard "$shard/$count" --jobs "$jobs")
  log "$where on $(hostname), $jobs runs at a time, into $SWEEP_DIR"
  ;;
tune)
  where="task ${SLURM_ARRAY_TASK_ID:-0}"
  args=(tune "$@" --study "$TUNE_DIR" --jobs "$jobs")
  log "$where on $(hostname), $jobs trials at a time, study $TUNE_DIR"
  ;;
esac

# Run the command in the background so that this shell can pass a SIGTERM
# sent to it alone (--signal=B:…, scancel -b) on: a shell waiting for a
# foreground child would run no trap until the child had ended. A signal
# that reaches the command twice (SLURM signals the whole job, and this
# script forwards it) is fine: it saves on the first and ignores further
# SIGTERMs.
child=
signals=0
# shellcheck disable=SC2317 # (called by the trap)
forward() {
  signals=$((signals + 1))
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; fi
}
trap forward TERM INT
"$bin" "${args[@]}" &
child=$!
if [ "$signals" -gt 0 ]; then kill -TERM "$child" 2>/dev/null || true; fi

# Wait for the command by polling, not with `wait` alone: a trapped signal ends
# a `wait` early, and when it exits at that moment bash can lose its
# status (a second `wait` then returns 127 or -1). `kill -0` fails once the
# shell has reaped it, which keeps its status for the one `wait` below;
# TERM and INT are ignored from then on, as there is nothing left to forward
# (and requeueing makes SLURM signal this script: it finishes regardless).
exec {tick}<> <(:) # a pipe that never has data: `read -t 1` from it sleeps 1 s
while kill -0 "$child" 2>/dev/null; do
  read -r -t 1 -u "$tick" _ || true # (a `sleep` could be signalled by SLURM too)
done
trap '' TERM INT
status=0
wait "$child" || status=$?

log "$where ended with status $status"
if [ "$status" -ne 130 ] || [ "$requeue" != 1 ] || [ -z "${SLURM_JOB_ID:-}" ]; then
  exit "$status"
fi

# The command was interrupted and saved its $what. Who stopped it decides what
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
  log "job $job has been requeued by SLURM; it continues the interrupted $what"
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
log "requeueing job $job to continue the interrupted $what"
if out=$(scontrol requeue "$job" 2>&1); then
  exit 0
fi
if requeued; then
  log "job $job has been requeued by SLURM; it continues the interrupted $what"
  exit 0
fi
log "could not requeue job $job: $out"
log "its $what are saved: submit the same command again to continue"
exit "$status"
