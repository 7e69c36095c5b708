#!/usr/bin/env bash
# The network builder end to end under tmux (issue 14): open the builder (B)
# on mnist-context, set the hidden layer to 50 units, start the run (enter),
# save the network as a user preset (ctrl+s), quit; restart the lab and find
# the preset listed, and loading with 50 hidden units. The user presets go to
# a scratch XDG_CONFIG_HOME, never the real one.
set -euo pipefail
cd "$(dirname "$0")/.."

NAME=e2e-builder SESSION=lab
. scripts/lib/tmux.sh

cd "$work"
start=$SECONDS
cfg="$work/config"
lab() { T new-session -d -s lab -x 120 -y 40 "TERM=xterm-256color XDG_CONFIG_HOME='$cfg' '$bin' $*; echo \"LAB-EXITED \$?\"; sleep 600"; }
lab --preset mnist-context --seed 1
wait_for 'mnist-context · seed 1 · ⏸ paused' 30

echo "e2e-builder: open the builder, hidden units 50"
T send-keys -t lab B
wait_for 'Network builder · from mnist-context' 5
wait_for '▸ name +mnist-context-custom' 5
T send-keys -t lab Down Down Down Down
wait_for '▸ units +100' 5
T send-keys -t lab C-u 5 0
wait_for '▸ units +50' 5

echo "e2e-builder: start the run"
T send-keys -t lab Enter
wait_for 'mnist-context-custom · seed 1 · ⏸ paused' 30
T send-keys -t lab n
wait_for 'Neuron 2/50 · hidden' 10

echo "e2e-builder: save it as a user preset"
T send-keys -t lab B
wait_for 'Network builder · from mnist-context-custom' 5
wait_for ' units +50' 5
T send-keys -t lab C-s
wait_for 'saved preset mnist-context-custom to' 10
test -f "$cfg/infomorph-tui/presets/mnist-context-custom.json" || fail "no user preset file written"
grep -q '"units": 50' "$cfg/infomorph-tui/presets/mnist-context-custom.json" || fail "the saved preset lacks units 50"
T send-keys -t lab Escape
wait_for 'builder closed' 5 # a key right after esc would read as alt+key
T send-keys -t lab q
wait_for 'LAB-EXITED 0' 15
T kill-session -t lab

echo "e2e-builder: restart: the preset is listed and loads"
lab --seed 1
wait_for 'mnist-context · seed 1 · ⏸ paused' 30
for _ in 1 2 3 4 5 6; do # focus the preset list
  screen | tail -1 | grep -q 'load preset' && break
  T send-keys -t lab Tab
  sleep 0.3
done
T send-keys -t lab G # user presets come last
wait_for '▸ +mnist-context-custom' 5
T send-keys -t lab Enter
wait_for 'mnist-context-custom · seed 1 · ⏸ paused' 30
T send-keys -t lab n
wait_for 'Neuron 2/50 · hidden' 10
T send-keys -t lab q
wait_for 'LAB-EXITED 0' 15
echo "e2e-builder: PASS ($((SECONDS - start)) s after the build)"
