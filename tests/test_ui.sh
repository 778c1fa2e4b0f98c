#!/bin/sh
# SPDX-License-Identifier: ISC
# test_ui - the dashboard end to end through a real terminal: tmux runs
# the real fgtop against the real fgtsim (walkthrough.scn) and the test
# reads the screen back with capture-pane, as tmux's own regress/ does.
#
# What the scenario means (tests/sim/scenarios/walkthrough.scn):
# to10.174.0.182 is up; to10.189.0.182 is down, phase 1 "connecting",
# its one selector at sa=0.  The test walks the operator's path: the red
# row, / filter, Enter on it, sa=0 in words, the tool keys, help, a
# resize to 80x24, NO_COLOR, q, and the terminal given back (canonical
# mode, echo, blocking stdin), then fgtop --demo and its clean-up.
set -u
# shellcheck source=tests/tmuxlib.sh
. "${top_srcdir:-.}/tests/tmuxlib.sh"
scn=$scenarios/walkthrough.scn
sock=fgtop-test-$$
pane=ui

line_of() {	# the first captured line holding TEXT
	grep -F -- "$1" "$tmp/screen" | head -n 1
}

wait_first() {	# wait_first TEXT: until the first row under the header holds TEXT
	n=100
	while [ "$n" -gt 0 ]; do
		screen
		sed -n 3p "$tmp/screen" | grep -qF -- "$1" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	fail "'$1' is not the first row: $(sed -n 3p "$tmp/screen")"
	return 1
}

# fgtsim on a free port.  The config remaps x to quit (q stays bound
# too).
sim_start sim "$scn"
write_config "$tmp/config" wt "$port" 'key quit x\n'

# The shell around fgtop reports its exit, the terminal modes after it,
# and whether stdin blocks again (a read that waits for typed text).
cat >"$tmp/run.sh" <<EOF
#!/bin/sh
"$fgtop" --config "$tmp/config" --known-hosts "$tmp/kh" --accept-new \
    -F none --no-agent --poll 1 --full-poll 2
echo "FGTOP-EXIT=\$?"
stty -a | tr ' ;' '\n\n' | grep -x -e icanon -e echo | tr '\n' ' '
echo "MODES"
read line
echo "GOT=\$line"
sleep 60
EOF
chmod +x "$tmp/run.sh"

tmux -L "$sock" -f /dev/null new-session -d -s ui -x 132 -y 40 \
    "$tty_env $tmp/run.sh"

# The home view: the down tunnel first, phase 1 connecting, 0/1.
wait_row "to10.189.0.182" "*connecting* 0/1 *" &&
    wait_first "to10.189.0.182" && {
	has "devices 1/1 up" "status bar"
}
# Curses writes to a blocking stdout: the input fd libuv makes
# non-blocking is fgtop's own open of the terminal, not a shared stdin.
shpid=$(tmux -L "$sock" display -p -t ui '#{pane_pid}')
fgpid=$(pgrep -P "$shpid" -x fgtop)
flags=$(sed -n 's/^flags:[[:space:]]*//p' "/proc/$fgpid/fdinfo/1" 2>/dev/null)
if [ -z "$flags" ]; then
	fail "cannot read fgtop's stdout flags"
elif [ $((0$flags & 04000)) -ne 0 ]; then
	fail "fgtop's stdout is non-blocking (flags $flags)"
fi
wait_row "to10.174.0.182" "*established* 1/1 *"

# / filter, Enter keeps it, Enter drills down: sa=0 in words.
keys / t o 1 0 . 1 8 9 Enter
screen
if grep -qF "to10.174.0.182" "$tmp/screen"; then
	fail "the filter to10.189 still shows to10.174.0.182"
fi
keys Enter
wait_for "Phase 2" && {
	wait_for "sa=0"
	has "no IPsec SA: selector or proposal mismatch" "sa=0 meaning"
	has "status connecting" "phase 1 in the detail"
	has "src 0:172.16.170.0/255.255.255.0:0" "phase 2 selector"
}

# The tool keys run the real tools on the device, toward the peer.
# r: the route lookup and its reading.
keys r
wait_for "reading: active route: 10.189.0.182 is directly connected on port9" 15
keys Escape
# t: from the tunnel's local gateway (10.189.0.31), one hop away.
keys t
wait_for "reading: reached in 1 hop" 30
grep -q '"command":"execute traceroute-options source 10.189.0.31"' \
    "$tmp/sim.log" || fail "the traceroute did not start from 10.189.0.31"
keys Escape
# s: the sniffer filtered on the peer, IKE ports.
keys s
wait_for "filters=[host 10.189.0.182 and (udp port 500 or udp port 4500)]" 15
keys Escape
# d: IKE debug on the peer, with the red badge; leaving asks whether to
# turn it off; yes does (fgtsim's log proves it).
keys d
wait_for "DEBUG ON wt 10.189.0.182" 15
wait_for "ike 0:to10.189.0.182" 30
keys Escape
wait_for "(y/n)" 5
keys y
n=50
while [ "$n" -gt 0 ]; do
	screen
	grep -qF "DEBUG ON" "$tmp/screen" || break
	sleep 0.2
	n=$((n - 1))
done
[ "$n" -gt 0 ] || fail "the DEBUG ON badge stayed after debug was turned off"
grep -q '"command":"diagnose debug disable"' "$tmp/sim.log" ||
    fail "no diagnose debug disable in fgtsim's log"
grep -q '"command":"diagnose vpn ike log-filter dst-addr4 10.189.0.182"' \
    "$tmp/sim.log" || fail "the 6.2 log filter on the peer was not set"

# Help, generated from the keymap.
keys Escape
keys '?'
wait_for "fgtop keys" && {
	has "k Up" "help lists k/Up"
	has "move down" "help says what j does"
	has "sort-next" "help names the sort action"
	keys G
	wait_for "sa=0  no IPsec SA" 5
}
keys q

# 80x24: the layout stays readable.
keys / Escape
tmux -L "$sock" resize-window -t ui -x 80 -y 24
sleep 0.5
wait_for "PHASE 1" && {
	# Characters, not bytes (the marks are UTF-8).
	if LC_ALL=C.UTF-8 grep -q '^.\{81\}' "$tmp/screen"; then
		fail "a line is wider than 80 columns"
	fi
	[ "$(wc -l <"$tmp/screen")" -le 24 ] ||
	    fail "more than 24 lines at 80x24"
	has "TUNNEL" "header at 80x24"
	row=$(line_of "to10.189.0.182")
	case "$row" in
	*connecting*) ;;
	*) fail "at 80x24 the down row lost phase 1: $row" ;;
	esac
	[ "$(sed -n 24p "$tmp/screen" | cut -c1-5)" = "Enter" ] ||
	    fail "the key line is not on the last row at 80x24"
}
tmux -L "$sock" resize-window -t ui -x 132 -y 40
sleep 0.3

# With colours, capture-pane -e shows colour escapes (so the NO_COLOR
# check below can fail).
screen -e
grep -q "$(printf '\033')\[[0-9;]*3[0-7]m\|$(printf '\033')\[[0-9;]*4[0-7]m" \
    "$tmp/screen" || fail "no colour escape in the colour session"

# q: fgtop exits 0, the terminal is back in canonical mode with echo,
# and stdin blocks (read waits for what is typed).
keys q
wait_for "FGTOP-EXIT=0" 10
wait_for "MODES" 5 && has "icanon echo MODES" "terminal modes after q"
keys t y p e d Enter
wait_for "GOT=typed" 5

# fgtsim's log: the session ended, and never with IKE debug left on.
n=50
while [ "$n" -gt 0 ] && ! grep -q '"disconnect"' "$tmp/sim.log"; do
	sleep 0.1
	n=$((n - 1))
done
grep -q '"disconnect"' "$tmp/sim.log" || fail "no disconnect in fgtsim's log"
if grep '"disconnect"' "$tmp/sim.log" | grep -q '"enabled": *true'; then
	fail "a session left IKE debug enabled"
fi

# NO_COLOR: no colour escape at all.
cat >"$tmp/nc.sh" <<EOF
#!/bin/sh
env NO_COLOR=1 "$fgtop" --config "$tmp/config" --known-hosts "$tmp/kh" \
    -F none --no-agent
echo "NC-EXIT=\$?"
stty -a | tr ' ;' '\n\n' | grep -x -e icanon -e echo | tr '\n' ' '
echo "NC-MODES"
sleep 60
EOF
chmod +x "$tmp/nc.sh"
tmux -L "$sock" new-window -d -n nc \
    "$tty_env $tmp/nc.sh"
pane=nc
wait_for "to10.189.0.182" && {
	screen -e
	if grep -q "$(printf '\033')\[[0-9;]*[34][0-7]m\|38;5\|48;5" \
	    "$tmp/screen"; then
		fail "NO_COLOR: colour escapes on the screen"
	fi
}
# SIGTERM (a shutdown, a closed terminal emulator) also gives the
# terminal back and exits 0.
shpid=$(tmux -L "$sock" display -p -t nc '#{pane_pid}')
fgpid=$(pgrep -P "$shpid" -x fgtop)
if [ -n "$fgpid" ]; then
	kill -TERM "$fgpid"
	wait_for "NC-EXIT=0" 10
	wait_for "NC-MODES" 5 && has "icanon echo NC-MODES" \
	    "terminal modes after SIGTERM"
else
	fail "no fgtop under the NO_COLOR pane's shell"
fi

# ASCII fallback: a C locale gets no UTF-8 line or mark.
tmux -L "$sock" new-window -d -n ascii \
    "env LANG=C LC_ALL=C TERM=screen-256color '$fgtop' --config \
    '$tmp/config' --known-hosts '$tmp/kh' -F none --no-agent; \
    echo ASCII-EXIT=\$?; sleep 60"
pane=ascii
wait_row "to10.189.0.182" "X *"	# C locale: the down mark is X
# The config's `key quit x`.
keys x
wait_for "ASCII-EXIT=0" 10
pane=ui

# fgtop --demo: DEMO in the status bar, every device, and after q no
# fgtsim and no temporary directory left.
mkdir "$tmp/demo"
tmux -L "$sock" new-window -d -n demo \
    "env TMPDIR='$tmp/demo' LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    TERM=screen-256color '$fgtop' --demo; echo DEMO-EXIT=\$?; sleep 60"
pane=demo
wait_for "DEMO" && wait_for "branch-lyon" 20 && {
	ls "$tmp/demo" | grep -q fgtop-demo ||
	    fail "the demo did not use TMPDIR"
}
keys q
wait_for "DEMO-EXIT=0" 10
sleep 0.3
if pgrep -f "fgtsim.*$tmp/demo" >/dev/null; then
	fail "fgtsim still runs after the demo"
fi
[ -z "$(ls "$tmp/demo")" ] || fail "the demo left files: $(ls "$tmp/demo")"

# A journal that cannot be written (a full disk): the status bar says
# so, with the path and the reason, and the dashboard goes on and quits
# as usual.
mkdir "$tmp/full"
tmux -L "$sock" new-window -d -n full \
    "env TMPDIR='$tmp/full' LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    TERM=screen-256color '$fgtop' --demo --journal /dev/full; \
    echo FULL-EXIT=\$?; sleep 60"
pane=full
wait_for "branch-lyon" 20 && wait_for "! journal /dev/full: No space" 10 &&
    {
	case "$(sed -n 1p "$tmp/screen")" in
	*" fgtop"*DEMO*"devices "*"! journal /dev/full: No space left on"*) ;;
	*) fail "no journal warning in the status bar: $(sed -n 1p \
	    "$tmp/screen")" ;;
	esac
}
keys q
wait_for "FULL-EXIT=0" 10

# Three keystrokes from the red row to the cause: on faults.scn the
# worst row is psk-v1 (phase 1 connecting); d runs the IKE debug on its
# peer, and once the debug shows the PSK mismatch the row's finding
# names it (the rules read the debug lines the session kept).
sim_start sim2 "$scenarios/faults.scn"
sim2=$simpid
port2=$port
mkdir "$tmp/bundles"
write_config "$tmp/config2" fl "$port2" "export-dir $tmp/bundles\\n"
tmux -L "$sock" new-window -d -n diag \
    "$tty_env '$fgtop' \
    --config '$tmp/config2' --known-hosts '$tmp/kh2' --accept-new -F none \
    --no-agent --poll 1 --full-poll 2; echo DIAG-EXIT=\$?; sleep 60"
pane=diag
wait_row "psk-v1" "*phase 1 is down*" && wait_first "psk-v1"
# The selection follows its tunnel: on a slow build it may still be on
# the row that was first before the first full poll sorted the table.
keys g
keys d
wait_for "probable pre-shared secret mismatch" 40
keys Escape
wait_for "(y/n)" 5
keys n
wait_for "phase 1 fails: pre-shared" 15 && {
	row=$(line_of "psk-v1")
	case "$row" in
	*"phase 1 fails: pre-shared"*) ;;
	*) fail "psk-v1 after the debug: $row" ;;
	esac
}
# E on the red row: the incident bundle lands in the config's
# export-dir, the prompt line says where, and it holds the debug lines
# the pane kept and the finding they gave.
keys E
wait_for "bundle written: $tmp/bundles/fgtop-fl-psk-v1-" 20 && {
	b=$(ls "$tmp/bundles"/fgtop-fl-psk-v1-*.tar.gz 2>/dev/null | head -n 1)
	if [ -z "$b" ] || ! tar -tzf "$b" >"$tmp/list"; then
		fail "tar -tzf cannot list the bundle '$b'"
	else
		for f in README.txt tunnel.json findings.json events.jsonl \
		    tools/debug.txt raw/01-get-system-status.txt \
		    raw/04-root-diagnose-vpn-tunnel-list-name-psk-v1.txt; do
			grep -q "^fgtop-fl-psk-v1-[0-9]\{8\}T[0-9]\{6\}Z/$f\$" \
			    "$tmp/list" || fail "no $f in the bundle"
		done
		tar -xzOf "$b" --wildcards '*/README.txt' >"$tmp/readme"
		grep -q "^  1\. \[critical\] P1-PSK-V1: phase 1 fails: pre-shared" \
		    "$tmp/readme" || fail "the README does not name P1-PSK-V1"
		tar -xzOf "$b" --wildcards '*/tools/debug.txt' |
		    grep -q "probable pre-shared secret mismatch" ||
		    fail "the bundle's debug lines lack the PSK mismatch"
	fi
}
keys q
wait_for "(y/n)" 5
keys y
wait_for "DIAG-EXIT=0" 15
grep -q '"command":"diagnose debug disable"' "$tmp/sim2.log" ||
    fail "quitting did not turn debug off"
if grep '"disconnect"' "$tmp/sim2.log" | grep -q '"enabled": *true'; then
	fail "a session left IKE debug enabled on faults.scn"
fi
kill "$sim2" 2>/dev/null
wait "$sim2" 2>/dev/null
pane=ui

finish test_ui
