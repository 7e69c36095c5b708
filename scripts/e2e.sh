#!/usr/bin/env bash
# End-to-end check of the real lab binary under tmux: start, train, watch the
# accuracy rise, move a γ slider, resize, quit cleanly with the terminal restored.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

NAME=e2e SESSION=e2e
. scripts/lib/tmux.sh

# test accuracy shown in the accuracy legend, e.g. "test 89.2%" → 89.2
test_acc() { screen | grep -Eo 'test [0-9]+\.[0-9]+%' | head -1 | grep -Eo '[0-9]+\.[0-9]+'; }
epoch() { screen | grep -Eo 'epoch [0-9]+ ·' | head -1 | grep -Eo '[0-9]+'; }

cd "$work"
T new-session -d -s e2e -x 120 -y 40 "TERM=xterm-256color '$bin' --preset mnist-readout --seed 1; echo \"LAB-EXITED \$?\"; sleep 600"

echo "e2e: lab starts"
wait_for 'mnist-readout · seed 1' 20
wait_for 'paused' 20

echo "e2e: train and watch the accuracy rise"
T send-keys -t e2e space
wait_for 'running' 10
wait_for 'epoch [1-9][0-9]* ·' 60
first=$(test_acc) || fail "no test accuracy on screen after epoch 1"
wait_for 'epoch ([4-9]|[1-9][0-9]+) ·' 120
later=$(test_acc) || fail "no test accuracy on screen"
awk -v a="$first" -v b="$later" 'BEGIN { exit !(b > a) }' || fail "accuracy did not rise: $first% → $later%"
echo "e2e: test accuracy $first% → $later%"
T send-keys -t e2e space
wait_for 'paused' 20
# a pause during the epoch's evaluation says so in the footer for a while,
# where the focused pane's keys would show: let it pass
for _ in $(seq 1 100); do screen | tail -1 | grep -q 'pausing after' || break; sleep 0.1; done

echo "e2e: move a γ slider"
# Cycle focus until the goal pane's keys show in the help bar.
for _ in 1 2 3 4 5 6; do
  screen | tail -1 | grep -q 'zero γ' && break
  T send-keys -t e2e Tab
  sleep 0.3
done
screen | tail -1 | grep -q 'zero γ' || fail "could not focus the goal pane"
T send-keys -t e2e Right
wait_for '\{1\} +unique F .*-0\.19' 5
T send-keys -t e2e s
# The change applies at the next batch and is marked on the charts' time axis.
wait_for 'γ\{1\} -0\.20→-0\.19' 30
echo "e2e: slider {1} moved -0.20 → -0.19 and marked on the charts"

echo "e2e: resize"
T resize-window -t e2e -x 80 -y 24
wait_for '^ infomorph +mnist-readout' 10
wait_for '╭─ Accuracy' 10
T resize-window -t e2e -x 60 -y 20
wait_for 'too small' 10
T resize-window -t e2e -x 160 -y 48
wait_for 'mnist-readout · seed 1' 10
wait_for 'γ\{1\} -0\.20→-0\.19' 10
wait_for '╭─ Accuracy' 10

echo "e2e: quit without saving"
T send-keys -t e2e q
wait_for 'save' 10
T send-keys -t e2e n
wait_for 'LAB-EXITED 0' 15
# The alternate screen is gone: no lab panes left on the terminal.
if screen | grep -q '╭─ Accuracy'; then fail "terminal not restored after quit"; fi
echo "e2e: PASS"

# the baseline scenario (issue 12) runs beside this one
if [ -x "$root/scripts/e2e-baseline.sh" ]; then "$root/scripts/e2e-baseline.sh"; fi
# the Tune view following a running study (issue 15)
if [ -x "$root/scripts/e2e-tune.sh" ]; then "$root/scripts/e2e-tune.sh"; fi
# the network builder: build, run, save as a user preset, restart (issue 14)
if [ -x "$root/scripts/e2e-builder.sh" ]; then "$root/scripts/e2e-builder.sh"; fi
