#!/bin/sh
# SPDX-License-Identifier: MIT
# `amtact run` through the FUSE device instead of the in-process emulator: the factory-fresh
# scenario with --device MOUNTPOINT/mei0, and again inside `amtsim exec` with no --device
# at all (the default /dev/mei0 of the namespace); reports to the interim server on
# loopback. Needs root and /dev/fuse (else skipped, 77).
. "$(dirname "$0")/lib_run.sh"
need_fuse
make_pki
start_server

# factory_checks WHAT: the factory-fresh outcome, seen by amtact, the state file amtsim
# saved and the server.
factory_checks() {
	expect_rc 0 "$1"
	is "$(outcome set-suffix)/$(outcome set-otp)/$(outcome start-config)" "done/done/done" \
		"$1: suffix, OTP, hello"
	id=$(out 'd["run_id"]')
	is "$(srv "sum(1 for r in R if r['id'] == '$id')")" 1 "$1: stored reports"
	is "$(m 'd["provisioning_state"]')/$(m 'd["pki_dns_suffix"]')" "1/corp.example.com" \
		"$1: firmware state saved by amtsim"
	got=$(srv "__import__('hashlib').sha256(next(r['doc']['otp'] for r in R if r['id'] == '$id').encode()).hexdigest()")
	is "$got" "$(m 'd["otp"]["sha256"]')" "$1: OTP on the server and in the firmware"
}

# --- --device MOUNTPOINT/mei0 ------------------------------------------------------------------
scenario fusedev amt16-factory
mnt=$WORK/mnt-dev
start_amtsim "$mnt" --state "$S/m.json"
"$AMTACT" --device "$mnt/mei0" run --profile "$S/p.json" --json >"$S/out" 2>"$S/err" </dev/null
RC=$?
factory_checks "FUSE --device"
"$AMTACT" --device "$mnt/mei0" run --profile "$S/p.json" --json >"$S/out" 2>"$S/err" </dev/null
RC=$?
expect_rc 13 "FUSE --device, second run"
stop_amtsim "$AMTSIM_PID" "$mnt"
ok "factory fresh through the FUSE device (--device MOUNTPOINT/mei0), then quiet"

# --- amtsim exec: /dev/mei0 inside a private namespace, no --device ---------------------------
scenario fusens amt16-factory
mnt=$WORK/mnt-ns
start_amtsim "$mnt" --state "$S/m.json"
"$AMTSIM" exec "$mnt" -- "$AMTACT" run --profile "$S/p.json" --json >"$S/out" 2>"$S/err" \
	</dev/null
# shellcheck disable=SC2034 # factory_checks (lib_run.sh) reads it
RC=$?
factory_checks "amtsim exec"
stop_amtsim "$AMTSIM_PID" "$mnt"
ok "factory fresh inside amtsim exec (default /dev/mei0)"

stop_server
ok "all run FUSE scenarios"
