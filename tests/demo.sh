#!/bin/sh
# SPDX-License-Identifier: MIT
# `make demo`: the main job on the embedded default. Starts the interim server
# (server/amtact-interim, SQLite) on loopback with a test CA made now, takes a factory-fresh AMT 16 corporate laptop from the
# in-process emulator, runs `amtact run` with a delayed remote-configuration profile, and
# shows both sides: what the agent did and the report as the server stored it, its sealed
# OTP opened by an audited export. Needs no root and no hardware; stops everything it
# started.
set -eu
TOPDIR=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOPDIR/$BUILD ;; esac
AMTACT=$BUILD/amtact
SERVER=$TOPDIR/server/amtact-interim
PY=$(command -v python3)
DEMO=$(mktemp -d "${TMPDIR:-/tmp}/amtact-demo.XXXXXX")
chmod 0755 "$DEMO"
server_pid=""

cleanup() {
	set +e
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null
		wait "$server_pid" 2>/dev/null
	fi
	rm -rf "$DEMO"
}
trap cleanup EXIT INT TERM

say() { printf '\n== %s\n' "$*"; }

say "test PKI for the interim server (CA, server certificate, report key)"
"$PY" "$SERVER" mkcerts "$DEMO/pki" >/dev/null
cat "$DEMO/pki/token.txt" >/dev/null

say "starting the interim server on 127.0.0.1 (amtact-interim serve, SQLite)"
"$PY" "$SERVER" serve --db "$DEMO/reports.db" --port 0 --workers 1 \
	--cert "$DEMO/pki/server.crt" --key "$DEMO/pki/server.key" \
	--port-file "$DEMO/port.json" >"$DEMO/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
	[ -s "$DEMO/port.json" ] && break
	kill -0 "$server_pid" 2>/dev/null || { cat "$DEMO/server.log" >&2; exit 1; }
	sleep 0.1
done
port=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["port"])' "$DEMO/port.json")
echo "listening on https://127.0.0.1:$port/reports (pid $server_pid)"

say "the emulated machine: a factory-fresh AMT 16 corporate laptop"
cp "$TOPDIR/profiles/machines/amt16-factory.json" "$DEMO/machine.json"
"$AMTACT" --device "sim:$DEMO/machine.json" status || true

mkdir -p "$DEMO/profiles"
cat >"$DEMO/profiles/demo.json" <<EOF
{
  "schema": 1,
  "name": "demo",
  "method": "remote_configuration",
  "server": {
    "url": "https://127.0.0.1:$port/reports",
    "ca_file": "$DEMO/pki/ca.crt",
    "report_cert": "$DEMO/pki/report.crt",
    "timeout_ms": 10000,
    "max_attempts": 2,
    "first_delay_max_ms": 0
  },
  "otp": { "policy": "random", "length": 16 },
  "pki_dns_suffix": "corp.example.com",
  "hello": "when_not_open",
  "zero_touch": "leave",
  "enable_amt": true,
  "ignore_intermediate_errors": true,
  "system_name": { "source": "fixed", "value": "demo-laptop-01" },
  "spool_dir": "$DEMO/spool",
  "state_dir": "$DEMO/state",
  "log": { "level": "info", "file": "$DEMO/amtact.log" }
}
EOF
chmod 0644 "$DEMO/profiles/demo.json"
chmod 0755 "$DEMO/profiles"

say "agent side: amtact --device sim:machine.json run --profile demo"
rc=0
AMTACT_PROFILE_DIR=$DEMO/profiles "$AMTACT" --device "sim:$DEMO/machine.json" run \
	--profile demo || rc=$?
echo "(exit $rc)"

say "server side: the report as stored; the provisioning side opens the sealed OTP"
echo "amtact-interim export --db reports.db --open-with pki/report.key (an audited action)"
"$PY" "$SERVER" export --db "$DEMO/reports.db" --format jsonl \
	--open-with "$DEMO/pki/report.key" --output "$DEMO/export.jsonl"
"$PY" -c '
import hashlib, json, sys
machine = json.load(open(sys.argv[1]))
for line in open(sys.argv[2]):
    row = json.loads(line)
    body = row["report"]
    me = body.get("me") or {}
    prov = me.get("provisioning") or {}
    rcfg = me.get("remote_configuration") or {}
    print("report id      ", row.get("id"))
    print("system name    ", body["system"]["name"])
    print("UUID           ", (me.get("uuid") or {}).get("value"))
    print("state now      ", prov.get("state"), "/ control mode", prov.get("control_mode"))
    print("PKI DNS suffix ", rcfg.get("pki_dns_suffix"))
    print("actions        ", ", ".join(a["operation"] + ": " + a["outcome"]
                                       for a in body.get("actions", [])))
    print("OTP in clear on the wire:", "otp" in body)
    otp = row.get("otp")
    want = (machine.get("otp") or {}).get("sha256")
    got = hashlib.sha256(otp.encode()).hexdigest() if otp else None
    print("OTP opened by the server matches the firmware:", got is not None and got == want)
' "$DEMO/machine.json" "$DEMO/export.jsonl"

say "the same machine now: amtact info (excerpt)"
"$AMTACT" --device "sim:$DEMO/machine.json" info | sed -n '/^Provisioning/,/^Network/p'
exit "$rc"
