#!/usr/bin/env bash
# Records the lab demo (the scenario of demo/lab.tape) as an asciinema cast,
# for machines without VHS: tmux runs `asciinema rec` around the lab started
# with --demo --seed 1 (one batch per 100 ms tick, no wall-clock figures), and
# this script types the tape's keys, waiting for the screen before each step.
#
#   scripts/record.sh [OUT.cast]          default: demo/lab.cast
#   asciinema play demo/lab.cast          to watch it
#
# Needs go, tmux and asciinema. asciinema comes from Debian's package
# (apt-get install asciinema; this script is tested with its 2.2 CLI);
# without it the script stops at once and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-demo/lab.cast}
cols=120 rows=40

need() {
  command -v "$1" >/dev/null && return 0
  echo "record.sh: '$1' is not installed. $2" >&2
  exit 1
}
need asciinema "It comes from Debian's package: sudo apt-get install asciinema"
need tmux "It comes from Debian's package: sudo apt-get install tmux"
need go "Install Go 1.26 or later."

mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
work=$(mktemp -d)
sock="$work/tmux.sock"
bin="$work/infomorph-tui"
T() { tmux -S "$sock" "$@"; }
cleanup() { T kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

go build -o "$bin" .

screen() { T capture-pane -p -t rec 2>/dev/null; }
fail() {
  echo "record.sh: FAIL: $*" >&2
  echo "----- screen -----" >&2
  screen >&2 || true
  exit 1
}
# wait_for PATTERN [SECONDS]: poll the screen until an extended regex matches.
wait_for() {
  local pat=$1 secs=${2:-60} i
  for ((i = 0; i < secs * 10; i++)); do
    if screen | grep -Eq -- "$pat"; then return 0; fi
    sleep 0.1
  done
  fail "timed out after ${secs}s waiting for /$pat/"
}
# key KEY...: type keys, then give the viewer a moment.
key() {
  T send-keys -t rec "$@"
  sleep 0.6
}

cd "$work"
T new-session -d -s rec -x "$cols" -y "$rows" \
  "TERM=xterm-256color asciinema rec -q --overwrite -t 'infomorph-tui lab' -c '$bin --demo --seed 1 --preset mnist-readout' '$out'; echo \"REC-DONE \$?\"; sleep 600"

echo "record.sh: recording to $out"
wait_for 'mnist-readout · seed 1'
wait_for 'paused'
sleep 1.5

echo "record.sh: one epoch of mnist-readout"
key e
wait_for 'epoch 1 ·' 120
wait_for 'paused'
sleep 1.5

echo "record.sh: γ {1} -0.20 → 0.00, another epoch"
key L
key L
key e
wait_for 'epoch 2 ·' 120
wait_for 'paused'
sleep 2

echo "record.sh: next preset (mnist-context), a few steps and an epoch"
key BTab
key Down
key Enter
wait_for 'Save before' 10
sleep 1
key n
wait_for 'mnist-context · seed 1'
wait_for 'paused'
sleep 1
key s
key s
key s
key e
wait_for 'epoch 1 ·' 180
wait_for 'paused'
sleep 2

echo "record.sh: quit without saving"
key q
wait_for 'Save before quit' 10
sleep 1
key n
wait_for 'REC-DONE 0' 30

head -1 "$out" | grep -q '"version"' || fail "$out is not an asciinema cast"
echo "record.sh: wrote $out ($(($(wc -l <"$out") - 1)) events)"
