#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""`make bench`: what amtact costs, measured on this machine, against its targets.

Per command (status, info, a factory-fresh `run`, a quiet `run`): firmware round trips
and connects (amtact's own count at -vv) against the floor, wall time and amtact's own
peak RSS (wait4 of the child, not this harness; the median of RSS_RUNS runs) at 0 ms per
reply, wall time at 10 ms per reply in-process and through the amtsim FUSE device as
ratios to the floor (round trips x 10 ms), the factory run's time split (firmware, TLS,
server, sealing, fsync); then the boot storm of real agents (tests/bench_storm.py). Prints
a table with the targets beside the figures and saves everything as JSON. Targets are reported, never asserted: the exit
status is 0 unless the bench itself could not run.

  bench.py --build BUILD [--n AGENTS] [--runs N] [--no-storm] [--no-fuse] [--json FILE]
"""
import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.realpath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOP, "server", "tools"))
import storm  # noqa: E402  (the reference server: start, stop)

SERVER = os.path.join(TOP, "server", "amtact-interim")
# The fewest round trips each command can make on a factory-fresh 16.x machine:
#   status   provisioning state and control mode: 2
#   info     every fact the text prints, each asked once, none the generation lacks (no
#            GET_PID on AMT 11+): 38
#   factory  the state the report describes (39: info --json's) + the suffix, OTP and hello
#            writes (3) + reading back what those can change: the suffix, the provisioning
#            state and the TLS mode (the hellos' key) (3): 45
#   quiet    the facts that decide "nothing new since the last report" (run_facts.h): 8
#            (the box measured is in provisioning, where the prerequisites also need the
#            TLS mode: 9 is what it can do)
FLOOR = {"status": 2, "info": 38, "factory run": 45, "quiet run": 8}
RT_TARGET = {"status": 1.0, "info": 1.05, "factory run": 1.1, "quiet run": 1.25}
FUSE_TARGET = 1.1
WALL0_TARGET_MS = {"status": 3.0, "info": 3.0}
RSS_TARGET_KIB = 3 * 1024
RSS_RUNS = 7  # peak RSS: the median of this many runs is held against the target


def machine_facts():
    model = "?"
    try:
        for ln in open("/proc/cpuinfo"):
            if ln.startswith("model name"):
                model = ln.split(":", 1)[1].strip()
                break
        mem = next(int(ln.split()[1]) for ln in open("/proc/meminfo")
                   if ln.startswith("MemTotal"))
    except (OSError, StopIteration):
        mem = 0
    return {"cpu": model, "cpus": os.cpu_count(), "mem_gib": round(mem / 1048576, 1),
            "kernel": platform.release(), "load_1m": os.getloadavg()[0],
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


TIME = "/usr/bin/time"


def timed(argv):
    """Wall ms and exit code of one run."""
    t = time.perf_counter()
    rc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL).returncode
    return (time.perf_counter() - t) * 1000, rc


def peak_rss_kib(argv, out):
    """amtact's own peak RSS. Linux keeps a process's high-water mark across exec, so a
    child of this (large) Python process would report Python's size: GNU time forks the
    command from its own small image and reports what wait4 says of it."""
    if not os.access(TIME, os.X_OK):
        return None
    subprocess.run([TIME, "-f", "%M", "-o", out] + argv, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return int(open(out).read().split()[-1])
    except (OSError, ValueError, IndexError):
        return None


class Bench:
    def __init__(self, a, work):
        self.a, self.w = a, work
        self.amtact = os.path.join(a.build, "amtact")
        self.amtsim = os.path.join(a.build, "amtsim")
        self.srv = None

    # --- fixtures -------------------------------------------------------------------
    def machine(self, path, latency_ms):
        d = json.load(open(os.path.join(TOP, "profiles", "machines", "amt16-factory.json")))
        d.setdefault("faults", {})["latency_ms"] = latency_ms
        with open(path, "w") as f:
            json.dump(d, f)
        return path

    def start_server(self):
        pki = f"{self.w}/pki"
        subprocess.run([sys.executable, SERVER, "mkcerts", pki], check=True,
                       stdout=subprocess.DEVNULL)
        os.chmod(f"{pki}/token.txt", 0o600)
        args = argparse.Namespace(pki=pki, workers=1, writers=1)
        self.srv, port = storm.start_server(args, f"{self.w}/reports.db", self.w)
        prof = {"schema": 1, "name": "bench", "method": "remote_configuration",
                "server": {"url": f"https://127.0.0.1:{port}/reports",
                           "ca_file": f"{pki}/ca.crt", "token_file": f"{pki}/token.txt",
                           "report_cert": f"{pki}/report.crt", "first_delay_max_ms": 0},
                "otp": {"policy": "random"}, "pki_dns_suffix": "corp.example.com",
                "hello": "when_not_open", "system_name": {"source": "fixed", "value": "pc-1"},
                "state_dir": f"{self.w}/state", "spool_dir": f"{self.w}/spool"}
        with open(f"{self.w}/p.json", "w") as f:
            json.dump(prof, f)
        os.chmod(f"{self.w}/p.json", 0o644)

    def fresh_state(self):
        for d in ("state", "spool"):
            shutil.rmtree(f"{self.w}/{d}", ignore_errors=True)

    def mount(self, state):
        mnt = f"{self.w}/mnt"
        os.makedirs(mnt, exist_ok=True)
        p = subprocess.Popen([self.amtsim, "--foreground", "--state", state, mnt],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            if os.path.exists(f"{mnt}/mei0"):
                return p, f"{mnt}/mei0"
            if p.poll() is not None:
                break
            time.sleep(0.025)
        p.kill()
        p.wait()
        raise RuntimeError("amtsim did not mount")

    def unmount(self, p):
        p.send_signal(signal.SIGTERM)
        p.wait(10)

    # --- one command ------------------------------------------------------------------
    def argv(self, cmd, dev):
        base = [self.amtact, "--device", dev]
        return base + ([cmd] if cmd in ("status", "info") else
                       ["run", "--profile", f"{self.w}/p.json"])

    def runs(self, cmd, dev, n, remount=None, rss=False):
        """n timed runs (or, with rss, n peak RSS measurements); factory runs start from
        a fresh machine and state each time."""
        out = []
        for _ in range(n):
            sim = None
            if cmd == "factory run":
                self.fresh_state()
                if remount:
                    sim, dev = remount()
                else:
                    self.machine(dev.split(":", 1)[1], self.latency)
            argv = self.argv(cmd, dev)
            out.append(peak_rss_kib(argv, f"{self.w}/rss") if rss else timed(argv))
            if sim:
                self.unmount(sim)
        return out

    def prepare_quiet(self, dev):
        self.fresh_state()
        subprocess.run(self.argv("factory run", dev), stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def counts(self, cmd):
        """Round trips, connects and the time split from one -vv run (in-process, 0 ms)."""
        m = self.machine(f"{self.w}/count.json", 0)
        if cmd == "quiet run":
            self.prepare_quiet(f"sim:{m}")
        elif cmd == "factory run":
            self.fresh_state()
        argv = self.argv(cmd, f"sim:{m}")
        argv.insert(1, "-vv")
        err = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True).stderr
        f = re.search(r"firmware: (\d+) round trips, (\d+) connects, ([\d.]+) ms", err)
        res = {"round_trips": int(f.group(1)), "connects": int(f.group(2)),
               "firmware_ms": float(f.group(3))} if f else {}
        s = re.search(r"sealing the OTP: ([\d.]+) ms", err)
        d = re.search(r"the last attempt: TCP ([\d.]+) ms, TLS ([\d.]+) ms, server ([\d.]+) "
                      r"ms, all ([\d.]+) ms", err)
        if s:
            res["sealing_ms"] = float(s.group(1))
        if d:
            res.update(tcp_ms=float(d.group(1)), tls_ms=float(d.group(2)),
                       server_ms=float(d.group(3)), http_ms=float(d.group(4)))
        return res

    def fsync_ms(self):
        """The factory run's fsync time, from strace (a separate run: strace slows it)."""
        if not shutil.which("strace"):
            return None, None
        m = self.machine(f"{self.w}/fs.json", 0)
        self.fresh_state()
        log = f"{self.w}/strace.log"
        subprocess.run(["strace", "-f", "-qq", "-T", "-e", "trace=fsync,fdatasync",
                        "-o", log] + self.argv("factory run", f"sim:{m}"),
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        t = [float(x) for x in re.findall(r"<([\d.]+)>", open(log).read())]
        return round(sum(t) * 1000, 1), len(t)

    def command(self, cmd, fuse):
        r = {"floor": FLOOR[cmd]}
        r.update(self.counts(cmd))
        for lat in (0, 10):
            self.latency = lat
            m = self.machine(f"{self.w}/m{lat}.json", lat)
            if cmd == "quiet run":
                self.prepare_quiet(f"sim:{m}")
            n = (self.a.runs if cmd != "factory run" else max(3, self.a.runs // 3)) \
                if lat == 0 else 3
            res = self.runs(cmd, f"sim:{m}", n)
            r[f"wall_{lat}ms_inproc_ms"] = round(statistics.median(x[0] for x in res), 2)
            r[f"exit_{lat}ms"] = res[-1][1]
            if lat == 0:
                rss = [x for x in self.runs(cmd, f"sim:{m}", RSS_RUNS, rss=True) if x]
                r["rss_kib"] = round(statistics.median(rss)) if rss else None
                r["rss_max_kib"] = max(rss) if rss else None
            if fuse:
                r[f"wall_{lat}ms_fuse_ms"] = self.fuse_runs(cmd, lat, n if lat else 3)
        return r

    def fuse_runs(self, cmd, lat, n):
        state = f"{self.w}/fuse.json"

        def remount():
            self.machine(state, lat)
            return self.mount(state)
        if cmd == "factory run":
            res = self.runs(cmd, None, min(n, 5), remount)
        else:
            sim, dev = remount()
            try:
                if cmd == "quiet run":
                    self.prepare_quiet(dev)
                res = self.runs(cmd, dev, n)
            finally:
                self.unmount(sim)
        return round(statistics.median(x[0] for x in res), 2)


def fuse_ok(a):
    return (not a.no_fuse and os.getuid() == 0 and os.path.exists("/dev/fuse") and
            shutil.which("fusermount3") is not None)


def ratio(x, y):
    return round(x / y, 2) if x is not None and y else None


def table(res):
    rows = []

    def row(what, got, target="", met=None):
        rows.append((what, got, target, "" if met is None else ("met" if met else "MISSED")))
    for cmd, r in res["commands"].items():
        rt, fl = r.get("round_trips"), r["floor"]
        row(f"{cmd}: round trips / floor", f"{rt} / {fl} = {ratio(rt, fl)}x",
            f"<= {RT_TARGET[cmd]}x", rt is not None and rt <= fl * RT_TARGET[cmd] + 1e-9)
        row(f"{cmd}: connects", r.get("connects"))
        w0, t0 = r["wall_0ms_inproc_ms"], WALL0_TARGET_MS.get(cmd)
        row(f"{cmd}: wall at 0 ms/reply, median", f"{w0} ms",
            f"<= {t0} ms" if t0 else "", w0 <= t0 if t0 else None)
        rss, top = r.get("rss_kib"), r.get("rss_max_kib")
        row(f"{cmd}: amtact's peak RSS, median of {RSS_RUNS}",
            f"{rss / 1024:.2f} MiB (most {top / 1024:.2f})" if rss else "not measured",
            "<= 3 MiB" if t0 else "", rss <= RSS_TARGET_KIB if t0 and rss else None)
        w10 = r["wall_10ms_inproc_ms"]
        wait = round((w10 - w0) / (fl * 10), 2)
        row(f"{cmd}: wall at 10 ms/reply, in-process", f"{w10:.0f} ms: firmware wait "
            f"{w10 - w0:.0f} ms = {wait}x the floor's {fl * 10} ms")
        for lat in (0, 10):
            wf = r.get(f"wall_{lat}ms_fuse_ms")
            if wf is None:
                continue
            wi = r[f"wall_{lat}ms_inproc_ms"]
            row(f"{cmd}: wall at {lat} ms/reply, FUSE", f"{wf:.1f} ms = {ratio(wf, wi)}x "
                "in-process", f"<= {FUSE_TARGET}x" if lat else "",
                wf <= wi * FUSE_TARGET if lat else None)
    split = res.get("factory_split")
    if split:
        row("factory run: time split at 0 ms/reply", ", ".join(
            f"{k} {v} ms" for k, v in split.items() if k != "fsyncs") +
            f" ({split.get('fsyncs')} fsyncs)")
    s = res.get("storm")
    if s:
        n = s["agents"]
        row(f"storm: {n} agents, server down the first {s['outage_s']} s",
            f"{s['delivered_in_boot_run']} delivered in the boot run, "
            f"{s['delivered_by_timer_flush']} by the timer's flush", f"{n} delivered",
            s["rows"] - s["duplicate_rows"] == n)
        row("storm: lost / unfinished", f"{s['lost']} / {s['unfinished']}", "0 / 0",
            s["lost"] == 0 and s["unfinished"] == 0)
        row("storm: duplicate POSTs / rows", f"{s['duplicate_posts']} / {s['duplicate_rows']}",
            "0 / 0", s["duplicate_posts"] == 0 and s["duplicate_rows"] == 0)
        row("storm: all delivered after (from the first boot)", f"{s['all_delivered_s']} s")
        row("storm: peak reports stored per second", s["peak_reports_per_s"])
    w = [max(len(str(r[i])) for r in rows) for i in range(3)]
    print(f"{'figure':<{w[0]}}  {'measured':<{w[1]}}  {'target':<{w[2]}}")
    for r in rows:
        print(f"{r[0]:<{w[0]}}  {str(r[1]):<{w[1]}}  {r[2]:<{w[2]}}  {r[3]}".rstrip())


def main():
    ap = argparse.ArgumentParser(description="amtact's performance against its targets")
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--n", type=int, default=1000, help="boot-storm agents")
    ap.add_argument("--runs", type=int, default=31, help="timed runs at 0 ms per reply")
    ap.add_argument("--no-storm", action="store_true")
    ap.add_argument("--no-fuse", action="store_true")
    ap.add_argument("--json", help="save the figures (default BUILD/bench.json)")
    a = ap.parse_args()
    a.build = os.path.realpath(a.build)
    fuse = fuse_ok(a)
    res = {"machine": machine_facts(), "commands": {}}
    work = tempfile.mkdtemp(prefix="amtact-bench.")
    os.chmod(work, 0o700)
    b = Bench(a, work)
    try:
        b.start_server()
        for cmd in FLOOR:
            res["commands"][cmd] = b.command(cmd, fuse)
        f = res["commands"]["factory run"]
        ms, count = b.fsync_ms()
        split = {k.replace("_ms", ""): f.get(k) for k in ("firmware_ms", "tcp_ms", "tls_ms",
                                                           "server_ms", "sealing_ms")}
        split.update(fsync=ms, fsyncs=count, all=f["wall_0ms_inproc_ms"])
        res["factory_split"] = split
    finally:
        if b.srv:
            b.srv.terminate()
            b.srv.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    if not fuse:
        res["fuse"] = "not measured (needs root, /dev/fuse and fusermount3; or --no-fuse)"
    if not a.no_storm:
        out = os.path.join(a.build, "bench-storm.json")
        subprocess.run([sys.executable, os.path.join(HERE, "bench_storm.py"), "--amtact",
                        os.path.join(a.build, "amtact"), "--n", str(a.n), "--json", out],
                       stdout=subprocess.DEVNULL, check=True)
        res["storm"] = json.load(open(out))
    res["machine"]["load_1m_end"] = os.getloadavg()[0]
    print(f"amtact bench on {res['machine']['cpu']} ({res['machine']['cpus']} CPUs, "
          f"{res['machine']['mem_gib']} GiB, Linux {res['machine']['kernel']}), "
          f"{res['machine']['date']}, load {res['machine']['load_1m']:.1f}")
    table(res)
    if not fuse:
        print("FUSE: " + res["fuse"])
    path = a.json or os.path.join(a.build, "bench.json")
    with open(path, "w") as fp:
        json.dump(res, fp, indent=1)
    print(f"figures saved in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
