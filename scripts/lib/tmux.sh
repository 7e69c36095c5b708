# Shared by the tmux end-to-end scripts: source it after setting NAME (the
# prefix of every message) and SESSION (the tmux session the lab runs in).
# It makes a scratch folder ($work) with its own tmux server, builds the
# binary into $bin, and gives screen, fail, wait_for and T. A script may add
# cleanup steps by defining on_exit before it sources this file.

command -v tmux >/dev/null || { echo "$NAME: tmux is not installed" >&2; exit 1; }
work=$(mktemp -d)
sock="$work/tmux.sock"
bin="$work/infomorph-tui"
T() { tmux -S "$sock" "$@"; }
cleanup() {
  if declare -F on_exit >/dev/null; then on_exit || true; fi
  T kill-server 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$bin" .

# screen: the session's screen as text.
screen() { T capture-pane -p -t "$SESSION"; }
# fail MESSAGE: print it with the screen (and $work/*.log, if any) and exit 1.
fail() {
  echo "$NAME: FAIL: $*" >&2
  echo "----- screen -----" >&2
  screen >&2 || true
  for log in "$work"/*.log; do
    [ -f "$log" ] && { echo "----- $(basename "$log") -----" >&2; cat "$log" >&2; }
  done
  exit 1
}
# wait_for PATTERN SECONDS: poll the screen until an extended regex matches.
wait_for() {
  local pat=$1 secs=$2 i
  for ((i = 0; i < secs * 10; i++)); do
    if screen | grep -Eq -- "$pat"; then return 0; fi
    sleep 0.1
  done
  fail "timed out after ${secs}s waiting for /$pat/"
}
