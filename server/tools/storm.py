#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Boot storm: N agents booting together post their reports to amtact-interim on
127.0.0.1, each with a random delay in a window, retrying like the agent (backoff) on a
refused connection, a TLS failure, a timeout or a 5xx. Bounded in count and time.

Runs the server (`serve`, the production path) and the agents in a private network
namespace when it can (root: `unshare -n`), so the kernel's counters of SYN and accept
queue drops (nstat) are the storm's own. Prints a table and the targets (all stored, no
duplicate rows, no SYN drops or TLS failures, p99 under 1 s) and exits 1 when one is
missed; --json FILE saves the figures. The agents are one asyncio process on the same
cores as the server, so their TLS work is part of the latency, as on one box.

  storm.py [--agents 1000] [--window 10] [--workers 2] [--pg] [--json FILE]
"""
import argparse
import asyncio
import json
import os
import random
import shutil
import ssl
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.realpath(__file__))
SERVER = os.path.join(HERE, "..", "amtact-interim")
sys.path.insert(0, HERE)
from pgtemp import PgTemp  # noqa: E402

NSTAT_KEYS = ("TcpExtListenOverflows", "TcpExtListenDrops", "TcpExtTCPReqQFullDrop",
              "TcpExtSyncookiesSent", "TcpExtTCPReqQFullDoCookies")


def nstat():
    try:
        out = subprocess.run(["nstat", "-az", *NSTAT_KEYS], capture_output=True, text=True,
                             timeout=5).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    vals = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in NSTAT_KEYS:
            vals[parts[0]] = int(parts[1])
    return vals


def listen_queue_max(port):
    """The Recv-Q (connections waiting for accept) of the listening sockets now."""
    try:
        out = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True,
                             text=True, timeout=5).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    qs = [int(ln.split()[1]) for ln in out.splitlines() if len(ln.split()) > 2]
    return sum(qs) if qs else 0


def report_body(i, sealed):
    rid = f"storm-{i:05d}-{os.getpid()}"
    doc = {"schema_version": 1, "report_id": rid, "agent": "amtact storm",
           "time": "2026-12-02T08:00:00Z", "profile": "corp",
           "system": {"name": f"pc-{i:05d}", "hostname": f"pc-{i:05d}",
                      "fqdn": f"pc-{i:05d}.corp.example.com", "dns_suffix": "corp.example.com",
                      "interfaces": [{"name": "eth0", "mac": "00:11:22:33:%02x:%02x" % (
                          i // 256 % 256, i % 256), "ipv4": [f"10.1.{i // 250}.{i % 250}"],
                          "ipv6": []}]},
           "me": {"uuid": {"value": f"4c4c4544-0051-4810-8039-{i:012d}"},
                  "provisioning": {"state": "in"}, "pad": "x" * 1500},
           "me_error": None, "unprovisioned_since_last_run": False, "actions": [],
           "errors": [], "otp_cms": sealed}
    return rid, json.dumps(doc).encode()


class Agent:
    def __init__(self, i, args, ctx, token, sealed):
        self.i, self.args, self.ctx, self.token = i, args, ctx, token
        self.rid, self.body = report_body(i, sealed)
        self.events = []          # (kind, t_start, t_end, status)

    async def post_once(self):
        a = self.args
        t0 = time.monotonic()
        try:
            r, w = await asyncio.wait_for(asyncio.open_connection(
                "127.0.0.1", a.port, ssl=self.ctx, server_hostname="localhost",
                ssl_handshake_timeout=a.timeout), a.timeout)
        except ssl.SSLError:
            return "tls", t0, None
        except asyncio.TimeoutError:
            return "connect-timeout", t0, None
        except OSError:
            return "refused", t0, None
        try:
            head = (f"POST /reports HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                    f"application/json\r\nIdempotency-Key: {self.rid}\r\nAuthorization: "
                    f"Bearer {self.token}\r\nContent-Length: {len(self.body)}\r\n"
                    "Connection: close\r\n\r\n").encode()
            w.write(head + self.body)
            # Like libcurl: the answer ends after Content-Length bytes (no wait for EOF).
            head = await asyncio.wait_for(r.readuntil(b"\r\n\r\n"), a.timeout)
            status = int(head.split()[1]) if head.startswith(b"HTTP/1.1 ") else 0
            n = next((int(h.split(b":")[1]) for h in head.split(b"\r\n")
                      if h.lower().startswith(b"content-length:")), 0)
            await asyncio.wait_for(r.readexactly(n), a.timeout)
            return ("ok" if status in (200, 201) else f"http-{status}"), t0, status
        except (asyncio.TimeoutError, OSError, ValueError, IndexError,
                asyncio.IncompleteReadError):
            return "timeout", t0, None
        finally:
            w.close()

    async def run(self, start):
        await asyncio.sleep(max(0.0, start + random.uniform(0, self.args.window) -
                                time.monotonic()))
        backoff = 1.0
        for attempt in range(self.args.attempts):
            kind, t0, status = await self.post_once()
            self.events.append((kind, t0, time.monotonic(), status))
            if kind == "ok" or kind.startswith("http-4"):
                return
            await asyncio.sleep(backoff * random.uniform(0.5, 1.5))
            backoff = min(backoff * 2, 8)


async def storm(args, token, sealed):
    ctx = ssl.create_default_context(cafile=f"{args.pki}/ca.crt")
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    agents = [Agent(i, args, ctx, token, sealed) for i in range(args.agents)]
    start = time.monotonic() + 0.2
    qmax = 0
    tasks = [asyncio.ensure_future(a.run(start)) for a in agents]
    deadline = start + args.max_time
    while not all(t.done() for t in tasks) and time.monotonic() < deadline:
        q = await asyncio.get_running_loop().run_in_executor(None, listen_queue_max, args.port)
        qmax = max(qmax, q or 0)
        await asyncio.sleep(0.2)
    unfinished = sum(not t.done() for t in tasks)
    for t in tasks:
        t.cancel()
    return agents, qmax, unfinished, start


def percentile(xs, p):
    if not xs:
        return None
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


def summarize(agents, start):
    ev = [e for a in agents for e in a.events]
    ok = [e for e in ev if e[0] == "ok"]
    lat = [e[2] - e[1] for e in ok]
    per_s = {}
    for e in ok:
        per_s[int(e[2] - start)] = per_s.get(int(e[2] - start), 0) + 1
    kinds = {}
    for e in ev:
        kinds[e[0]] = kinds.get(e[0], 0) + 1
    delivered = sum(any(e[0] == "ok" for e in a.events) for a in agents)
    done = max((e[2] for e in ok), default=start) - start
    return {"agents": len(agents), "delivered": delivered, "attempts": len(ev),
            "outcomes": kinds, "p50_ms": round(1000 * percentile(lat, 50), 1) if lat else None,
            "p99_ms": round(1000 * percentile(lat, 99), 1) if lat else None,
            "max_ms": round(1000 * max(lat), 1) if lat else None,
            "peak_posts_per_s": max(per_s.values(), default=0), "all_done_s": round(done, 1)}


def start_server(args, db, work, port=0):
    """`serve` on 127.0.0.1 (port 0: any free one); the process and its port."""
    cmd = [sys.executable, SERVER, "serve", "--db", db, "--port", str(port), "--workers",
           str(args.workers), "--writers", str(args.writers), "--cert",
           f"{args.pki}/server.crt", "--key", f"{args.pki}/server.key", "--token-file",
           f"{args.pki}/token.txt", "--port-file", f"{work}/port.json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                            stderr=open(f"{work}/server.log", "w"))
    for _ in range(300):
        if os.path.exists(f"{work}/port.json"):
            return proc, json.load(open(f"{work}/port.json"))["port"]
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    raise RuntimeError("the server did not start: " + open(f"{work}/server.log").read())


def cpu_seconds(pid):
    """User+system CPU of a process and its direct children (the workers), so far."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            pids += [int(p) for p in f.read().split()]
    except OSError:
        pass
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / tick


def server_metrics(args):
    ctx = ssl.create_default_context(cafile=f"{args.pki}/ca.crt")
    import http.client
    c = http.client.HTTPSConnection("127.0.0.1", args.port, context=ctx, timeout=10)
    c.request("GET", "/metrics")
    text = c.getresponse().read().decode()
    vals = {}
    for line in text.splitlines():
        if line.startswith("amtact_interim_") and " " in line:
            k, v = line.rsplit(" ", 1)
            vals[k[len("amtact_interim_"):]] = float(v)
    return vals


def stored_rows(db):
    out = subprocess.run([sys.executable, SERVER, "reports", "--db", db, "--format", "csv"],
                         capture_output=True, text=True, check=True).stdout.splitlines()[1:]
    ids = [ln.split(",")[1] for ln in out]
    return len(ids), len(ids) - len(set(ids))


def run_storm(args, work):
    args.pki = f"{work}/pki"
    subprocess.run([sys.executable, SERVER, "mkcerts", args.pki], check=True,
                   stdout=subprocess.DEVNULL)
    sealed = subprocess.run(["openssl", "cms", "-encrypt", "-aes256", "-outform", "PEM",
                             "-recip", f"{args.pki}/report.crt"], input=b"Storm-Otp-1234",
                            capture_output=True, check=True).stdout.decode()
    token = open(f"{args.pki}/token.txt").read().strip()
    pg = None
    if args.pg:
        pg = PgTemp(work)
        pg.start()
        db = pg.createdb("storm")
    else:
        db = f"{work}/reports.db"
    proc = None
    try:
        proc, args.port = start_server(args, db, work)
        before, cpu0 = nstat(), cpu_seconds(proc.pid)
        self0 = os.times()
        agents, qmax, unfinished, start = asyncio.run(storm(args, token, sealed))
        after, cpu1 = nstat(), cpu_seconds(proc.pid)
        self1 = os.times()
        res = summarize(agents, start)
        m = server_metrics(args)
        res["rows"], res["duplicate_rows"] = stored_rows(db)
        res.update({"database": "postgresql" if pg else "sqlite", "workers": args.workers,
                    "window_s": args.window, "unfinished_agents": unfinished,
                    "duplicate_posts": int(m.get("reports_duplicate_total", 0)),
                    "server_tls_failures": int(m.get("tls_failures_total", 0)),
                    "accept_queue_max": qmax,
                    "server_cpu_s": round(cpu1 - cpu0, 2),
                    "agents_cpu_s": round(self1.user + self1.system - self0.user -
                                          self0.system, 2),
                    "load_avg_1m": os.getloadavg()[0],
                    "kernel": {k: after[k] - before.get(k, 0) for k in after} if after and
                    before is not None else None})
        return res
    finally:
        if proc:
            proc.terminate()
            proc.wait(30)
        if pg:
            pg.stop()


def print_table(r):
    k = r.get("kernel") or {}
    drops = k.get("TcpExtListenDrops", "n/a")
    rows = [("agents (jittered over)", f"{r['agents']} ({r['window_s']} s)"),
            ("database / server workers", f"{r['database']} / {r['workers']}"),
            ("delivered (agents' view)", r["delivered"]),
            ("rows stored / duplicate rows", f"{r['rows']} / {r['duplicate_rows']}"),
            ("POST attempts / duplicate POSTs", f"{r['attempts']} / {r['duplicate_posts']}"),
            ("attempt outcomes", ", ".join(f"{k2} {v}" for k2, v in
                                           sorted(r["outcomes"].items()))),
            ("SYN/accept drops (kernel)", drops),
            ("TLS failures (server)", r["server_tls_failures"]),
            ("accept queue peak", r["accept_queue_max"]),
            ("POST latency p50 / p99 / max", f"{r['p50_ms']} / {r['p99_ms']} / {r['max_ms']} ms"),
            ("peak POSTs/s", r["peak_posts_per_s"]),
            ("all delivered after", f"{r['all_done_s']} s"),
            ("CPU: server / agents", f"{r['server_cpu_s']} s / {r['agents_cpu_s']} s "
             f"({1000 * r['server_cpu_s'] / max(1, r['rows']):.1f} ms per report at the "
             "server)"),
            ("machine load (1 min)", f"{r['load_avg_1m']:.1f} on {os.cpu_count()} CPUs")]
    w = max(len(a) for a, _ in rows)
    for a, b in rows:
        print(f"{a:<{w}}  {b}")


def check_targets(r):
    """The boot-storm targets, one PASS/MISS line each; True when all are met."""
    k = r.get("kernel") or {}
    drops = k.get("TcpExtListenDrops", 0) + k.get("TcpExtTCPReqQFullDrop", 0)
    targets = [("all stored", r["rows"] == r["agents"] and r["delivered"] == r["agents"],
                f"{r['rows']} of {r['agents']}"),
               ("0 duplicate rows", r["duplicate_rows"] == 0, r["duplicate_rows"]),
               ("0 SYN/accept drops", drops == 0,
                drops if r.get("kernel") is not None else "not measured (no nstat)"),
               ("0 TLS failures at the server", r["server_tls_failures"] == 0,
                r["server_tls_failures"]),
               ("p99 POST latency < 1 s", (r["p99_ms"] or 1e9) < 1000, f"{r['p99_ms']} ms")]
    for name, ok, got in targets:
        print(f"{'PASS' if ok else 'MISS'} storm ({r['database']}): {name}: {got}")
    return all(ok for _, ok, _ in targets)


def in_netns(argv, script=None):
    """Re-run `script` (default: this one) inside a new network namespace with loopback
    up (root only); its exit code, or None when that cannot be done or is done already."""
    if os.environ.get("STORM_NETNS") or os.getuid() != 0 or not shutil.which("unshare"):
        return None
    env = dict(os.environ, STORM_NETNS="1")
    inner = ["unshare", "-n", "--", "sh", "-c", 'ip link set lo up && exec "$@"', "sh",
             sys.executable, os.path.realpath(script or __file__)] + argv
    return subprocess.run(inner, env=env).returncode


def main():
    ap = argparse.ArgumentParser(description="boot storm against amtact-interim")
    ap.add_argument("--agents", type=int, default=1000)
    ap.add_argument("--window", type=float, default=10.0, help="start jitter window, s")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--writers", type=int, default=1)
    ap.add_argument("--pg", action="store_true", help="a private PostgreSQL cluster")
    ap.add_argument("--attempts", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=30.0, help="per attempt, s")
    ap.add_argument("--max-time", type=float, default=180.0, help="bound of the storm, s")
    ap.add_argument("--json", help="also save the figures here")
    ap.add_argument("--no-netns", action="store_true")
    args = ap.parse_args()
    if not 1 <= args.agents <= 5000:
        sys.exit("storm: --agents is 1..5000")
    if not args.no_netns:
        rc = in_netns(sys.argv[1:])
        if rc is not None:
            return rc
    work = tempfile.mkdtemp(prefix="amtact-storm.")
    try:
        res = run_storm(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(res)
    ok = check_targets(res)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f, indent=1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
