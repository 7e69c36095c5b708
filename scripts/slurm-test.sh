#!/usr/bin/env bash
# Tests of docs/slurm.sh without SLURM: a stub `scontrol` on PATH and a stub
# binary stand in for the cluster and for infomorph-tui, and the
# SLURM environment variables are set by hand. Checks the shard of each array
# task, refusal of arrays with gaps, the signal forwarding and the requeue
# decision (a sweep that saved and exited before the script looked, a second
# SIGTERM, the time limit, a job already requeued by `scontrol requeue`, a
# cancelled job, the task and not the whole array requeued).
# Needs only bash and coreutils.
#
# Most scenarios run the script's sweep command; the tune command shares its
# signal and requeue code and gets the scenarios of its own arguments.
#
#   scripts/slurm-test.sh [SCRIPT]     # default: docs/slurm.sh
#
# For the same scenarios on a real cluster see docs/sweeps.md (SLURM).
set -euo pipefail
cd "$(dirname "$0")/.."
script=$(realpath "${1:-docs/slurm.sh}")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"

# The stub sweep: records its arguments, then behaves as $STUB_MODE says.
#   done        exit 0 at once
#   exit130     on SIGTERM save and exit 130 at once (a sweep with little to save)
#   slowsave    on SIGTERM take 1 s to save, then exit 130; further SIGTERMs change nothing
#   fail        exit 1 at once
cat >"$work/bin/sweep-stub" <<'EOF'
#!/usr/bin/env bash
echo "$*" >"$STUB_DIR/args"
echo $$ >"$STUB_DIR/pid"
case "$STUB_MODE" in
done) exit 0 ;;
fail) exit 1 ;;
exit130)
  trap 'trap "" TERM; echo saved >>"$STUB_DIR/saves"; exit 130' TERM
  touch "$STUB_DIR/started"
  sleep 10 &
  wait $! # a trapped signal ends this wait at once
  exit 99 ;;
slowsave)
  trap 'touch "$STUB_DIR/saving"' TERM
  touch "$STUB_DIR/started"
  for _ in $(seq 1 100); do
    if [ -e "$STUB_DIR/saving" ]; then
      sleep 1
      echo saved >>"$STUB_DIR/saves"
      exit 130
    fi
    sleep 0.1
  done
  exit 99 ;;
esac
EOF

# The stub scontrol: `show job` prints the job's state from $STUB_DIR/state
# (task 2 of array 1000, whose SLURM_JOB_ID is the array's id, as for an
# array's last task: `show job 1000` and `requeue 1000` mean the whole array);
# `requeue` logs the call and, with STUB_REQUEUE_FAILS=pending, fails as SLURM
# does for a job it is requeueing already (Restarts went up), with =denied
# fails otherwise.
cat >"$work/bin/scontrol" <<'EOF'
#!/usr/bin/env bash
state=$(cat "$STUB_DIR/state")
case "$*" in
"-o show job 1000_2") echo "JobId=1000 JobName=infomorph-sweep $state Requeue=1 ArrayJobId=1000 ArrayTaskId=2" ;;
"-o show job 1000") # the array: every task
  for t in 1 2 3 4; do
    echo "JobId=$((1000 + t)) JobState=COMPLETED Reason=None ArrayJobId=1000 ArrayTaskId=$t"
  done ;;
"requeue "*)
  echo "$2" >>"$STUB_DIR/requeued"
  case "${STUB_REQUEUE_FAILS:-}" in
  pending)
    echo "JobState=COMPLETING Reason=None Restarts=1" >"$STUB_DIR/state"
    echo "Requeue of JobId=$2 returned an error: Job is pending execution" >&2
    exit 1 ;;
  denied)
    echo "Requeue of JobId=$2 returned an error: Access/permission denied" >&2
    exit 1 ;;
  esac ;;
*) echo "scontrol stub: unexpected: $*" >&2; exit 1 ;;
esac
EOF
chmod +x "$work/bin/sweep-stub" "$work/bin/scontrol"

failures=0
fail() {
  echo "FAIL: $name: $*" >&2
  echo "----- output -----" >&2
  cat "$STUB_DIR/out" >&2 || true
  failures=$((failures + 1))
}

# [state=S] run NAME SIGNALS [VAR=VALUE…] [-- ARG…]: run the script as task 2
# of an array of 4, with a fresh stub folder, the job in state S (scontrol's
# fields; default "JobState=RUNNING Reason=None Restarts=0"), the extra
# environment VAR=VALUE… and the arguments $CMD (default sweep) --preset
# mnist-readout ARG….
# SIGNALS is how many SIGTERMs to send the script once the sweep has started,
# or "job" for one SIGTERM to the sweep and the script at once (as SLURM
# signals a whole job: scancel, scontrol requeue, the time limit). Sets $rc.
run() {
  name=$1 sigs=$2
  shift 2
  local vars=() args=(--preset mnist-readout)
  while [ $# -gt 0 ]; do
    if [ "$1" = -- ]; then
      shift
      args+=("$@")
      break
    fi
    vars+=("$1")
    shift
  done
  export STUB_DIR="$work/$name"
  mkdir -p "$STUB_DIR"
  echo "${state:-JobState=RUNNING Reason=None Restarts=0}" >"$STUB_DIR/state"
  env PATH="$work/bin:$PATH" SWEEP_DIR="$STUB_DIR/sweep" INFOMORPH_BIN="$work/bin/sweep-stub" \
    SLURM_JOB_ID=1000 SLURM_ARRAY_JOB_ID=1000 SLURM_CPUS_PER_TASK=1 \
    SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_COUNT=4 SLURM_ARRAY_TASK_MIN=1 \
    SLURM_ARRAY_TASK_MAX=4 SLURM_ARRAY_TASK_STEP=1 STUB_MODE=slowsave "${vars[@]}" \
    TUNE_DIR="$STUB_DIR/study" bash "$script" "${CMD:-sweep}" "${args[@]}" >"$STUB_DIR/out" 2>&1 &
  local pid=$! i
  if [ "$sigs" != 0 ]; then
    for ((i = 0; i < 100; i++)); do
      [ -e "$STUB_DIR/started" ] && break
      sleep 0.05
    done
  fi
  if [ "$sigs" = job ]; then
    kill -TERM "$(cat "$STUB_DIR/pid")" "$pid"
  else
    for ((i = 0; i < sigs; i++)); do
      kill -TERM "$pid"
      sleep 0.2
    done
  fi
  rc=0
  wait "$pid" || rc=$?
}
expect_rc() { [ "$rc" -eq "$1" ] || fail "exit status $rc, want $1"; }
expect_requeues() {
  local n=0
  [ ! -e "$STUB_DIR/requeued" ] || n=$(wc -l <"$STUB_DIR/requeued")
  [ "$n" -eq "$1" ] || fail "$n scontrol requeue calls, want $1"
  if [ "$n" -gt 0 ] && grep -qv '^1000_2$' "$STUB_DIR/requeued"; then
    fail "requeued $(sort -u "$STUB_DIR/requeued" | tr '\n' ' ')instead of task 1000_2 (a plain job id can be the whole array)"
  fi
}
expect_args() { grep -q -- "$1" "$STUB_DIR/args" 2>/dev/null || fail "sweep arguments '$(cat "$STUB_DIR/args" 2>/dev/null)' lack '$1'"; }
expect_out() { grep -q -- "$1" "$STUB_DIR/out" || fail "output lacks '$1'"; }
expect_saves() {
  local n=0
  [ ! -e "$STUB_DIR/saves" ] || n=$(wc -l <"$STUB_DIR/saves")
  [ "$n" -eq "$1" ] || fail "the sweep saved $n times, want $1"
}

# Shards: the task's position in the array, whatever its first index and step.
run shard-range 0 STUB_MODE=done
expect_rc 0
expect_args "--out $work/shard-range/sweep --shard 2/4 --jobs 1"
expect_requeues 0
run shard-step 0 STUB_MODE=done SLURM_ARRAY_TASK_ID=20 SLURM_ARRAY_TASK_MIN=0 \
  SLURM_ARRAY_TASK_MAX=30 SLURM_ARRAY_TASK_STEP=10
expect_rc 0
expect_args "--shard 3/4"
run shard-zero 0 STUB_MODE=done SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_MAX=3
expect_args "--shard 1/4"
run no-array 0 STUB_MODE=done SLURM_ARRAY_TASK_ID= SLURM_ARRAY_TASK_COUNT=
expect_rc 0
expect_args "--shard 1/1"
# --array=1,2,5: SLURM says COUNT=3 MIN=1 MAX=5 STEP=1.
run shard-gaps 0 STUB_MODE=done SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MAX=5
expect_rc 2
expect_out "is not a range"
[ ! -e "$STUB_DIR/args" ] || fail "the sweep ran"
run out-arg 0 STUB_MODE=done -- --out=elsewhere
expect_rc 2
expect_out "do not pass --out"

# The command: the first argument, sweep or tune.
CMD=train run no-command 0 STUB_MODE=done
expect_rc 2
expect_out "the first argument is the command, sweep or tune"
[ ! -e "$STUB_DIR/args" ] || fail "the binary ran"
run short-flag 0 STUB_MODE=done -- -jobs=3
expect_rc 2
expect_out "do not pass -jobs"

# tune: every task runs the same study, whatever the array; a SIGTERM saves
# and requeues as for a sweep.
CMD=tune run tune-args 0 STUB_MODE=done SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MAX=5
expect_rc 0
expect_args "^tune --preset mnist-readout --study $work/tune-args/study --jobs 1\$"
CMD=tune run tune-best 0 STUB_MODE=done -- --best
expect_rc 2
expect_out "do not pass --best"
CMD=tune run tune-sigterm 1
expect_rc 0
expect_requeues 1
expect_saves 1
expect_out "task 2 ended with status 130"
expect_out "to continue the interrupted trials"
state="JobState=COMPLETING Reason=None Restarts=0" CMD=tune run tune-cancelled job STUB_MODE=exit130
expect_rc 130
expect_requeues 0

# Outcomes of the sweep.
run finished 0 STUB_MODE=done
expect_rc 0
expect_requeues 0
run failed 0 STUB_MODE=fail
expect_rc 1
expect_requeues 0

# A SIGTERM: the sweep saves and the task is requeued, however fast it saved.
run quick-save 1 STUB_MODE=exit130
expect_rc 0
expect_requeues 1
expect_out "ended with status 130"
run slow-save 1
expect_rc 0
expect_requeues 1
run two-sigterms 2
expect_rc 0
expect_requeues 1
expect_saves 1
# The sweep and the script signalled at once, the sweep saving and exiting
# at once: the script's wait ends with the signal while the sweep is already
# gone. A race, so six times (the old script failed about every other time).
for i in $(seq 1 6); do
  run "job-signal-$i" job STUB_MODE=exit130
  expect_rc 0
  expect_requeues 1
  expect_saves 1
done
run no-requeue 1 REQUEUE=0
expect_rc 130
expect_requeues 0

# The hard time limit (no --signal, or the save was late): requeued.
state="JobState=COMPLETING Reason=TimeLimit Restarts=0" run time-limit job STUB_MODE=exit130
expect_rc 0
expect_requeues 1
# Requeued before and signalled again: requeued again.
state="JobState=RUNNING Reason=None Restarts=2" run second-requeue 1 SLURM_RESTART_COUNT=2
expect_rc 0
expect_requeues 1

# Requeued from outside (scontrol requeue, preemption): SLURM has requeued the
# job already (Restarts went up, the job is COMPLETING), or does so while this
# script asks.
state="JobState=COMPLETING Reason=None Restarts=1" run requeued-before job STUB_MODE=exit130
expect_rc 0
expect_requeues 0
expect_out "requeued by SLURM"
run requeue-pending 1 STUB_REQUEUE_FAILS=pending
expect_rc 0
expect_requeues 1
expect_out "requeued by SLURM"
# Requeueing fails otherwise: say so, exit 130.
run requeue-fails 1 STUB_REQUEUE_FAILS=denied
expect_rc 130
expect_out "could not requeue"

# scancel: the job is COMPLETING without a reason (or CANCELLED): not requeued.
state="JobState=COMPLETING Reason=None Restarts=0" run cancelled job STUB_MODE=exit130
expect_rc 130
expect_requeues 0
expect_out "not requeueing"

if [ "$failures" -gt 0 ]; then
  echo "slurm-test: $failures failures" >&2
  exit 1
fi
echo "slurm-test: ok"
