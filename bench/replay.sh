#!/bin/sh
# SPDX-License-Identifier: ISC
# replay.sh - `fgtop replay` on a large journal: how long until the first
# screen, the memory the index takes, and how long a move takes.
#
#   bench/replay.sh FGTOP [EVENTS]
#
# The journal is generated (python3): EVENTS events (default 1,000,000)
# of 1,000 tunnels on 10 devices over about a day, in the journal's
# exact line format, and no snapshot: every backward move rebuilds from
# the first event, the worst case.  fgtop runs in a detached tmux (it
# needs a terminal); the times are read from the screen.  A report: it
# exits 0 whatever the figures.
set -u
fgtop=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
events=${2:-1000000}
command -v tmux >/dev/null 2>&1 || { echo "replay: SKIP (no tmux)"; exit 0; }
command -v python3 >/dev/null 2>&1 || { echo "replay: SKIP (no python3)";
    exit 0; }
tmp=$(mktemp -d)
sock=fgtop-bench-replay-$$
tmuxpid=
trap 'tmux -L "$sock" kill-server 2>/dev/null;
    [ -n "$tmuxpid" ] && kill "$tmuxpid" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

python3 - "$tmp/journal-20261203.jsonl" "$events" <<'EOF'
import random, sys, time
random.seed(1)
path, n, ntun = sys.argv[1], int(sys.argv[2]), 1000
t = 1796256000.0                        # 2026-12-03T00:00:00Z
def iso(t):
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(t)) + \
        '.%03dZ' % int((t % 1) * 1000)
line = ('{"time":"%s","event":"%s","device":"fw%d","vdom":"root",'
    '"tunnel":"tun%04d","item":%s,"from":%s,"to":"%s","detail":%s}\n')
state = ['up'] * ntun
with open(path, 'w') as f:
    for k in range(ntun):
        f.write(line % (iso(t), 'tunnel-added', k % 10, k, 'null', 'null',
            'up', 'null'))
    for i in range(n - ntun):
        t += 0.08
        k = random.randrange(ntun)
        r = random.random()
        if r < 0.5:
            new = 'down' if state[k] == 'up' else 'up'
            f.write(line % (iso(t), 'tunnel-state', k % 10, k, 'null',
                '"%s"' % state[k], new, 'null'))
            state[k] = new
        elif r < 0.8:
            f.write(line % (iso(t), 'phase1', k % 10, k, 'null',
                '"established"', 'connecting', 'null'))
        else:
            f.write(line % (iso(t), 'finding-raised', k % 10, k,
                '"ST-P1-CONNECTING"', 'null', 'error',
                '"phase 1 is down (connecting)"'))
EOF
size=$(du -m "$tmp/journal-20261203.jsonl" | cut -f1)

cap() { tmux -L "$sock" capture-pane -p -t b 2>/dev/null; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
until_screen() {	# until_screen PATTERN: wait (60 s at most)
	n=3000
	while [ "$n" -gt 0 ] && ! cap | grep -q -- "$1"; do
		sleep 0.02
		n=$((n - 1))
	done
}

s=$(now)
tmux -L "$sock" -f /dev/null new-session -d -s b -x 160 -y 30 \
    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC TERM=screen-256color \
    '$fgtop' replay '$tmp'; sleep 600"
tmuxpid=$(tmux -L "$sock" display -p '#{pid}')
until_screen "REPLAY 20"
open=$(since "$s")
pid=$(pgrep -f "^$fgtop replay $tmp" | head -n 1)
rss=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$pid/status")
# The middle of the journal (fgtop runs with TZ=UTC).
mid=$(date -u -d "@$(awk -v n="$events" \
    'BEGIN { printf "%d\n", 1796256000 + (n - 1000) * 0.04 }')" +%H:%M:%S)
tmux -L "$sock" send-keys -t b ':' "at $mid" Enter
s=$(now)
until_screen "REPLAY 2026-12-03 $mid"
at=$(since "$s")
pos=$(cap | tail -n 1 | sed -n 's/.*last event \([0-9]*\)\/.*/\1/p')
tmux -L "$sock" send-keys -t b ']'
s=$(now)
until_screen "^event $((pos + 1))/"
fwd=$(since "$s")
tmux -L "$sock" send-keys -t b '['
s=$(now)
until_screen "^event $pos/"
back=$(since "$s")

echo "replay: $events events ($size MB, no snapshot), 1,000 tunnels"
echo "  open to the first screen   $open s (index, then the end rebuilt)"
echo "  peak RSS                   $rss"
echo "  :at $mid (event $pos)  $at s (rebuilt from the first event)"
echo "  ] one event forward        $fwd s"
echo "  [ one event back           $back s (rebuilt from the first event)"
