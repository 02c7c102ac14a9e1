#!/bin/sh
# SPDX-License-Identifier: MIT
# `amtact enable-amt` by generation, through the real binary on the emulator (in-process, and
# through the FUSE device with root and /dev/fuse): before release 9.0 the host switches AMT
# on with ChangeToAMT (WD 05 02 52 10), from ME 16.1 with SetAmtOperationalState; releases
# 9.0 to 16.0 document no way, and the refusal says so for that generation. With --force
# there the failure names the missing watchdog client, not an ioctl error.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x "$AMTACT" ] || fail "$AMTACT is not built"
[ -x "$PY" ] || skip "python3 is not installed ($PY)"

# off GEN [ALLOWED]: a machine of generation GEN with AMT disabled, in $WORK/GEN.json.
off() {
	printf '{"generation": "%s", "amt_enabled": false, "amt_change_allowed": %s,
"provisioning_state": 0}\n' "$1" "${2:-true}" >"$WORK/$1.json"
}

# try_enable DEVICE WHAT RC OUTCOME [TEXT] [ARGS...]: enable-amt --json on DEVICE.
try_enable() {
	dev=$1 what=$2 want_rc=$3 want=$4 text=${5:-}
	shift 4
	[ $# -gt 0 ] && shift
	"$AMTACT" --device "$dev" enable-amt --json "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	got=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["outcome"])' \
		"$WORK/out" 2>/dev/null)
	if [ "$rc" != "$want_rc" ] || [ "$got" != "$want" ]; then
		sed 's/^/    | /' "$WORK/out" "$WORK/err"
		fail "$what: exit $rc outcome '$got', expected $want_rc '$want'"
	fi
	if [ -n "$text" ] && ! grep -qF -- "$text" "$WORK/err"; then
		sed 's/^/    | /' "$WORK/err"
		fail "$what: stderr does not say: $text"
	fi
	if grep -q "Inappropriate ioctl" "$WORK/out" "$WORK/err"; then
		fail "$what: an ioctl error instead of the reason"
	fi
}

enabled() {
	"$PY" -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["amt_enabled"] else 1)' \
		"$1"
}

for gen in 2.6 5.0; do
	off "$gen"
	try_enable "sim:$WORK/$gen.json" "AMT $gen" 0 "done"
	grep -q '"command":[[:space:]]*"WD ChangeToAMT"' "$WORK/out" ||
		fail "AMT $gen: not sent as ChangeToAMT"
	enabled "$WORK/$gen.json" || fail "AMT $gen: still off"
	ok "AMT $gen: switched on with ChangeToAMT"
done
off 5.0 false
try_enable "sim:$WORK/5.0.json" "AMT 5.0, locked" 9 predicted_refusal \
	"does not allow changing the AMT state"
ok "AMT 5.0 with the change not allowed: refused before sending"

for gen in 9.1 11.8 12.0; do
	off "$gen"
	try_enable "sim:$WORK/$gen.json" "AMT $gen" 9 predicted_refusal \
		"releases 9.0 to 16.0 document no way at all"
	grep -qF "needs ME 16.1 or later" "$WORK/err" || fail "AMT $gen: 16.1 not named"
	cp "$WORK/$gen.json" "$WORK/before.json"
	try_enable "sim:$WORK/$gen.json" "AMT $gen --force" 6 failed \
		"offers no watchdog client" --force
	enabled "$WORK/$gen.json" && fail "AMT $gen --force: switched on"
	ok "AMT $gen: refused with the reason for 9.0-16.0; --force names the missing client"
done

off 16.1
try_enable "sim:$WORK/16.1.json" "ME 16.1" 0 "done"
grep -q '"command":[[:space:]]*"WD SetAmtOperationalState"' "$WORK/out" ||
	fail "ME 16.1: not sent as SetAmtOperationalState"
ok "ME 16.1: SetAmtOperationalState"

if [ "$(id -u)" = 0 ] && [ -c /dev/fuse ]; then
	off 5.0
	start_amtsim "$WORK/mnt5" --state "$WORK/5.0.json"
	try_enable "$WORK/mnt5/mei0" "FUSE, AMT 5.0" 0 "done"
	stop_amtsim "$AMTSIM_PID" "$WORK/mnt5"
	enabled "$WORK/5.0.json" || fail "FUSE, AMT 5.0: still off"
	off 11.8
	start_amtsim "$WORK/mnt11" --state "$WORK/11.8.json"
	try_enable "$WORK/mnt11/mei0" "FUSE, AMT 11.8" 9 predicted_refusal \
		"releases 9.0 to 16.0 document no way at all"
	try_enable "$WORK/mnt11/mei0" "FUSE, AMT 11.8 --force" 6 failed \
		"offers no watchdog client" --force
	stop_amtsim "$AMTSIM_PID" "$WORK/mnt11"
	ok "through the FUSE device: ChangeToAMT on 5.0, the refusal and --force on 11.8"
else
	note "FUSE part skipped: needs root and /dev/fuse"
fi
