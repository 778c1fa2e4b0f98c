#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""engine - the engine section of `make bench` (run by bench/engine.sh).

    engine.py FGTOP FGTSIM

Whole-process figures of one fgtop against fgtsim over real SSH on
loopback, with ratios to baselines run in the same invocation:

  baseline  `fgtop --once --json` of one device (median of 3): CPU, wall;
            fgtsim idle (its 50 ms tick) before each watch run.
  once      `fgtop --once --json` of BENCH_ONCE devices (200): wall, CPU
            per device, ratio to the one-device baseline; then the same
            round with netmiko (bench/netmiko_round.py) against the same
            fgtsim: CPU per device and the netmiko/fgtop ratio (target
            >= 20).
  watch     for N in BENCH_SIZES ("100 1000"): one `fgtop --watch-json`
            polling N devices of 50 tunnels every 5 s (full lists every
            30 s, the default) for BENCH_SECONDS (120): fgtop's CPU
            seconds per minute (from /proc/PID/stat, fgtop alone; over the
            whole run and in the steady state after the first complete
            model), peak RSS (VmHWM), the worst lateness of a poll (the
            scheduler's worst_late, from the FGTOP_STATS line fgtop
            writes at exit), the time from start to the first complete
            model (every device has reported its tunnels in
            --watch-json), and fgtsim's CPU over the same window.
            Targets at N = 1,000: < 3 CPU-s/min, < 150 MB, no poll later
            than one interval (5 s).

Environment: BENCH_SECONDS, BENCH_SIZES, BENCH_ONCE, BENCH_NETMIKO
(0: skip netmiko), BENCH_NETMIKO_THREADS (10), BENCH_NETMIKO_STOCK (20:
devices polled with netmiko's shipped fortinet driver, whose login costs
seconds of CPU; the curve25519 variant polls all of them),
BENCH_TUNNELS (50), BENCH_JOURNAL (1; 0: fgtop runs with --no-journal),
BENCH_PAGER (`pty`, the default: the estate pages by the pty height
fgtop asks for, as a FortiGate does; 24: forced 24-line pages, the
worst case; `off`: no pager).  BENCH_ONCE=0 skips the --once section.

A report, not a test: it prints OVER TARGET when a target is missed and
exits 0 unless the bench itself could not run.  Every process it starts
is stopped on exit, on error and on SIGINT/SIGTERM/SIGHUP.
"""

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TICK = os.sysconf("SC_CLK_TCK")
POLL_S = 5

procs = []


def env_int(name, default):
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        sys.exit("engine.py: %s is not a number" % name)


def cpu_s(pid):
    """utime + stime of a live process, in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        w = f.read().rsplit(")", 1)[1].split()
    return (int(w[11]) + int(w[12])) / TICK


def hwm_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def start(argv, **kw):
    p = subprocess.Popen(argv, **kw)
    procs.append(p)
    return p


def stop(p, sig=signal.SIGTERM, wait=30):
    """Stop a process we started; its rusage is returned when we reap it."""
    ru = None
    if p.returncode is None:
        try:
            p.send_signal(sig)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            except ChildProcessError:	# already reaped
                p.returncode = -1
                break
            if pid != 0:
                p.returncode = os.waitstatus_to_exitcode(status)
                break
            time.sleep(0.05)
        else:
            p.kill()
            p.wait()
    if p in procs:
        procs.remove(p)
    return ru


def run_rusage(argv, **kw):
    """Run to completion: (exit status, wall s, CPU s of the child)."""
    t0 = time.monotonic()
    p = start(argv, **kw)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    procs.remove(p)
    return (p.returncode, time.monotonic() - t0,
            ru.ru_utime + ru.ru_stime)


def on_signal(sig, _):
    # Ctrl-C reaches the whole group, then engine.sh's trap sends TERM:
    # the first signal wins, so the clean-up is not cut short.
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, signal.SIG_IGN)
    sys.exit(128 + sig)


def cleanup(*_):
    for p in list(procs):
        try:
            stop(p, signal.SIGTERM, 5)
        except OSError:
            pass


class Sim:
    """fgtsim on free loopback ports, with the fgtop config for it."""

    def __init__(self, work, fgtsim, n, ntun, tag):
        self.scn = os.path.join(work, "%s.scn" % tag)
        self.conf = os.path.join(work, "%s.conf" % tag)
        with open(self.scn, "w") as f:
            subprocess.check_call([sys.executable,
                                   os.path.join(HERE, "genscn.py"),
                                   "scenario", str(n), str(ntun),
                                   os.environ.get("BENCH_PAGER", "pty")],
                                  stdout=f)
        out = os.path.join(work, "%s.out" % tag)
        self.outf = open(out, "w+")
        t0 = time.monotonic()
        self.p = start([fgtsim, "--scenario", self.scn, "--listen",
                        "127.0.0.1:0", "--hostkey",
                        os.path.join(work, "hostkey"), "--log",
                        os.path.join(work, "%s.log" % tag)],
                       stdout=self.outf, stderr=subprocess.STDOUT)
        while True:
            self.outf.seek(0)
            text = self.outf.read()
            if "ready," in text:
                break
            if self.p.poll() is not None or time.monotonic() - t0 > 300:
                raise RuntimeError("fgtsim did not start: " + text[-500:])
            time.sleep(0.2)
        self.start_s = time.monotonic() - t0
        with open(self.conf, "w") as f:
            subprocess.run([sys.executable, os.path.join(HERE, "genscn.py"),
                            "config", os.path.join(work, "pw")],
                           input=text, text=True, stdout=f, check=True)
        self.pid = self.p.pid

    def close(self):
        stop(self.p)
        self.outf.close()


def fgtop_argv(fgtop, work, conf):
    # The journal is on, as by default, in the scratch directory (its
    # writes are part of what is measured); BENCH_JOURNAL=0 turns it off.
    journal = (["--journal", os.path.join(work, "journal") + "/"]
               if env_int("BENCH_JOURNAL", 1) else ["--no-journal"])
    return [fgtop, "--config", conf, "--known-hosts",
            os.path.join(work, "known_hosts"), "--accept-new", "-F", "none",
            "--no-agent"] + journal


def once_check(path, n, ntun):
    """Devices up with all their tunnels in a --once --json document."""
    with open(path) as f:
        doc = json.load(f)
    good = 0
    for d in doc["devices"]:
        nt = sum(len(v["tunnels"]) for v in d["vdoms"] or [])
        if d["state"] == "up" and nt == ntun:
            good += 1
    return good


def bench_once(fgtop, fgtsim, work, ntun, r):
    n = env_int("BENCH_ONCE", 200)
    sim = Sim(work, fgtsim, n, ntun, "once")
    try:
        # The one-device baseline, against the same fgtsim.
        one = os.path.join(work, "one.conf")
        with open(sim.conf) as f:
            parts = f.read().split("\ndevice ")
        with open(one, "w") as g:
            g.write(parts[0] + "\ndevice " + parts[1])
        out = os.path.join(work, "once.json")
        runs = []
        for _ in range(4):	# the first adds the host key: not kept
            with open(out, "w") as f:
                runs.append(run_rusage(fgtop_argv(fgtop, work, one) +
                                       ["--once", "--json"], stdout=f))
        runs = sorted(runs[1:], key=lambda x: x[2])
        rc, wall1, cpu1 = runs[1]
        r["base_once1"] = (wall1, cpu1)
        print("baseline: --once --json, 1 device of %d tunnels: wall "
              "%.3f s, CPU %.1f ms (median of 3)" % (ntun, wall1,
                                                     cpu1 * 1e3))
        runs = []
        for _ in range(2):	# the first adds the host keys: not kept
            with open(out, "w") as f:
                runs.append(run_rusage(fgtop_argv(fgtop, work, sim.conf) +
                                       ["--once", "--json"], stdout=f))
        rc, wall, cpu = runs[1]
        good = once_check(out, n, ntun)
        r["once"] = (n, wall, cpu)
        print("once: --once --json, %d devices x %d tunnels: exit %d, "
              "%d/%d devices up with all tunnels%s" % (
                  n, ntun, rc, good, n, "" if good == n else "  MISMATCH"))
        print("once:   wall %.2f s, CPU %.3f s, %.2f ms CPU per device "
              "(%.2fx the one-device run's CPU per device)" % (
                  wall, cpu, cpu / n * 1e3, cpu / n / cpu1))
        if env_int("BENCH_NETMIKO", 1):
            bench_netmiko(sim, work, n, cpu / n, r)
    finally:
        sim.close()


def bench_netmiko(sim, work, n, fgtop_per_dev, r):
    py = "/usr/bin/python3"
    chk = subprocess.run([py, "-c", "import netmiko"],
                         stderr=subprocess.DEVNULL)
    if chk.returncode != 0:
        print("netmiko: SKIPPED: Debian's python3-netmiko is not installed "
              "(bench/engine.sh installs it when it runs as root with apt)")
        return
    threads = env_int("BENCH_NETMIKO_THREADS", 10)
    base = run_rusage([py, "-c", "import netmiko, "
                       "concurrent.futures"])[2]
    # The shipped driver's 8,192-bit DH costs ~2 s of CPU a login, under
    # the GIL: its per-device figure is taken on the first few devices.
    few = min(n, env_int("BENCH_NETMIKO_STOCK", 20))
    with open(sim.conf) as f:
        parts = f.read().split("\ndevice ")
    fewconf = os.path.join(work, "few.conf")
    with open(fewconf, "w") as g:
        g.write("\ndevice ".join(parts[:few + 1]))
    for variant, label, conf, k in (
            ("", "fortinet driver as shipped (group exchange kex)",
             fewconf, few),
            ("curve25519", "kex override undone (curve25519)", sim.conf,
             n)):
        argv = [py, os.path.join(HERE, "netmiko_round.py"), conf,
                str(threads)] + ([variant] if variant else [])
        log = os.path.join(work, "netmiko%s.out" % variant)
        with open(log, "w") as f:
            rc, wall, cpu = run_rusage(argv, stdout=f,
                                       stderr=subprocess.STDOUT)
        with open(log) as f:
            lines = f.read().splitlines()
        for line in [x for x in lines if "devices" in x] + \
                [x for x in lines if "devices" not in x][:3]:
            print("netmiko:   " + line)
        per = (cpu - base) / k
        r["netmiko" + variant] = (wall, cpu, per)
        print("netmiko: %s, %d devices, %d threads: exit %d, wall %.1f s "
              "(%.2f s per device), CPU %.1f s, %.1f ms CPU per device "
              "(after %.0f ms of imports)" % (
                  label, k, threads, rc, wall, wall / k * min(threads, k),
                  cpu, per * 1e3, base * 1e3))
        ratio = per / fgtop_per_dev
        print("netmiko:   CPU per device, netmiko / fgtop = %.0fx%s" % (
            ratio, "" if ratio >= 20 else "  OVER TARGET (>= 20x)"))


class Watch(threading.Thread):
    """Reads --watch-json; notes when every device reported its tunnels."""

    def __init__(self, p, n, t0):
        super().__init__(daemon=True)
        self.p, self.n, self.t0 = p, n, t0
        self.events = 0
        self.types = {}
        self.complete_s = None
        self.complete_cpu = None
        self.seen = set()

    def run(self):
        for line in self.p.stdout:
            self.events += 1
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            typ = ev.get("event")
            self.types[typ] = self.types.get(typ, 0) + 1
            if typ == "tunnel-added" and self.complete_s is None:
                self.seen.add(ev.get("device"))
                if len(self.seen) == self.n:
                    self.complete_s = time.monotonic() - self.t0
                    try:
                        self.complete_cpu = cpu_s(self.p.pid)
                    except OSError:
                        pass


class Sampler(threading.Thread):
    """Each second, the CPU share fgtop and fgtsim took: a poll is late
    either because fgtop's loop is busy or because the simulator is."""

    def __init__(self, pids):
        super().__init__(daemon=True)
        self.pids = pids
        self.peak = [0.0] * len(pids)
        self.busy = [0] * len(pids)	# seconds at >= 90 % of a core
        self.secs = 0
        self.stop = threading.Event()

    def run(self):
        last = [cpu_s(p) for p in self.pids]
        while not self.stop.wait(1.0):
            try:
                now = [cpu_s(p) for p in self.pids]
            except OSError:
                return
            self.secs += 1
            for i, (a, b) in enumerate(zip(last, now)):
                self.peak[i] = max(self.peak[i], b - a)
                self.busy[i] += (b - a) >= 0.9
            last = now


def bench_watch(fgtop, fgtsim, work, n, ntun, seconds, r):
    sim = Sim(work, fgtsim, n, ntun, "watch%d" % n)
    try:
        c0 = cpu_s(sim.pid)
        time.sleep(5)
        idle = (cpu_s(sim.pid) - c0) / 5 * 60
        print("watch N=%d: fgtsim (%d devices x %d tunnels) started in "
              "%.1f s; idle %.2f CPU-s/min" % (n, n, ntun, sim.start_s,
                                               idle))
        err = open(os.path.join(work, "watch%d.err" % n), "w+")
        env = dict(os.environ, FGTOP_STATS="1")
        load0 = loadavg()
        s0 = cpu_s(sim.pid)
        t0 = time.monotonic()
        p = start(fgtop_argv(fgtop, work, sim.conf) + ["--watch-json",
                                                       "-c"],
                  stdout=subprocess.PIPE, stderr=err, env=env, text=True,
                  bufsize=1 << 16)
        w = Watch(p, n, t0)
        w.start()
        smp = Sampler([p.pid, sim.pid])
        smp.start()
        time.sleep(max(0.0, t0 + seconds - time.monotonic()))
        if p.poll() is not None:
            raise RuntimeError("fgtop exited early: %s" % p.returncode)
        el = time.monotonic() - t0
        cpu = cpu_s(p.pid)
        hwm = hwm_mb(p.pid)
        sim_cpu = cpu_s(sim.pid) - s0
        smp.stop.set()
        smp.join(5)
        stop(p)
        w.join(10)
        err.seek(0)
        stats = {}
        for line in err:
            if line.startswith("fgtop-stats:"):
                k = line.split()[1:]
                stats = dict(zip(k[0::2], k[1::2]))
            else:
                sys.stdout.write("watch N=%d: fgtop: %s" % (n, line))
        err.close()
        late = int(stats.get("worst_late_ms", -1))
        rounds = int(stats.get("rounds", 0))
        per_min = cpu / el * 60
        print("watch N=%d: %.0f s, %d rounds (%.2f per device per "
              "interval), %d events %s" % (
                  n, el, rounds, rounds / n / (el / POLL_S), w.events,
                  json.dumps(w.types, sort_keys=True)))
        if w.complete_s is None:
            print("watch N=%d: first complete model: NOT REACHED (%d of "
                  "%d devices)  OVER TARGET" % (n, len(w.seen), n))
            steady = None
        else:
            steady = ((cpu - w.complete_cpu) / (el - w.complete_s) * 60
                      if el > w.complete_s + 1 else None)
            print("watch N=%d: first complete model after %.1f s (CPU "
                  "%.2f s by then)" % (n, w.complete_s, w.complete_cpu))
        print("watch N=%d: fgtop CPU %.2f s: %.2f CPU-s/min over the run"
              "%s" % (n, cpu, per_min, "" if steady is None else
                      ", %.2f CPU-s/min after the first complete model" %
                      steady))
        print("watch N=%d: fgtop peak RSS (VmHWM) %.1f MB; worst poll "
              "lateness %d ms (interval %d ms)" % (n, hwm, late,
                                                   POLL_S * 1000))
        if "model_kb" in stats and int(stats.get("tunnels", 0)) > 0:
            print("watch N=%d: at exit: heap in use %.1f MB, model %.1f MB "
                  "(%d bytes a tunnel, %d tunnels)" % (
                      n, int(stats["heap_kb"]) / 1024.0,
                      int(stats["model_kb"]) / 1024.0,
                      int(stats["model_kb"]) * 1024 //
                      int(stats["tunnels"]), int(stats["tunnels"])))
        print("watch N=%d: load average %s at the start, %s at the end "
              "(other work on the machine skews wall times)" % (
                  n, load0, loadavg()))
        print("watch N=%d: fgtsim CPU over the same %.0f s: %.2f CPU-s/min;"
              " fgtop/fgtsim CPU = %.2f" % (n, el, sim_cpu / el * 60,
                                            cpu / sim_cpu if sim_cpu else 0))
        print("watch N=%d: busiest second: fgtop %.0f %%, fgtsim %.0f %% of "
              "a core; seconds at >= 90 %%: fgtop %d, fgtsim %d of %d" % (
                  n, smp.peak[0] * 100, smp.peak[1] * 100, smp.busy[0],
                  smp.busy[1], smp.secs))
        b = r.get("base_once1")
        if b and steady is not None:
            print("watch N=%d: a steady minute of polling %d devices costs"
                  " %.1f one-device --once runs of CPU" % (n, n,
                                                          steady / b[1]))
        if n >= 1000:
            bad = []
            if (steady if steady is not None else per_min) >= 3:
                bad.append("CPU >= 3 s/min")
            if hwm >= 150:
                bad.append("RSS >= 150 MB")
            if late < 0 or late > POLL_S * 1000:
                bad.append("a poll later than one interval")
            print("watch N=%d: targets (< 3 CPU-s/min, < 150 MB, no poll "
                  "later than %d s): %s" % (n, POLL_S, "met" if not bad
                                            else "OVER TARGET: " +
                                            ", ".join(bad)))
        r["watch%d" % n] = dict(cpu=cpu, el=el, per_min=per_min,
                                steady=steady, hwm=hwm, late=late,
                                complete=w.complete_s, rounds=rounds)
    finally:
        sim.close()


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: engine.py FGTOP FGTSIM")
    fgtop, fgtsim = (os.path.abspath(a) for a in sys.argv[1:])
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    seconds = env_int("BENCH_SECONDS", 120)
    ntun = env_int("BENCH_TUNNELS", 50)
    sizes = [int(x) for x in os.environ.get("BENCH_SIZES",
                                            "100 1000").split()]
    work = tempfile.mkdtemp(prefix="fgtop-bench.")
    r = {}
    try:
        with open(os.path.join(work, "pw"), "w") as f:
            os.fchmod(f.fileno(), 0o600)
            f.write("fgtsim\n")
        print("engine bench: %d CPUs, fd limit %d, %d s per watch run, "
              "%d tunnels a device, pager %s" % (
                  os.cpu_count(), want, seconds, ntun,
                  os.environ.get("BENCH_PAGER", "pty")))
        if env_int("BENCH_ONCE", 200) > 0:
            bench_once(fgtop, fgtsim, work, ntun, r)
        for n in sizes:
            bench_watch(fgtop, fgtsim, work, n, ntun, seconds, r)
    finally:
        cleanup()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
