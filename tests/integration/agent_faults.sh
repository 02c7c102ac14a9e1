#!/bin/sh
# SPDX-License-Identifier: MIT
# amtact itself against every injected firmware fault, in-process (faults in the state
# file) and through the amtsim device (faults through its control file): it recovers where
# documented (firmware reset -> reconnect and ask again; EBUSY -> bounded retries) and
# otherwise fails with the documented exit code and a clear message, in bounded time.
. "$TOPDIR/tests/integration/lib.sh"

# expect NAME WANT_EXIT MAX_SECONDS STDERR_FRAGMENT -- amtact args...
expect() {
	e_name=$1 e_want=$2 e_max=$3 e_grep=$4
	shift 5
	e_start=$(date +%s)
	timeout -k 5 60 "$AMTACT" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
	e_rc=$?
	e_took=$(($(date +%s) - e_start))
	if [ "$e_rc" != "$e_want" ]; then
		sed 's/^/    | /' "$WORK/err"
		fail "$e_name: exit $e_rc, expected $e_want"
	fi
	[ "$e_took" -le "$e_max" ] || fail "$e_name: took ${e_took}s, more than ${e_max}s"
	if [ -n "$e_grep" ] && ! grep -qF -- "$e_grep" "$WORK/err"; then
		sed 's/^/    | /' "$WORK/err"
		fail "$e_name: stderr lacks \"$e_grep\""
	fi
	ok "$e_name (exit $e_rc in ${e_took}s)"
}

# A state file for the in-process emulator: a machine with one fault set.
with_fault() {
	python3 - "$MACHINES/$1" "$2" "$WORK/sim.json" <<'PY'
import json, sys
state = json.load(open(sys.argv[1]))
state["faults"] = json.loads(sys.argv[2])
json.dump(state, open(sys.argv[3], "w"))
PY
}

SIM=sim:$WORK/sim.json
note "in-process emulator"
with_fault amt16-factory.json '{"busy": 3}'
expect "busy 3: connect retried, info answers" 0 10 "" -- --device "$SIM" info --json
with_fault amt16-factory.json '{"reset_after": 2, "recovery_ms": 300}'
expect "reset during info: reconnected and asked again" 0 10 "reconnected" -- -v \
	--device "$SIM" info
# The kernel's mei_wdt may hold the watchdog client for good: one short retry, listed as a
# problem, not a failure of info, and no long wait at every run.
with_fault amt16-factory.json '{"busy": 1000, "busy_client": 3}'
expect "watchdog client held by another driver: info answers, quickly" 0 3 "" -- \
	--device "$SIM" info --json
grep -q "mei_wdt" "$WORK/out" || fail "the busy watchdog client is not explained in problems"
ok "the busy watchdog client is listed with the likely holder"
with_fault amt16-factory.json '{"noreply": "GET_UUID"}'
expect "no reply to GET_UUID: firmware error after the timeout" 6 10 "GET_UUID" -- \
	--timeout 500 --device "$SIM" info
with_fault amt16-factory.json '{"noreply": "GET_UUID"}'
"$AMTACT" --timeout 500 --device "$SIM" info --json >"$WORK/out" 2>/dev/null
python3 - "$WORK/out" <<'PY' || fail "the timeout is not reported as the JSON problem of GET_UUID"
import json, sys
d = json.load(open(sys.argv[1]))
p = [x for x in d["problems"] if x["command"] == "GET_UUID"]
assert p and p[0]["kind"] == "timeout", p
assert d["uuid"]["value"] is None and d["provisioning"]["state"] == "pre", d["provisioning"]
PY
ok "the timeout is listed as a problem, the other answers are kept"
for kind in short length command reserved version trailing; do
	with_fault amt16-factory.json "{\"malformed_command\": \"GET_UUID\", \"malformed\": \"$kind\"}"
	expect "malformed reply ($kind) to GET_UUID: firmware error naming the command" 6 10 \
		"reply to GET_UUID" -- --device "$SIM" info
done
with_fault amt16-factory.json '{"malformed_command": "GET_PROVISIONING_STATE", "malformed": "size"}'
expect "status with a malformed provisioning state: firmware error" 6 10 \
	"GET_PROVISIONING_STATE" -- --device "$SIM" status
# Count the requests start-config makes before its write, then reset exactly on the write.
cp "$MACHINES/amt16-factory.json" "$WORK/sim.json"
n=$("$AMTACT" -vv --device "$SIM" start-config --dry-run 2>&1 | grep -cE ': [0-9]+ bytes$' )
n=$(( (n + 1) / 2 + 1 ))
with_fault amt16-factory.json "{\"reset_after\": $n, \"recovery_ms\": 200}"
expect "reset during a write is not retried: reported, exit 6" 6 10 "START_CONFIGURATION" -- \
	--device "$SIM" start-config --json
grep -q '"outcome":	"failed"' "$WORK/out" || fail "start-config: outcome is not failed"
grep -q '"provisioning_state":	0' "$WORK/sim.json" ||
	grep -q '"provisioning_state": 0' "$WORK/sim.json" || fail "the write took effect after all"
ok "the write that met the reset is reported failed and did not take effect"

need_fuse
note "through the amtsim device"
mnt=$WORK/mnt
cp "$MACHINES/amt16-factory.json" "$WORK/dev.json"
start_amtsim "$mnt" --state "$WORK/dev.json"
DEV=$mnt/mei0
ctl() { "$AMTSIM" ctl "$mnt" "$@" >/dev/null || fail "amtsim ctl $*"; }

ctl busy 3
expect "busy 3: connect retried, info answers" 0 10 "" -- --device "$DEV" info --json
ctl busy 30
expect "busy for good: exit 5 saying who may hold the client" 5 20 \
	"another agent or the Intel manageability service" -- --device "$DEV" status
ctl clear
ctl reset-after 2 300
expect "reset during info: reconnected and asked again" 0 10 "reconnected" -- -v \
	--device "$DEV" info
ctl clear
ctl noreply GET_UUID
expect "no reply to GET_UUID: firmware error after the timeout" 6 10 "GET_UUID" -- \
	--timeout 500 --device "$DEV" info
ctl clear
ctl malformed GET_UUID length
expect "malformed reply to GET_UUID: firmware error naming the command" 6 10 \
	"reply to GET_UUID" -- --device "$DEV" info
ctl clear
ctl latency 50
expect "latency 50 ms per request: still answers" 10 20 "" -- --device "$DEV" status
ctl clear
ctl set amt_enabled false
expect "AMT disabled: exit 7" 7 10 "AMT is disabled" -- --device "$DEV" info
ctl set amt_enabled true
expect "healthy again after the faults" 10 10 "" -- --device "$DEV" status
