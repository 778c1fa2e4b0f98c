#!/bin/sh
# SPDX-License-Identifier: ISC
# test_prom_ui - --prom-textfile from the dashboard, in a real terminal
# (tmux) against the real fgtsim (walkthrough.scn): the textfile follows
# the dashboard's polls, and a textfile that cannot be written does not
# garble the screen: the warning is said once, on stderr, after the
# terminal is given back.
#
# What the scenario means (tests/sim/scenarios/walkthrough.scn):
# to10.174.0.182 is up, to10.189.0.182 is down with phase 1 connecting.
set -u
top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-.}
fgtop=$(cd "$top_builddir" && pwd)/src/fgtop
fgtsim=$(cd "$top_builddir" && pwd)/tests/sim/fgtsim
scn=$(cd "$top_srcdir" && pwd)/tests/sim/scenarios/walkthrough.scn

if ! command -v tmux >/dev/null 2>&1; then
	if [ "${CI:-}" = true ]; then
		echo "FAIL: tmux is not installed (./bootstrap check installs it)"
		exit 1
	fi
	echo "SKIP: tmux is not installed (./bootstrap check installs it)"
	exit 77
fi

fails=0
tmp=$(mktemp -d)
sock=fgtop-prom-$$
simpid=
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null
	[ -n "$simpid" ] && kill "$simpid" 2>/dev/null && wait "$simpid"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

wait_file() {	# wait_file FILE TEXT: until FILE holds TEXT (15 s)
	n=150
	while [ "$n" -gt 0 ]; do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		n=$((n - 1))
	done
	fail "$1 never held '$2'"
	return 1
}

"$fgtsim" --scenario "$scn" --listen 127.0.0.1:0 --hostkey "$tmp/hostkey" \
    >"$tmp/sim.out" 2>"$tmp/sim.err" &
simpid=$!
n=100
while [ "$n" -gt 0 ] && ! grep -q 'ready' "$tmp/sim.out" 2>/dev/null; do
	sleep 0.1
	n=$((n - 1))
done
port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' \
    "$tmp/sim.out" | head -n 1)
[ -n "$port" ] || { echo "FAIL: fgtsim did not start"; cat "$tmp/sim.err";
    exit 1; }
printf 'fgtsim\n' >"$tmp/pw"
chmod 600 "$tmp/pw"
printf 'device wt\n\taddress 127.0.0.1\n\tport %s\n\tuser admin\n\tpassword-file %s\n' \
    "$port" "$tmp/pw" >"$tmp/config"
: >"$tmp/regular"

# dashboard PROMPATH NAME: fgtop's dashboard in window NAME, its stderr
# to $tmp/NAME.err, its exit status to $tmp/NAME.exit.
dashboard() {
	tmux -L "$sock" new-window -d -n "$2" \
	    "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color \
	    '$fgtop' --config '$tmp/config' --known-hosts '$tmp/kh' \
	    --accept-new -F none --no-agent --poll 0.5 --full-poll 0.5 \
	    --prom-textfile '$1' 2>'$tmp/$2.err'; echo \$? >'$tmp/$2.exit'; \
	    sleep 60"
}

tmux -L "$sock" -f /dev/null new-session -d -s prom -x 132 -y 40 "sleep 120"

# A textfile the dashboard keeps: both tunnels, as the scenario means.
dashboard "$tmp/fgtop.prom" ok
wait_file "$tmp/fgtop.prom" 'fgtop_tunnel_up{device="wt",vdom="root",tunnel="to10.189.0.182",parent="",peer="10.189.0.182"} 0' &&
	grep -qF 'fgtop_tunnel_up{device="wt",vdom="root",tunnel="to10.174.0.182",parent="",peer="10.174.0.182"} 1' \
	    "$tmp/fgtop.prom" ||
	fail "to10.174.0.182 is not up in the textfile: $(grep tunnel_up "$tmp/fgtop.prom")"
grep -qF 'fgtop_tunnel_phase1_up{device="wt",vdom="root",tunnel="to10.189.0.182",parent="",peer="10.189.0.182"} 0' \
    "$tmp/fgtop.prom" || fail "phase 1 of to10.189.0.182 is not 0"
# Rewritten as the polls go on: a newer file within a few seconds.
before=$(stat -c %Y.%y "$tmp/fgtop.prom")
n=50
while [ "$n" -gt 0 ] && [ "$(stat -c %Y.%y "$tmp/fgtop.prom")" = "$before" ]; do
	sleep 0.1
	n=$((n - 1))
done
[ "$n" -gt 0 ] || fail "the dashboard did not rewrite the textfile"
tmux -L "$sock" send-keys -t ok q
wait_file "$tmp/ok.exit" 0
[ -s "$tmp/ok.err" ] && fail "stderr after a working textfile: $(cat "$tmp/ok.err")"

# Below a regular file: the dashboard runs, says it once on stderr,
# after q ...
dashboard "$tmp/regular/fgtop.prom" bad
sleep 3
[ -s "$tmp/bad.err" ] &&
	fail "a warning reached stderr while the dashboard ran: $(cat "$tmp/bad.err")"
# ... but on the prompt line at once.
tmux -L "$sock" capture-pane -p -t bad | grep -qF \
    "warning: cannot write $tmp/regular/fgtop.prom.tmp: Not a directory" ||
	fail "no warning on the screen: $(tmux -L "$sock" capture-pane -p -t bad | tail -n 2)"
tmux -L "$sock" send-keys -t bad q
wait_file "$tmp/bad.exit" 0
[ "$(grep -c 'cannot write' "$tmp/bad.err")" = 1 ] ||
	fail "the warning is not said once: $(cat "$tmp/bad.err")"
grep -qF "fgtop: warning: cannot write $tmp/regular/fgtop.prom.tmp: Not a directory" \
    "$tmp/bad.err" || fail "the warning: $(cat "$tmp/bad.err")"

[ "$fails" -eq 0 ] || exit 1
echo "PASS: test_prom_ui"
