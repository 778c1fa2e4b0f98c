# SPDX-License-Identifier: ISC
# textfsm_bench.py TEMPLATE INPUT OUTPUT - the comparison for `make bench`:
# parse a `diagnose vpn tunnel list` with TextFSM (Debian's
# python3-textfsm) and write the rows as JSON, as `fgtop parse` does.
# Exit 3 when textfsm is not installed.
import json
import sys

try:
    import textfsm
except ImportError:
    sys.exit(3)

with open(sys.argv[1]) as t:
    fsm = textfsm.TextFSM(t)
with open(sys.argv[2]) as f:
    rows = fsm.ParseText(f.read())
with open(sys.argv[3], "w") as out:
    json.dump([dict(zip(fsm.header, r)) for r in rows], out, indent=2)
    out.write("\n")
print(len(rows))
