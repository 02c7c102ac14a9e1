#!/bin/sh
# SPDX-License-Identifier: MIT
# The boot-storm tool of `make bench` works (a small storm, nothing timed): every agent's
# report is stored once, the figures are saved, the server and its namespace are gone.
. "$(dirname "$0")/lib.sh"
set -u
PY=/usr/bin/python3
command -v openssl >/dev/null 2>&1 || skip "the openssl command is not installed"
"$PY" "$TOPDIR/server/tools/storm.py" --agents 40 --window 1 --json "$WORK/storm.json" \
	>"$WORK/out" 2>&1
cat "$WORK/out"
[ -s "$WORK/storm.json" ] || fail "no figures saved"
got=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(d["agents"], d["delivered"], d["rows"], d["duplicate_rows"], d["unfinished_agents"])' "$WORK/storm.json")
[ "$got" = "40 40 40 0 0" ] || fail "agents, delivered, rows, duplicate rows, unfinished: $got"
grep -q "^POST latency p50 / p99 / max" "$WORK/out" || fail "no latency line"
grep -q "storm (sqlite): 0 duplicate rows" "$WORK/out" || fail "no target lines"
ok "storm tool: 40 agents, 40 rows, no duplicate"
