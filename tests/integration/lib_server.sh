# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Shared helpers for tests/integration/server_*.sh: amtact-interim `serve` (the production
# path) on 127.0.0.1 with random ports, a test PKI, an HTTPS client, and the server's
# command line on the same database. The database is a SQLite file in WORK, or the
# PostgreSQL database named by AMTACT_TEST_PG_URL (set by server_pg.sh).
. "$(dirname "$0")/lib.sh"
set -u
PY=/usr/bin/python3
SERVER=$TOPDIR/server/amtact-interim
CLIENT=$TOPDIR/tests/integration/srvclient.py
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY

[ -x "$PY" ] || skip "python3 is not installed ($PY)"
command -v openssl >/dev/null 2>&1 || skip "the openssl command is not installed"

PKI=$WORK/pki
"$PY" "$SERVER" mkcerts "$PKI" >/dev/null || fail "making the test PKI"
export SRV_CA=$PKI/ca.crt
if [ -n "${AMTACT_TEST_PG_URL:-}" ]; then
	DB=$AMTACT_TEST_PG_URL
	note "database: PostgreSQL ($DB)"
else
	DB=$WORK/db.sqlite
	note "database: SQLite ($DB)"
fi

# start_srv NAME [serve options]: a server instance on 127.0.0.1 (random port) on DB;
# sets URL (and exports SRV_URL), SRV_PID; its log is $WORK/NAME.log.
start_srv() {
	lib_name=$1
	shift
	rm -f "$WORK/$lib_name.port"
	"$PY" "$SERVER" serve --db "$DB" --listen 127.0.0.1 --port 0 \
		--port-file "$WORK/$lib_name.port" --cert "$PKI/server.crt" \
		--key "$PKI/server.key" "$@" >/dev/null 2>"$WORK/$lib_name.log" &
	SRV_PID=$!
	track_pid "$SRV_PID"
	wait_for 15000 test -s "$WORK/$lib_name.port" ||
		{ cat "$WORK/$lib_name.log"; fail "server $lib_name did not start"; }
	URL=https://127.0.0.1:$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["port"])' "$WORK/$lib_name.port")
	export SRV_URL=$URL
}

# stop_srv PID: SIGTERM, and it must be gone within 15 s.
stop_srv() {
	kill_child TERM "$1"
	wait_gone "$1" 15000 || fail "server $1 did not stop on SIGTERM"
}

# icli COMMAND [ARGS]: the server's command line on the same database.
icli() {
	lib_c=$1
	shift
	"$PY" "$SERVER" "$lib_c" --db "$DB" "$@"
}

# req METHOD PATH [srvclient options]: sets STATUS; the answer's body is in $WORK/body.
req() {
	"$PY" "$CLIENT" req "$@" >"$WORK/resp" 2>&1
	STATUS=$(head -n 1 "$WORK/resp")
	sed 1d "$WORK/resp" >"$WORK/body"
}

expect_status() {
	[ "$STATUS" = "$1" ] || fail "$2: HTTP $STATUS, expected $1: $(cat "$WORK/body")"
}
body_has() {
	grep -qF -- "$1" "$WORK/body" || fail "$2: the answer lacks \"$1\": $(cat "$WORK/body")"
}

# post ID [JSON-OVERLAY] [req options]: POST a report with this id (valid unless the
# overlay breaks it) as the agent would; sets STATUS.
post() {
	lib_id=$1
	lib_ov=${2:-"{}"}
	shift
	[ $# -gt 0 ] && shift
	report_file "$lib_id" "$lib_ov" "$WORK/post.json"
	req POST /reports --idem "$lib_id" --body "$WORK/post.json" "$@"
}

# report_file ID OVERLAY FILE: a report in the agent's format, merged with OVERLAY
# (a key set to null is removed).
report_file() {
	"$PY" - "$1" "$2" "$3" <<'PYEOF' || fail "writing report $1"
import json, sys
rid, overlay, path = sys.argv[1:4]
r = {"schema_version": 1, "report_id": rid, "agent": "amtact 0.1.0",
     "time": "2026-12-02T08:00:00Z", "profile": "corp",
     "system": {"name": "pc-" + rid, "hostname": "pc-" + rid, "fqdn": "pc-" + rid + ".corp",
                "dns_suffix": "corp", "interfaces": []},
     "me": {"uuid": {"value": "4C4C4544-0051-4810-8039-B4C04F4B3733"},
            "provisioning": {"state": "pre"}},
     "me_error": None, "unprovisioned_since_last_run": False, "actions": [], "errors": []}
for k, v in json.loads(overlay).items():
    if v is None:
        r.pop(k, None)
    else:
        r[k] = v
json.dump(r, open(path, "w"))
PYEOF
}

# rows [FILTER OPTIONS]: how many stored reports match.
rows() { icli reports --format jsonl "$@" | wc -l; }

# metric NAME: a value from GET /metrics (NAME with its labels, as printed).
metric() {
	req GET /metrics
	awk -v n="amtact_interim_$1" '$1 == n {print $2}' "$WORK/body"
}
