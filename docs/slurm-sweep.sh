#!/usr/bin/env bash
# Run an infomorph-tui γ sweep as a SLURM array job: every array task trains
# one shard of the sweep into the same folder on a shared file system.
#
#   export SWEEP_DIR=/shared/sweeps/context-grid     # one folder for all shards
#   sbatch --array=1-8 docs/slurm-sweep.sh \
#       --preset mnist-context --vary '{1}=-1:1:9' --vary '{1}{2}=0:2:9' \
#       --seeds 3 --epochs 20
#
# Everything after the script's name is passed to `infomorph-tui sweep`
# (do not pass --out, --shard or --jobs: this script sets them). The array
# size is the number of shards: task K of an array of N runs `--shard K/N`.
# Shards split the run list deterministically, so any number of machines can
# work at once, and the folder needs no merging: each finished run is its own
# file in SWEEP_DIR/runs/, and every shard rewrites SWEEP_DIR/results.csv from
# all run files when it ends, so the CSV is complete once the last shard ends.
#
# Time limits and preemption: SLURM sends SIGTERM two minutes before the time
# limit (--signal below); the sweep then saves the runs in progress to
# runs/<id>.part.json and exits with status 130, and this script requeues the
# task, which continues exactly where it stopped (results are identical to an
# uninterrupted run). Resubmitting the same command later does the same:
# finished runs are never trained again. Set REQUEUE=0 to stop instead.
#
# Environment:
#   SWEEP_DIR       the sweep folder (required; on a file system all nodes see)
#   INFOMORPH_BIN   the binary (default: infomorph-tui on PATH; build it once
#                   with `go build -o ~/bin/infomorph-tui .`)
#   INFOMORPH_DATA  folder with the MNIST idx files, if the nodes have no Go
#                   module cache with the GoMNIST module
#   REQUEUE         1 (default): requeue the task after a SIGTERM
#
# Afterwards: infomorph-tui show "$SWEEP_DIR"; infomorph-tui plot "$SWEEP_DIR" -o sweep.png
#
#SBATCH --job-name=infomorph-sweep
#SBATCH --array=1-4
#SBATCH --cpus-per-task=4
#SBATCH --mem=4G
#SBATCH --time=04:00:00
#SBATCH --output=infomorph-sweep-%A_%a.log
#SBATCH --signal=B:TERM@120
#SBATCH --requeue
#SBATCH --open-mode=append

set -euo pipefail

: "${SWEEP_DIR:?set SWEEP_DIR to the sweep folder (on a shared file system)}"
bin=${INFOMORPH_BIN:-infomorph-tui}
requeue=${REQUEUE:-1}

# Task K of N, 1-based, whatever the array's first index (--array=0-7 works too).
count=${SLURM_ARRAY_TASK_COUNT:-1}
first=${SLURM_ARRAY_TASK_MIN:-1}
task=${SLURM_ARRAY_TASK_ID:-$first}
shard=$((task - first + 1))
jobs=${SLURM_CPUS_PER_TASK:-1}

echo "$(date -Is) shard $shard/$count on $(hostname), $jobs runs at a time, into $SWEEP_DIR"

# Run the sweep in the background so that this shell can pass SLURM's
# SIGTERM on to it (a shell waiting for a foreground child would not).
"$bin" sweep "$@" --out "$SWEEP_DIR" --shard "$shard/$count" --jobs "$jobs" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true' TERM INT
status=0
wait "$child" || status=$?
if [ "$status" -gt 128 ] && kill -0 "$child" 2>/dev/null; then
  # wait returned because of the trapped signal: wait for the sweep to save and exit.
  status=0
  wait "$child" || status=$?
fi
trap - TERM INT

echo "$(date -Is) shard $shard/$count ended with status $status"
if [ "$status" -eq 130 ] && [ "$requeue" = 1 ] && [ -n "${SLURM_JOB_ID:-}" ]; then
  id=${SLURM_ARRAY_JOB_ID:+${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}}
  echo "requeueing ${id:-$SLURM_JOB_ID} to continue the interrupted runs"
  scontrol requeue "${id:-$SLURM_JOB_ID}"
  exit 0
fi
exit "$status"
