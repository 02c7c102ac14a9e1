# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Shared helpers for tests/integration/run_*.sh (amtact run scenarios): one private
# directory per scenario (emulator state, profile, state and spool directories), the
# interim server in its test mode on loopback (started and stopped by PID), JSON queries.
# Sources lib.sh for paths, skips, PID tracking and the cleanup trap.
. "$(dirname "$0")/lib.sh"
set -u

PY=/usr/bin/python3
SERVER=$TOPDIR/server/amtact-interim
# Loopback only: no proxy from the environment may catch our requests.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY
unset AMTACT_CRASH_AT AMTACT_PROFILE_DIR

[ -x "$AMTACT" ] || fail "$AMTACT is not built"
[ -x "$PY" ] || skip "python3 is not installed ($PY)"
# The profile (and its directory) must be owned by root when amtact runs as root; WORK is
# a mktemp directory of ours (0700), so that holds for root and for other users alike.

SRV_PID=""
PORT=""
CTL=""
URL=""
PKI=$WORK/pki

# Show the files of the scenario that just failed, then fail.
sfail() {
	for f in "$S/err" "$S/out"; do
		[ -s "$f" ] && { echo "--- $f"; sed 's/^/    | /' "$f" | tail -n 40; }
	done
	fail "$*"
}

# make_pki: the test PKI of the reference server (CA, server, report key).
make_pki() {
	command -v openssl >/dev/null 2>&1 || skip "the openssl command is not installed"
	"$PY" "$SERVER" mkcerts "$PKI" >/dev/null || fail "making the test PKI"
}

# start_server [server options]: sets PORT, CTL, URL, SRV_PID (tracked for the cleanup).
start_server() {
	rm -f "$WORK/ports.json"
	"$PY" "$SERVER" test-serve --pki "$PKI" --db "$WORK/db.sqlite" \
		--port-file "$WORK/ports.json" --report-key "$PKI/report.key" \
		--report-cert "$PKI/report.crt" --accept-clear-otp "$@" \
		>"$WORK/server.out" 2>"$WORK/server.err" &
	SRV_PID=$!
	track_pid "$SRV_PID"
	wait_for 10000 test -s "$WORK/ports.json" ||
		{ cat "$WORK/server.err"; fail "the interim server did not start"; }
	PORT=$(jfile "$WORK/ports.json" 'd["port"]')
	CTL=$(jfile "$WORK/ports.json" 'd["control"]')
	URL=https://127.0.0.1:$PORT/reports
}

# start_otp_server TOKEN: the test PKI, an OTP key, TOKEN as the agents' bearer token
# ($WORK/token, 0600) and the server started with them (otp.policy "server").
start_otp_server() {
	make_pki
	"$PY" "$SERVER" otp-key "$WORK/otp.key" || fail "making the OTP key"
	printf '%s\n' "$1" >"$WORK/token"
	chmod 0600 "$WORK/token"
	start_server --otp-key "$WORK/otp.key" --token-file "$WORK/token"
}

# otp_assign UUID OTP [OPTIONS]: the server's own command, the OTP on its standard input.
otp_assign() {
	lib_u=$1 lib_o=$2
	shift 2
	printf '%s\n' "$lib_o" | "$PY" "$SERVER" otp-assign --db "$WORK/db.sqlite" \
		--otp-key "$WORK/otp.key" --uuid "$lib_u" --otp-file - "$@" ||
		fail "assigning the OTP of $lib_u"
}

stop_server() {
	kill -TERM "$SRV_PID" 2>/dev/null
	wait_gone "$SRV_PID" 5000 || fail "the interim server did not stop"
	wait "$SRV_PID" 2>/dev/null
	SRV_PID=""
}

# jfile FILE EXPR: print the Python expression EXPR over the JSON document d in FILE.
jfile() {
	"$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(json.dumps(v) if isinstance(v, (dict, list, bool)) or v is None else v)' "$1" "$2"
}

# ctl METHOD PATH [JSON]: the server's control port; prints the answer.
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

# srv EXPR: evaluate EXPR with R = stored reports (bodies parsed into R[i]["doc"]) and
# Q = the POST requests the server saw.
srv() {
	ctl GET /_reports >"$WORK/srv-reports.json" || fail "reading the server's reports"
	ctl GET /_requests >"$WORK/srv-requests.json" || fail "reading the server's requests"
	"$PY" - "$WORK/srv-reports.json" "$WORK/srv-requests.json" "$1" <<'PYEOF'
import json, sys
R = json.load(open(sys.argv[1]))
for r in R:
    r["doc"] = json.loads(r["body"])
Q = [q for q in json.load(open(sys.argv[2])) if q["kind"] == "request" and q["method"] == "POST"]
v = eval(sys.argv[3])
print(json.dumps(v) if isinstance(v, (dict, list, bool)) or v is None else v)
PYEOF
}

# scenario NAME MACHINE [PROFILE-JSON]: a fresh directory S=$WORK/NAME holding m.json (a
# copy of profiles/machines/MACHINE.json) and p.json: a profile reporting to the server
# (when one runs, else to S/report.json) with short timeouts, its own state and spool
# directories, merged with PROFILE-JSON (a key set to null is removed).
scenario() {
	S=$WORK/$1
	mkdir -p "$S"
	cp "$MACHINES/$2.json" "$S/m.json" || fail "no machine $2"
	profile "$S/p.json" "$1" "${3:-{\}}"
}

# profile FILE NAME OVERLAY-JSON: write the profile described at scenario().
profile() {
	"$PY" - "$1" "$2" "$3" "$S" "$URL" "$PKI" <<'PYEOF' || fail "writing profile $1"
import json, sys
path, name, overlay, sdir, url, pki = sys.argv[1:7]
p = {"schema": 1, "name": name, "method": "remote_configuration",
     "otp": {"policy": "random"}, "pki_dns_suffix": "corp.example.com",
     "hello": "when_not_open", "system_name": {"source": "fixed", "value": "pc-" + name},
     "state_dir": sdir + "/state", "spool_dir": sdir + "/spool", "lock_timeout_ms": 0}
if url:
    p["server"] = {"url": url, "ca_file": pki + "/ca.crt", "connect_timeout_ms": 1000,
                   "timeout_ms": 3000, "max_attempts": 2, "backoff_base_ms": 10,
                   "backoff_max_ms": 50, "first_delay_max_ms": 0}
else:
    p["report_file"] = sdir + "/report.json"
def merge(a, b):
    for k, v in b.items():
        if v is None:
            a.pop(k, None)
        elif isinstance(v, dict) and isinstance(a.get(k), dict):
            merge(a[k], v)
        else:
            a[k] = v
merge(p, json.loads(overlay))
with open(path, "w") as f:
    json.dump(p, f, indent=1)
PYEOF
	chmod 0644 "$1"
}

# run [ARGS...]: amtact run with the scenario's machine and profile, --json;
# sets RC; stdout in S/out, stderr in S/err.
run() {
	"$AMTACT" --device "sim:$S/m.json" run --profile "$S/p.json" --json "$@" \
		>"$S/out" 2>"$S/err" </dev/null
	RC=$?
}

expect_rc() { [ "$RC" = "$1" ] || sfail "$2: exit $RC, expected $1"; }
expect_err() { grep -qF -- "$1" "$S/err" || sfail "$2: stderr lacks \"$1\""; }
# out EXPR: EXPR over amtact's JSON output; m EXPR: over the emulator state file.
out() { jfile "$S/out" "$1"; }
m() { jfile "$S/m.json" "$1"; }
# is VALUE EXPECTED WHAT: compare two strings, fail the scenario on a difference.
is() { [ "$1" = "$2" ] || sfail "$3: got \"$1\", expected \"$2\""; }

# outcome OP: the outcome of operation OP in the run's output ("" when not there).
outcome() {
	jfile "$S/out" "next((a['outcome'] for a in d['actions'] if a['operation'] == '$1'), '')"
}

# agent_back SECONDS: move the agent's memory of the scenario back in time (its last run and
# hello start), as if that much time had passed since (with "emu advance" for the firmware).
agent_back() {
	"$PY" - "$S/state/state.json" "$1" <<'PYEOF' || fail "moving the agent's memory back"
import json, sys
d = json.load(open(sys.argv[1]))
d["hello_started_at"] -= int(sys.argv[2])
d["last_run"] -= int(sys.argv[2])
json.dump(d, open(sys.argv[1], "w"))
PYEOF
}

# emu COMMAND...: apply one emulator control command to the state file of the scenario.
emu() {
	"$PY" - "$S/m.json" "$@" <<'PYEOF' || fail "editing $S/m.json"
import json, sys
path, cmd, args = sys.argv[1], sys.argv[2], sys.argv[3:]
d = json.load(open(path))
if cmd == "advance":            # the emulated clock (amtsim.5 clock_offset)
    d["clock_offset"] = d.get("clock_offset", 0) + int(args[0])
elif cmd == "latency":
    d.setdefault("faults", {})["latency_ms"] = int(args[0])
elif cmd == "set":
    o = d
    keys = args[0].split(".")
    for k in keys[:-1]:
        o = o.setdefault(k, {})
    try:
        o[keys[-1]] = json.loads(args[1])
    except ValueError:
        o[keys[-1]] = args[1]
else:
    sys.exit("emu: unknown command " + cmd)
json.dump(d, open(path, "w"), indent=1)
PYEOF
}
