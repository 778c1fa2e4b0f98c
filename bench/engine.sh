#!/bin/sh
# SPDX-License-Identifier: ISC
# engine.sh - the engine section of `make bench`: fgtop against fgtsim
# over SSH on loopback (see bench/engine.py for what is measured, and
# bench/README for the figures).
#
#     bench/engine.sh FGTOP FGTSIM
#
# Installs Debian's python3-netmiko for the comparison when it is missing
# and we are root with apt (BENCH_NETMIKO=0 skips that part), raises the
# file descriptor limit for 1,000 devices, and stops whatever it started
# on exit or on a signal.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -ne 2 ]; then
	echo "usage: engine.sh FGTOP FGTSIM" >&2
	exit 2
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "engine bench: SKIPPED: python3 is needed to drive it" >&2
	exit 0
fi
if [ "${BENCH_NETMIKO:-1}" != 0 ] &&
    ! /usr/bin/python3 -c 'import netmiko' 2>/dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "engine bench: installing python3-netmiko with apt-get"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		    python3-netmiko >/dev/null 2>&1 ||
		    { apt-get update -q >/dev/null 2>&1 &&
		    DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		    python3-netmiko >/dev/null 2>&1; } ||
		    echo "engine bench: python3-netmiko could not be installed"
	fi
fi
ulimit -n "$(ulimit -H -n)" 2>/dev/null || :
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait; exit 130' INT TERM HUP
python3 "$here/engine.py" "$1" "$2" &
pid=$!
wait "$pid"
rc=$?
pid=
exit $rc
