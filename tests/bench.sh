#!/bin/sh
# SPDX-License-Identifier: MIT
# `make bench`: amtact's costs against their targets, then the interim server's own storm.
#   tests/bench.py      per command: firmware round trips and connects against the floor,
#                       wall time at 0 and 10 ms per reply in-process and through FUSE,
#                       amtact's own peak RSS, the factory run's time split; a boot storm
#                       of BENCH_AGENTS (default 1000) real agents with the server down for
#                       the first 10 s. Table on stdout, figures in BUILD/bench.json.
#   server/tools/storm.py  the server under 1000 simulated agents, SQLite and PostgreSQL
#                       (BUILD/storm-*.json); BENCH_SERVER_STORM=0 leaves it out.
# Targets are reported, never asserted: the exit status says only whether the bench ran.
# BENCH_ARGS passes more flags to bench.py (--no-storm, --no-fuse, --runs N).
set -eu
TOPDIR=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOPDIR/$BUILD ;; esac
# shellcheck disable=SC2086 # BENCH_ARGS is a list of flags
/usr/bin/python3 "$TOPDIR/tests/bench.py" --build "$BUILD" --n "${BENCH_AGENTS:-1000}" \
	${BENCH_ARGS:-}
[ "${BENCH_SERVER_STORM:-1}" = 0 ] && exit 0
STORM="/usr/bin/python3 $TOPDIR/server/tools/storm.py --agents ${STORM_AGENTS:-1000} --window ${STORM_WINDOW:-10}"
echo "== the interim server alone: simulated agents, SQLite"
$STORM --json "$BUILD/storm-sqlite.json" || true
echo "== the interim server alone: simulated agents, PostgreSQL"
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
	$STORM --pg --json "$BUILD/storm-postgresql.json" || true
else
	echo "SKIP storm (postgresql): PostgreSQL is not installed (Debian package postgresql)"
fi
