#!/bin/sh
# SPDX-License-Identifier: MIT
# `make bench`: speed and memory targets, measured here and never asserted in `make check`.
#   info on the in-process emulator:   mean wall time per run < 25 ms, max RSS < 16 MiB
#   run (report to a file):            mean wall time per run < 60 ms, max RSS < 24 MiB
#   boot storm, STORM_AGENTS (default 1000) agents posting to amtact-interim on loopback,
#   SQLite and PostgreSQL: all stored, 0 duplicate rows, 0 SYN drops or TLS failures,
#   p99 POST latency < 1 s (server/tools/storm.py; STORM_WINDOW s of start jitter)
# Prints one line per measurement and exits non-zero if a target is missed.
set -eu
TOPDIR=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOPDIR/$BUILD ;; esac
W=$(mktemp -d "${TMPDIR:-/tmp}/amtact-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
chmod 0755 "$W"
cp "$TOPDIR/profiles/machines/amt16-factory.json" "$W/m.json"
cat >"$W/p.json" <<JSON
{"schema": 1, "method": "report_only", "report_file": "$W/report.json",
 "state_dir": "$W/state", "spool_dir": "$W/spool"}
JSON
chmod 0644 "$W/p.json"
rc=0
python3 - "$BUILD/amtact" "$W" <<'PY' || rc=1
import resource, subprocess, sys, time
amtact, w = sys.argv[1], sys.argv[2]

def bench(name, argv, runs, max_ms, max_mib):
    start = time.perf_counter()
    for _ in range(runs):
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    ms = (time.perf_counter() - start) * 1000 / runs
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    ok = ms < max_ms and rss < max_mib
    print(f"{'PASS' if ok else 'MISS'} {name}: {ms:.1f} ms/run (target < {max_ms}), "
          f"max RSS {rss:.1f} MiB (target < {max_mib}), {runs} runs")
    return ok

ok = bench("info --json, in-process emulator",
           [amtact, "--device", f"sim:{w}/m.json", "info", "--json"], 200, 25, 16)
ok &= bench("run (report-only profile, report to a file)",
            [amtact, "--device", f"sim:{w}/m.json", "run", "--profile", f"{w}/p.json"],
            100, 60, 24)
sys.exit(0 if ok else 1)
PY

# Boot storm against the interim server, on SQLite and on a private PostgreSQL cluster.
STORM="/usr/bin/python3 $TOPDIR/server/tools/storm.py --agents ${STORM_AGENTS:-1000} --window ${STORM_WINDOW:-10}"
echo "== boot storm, SQLite"
$STORM --json "$BUILD/storm-sqlite.json" || rc=1
echo "== boot storm, PostgreSQL"
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
	$STORM --pg --json "$BUILD/storm-postgresql.json" || rc=1
else
	echo "SKIP storm (postgresql): PostgreSQL is not installed (Debian package postgresql)"
fi
exit "$rc"
