#!/bin/sh
# SPDX-License-Identifier: MIT
# Shared helpers for tests/integration/report_*.sh: a test PKI, the interim server in its
# test mode (fault injection) on loopback, started and stopped by PID, and amtact report
# with short timeouts.
set -u
TOPDIR=${TOPDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$TOPDIR/build}
AMTACT=${AMTACT:-$BUILD/amtact}
PY=/usr/bin/python3
SERVER=$TOPDIR/server/amtact-interim
# Loopback only: no proxy from the environment may catch our requests.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY
unset AMTACT_CRASH_AT

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; [ -f "$WORK/err" ] && sed 's/^/  stderr| /' "$WORK/err"; exit 1; }
ok() { echo "ok: $*"; }

[ -x "$AMTACT" ] || skip "$AMTACT is not built"
[ -x "$PY" ] || skip "python3 is not installed ($PY)"
command -v openssl >/dev/null 2>&1 || skip "the openssl command is not installed"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/amtact-report.XXXXXX")
SRV_PID=""
cleanup() {
	if [ -n "$SRV_PID" ]; then
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

PKI=$WORK/pki
"$PY" "$SERVER" mkcerts "$PKI" >/dev/null || fail "making the test PKI"
SPOOL=$WORK/spool

# start_server [server options]: sets PORT, CTL, SRV_PID; the database is $WORK/db.sqlite.
start_server() {
	rm -f "$WORK/ports.json"
	"$PY" "$SERVER" test-serve --pki "$PKI" --db "$WORK/db.sqlite" \
		--port-file "$WORK/ports.json" --report-key "$PKI/report.key" \
		--report-cert "$PKI/report.crt" --accept-clear-otp "$@" \
		>"$WORK/server.out" 2>"$WORK/server.err" &
	SRV_PID=$!
	i=0
	while [ ! -s "$WORK/ports.json" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || { cat "$WORK/server.err"; fail "the interim server did not start"; }
		kill -0 "$SRV_PID" 2>/dev/null || { cat "$WORK/server.err"; fail "server died"; }
		sleep 0.1
	done
	PORT=$(json_get "$WORK/ports.json" port)
	CTL=$(json_get "$WORK/ports.json" control)
	URL=https://127.0.0.1:$PORT/reports
}

stop_server() {
	kill "$SRV_PID" 2>/dev/null
	wait "$SRV_PID" 2>/dev/null
	SRV_PID=""
}

json_get() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

# ctl METHOD PATH [JSON]: talk to the server's control port; prints the answer.
ctl() {
	"$PY" - "$CTL" "$1" "$2" "${3:-}" <<'PYEOF'
import sys, urllib.request
port, method, path, body = sys.argv[1:5]
req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                             data=body.encode() if body else None)
print(urllib.request.urlopen(req, timeout=10).read().decode())
PYEOF
}

fault() { ctl POST /_fault "$1" >/dev/null || fail "setting fault $1"; }

# stored ID: how many times the server stored report ID (0 or 1 when idempotent).
stored() {
	ctl GET /_reports | "$PY" -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["id"] == sys.argv[1]))' "$1"
}

# posts ID [STATUS]: how many POSTs for report ID reached the server (with that status).
posts() {
	ctl GET /_requests | "$PY" -c '
import json, sys
want = sys.argv[2] if len(sys.argv) > 2 else None
print(sum(1 for r in json.load(sys.stdin) if r["kind"] == "request" and r["method"] == "POST"
          and r["report_id"] == sys.argv[1] and (want is None or str(r["status"]) == want)))' "$@"
}

# report ARGS: amtact report against the server with short timeouts; sets RC, out in $WORK/out.
report() {
	"$AMTACT" report --spool "$SPOOL" --ca "$PKI/ca.crt" --connect-timeout 2000 \
		--timeout 4000 --attempts 3 --backoff 50 --backoff-max 200 "$@" \
		>"$WORK/out" 2>"$WORK/err"
	RC=$?
}

# submit ID [ARGS]: queue and deliver a small report with this id.
submit() {
	id=$1
	shift
	printf '{"schema_version": 1, "report_id": "%s", "note": "test"}\n' "$id" >"$WORK/body.json"
	report --server "$URL" --submit "$WORK/body.json" --id "$id" "$@"
}

expect_rc() { [ "$RC" = "$1" ] || fail "$2: exit $RC, expected $1"; }
expect_err() { grep -qF -- "$1" "$WORK/err" || fail "$2: stderr lacks \"$1\""; }

queued() { find "$SPOOL" -maxdepth 1 -name "*-$1.report" | wc -l; }
dead() { find "$SPOOL/dead" -maxdepth 1 -name "*-$1.report" | wc -l; }

# Every spool file must be complete: header, length and CRC-32 check out.
check_no_torn() {
	"$PY" - "$SPOOL" <<'PYEOF' || fail "a torn spool file was found"
import os, sys, zlib
bad = 0
for d in (sys.argv[1], os.path.join(sys.argv[1], "dead")):
    if not os.path.isdir(d):
        continue
    for n in os.listdir(d):
        if not n.endswith(".report"):
            continue
        data = open(os.path.join(d, n), "rb").read()
        head, _, body = data.partition(b"\n")
        f = head.split(b" ")
        if len(f) != 4 or f[0] != b"AMTACT-SPOOL" or int(f[2]) != len(body) \
                or int(f[3], 16) != zlib.crc32(body):
            print("torn:", n); bad += 1
sys.exit(1 if bad else 0)
PYEOF
}
