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
# shellcheck source=tests/tmuxlib.sh
. "${top_srcdir:-.}/tests/tmuxlib.sh"
sock=fgtop-prom-$$

sim_start sim "$scenarios/walkthrough.scn"
write_config "$tmp/config" wt "$port"
: >"$tmp/regular"

# dashboard PROMPATH NAME: fgtop's dashboard in window NAME, its stderr
# to $tmp/NAME.err, its exit status to $tmp/NAME.exit.
dashboard() {
	tmux -L "$sock" new-window -d -n "$2" \
	    "$tty_env '$fgtop' --config '$tmp/config' --known-hosts '$tmp/kh' \
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

finish test_prom_ui
