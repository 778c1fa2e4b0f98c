#!/bin/sh
# SPDX-License-Identifier: ISC
# fgtop-cli - the command-line contract, through the real binary:
# exit codes, errors on stderr, JSON on stdout.
set -u
fgtop=${top_builddir:-.}/src/fgtop
fx=${top_srcdir:-.}/tests/fixtures/real
fails=0
tmp=$(mktemp -d)
XDG_STATE_HOME=$tmp/state	# fgtop's journal, not in $HOME
export XDG_STATE_HOME
trap 'rm -rf "$tmp"' EXIT

expect() {	# expect STATUS DESCRIPTION -- command...
	want=$1 what=$2
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL: $what: exit $got, want $want"
		cat "$tmp/err"
		fails=$((fails + 1))
	fi
}

contains() {	# contains FILE STRING DESCRIPTION
	if ! grep -qF -- "$2" "$1"; then
		echo "FAIL: $3: no '$2' in $1:"
		cat "$1"
		fails=$((fails + 1))
	fi
}

expect 0 "parse summary" -- "$fgtop" parse --as tunnel-summary \
    "$fx/tunnel-summary/00-walkthrough-jp-blog-2-tunnels-one-down.txt"
contains "$tmp/out" '"name": "to10.189.0.182"' "summary name"
contains "$tmp/out" '"selectors_up": 0' "summary selectors"

expect 0 "parse from stdin" -- sh -c "'$fgtop' parse --as tunnel-summary - \
    < '$fx/tunnel-summary/01-advpn-hub-4-dialup-children.txt'"
contains "$tmp/out" '"rx_pkt": 83961' "stdin rx"

expect 1 "nothing recognised" -- "$fgtop" parse --as tunnel-summary \
    "$fx/system-status/01-ntc-7.4.8-60F.txt"
contains "$tmp/err" "no tunnel-summary output recognised" "nothing message"
[ "$(wc -l <"$tmp/err")" -eq 1 ] ||
    { echo "FAIL: error is not one line"; fails=$((fails + 1)); }

expect 1 "missing file" -- "$fgtop" parse --as tunnel-summary \
    "$tmp/does-not-exist"
contains "$tmp/err" "does-not-exist: No such file or directory" "ENOENT"

expect 2 "unknown kind" -- "$fgtop" parse --as nonsense "$fx/sniffer/01-udp500-no-reply.txt"
contains "$tmp/err" "unknown kind: nonsense" "unknown kind message"
expect 2 "no --as" -- "$fgtop" parse "$fx/sniffer/01-udp500-no-reply.txt"
expect 2 "no command" -- "$fgtop"
expect 2 "bad command" -- "$fgtop" frobnicate
expect 0 "help" -- "$fgtop" --help
contains "$tmp/out" "ike-gateway-list" "help lists kinds"
expect 0 "version" -- "$fgtop" --version
contains "$tmp/out" "fgtop " "version"
contains "$tmp/out" "Copyright (c) 2026 fgtop developers" "version copyright"
contains "$tmp/out" "ISC licence" "version licence"

expect 0 "compact" -- "$fgtop" parse -c --as tunnel-summary \
    "$fx/tunnel-summary/00-walkthrough-jp-blog-2-tunnels-one-down.txt"
contains "$tmp/out" '{"tunnels":[{"name":"to10.174.0.182",' "compact form"
[ "$(wc -l <"$tmp/out")" -eq 1 ] ||
    { echo "FAIL: compact output is not one line"; fails=$((fails + 1)); }
expect 0 "analyze compact" -- "$fgtop" analyze --compact \
    "$fx/tunnel-summary/00-walkthrough-jp-blog-2-tunnels-one-down.txt"
contains "$tmp/out" '"kind":"tunnel-summary"' "analyze compact form"

# A full disk is an error, not a silent success.
if [ -w /dev/full ]; then
	expect 1 "full disk" -- sh -c "'$fgtop' parse --as tunnel-summary \
	    '$fx/tunnel-summary/00-walkthrough-jp-blog-2-tunnels-one-down.txt' \
	    > /dev/full"
	contains "$tmp/err" "No space left on device" "ENOSPC message"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] ||
	    { echo "FAIL: ENOSPC error is not one line"; fails=$((fails + 1)); }
fi

# Memory stays a small multiple of the input whatever the output.  For
# every kind, a short line repeated 250,000 times (2 to 14 MB) that makes
# a whole record each (up to 300 MB of JSON): `fgtop parse` streams the
# records, so it runs in a 60 MB address space, where parsing it whole
# took 70 to 470 MB.  And 3 MB of abbreviated commands for analyze under
# 150 MB.  The sanitizers reserve terabytes of address space: skipped
# there.
hostile_line() {	# hostile_line KIND: the line that makes one record
	case $1 in
	tunnel-summary)	echo "'a' 1:0 selectors(total,up): 1/1" ;;
	ike-gateway-list) printf 'vd: root/0\nname: a\n' ;;
	tunnel-list)	echo "name=a" ;;
	ike-debug)	echo "ike 0: a" ;;
	sniffer)	echo "1.1 a.1 -> b.2: udp 1" ;;
	traceroute)	echo " 1  1.1.1.1  0.1 ms" ;;
	routing-table)	echo "S 0.0.0.0/0 [1/0] via 1.1.1.1" ;;
	system-status)	echo "Version: FortiGate-60F v7.2.5,build1517,230606" ;;
	esac
}
if ! grep -q __asan_init "$fgtop" 2>/dev/null; then
	for kind in tunnel-summary ike-gateway-list tunnel-list ike-debug \
	    sniffer traceroute routing-table system-status; do
		hostile_line "$kind" >"$tmp/line"
		[ -s "$tmp/line" ] ||
		    { echo "FAIL: no hostile line for $kind"; fails=$((fails + 1)); }
		awk 'NR == FNR { l = l $0 "\n"; next } END {
		    for (i = 0; i < 250000; i++) printf "%s", l }' \
		    "$tmp/line" /dev/null >"$tmp/h.txt"
		expect 0 "bounded memory, $kind" -- sh -c \
		    "ulimit -v 60000 && '$fgtop' parse -c --as $kind \
		    '$tmp/h.txt' >/dev/null"
	done
	awk 'BEGIN { for (i = 0; i < 250000; i++) print "H # ge sy st" }' \
	    >"$tmp/an.txt"
	expect 0 "bounded memory, analyze" -- sh -c \
	    "ulimit -v 150000 && '$fgtop' analyze '$tmp/an.txt' >/dev/null"
fi

# fgtop parse on two threads (src/pstream.c) writes the one thread's
# bytes: every fixture as every kind and the hostile lines above (20,000
# each), cut wherever a record starts (FGTOP_PARSE_THREADS=1), and a
# 2.7 MB listing cut by default, as a large input is.
same() {	# same DESCRIPTION KIND FILE [-c]
	FGTOP_PARSE_THREADS=0 "$fgtop" parse ${4:-} --as "$2" "$3" \
	    >"$tmp/one" 2>/dev/null
	one=$?
	FGTOP_PARSE_THREADS=${5-1} "$fgtop" parse ${4:-} --as "$2" "$3" \
	    >"$tmp/two" 2>/dev/null
	two=$?
	if [ "$one" != "$two" ] || ! cmp -s "$tmp/one" "$tmp/two"; then
		echo "FAIL: two threads differ: $1 as $2 ${4:-}"
		fails=$((fails + 1))
	fi
}
for kind in tunnel-summary ike-gateway-list tunnel-list ike-debug \
    sniffer traceroute routing-table system-status; do
	for f in "$fx"/*/*.txt; do
		same "${f#"$fx"/}" $kind "$f"
	done
	hostile_line "$kind" >"$tmp/line"
	awk 'NR == FNR { l = l $0 "\n"; next } END {
	    for (i = 0; i < 20000; i++) printf "%s", l }' \
	    "$tmp/line" /dev/null >"$tmp/h.txt"
	for k2 in tunnel-list $kind; do
		same "hostile $kind" $k2 "$tmp/h.txt"
		same "hostile $kind" $k2 "$tmp/h.txt" -c
	done
done
# The first tunnels after the cut: the first part has none.
awk 'BEGIN { for (i = 0; i < 3000; i++) print "junk" }' >"$tmp/late.txt"
cat "$fx/tunnel-list/04-advpn-hub-children-ads.txt" >>"$tmp/late.txt"
same "tunnels after the cut" tunnel-list "$tmp/late.txt"
same "tunnels after the cut" tunnel-list "$tmp/late.txt" -c
awk '{ l = l $0 "\n" } END { for (i = 0; i < 2000; i++) printf "%s", l }' \
    "$fx/tunnel-list/02-spoke-static-auto-negotiate.txt" >"$tmp/big.txt"
same "2.7 MB, by default" tunnel-list "$tmp/big.txt" "" ""
same "2.7 MB, by default" tunnel-list "$tmp/big.txt" -c ""
[ "$(grep -o '"tun_id":"100.1.1.2"' "$tmp/two" | wc -l)" -eq 2000 ] ||
    { echo "FAIL: 2.7 MB listing: not 2000 tunnels"; fails=$((fails + 1)); }
# Two threads and a full disk: one error, as with one thread.
if [ -w /dev/full ]; then
	expect 1 "full disk, two threads" -- sh -c "'$fgtop' parse \
	    --as tunnel-list '$tmp/big.txt' > /dev/full"
	contains "$tmp/err" "No space left on device" "ENOSPC, two threads"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || { echo "FAIL: ENOSPC error" \
	    "is not one line (two threads)"; fails=$((fails + 1)); }
fi

# A dump of hex digits is not IKE debug without an IKE line before it.
expect 1 "hex alone" -- sh -c "echo deadbeef | '$fgtop' parse \
    --as ike-debug -"

# analyze --text: the walk-through's diagnosis for a person.
expect 0 "analyze --text" -- "$fgtop" analyze --text \
    "${top_srcdir:-.}/samples/walkthrough.txt"
contains "$tmp/out" "1. [warning] ST-P1-CONNECTING: phase 1 is down" \
    "first finding"
contains "$tmp/out" "execute traceroute-options source 10.189.0.31" \
    "traceroute next check"
expect 2 "analyze two files" -- "$fgtop" analyze a b

# fgtop journal: usage errors, a journal that is not there, --help.
expect 2 "journal: a bad time" -- "$fgtop" journal --since yesterday
contains "$tmp/err" "fgtop: --since: not a time: yesterday" "bad time"
expect 2 "journal: an argument" -- "$fgtop" journal extra
expect 1 "journal: none yet" -- "$fgtop" journal
contains "$tmp/err" "fgtop: journal: $XDG_STATE_HOME/fgtop: No such file" \
    "no journal directory"
expect 0 "journal --help" -- "$fgtop" journal --help
contains "$tmp/out" "--since T" "journal help"

if [ "$fails" -ne 0 ]; then
	echo "$fails failed"
	exit 1
fi
echo "fgtop-cli: all passed"
