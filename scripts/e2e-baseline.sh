#!/usr/bin/env bash
# The lab as an instrument, end to end under tmux (issue 12): a researcher
# trains mnist-context for 2 epochs, pins a baseline, forks, raises γ{12} by
# 1.0 and trains 2 more epochs; the screen must show both runs' curves and a
# non-zero signed difference for {12} and for the goal value G — without
# colour (NO_COLOR), so the two series must differ by their glyphs. Then K
# trains 3 seeds side by side and the charts give their mean ± s.d.
set -euo pipefail
cd "$(dirname "$0")/.."

NAME=e2e-baseline SESSION=lab
. scripts/lib/tmux.sh

cd "$work"
T new-session -d -s lab -x 160 -y 48 "TERM=xterm-256color NO_COLOR=1 '$bin' --preset mnist-context --seed 1; echo \"LAB-EXITED \$?\"; sleep 600"
wait_for 'mnist-context · seed 1 · ⏸ paused' 30

echo "e2e-baseline: train 2 epochs"
T send-keys -t lab e
wait_for 'epoch 1 · step 0/' 60
T send-keys -t lab e
wait_for 'epoch 2 · step 0/' 60

echo "e2e-baseline: pin, then fork"
T send-keys -t lab b
wait_for 'base: mnist-context pinned at epoch 2' 5
T send-keys -t lab f
wait_for 'base: fork at epoch 2' 5

echo "e2e-baseline: raise γ{12} by 1.0 and train 2 more epochs (both runs)"
T send-keys -t lab Down Down Down
for _ in 1 2 3 4 5 6 7 8 9 10; do T send-keys -t lab L; done
wait_for '\{12\} +synergy +─+┼━+●─+ +1\.00\*' 5
T send-keys -t lab e
wait_for 'epoch 3 · step 0/' 90
T send-keys -t lab e
wait_for 'epoch 4 · step 0/' 90
# the baseline evaluates its epoch 4 after the run: wait for differences at
# the same epoch (no "@3")
wait_for 'G = Σγ·Π +[+-][0-9.]+ bit \([+-][0-9.]+ vs base\)' 60

scr=$(screen)
syn=$(grep -Eo '▸ \{12\} +synergy .*%.{0,3}\([^)]*\)' <<<"$scr" | head -1) || fail "no synergy row with a difference"
grep -Eq '\(([+-]0\.0*[1-9][0-9]*|[+-][1-9][0-9.]*)\)' <<<"$syn" || fail "synergy difference is zero: $syn"
g=$(grep -Eo 'G = Σγ·Π +[+-][0-9.]+ bit \([^)]*\)' <<<"$scr" | head -1)
grep -Eq '\(([+-]0\.0*[1-9][0-9]*|[+-][1-9][0-9.]*) vs base\)' <<<"$g" || fail "G difference is zero: $g"
echo "e2e-baseline: $syn"
echo "e2e-baseline: $g"

echo "e2e-baseline: both curves, told apart by glyph without colour"
grep -q '━━ ▸test' <<<"$scr" || fail "no test legend"
grep -q '·˙· base: fork at epoch 2' <<<"$scr" || fail "no baseline legend"
# the ghost's dots (˙ · .) lie beside the run's braille line somewhere on a chart
LC_ALL=C.UTF-8 grep -Pq '[\x{2800}-\x{28FF}][˙·.]|[˙·.][\x{2800}-\x{28FF}]' <<<"$scr" || fail "no ghost dots beside a braille line"
if T capture-pane -p -e -t lab | grep -q $'\e\\[[0-9;]*38;[25];'; then fail "colour escapes despite NO_COLOR"; fi

echo "e2e-baseline: 3 seeds side by side (K): they catch up, then the legend gives mean ± s.d."
T send-keys -t lab K
wait_for 'seeds side by side, this run included' 5
T send-keys -t lab Enter
wait_for '⋮ 3 seeds [0-9]+\.[0-9]+ ± [0-9]+\.[0-9]+%' 120
scr=$(screen)
grep -Eq '⋮ 3 seeds [+-]?[0-9.]+ ± [0-9.]+% of \{12\}' <<<"$scr" || fail "no seeds line on the atoms chart"
grep -Eq 'G .*⋮ 3 seeds [0-9.-]+ ± [0-9.]+' <<<"$scr" || fail "no seeds on the goal chart"
echo "e2e-baseline: $(grep -Eo '⋮ 3 seeds [0-9.]+ ± [0-9.]+%' <<<"$scr" | head -1)"

T send-keys -t lab q
wait_for 'Save before quit' 10
T send-keys -t lab n
wait_for 'LAB-EXITED 0' 15
echo "e2e-baseline: PASS"
