#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""netmiko_round - the NOC scripter's poll loop, for comparison with
`fgtop --once --json` in bench/engine.sh.

    /usr/bin/python3 netmiko_round.py CONFIG THREADS [curve25519]

Reads the device/address/port lines of the fgtop config that
bench/genscn.py wrote, and for every device, THREADS at a time, does
what a netmiko user does: ConnectHandler(device_type="fortinet",
fast_cli=True), then the three poll commands of fgtop's round
(tunnel summary, IKE gateway list, tunnel list), then disconnect.
Prints one line: devices, failures, bytes read.

What had to be worked around (netmiko 2.4.2, Debian 12):
  - netmiko's FortinetSSH.session_preparation tries to turn the pager
    off by writing `config system console` / `set output standard` /
    `end` (and restores it in cleanup()).  That is left as netmiko does
    it; fgtsim refuses configuration commands, as fgtop's own policy
    wants, so the pager stays on.
  - With the pager on, send_command() waits for the prompt behind the
    first `--More--` until its read timeout and returns a truncated
    output.  So each command is written with write_channel() and read
    with read_until_pattern() on "--More--" or the prompt, answering
    each `--More--` with a space, as fgtop does.
  - `fast_cli=True` alone (global_delay_factor 1); no other tuning.
  - The fortinet driver forces paramiko's key exchange to the
    diffie-hellman group14 / group-exchange family (for old FortiOS);
    fgtsim's libssh server answers group-exchange with an 8,192-bit
    prime, and paramiko does that modular exponentiation in Python:
    about 2 s of CPU per login, most of netmiko's cost.  With the third
    argument `curve25519` that override is undone (paramiko's own
    order, curve25519 first), which is the fairer transport figure.
The outputs are not parsed (fgtop parses and models them): the netmiko
figures are its transport and CLI handling alone.
"""

import re
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from netmiko import ConnectHandler
from netmiko.fortinet.fortinet_ssh import FortinetSSH

COMMANDS = ["get vpn ipsec tunnel summary",
            "diagnose vpn ike gateway list",
            "diagnose vpn tunnel list"]


def devices(path):
    devs, cur = [], None
    for line in open(path):
        w = line.split()
        if len(w) == 2 and w[0] == "device":
            cur = {"name": w[1]}
            devs.append(cur)
        elif cur is not None and len(w) == 2 and w[0] in ("address", "port"):
            cur[w[0]] = w[1]
    return devs


def run_command(conn, prompt, cmd):
    pat = r"--More-- ?$|" + re.escape(prompt) + r" ?$"
    conn.write_channel(cmd + conn.RETURN)
    out = ""
    while True:
        chunk = conn.read_until_pattern(pattern=pat)
        out += chunk
        if re.search(r"--More-- ?$", chunk):
            conn.write_channel(" ")
            continue
        return out


def poll(dev):
    conn = ConnectHandler(device_type="fortinet", host=dev["address"],
                          port=int(dev["port"]), username="admin",
                          password="fgtsim", fast_cli=True,
                          allow_agent=False, use_keys=False,
                          ssh_config_file=None)
    try:
        prompt = conn.find_prompt()
        return sum(len(run_command(conn, prompt, c)) for c in COMMANDS)
    finally:
        conn.disconnect()


def main():
    devs = devices(sys.argv[1])
    threads = int(sys.argv[2])
    if len(sys.argv) > 3 and sys.argv[3] == "curve25519":
        FortinetSSH._modify_connection_params = lambda self: None
    lock = threading.Lock()
    result = {"fail": 0, "bytes": 0}

    def one(dev):
        try:
            n = poll(dev)
            with lock:
                result["bytes"] += n
        except Exception as e:
            with lock:
                result["fail"] += 1
            sys.stderr.write("netmiko: %s: %s\n" % (dev["name"], e))

    with ThreadPoolExecutor(max_workers=threads) as ex:
        list(ex.map(one, devs))
    print("netmiko: devices %d failed %d bytes %d" %
          (len(devs), result["fail"], result["bytes"]))
    return 0 if result["fail"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
