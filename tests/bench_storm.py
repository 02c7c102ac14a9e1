#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The boot storm of `make bench`, with the real agent: N `amtact run` processes (each its
own emulated factory-fresh PC, profile, state and spool, the profile's default delivery
settings) start together and report to the reference server (`amtact-interim serve`) on
127.0.0.1, which is down for the first OUTAGE seconds (nothing listens on its port). The
agents whose boot run ends with the report still queued then get what their flush timer
would run (`amtact report --flush --profile`). Counted: delivered in the boot run and by
the timer, lost, duplicate POSTs (the server's count of repeats) and rows, the time from
the start until the last report was stored, the peak of reports stored per second.

Runs in a private network namespace when it can (root: `unshare -n`). Bounded: agents
still running after --max-time are stopped (by PID) and counted as unfinished.

  bench_storm.py --amtact BUILD/amtact [--n 1000] [--outage 10] [--json FILE]
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime

HERE = os.path.dirname(os.path.realpath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOP, "server", "tools"))
import storm  # noqa: E402  (the server side: serve, metrics, stored rows, namespace)

SERVER = os.path.join(TOP, "server", "amtact-interim")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def make_agent(work, i, pki, port):
    d = os.path.join(work, f"a{i:05d}")
    os.mkdir(d, 0o700)
    shutil.copy(os.path.join(TOP, "profiles", "machines", "amt16-factory.json"),
                os.path.join(d, "m.json"))
    profile = {"schema": 1, "name": "storm", "method": "remote_configuration",
               "server": {"url": f"https://127.0.0.1:{port}/reports",
                          "ca_file": f"{pki}/ca.crt", "token_file": f"{pki}/token.txt",
                          "report_cert": f"{pki}/report.crt"},
               "otp": {"policy": "random"}, "pki_dns_suffix": "corp.example.com",
               "hello": "when_not_open",
               "system_name": {"source": "fixed", "value": f"pc-{i:05d}"},
               "state_dir": f"{d}/state", "spool_dir": f"{d}/spool"}
    with open(os.path.join(d, "p.json"), "w") as f:
        json.dump(profile, f)
    os.chmod(os.path.join(d, "p.json"), 0o644)
    return d


def start_agents(amtact, dirs):
    procs = []
    for d in dirs:
        out = open(os.path.join(d, "out.json"), "w")
        procs.append(subprocess.Popen(
            [amtact, "--device", f"sim:{d}/m.json", "run", "--profile", f"{d}/p.json",
             "--json"], stdin=subprocess.DEVNULL, stdout=out,
            stderr=open(os.path.join(d, "err"), "w")))
        out.close()
    return procs


def wait_all(procs, deadline):
    """Exit codes (None: stopped at the deadline)."""
    codes = [None] * len(procs)
    pending = set(range(len(procs)))
    while pending and time.monotonic() < deadline:
        for i in list(pending):
            rc = procs[i].poll()
            if rc is not None:
                codes[i] = rc
                pending.discard(i)
        time.sleep(0.1)
    for i in pending:
        procs[i].kill()
        procs[i].wait()
    return codes


def run_id(d):
    try:
        return json.load(open(os.path.join(d, "out.json")))["run_id"]
    except (OSError, ValueError, KeyError):
        return None


def timer_flush(amtact, dirs, codes):
    """What amtact-flush@NAME.timer runs, for the agents whose report is still queued."""
    done = {}
    for i, d in enumerate(dirs):
        if codes[i] == 12:
            done[i] = subprocess.run([amtact, "report", "--flush", "--profile", f"{d}/p.json"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL).returncode
    return done


def stored(db):
    out = subprocess.run([sys.executable, SERVER, "reports", "--db", db, "--format", "jsonl"],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    rows = [json.loads(ln) for ln in out if ln.strip()]
    when = [datetime.fromisoformat(r["received"].replace("Z", "+00:00")).timestamp()
            for r in rows]
    return [r["id"] for r in rows], when


def server_at(when, sargs, db, work, port, box):
    """Start the server at monotonic time `when` (the end of the outage), into box."""
    time.sleep(max(0.0, when - time.monotonic()))
    try:
        box["proc"], _ = storm.start_server(sargs, db, work, port=port)
    except RuntimeError as e:
        box["error"] = str(e)
    box["up"] = time.monotonic()


def storm_run(a, work, agents_dir):
    pki = f"{work}/pki"
    subprocess.run([sys.executable, SERVER, "mkcerts", pki], check=True,
                   stdout=subprocess.DEVNULL)
    os.chmod(f"{pki}/token.txt", 0o600)
    port = free_port()
    dirs = [make_agent(agents_dir, i, pki, port) for i in range(a.n)]
    sargs = argparse.Namespace(pki=pki, workers=2, writers=1, port=port)
    db = f"{work}/reports.db"
    box = {}
    t0_wall, t0 = time.time(), time.monotonic()
    starter = threading.Thread(target=server_at, args=(t0 + a.outage, sargs, db, work, port,
                                                        box))
    starter.start()
    procs = start_agents(a.amtact, dirs)
    started_s = time.monotonic() - t0
    try:
        codes = wait_all(procs, t0 + a.max_time)
        starter.join()
        proc = box.get("proc")
        if not proc:
            raise RuntimeError(box.get("error", "the server did not start"))
        up_s = box["up"] - t0
        boot_s = time.monotonic() - t0
        flushed = timer_flush(a.amtact, dirs, codes)
        m = storm.server_metrics(sargs)
        ids, when = stored(db)
    finally:
        starter.join()
        if box.get("proc"):
            box["proc"].terminate()
            box["proc"].wait(30)
    agent_ids = [run_id(d) for d in dirs]
    got = set(ids)
    per_s = {}
    for t in when:
        per_s[int(t - t0_wall)] = per_s.get(int(t - t0_wall), 0) + 1
    return {
        "agents": a.n, "outage_s": a.outage, "agents_started_in_s": round(started_s, 1),
        "server_up_at_s": round(up_s, 1),
        "boot_runs_done_s": round(boot_s, 1),
        "exit_codes": {str(c): codes.count(c) for c in sorted(set(codes), key=str)},
        "delivered_in_boot_run": codes.count(0),
        "queued_after_boot_run": codes.count(12),
        "delivered_by_timer_flush": sum(1 for rc in flushed.values() if rc == 0),
        "unfinished": codes.count(None),
        "lost": sum(1 for r in agent_ids if r not in got),
        "rows": len(ids), "duplicate_rows": len(ids) - len(got),
        "duplicate_posts": int(m.get("reports_duplicate_total", 0)),
        "connections": int(m.get("connections_total", 0)),
        "server_tls_failures": int(m.get("tls_failures_total", 0)),
        "all_delivered_s": round(max(when) - t0_wall, 1) if when else None,
        "peak_reports_per_s": max(per_s.values(), default=0),
    }


def main():
    ap = argparse.ArgumentParser(description="boot storm of real agents")
    ap.add_argument("--amtact", required=True)
    ap.add_argument("--n", type=int, default=1000, help="agents (1..2000)")
    ap.add_argument("--outage", type=float, default=10.0, help="server down first, s")
    ap.add_argument("--max-time", type=float, default=240.0, help="bound of the boot runs, s")
    ap.add_argument("--json", help="save the figures here")
    a = ap.parse_args()
    if not 1 <= a.n <= 2000:
        sys.exit("bench_storm: --n is 1..2000")
    a.amtact = os.path.realpath(a.amtact)
    rc = storm.in_netns(sys.argv[1:], __file__)
    if rc is not None:
        return rc
    work = tempfile.mkdtemp(prefix="amtact-bench-storm.")
    # The agents are 1000 PCs, each with its own disk: their files go to memory (/dev/shm)
    # where it can, or this one disk's fsyncs would be the storm. The server's are real.
    shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    agents_dir = tempfile.mkdtemp(prefix="amtact-bench-agents.", dir=shm)
    try:
        res = storm_run(a, work, agents_dir)
        res["agents_files"] = "memory (/dev/shm)" if shm else "disk"
    finally:
        shutil.rmtree(agents_dir, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(res, indent=1))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
