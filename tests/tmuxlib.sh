# SPDX-License-Identifier: ISC
# shellcheck shell=sh disable=SC2034  # variables for the sourcing test
# tmuxlib - what the tmux tests (test_ui.sh, test_prom_ui.sh,
# test_replay.sh) share: the programs, the check for tmux, a scratch
# directory and its clean-up, fgtsim on a free port of 127.0.0.1,
# fgtop's config for it, and reading the screen back with capture-pane.
# One home for each, so a fix (a slow start, a server left behind) is made
# once.
#
# Sourced, after `set -u`, as
#	. "${top_srcdir:-.}/tests/tmuxlib.sh"
# It skips the test (exit 77) when tmux is missing, or fails it under
# CI=true, which installs tmux.  The test then sets sock (its tmux
# server, tmux -L) and pane (the window the screen helpers read and type
# into).  Ownership: the scratch directory $tmp, the tmux server $sock
# and every fgtsim started with sim_start are the library's: the EXIT
# trap removes them.  fgtop keeps its journal in $tmp/state, never in
# $HOME.

top_builddir=${top_builddir:-.}
top_srcdir=${top_srcdir:-.}
fgtop=$(cd "$top_builddir" && pwd)/src/fgtop
fgtsim=$(cd "$top_builddir" && pwd)/tests/sim/fgtsim
scenarios=$(cd "$top_srcdir" && pwd)/tests/sim/scenarios
# How each pane's fgtop sees its terminal.
tty_env="env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color"

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
XDG_STATE_HOME=$tmp/state	# fgtop's journal, not in $HOME
export XDG_STATE_HOME
sock=fgtop-test-$$
pane=
simpid=
simpids=
tmuxpid=
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null
	# Its socket may be gone (another test's clean-up): by pid, then.
	[ -n "$tmuxpid" ] && kill "$tmuxpid" 2>/dev/null
	for p in $simpids; do
		kill "$p" 2>/dev/null && wait "$p"
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# The end of a test: its verdict and exit status.
finish() {	# finish NAME
	if [ "$fails" -gt 0 ]; then
		echo "$fails failure(s)"
		exit 1
	fi
	echo "PASS: $1"
	exit 0
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

# fgtsim on a free port of 127.0.0.1, in the background: its stdout,
# stderr, --log and host key are $tmp/NAME.out, .err, .log, .hostkey.
# Sets simpid and port (the first device's, from its ready lines); the
# test fails at once when it does not start.
sim_start() {	# sim_start NAME SCENARIO [FGTSIM-OPTIONS...]
	_name=$1
	_scn=$2
	shift 2
	"$fgtsim" --scenario "$_scn" --listen 127.0.0.1:0 \
	    --hostkey "$tmp/$_name.hostkey" --log "$tmp/$_name.log" "$@" \
	    >"$tmp/$_name.out" 2>"$tmp/$_name.err" &
	simpid=$!
	simpids="$simpids $simpid"
	n=200
	while [ "$n" -gt 0 ] &&
	    ! grep -q 'ready' "$tmp/$_name.out" 2>/dev/null; do
		sleep 0.05
		n=$((n - 1))
	done
	port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' \
	    "$tmp/$_name.out" | head -n 1)
	[ -n "$port" ] || { echo "FAIL: fgtsim did not start";
	    cat "$tmp/$_name.err"; exit 1; }
}

# fgtop's config: GLOBAL lines, then one device on 127.0.0.1:PORT that
# logs in as admin with fgtsim's password (from the 0600 file $tmp/pw),
# and its LINES.  GLOBAL and LINES end in \n; printf's %b reads escapes.
write_config() {	# write_config FILE DEVICE PORT [GLOBAL [LINES]]
	printf 'fgtsim\n' >"$tmp/pw"
	chmod 600 "$tmp/pw"
	printf '%bdevice %s\n\taddress 127.0.0.1\n\tport %s\n\tuser admin\n\tpassword-file %s\n%b' \
	    "${4:-}" "$2" "$3" "$tmp/pw" "${5:-}" >"$1"
}

screen() {	# the pane as text (-e: with SGR escapes)
	tmux -L "$sock" capture-pane -p -t "$pane" ${1:-} >"$tmp/screen"
}

wait_for() {	# wait_for TEXT [SECONDS]: until the pane shows TEXT
	n=$(( ${2:-15} * 10 ))
	while [ "$n" -gt 0 ]; do
		screen
		grep -qF -- "$1" "$tmp/screen" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	fail "the screen never showed '$1'; it shows:"
	cat "$tmp/screen"
	return 1
}

# A row is drawn when the summary shows its tunnel, and its state and
# finding a moment later, with the gateway and tunnel lists: a check of
# what the lists say waits for it.
wait_row() {	# wait_row TEXT GLOB [SECONDS]: until TEXT's row matches GLOB
	n=$(( ${3:-15} * 10 ))
	while [ "$n" -gt 0 ]; do
		screen
		row=$(grep -F -- "$1" "$tmp/screen" | head -n 1)
		case "$row" in
		$2) return 0 ;;
		esac
		sleep 0.1
		n=$((n - 1))
	done
	fail "the row of '$1' never matched '$2': $row"
	return 1
}

has() {		# has TEXT WHAT: the last capture shows TEXT
	grep -qF -- "$1" "$tmp/screen" || {
		fail "$2: no '$1' on the screen:"
		cat "$tmp/screen"
	}
}

lacks() {	# lacks TEXT WHAT
	if grep -qF -- "$1" "$tmp/screen"; then
		fail "$2: '$1' is on the screen:"
		cat "$tmp/screen"
	fi
}

keys() {
	tmux -L "$sock" send-keys -t "$pane" "$@"
	sleep 0.3
}
