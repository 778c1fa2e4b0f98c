#!/bin/sh
# SPDX-License-Identifier: ISC
# test_replay - `fgtop replay` end to end: the real fgtop writes its
# journal (--journal) of the real fgtsim (multivdom.scn, 10x speed), then
# tmux runs the replay and the test reads the screen back with
# capture-pane.
#
# What the screen must say is not typed here: tests/sim/scnstate loads
# the same scenario into fgtsim's device model and prints each tunnel's
# state at a simulated time, and the down/up changes it goes through.
# Simulated time is wall time since fgtsim's start times the speed, so
# the test picks its moments from the scenario: the middle of the first
# down spell (--at), just before it ends (] steps across the change, [
# steps back), and well after (:at jumps there).  fgtop polls every
# 0.25 s: a change shows in the journal within half a second, so each
# moment is chosen a second or more away from any change.
set -u
# shellcheck source=tests/tmuxlib.sh
. "${top_srcdir:-.}/tests/tmuxlib.sh"
scnstate=$(cd "$top_builddir" && pwd)/tests/sim/scnstate
scn=$scenarios/multivdom.scn
speed=10
sock=fgtop-replay-$$
pane=replay

# A tunnel's row in the home view starts with its state's mark.
# The rows may come a frame after the status bar (a capture can fall
# between the two under load): the last capture first, then new ones
# for up to 5 s.
row_state() {	# row_state TUNNEL up|down WHAT
	case "$2" in
	up) mark="✓" ;;
	down) mark="✗" ;;
	esac
	n=50
	while :; do
		row=$(grep -F -- " $1 " "$tmp/screen" | head -n 1)
		case "$row" in
		"$mark "*) return 0 ;;
		esac
		n=$((n - 1))
		[ "$n" -gt 0 ] || break
		sleep 0.1
		screen
	done
	fail "$3: $1 is not $2 ($mark): '$row'"
	cat "$tmp/screen"
}

# Every tunnel's row as the scenario says at simulated second $1.
rows_as_scenario() {	# rows_as_scenario SECONDS WHAT
	"$scnstate" "$scn" at "$1" >"$tmp/want"
	while read -r _dev _vdom _tun _state; do
		row_state "$_tun" "$_state" "$2 (scenario at ${1}s)"
	done <"$tmp/want"
}

now() {
	date +%s.%N
}

# The wall time of simulated second $1, in the form $2 (date +FORMAT).
wall() {
	awk -v t0="$t0" -v s="$1" -v k="$speed" \
	    'BEGIN { printf "%.3f\n", t0 + s / k }'
}

# The first tunnel that goes down and comes back: its two changes.
"$scnstate" "$scn" changes 600 >"$tmp/changes"
read -r t_down dev vdom tun from to <"$tmp/changes" || true
t_up=$(awk -v tun="$tun" '$4 == tun && $6 == "up" { print $1; exit }' \
    "$tmp/changes")
if [ -z "$tun" ] || [ "$from" != up ] || [ -z "$t_up" ]; then
	echo "FAIL: multivdom.scn has no down spell: $(cat "$tmp/changes")"
	exit 1
fi

# fgtsim on a free port, at 10x; t0 is its simulated second 0.
sim_start sim "$scn" --speed "$speed"
t0=$(now)
write_config "$tmp/config" d0 "$port" '' '\tdisclaimer accept\n'
common="--config $tmp/config --known-hosts $tmp/kh --accept-new -F none --no-agent"

# The journal: fgtop --watch-json writes it (--journal) until the spell
# is over, a snapshot once the device has answered, then the events.
mkdir "$tmp/j"
# shellcheck disable=SC2086
"$fgtop" --watch-json --poll 0.25 --full-poll 0.25 $common \
    --journal "$tmp/j" >"$tmp/watch.out" 2>"$tmp/watch.err" &
watchpid=$!
end=$(wall "$(awk -v u="$t_up" 'BEGIN { print u + 30 }')")
while awk -v e="$end" -v n="$(now)" 'BEGIN { exit !(n < e) }'; do
	sleep 0.2
done
kill -TERM "$watchpid"
wait "$watchpid"
cat "$tmp"/j/journal-*.jsonl >"$tmp/all.jsonl"
grep -q "\"tunnel\":\"$tun\",\"item\":null,\"from\":\"up\",\"to\":\"down\"" \
    "$tmp/all.jsonl" || { echo "FAIL: the journal has no $tun down:";
    cat "$tmp/all.jsonl" "$tmp/watch.err"; exit 1; }
grep -q '^{"event":"snapshot","time":"' "$tmp/all.jsonl" ||
    { echo "FAIL: the journal has no snapshot"; exit 1; }

# 1. --at the middle of the spell (ISO UTC): the rows as the scenario
# says, the moment in the status bar.
mid=$(awk -v d="$t_down" -v u="$t_up" 'BEGIN { print (d + u) / 2 }')
at=$(wall "$mid")
iso=$(date -u -d "@$at" +%Y-%m-%dT%H:%M:%S).$(printf '%s' "$at" |
    cut -d. -f2)Z
tmux -L "$sock" -f /dev/null new-session -d -s replay -x 160 -y 30 \
    "$tty_env '$fgtop' replay --at '$iso' '$tmp/j'; echo REPLAY-EXIT=\$?; sleep 60"
tmuxpid=$(tmux -L "$sock" display -p '#{pid}')
wait_for "REPLAY $(date -d "@$at" '+%Y-%m-%d %H:%M:%S')" && {
	rows_as_scenario "$mid" "--at the middle of the spell"
	cp "$tmp/screen" "$tmp/screen.mid"
}

# Read-only: the tools, reconnect and export say so.
keys 'g'
keys 'd'
screen
has "debug: not available in replay" "d in replay"
keys 'R'
screen
has "reconnect: not available in replay" "R in replay"
keys 'E'
screen
has "export: not available in replay" "E in replay"

# The events view: the spell began, it has not ended yet.
keys 'e'
screen
grep -F -- "$tun" "$tmp/screen" | grep -qF "down" ||
    { fail "events view: no $tun down"; cat "$tmp/screen"; }
if grep -F -- "$tun" "$tmp/screen" | grep -F "tunnel-state" |
    grep -qF -- "-> up"; then
	fail "events view: $tun comes up before it did"
	cat "$tmp/screen"
fi
keys 'T'

# 2. :at a second before the spell ends (local time, to the second
# after it), then ] until the change: the row turns up, the prompt line
# names the event; [ steps back: down again.
before=$(wall "$(awk -v u="$t_up" -v k="$speed" \
    'BEGIN { print u - 2 * k }')")
before=$(awk -v b="$before" 'BEGIN { printf "%d\n", b + 0.5 }')
hms=$(date -d "@$before" +%H:%M:%S)
keys ':' "at $hms" Enter
wait_for "REPLAY $(date -d "@$before" '+%Y-%m-%d %H:%M:%S')" 5
row_state "$tun" down ":at before the spell ends"
n=0
while [ "$n" -lt 40 ]; do
	keys ']'
	screen
	grep -qF "$tun tunnel-state down -> up" "$tmp/screen" && break
	n=$((n + 1))
done
has "$tun tunnel-state down -> up" "] up to the change"
row_state "$tun" up "] across the change"
keys '['
screen
row_state "$tun" down "[ back across the change"
lacks "$tun tunnel-state down -> up" "[ names the event before"

# 3. :at well after the spell: every row as the scenario says.
after=$(awk -v u="$t_up" 'BEGIN { print u + 15 }')
hms=$(date -d "@$(awk -v a="$(wall "$after")" \
    'BEGIN { printf "%d\n", a + 0.5 }')" +%H:%M:%S)
keys ':' "at $hms" Enter
wait_for "$hms" 5 && rows_as_scenario "$after" ":at after the spell"

# 4. q quits with status 0.
keys 'q'
wait_for "REPLAY-EXIT=0" 5

# Usage errors.
"$fgtop" replay --at yesterday "$tmp/j" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "replay --at yesterday: not a usage error"
grep -qF "not a time: yesterday" "$tmp/err" || fail "--at: no reason given"
"$fgtop" replay "$tmp/nothing" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] || fail "replay of a missing file: not exit 1"

finish test_replay
