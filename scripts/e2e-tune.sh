#!/usr/bin/env bash
# The Tune view follows a study while it runs (issue 15), end to end under
# tmux: a `tune` process works in the background, the lab opens the same
# folder with --study, and the screen must show the trial count and the
# complete trials rising as the study goes on, survive a resize, end with
# every trial complete and a best, open the best trial's γ in the lab with
# enter, and quit cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."

tuner=""
on_exit() { if [ -n "$tuner" ]; then kill "$tuner" 2>/dev/null; wait "$tuner" 2>/dev/null; fi; }
NAME=e2e-tune SESSION=tune
. scripts/lib/tmux.sh

# complete: the number of complete trials the view shows now.
complete() { screen | grep -Eo '[0-9]+ complete' | head -1 | grep -Eo '[0-9]+'; }

cd "$work"
trials=10
"$bin" tune --preset mnist-readout --study study --sampler random --trials $trials --epochs 3 --jobs 1 \
  >"$work/tune.log" 2>&1 &
tuner=$!
for _ in $(seq 1 100); do [ -f study/study.json ] && break; sleep 0.1; done
[ -f study/study.json ] || fail "the tune process made no study folder"

T new-session -d -s tune -x 120 -y 36 "TERM=xterm-256color '$bin' --study study; echo \"LAB-EXITED \$?\"; sleep 600"
wait_for "of $trials trials" 20
wait_for 'objective: validation accuracy' 5
first=$(complete) || fail "no complete count on screen"
[ "$first" -lt "$trials" ] || fail "the study finished before the view could watch it ($first complete)"
echo "e2e-tune: view open while the study runs: $first of $trials complete"

echo "e2e-tune: the view follows the study"
for ((i = 0; i < 600; i++)); do
  now=$(complete || echo 0)
  [ "$now" -gt "$first" ] && break
  sleep 0.1
done
[ "$now" -gt "$first" ] || fail "complete trials did not rise on screen ($first → $now)"
echo "e2e-tune: complete trials $first → $now"
wait_for 'running or waiting|#[0-9]+ running' 20

echo "e2e-tune: resize while it runs"
T resize-window -t tune -x 80 -y 24
wait_for "of $trials trials" 10
T resize-window -t tune -x 160 -y 48
wait_for "of $trials trials" 10

echo "e2e-tune: the study ends on screen"
wait "$tuner" || fail "tune exited with an error"
tuner=""
wait_for "$trials of $trials trials · [0-9]+ complete" 10
wait_for 'best [0-9]+\.[0-9]+% \(#[0-9]+\)' 10
wait_for 'no trial running' 10
best=$(screen | grep -Eo 'best [0-9]+\.[0-9]+% \(#[0-9]+\)' | head -1)
echo "e2e-tune: study done on screen, $best"

echo "e2e-tune: enter opens the best trial's γ in the lab"
T send-keys -t tune Enter
wait_for 'mnist-readout.* · seed 1 · ⏸ paused' 30
num=$(echo "$best" | grep -Eo '#[0-9]+' | grep -Eo '[0-9]+')
wait_for "mnist-readout-trial$num" 5
echo "e2e-tune: the lab opened $(screen | grep -Eo 'mnist-readout[^ ]*' | head -1)"
# nothing trained yet: q quits at once, without the save question
T send-keys -t tune q
wait_for 'LAB-EXITED 0' 15
if screen | grep -q '╭─ Accuracy'; then fail "terminal not restored after quit"; fi
echo "e2e-tune: PASS"
