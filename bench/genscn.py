#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""genscn - write an fgtsim scenario of N branch FortiGates for the engine
bench (bench/engine.sh), and, given fgtsim's "listening" lines, the fgtop
config file that points at them.

    genscn.py scenario N [TUNNELS [PAGER]] > estate.scn
    genscn.py config PWFILE < fgtsim-stdout > fgtop.conf

The estate is meant to look like a NOC's: every device has TUNNELS (50)
static tunnels in one VDOM, the pager on (as shipped), and FortiOS
versions in a mix of 6.4, 7.0, 7.2 and 7.4 (each renders its own output
flavour, so every parser layout is exercised).  About one tunnel in six
is down with a real failure (PSK or proposal mismatch, a silent peer, a
selector mismatch with phase 1 up) and the rest carry traffic at a few
packets per second, so counters, rates and SPIs move on every poll.
Every choice is a function of the device and tunnel numbers: the same N
gives the same estate every run.  PAGER is `pty` (the default: pages
as tall as the client's pty, as a real FortiGate pages), a forced page
height (24: a client on a 24-line terminal, the worst case) or `off`.
"""

import sys

VERSIONS = ["6.4.15", "7.0.15", "7.2.10", "7.4.3"]
MODELS = ["FortiGate-60F", "FortiGate-100F", "FortiGate-40F",
          "FortiGate-200F"]
# (every how many tunnels, fault): the rest are up with traffic.
FAULTS = [(17, "psk-mismatch"), (23, "silent-peer"),
          (29, "selector-mismatch"), (31, "proposal-mismatch")]


def tunnel(out, d, t):
    name = "br%04d-t%02d" % (d, t)
    out.append("  tunnel %s" % name)
    out.append("    interface wan%d" % (1 + t % 2))
    out.append("    local 198.%d.%d.1" % (18 + d // 250 % 2, d % 250))
    out.append("    remote 203.%d.%d.%d" % (t // 10, d % 250, 1 + t))
    out.append("    ike %d" % (1 + (d + t) % 2))
    if t % 5 == 0:
        out.append("    proposal aes256-sha256")
    net = "10.%d.%d.0/24" % (d // 250 % 250, d % 250)
    out.append("    phase2 %s src %s dst 172.%d.%d.0/24" %
               (name, net, 16 + t // 16, (t * 16 + d) % 256))
    if t % 7 == 0:
        out.append("    phase2 %s-b src %s dst 192.168.%d.0/24" %
                   (name, net, t))
    fault = None
    for every, f in FAULTS:
        if (t + d) % every == every - 1:
            fault = f
            break
    if fault is not None:
        out.append("    fault %s" % fault)
    else:
        out.append("    traffic %d pps" % (1 + (d * 7 + t) % 40))
        out.append("    created %d" % (600 + (d * 131 + t * 977) % 86400))


def scenario(n, ntun, pager):
    out = ["# bench estate: %d devices of %d tunnels (bench/genscn.py)" %
           (n, ntun)]
    for d in range(n):
        v = VERSIONS[d % len(VERSIONS)]
        out.append("")
        out.append("device BR%04d" % d)
        out.append("  model %s" % MODELS[d // 4 % len(MODELS)])
        out.append("  version %s" % v)
        out.append("  serial FGT%s%08d" % (v.replace(".", "")[:3], d))
        if pager == "off":
            out.append("  pager off")
        elif pager == "pty":
            out.append("  pager on")
        else:
            out.append("  pager on %d" % int(pager))
        out.append("  user admin password fgtsim")
        for t in range(ntun):
            tunnel(out, d, t)
    sys.stdout.write("\n".join(out) + "\n")


def config(pwfile):
    out = ["# fgtop config for the bench estate (bench/genscn.py)",
           "poll 5s"]
    for line in sys.stdin:
        w = line.split()
        # fgtsim: BR0001 listening on 127.0.0.1:40123
        if len(w) == 5 and w[0] == "fgtsim:" and w[2] == "listening":
            host, _, port = w[4].rpartition(":")
            out += ["", "device %s" % w[1], "  address %s" % host,
                    "  port %s" % port, "  user admin",
                    "  password-file %s" % pwfile]
    sys.stdout.write("\n".join(out) + "\n")


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "scenario":
        scenario(int(sys.argv[2]),
                 int(sys.argv[3]) if len(sys.argv) > 3 else 50,
                 sys.argv[4] if len(sys.argv) > 4 else "pty")
    elif len(sys.argv) == 3 and sys.argv[1] == "config":
        config(sys.argv[2])
    else:
        sys.stderr.write("usage: genscn.py scenario N [TUNNELS [PAGER]]\n"
                         "       genscn.py config PWFILE < fgtsim-output\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
