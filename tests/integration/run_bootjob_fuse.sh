#!/bin/sh
# SPDX-License-Identifier: MIT
# The boot-job scenarios of run_bootjob.sh that depend on the device, through the FUSE
# device (amtsim) instead of the in-process emulator: the AMT FQDN and IP changed under a
# running amtsim (amtsim ctl set) are reported again with old -> new; a box in provisioning
# with its hellos running is reported once, then quiet; a box without AMT is quiet on its
# second boot; after an unprovision the firmware opens 24 h and the agent says so;
# start-config --wait lasts through the default key-generation time (clock moved by ctl).
# The steps both files take are in lib_bootjob.sh. Needs root and /dev/fuse (else skipped, 77).
. "$(dirname "$0")/lib_run.sh"
# shellcheck disable=SC2034 # lib_bootjob.sh reads it
BJ="FUSE "
. "$(dirname "$0")/lib_bootjob.sh"
need_fuse
make_pki
start_server

AMTACT_SMBIOS_UUID_FILE=$WORK/product_uuid
export AMTACT_SMBIOS_UUID_FILE
echo "03f0c2e4-8b61-4a7d-9e25-c85b76a1f2d8" >"$AMTACT_SMBIOS_UUID_FILE"

# serve MACHINE: a scenario served by amtsim at $WORK/mnt-NAME; frun runs through it.
serve() {
	scenario "$1" "$2" "${3:-{\}}"
	MNT=$WORK/mnt-$1
	start_amtsim "$MNT" --state "$S/m.json"
}
frun() {
	"$AMTACT" --device "$MNT/mei0" run --profile "$S/p.json" --json >"$S/out" 2>"$S/err" \
		</dev/null
	# shellcheck disable=SC2034 # expect_rc (lib_run.sh) reads it
	RC=$?
}
sim() { "$AMTSIM" ctl "$MNT" "$@" >/dev/null || fail "amtsim ctl $*"; }
boot() { frun; }
fw_set() { sim set "$@"; }
dev() { echo "$MNT/mei0"; }

# --- AMT FQDN and IP changed --------------------------------------------------------------------
serve names amt12-acm
bootjob_first_runs provisioned
sim set fqdn.name ws-0142.branch.example.com
sim set lan_wired.ipv4 10.1.9.14
frun
expect_rc 0 "FUSE: AMT FQDN and IP changed"
is "$(out '[c["fact"] + ":" + c["old"] + ">" + c["new"] for c in d["changes"]]')" \
	'["amt_fqdn:ws-0142.corp.example.com>ws-0142.branch.example.com", "amt_ip:10.1.4.142>10.1.9.14"]' \
	"FUSE: changes"
frun
expect_rc 13 "FUSE: quiet once reported"
stop_amtsim "$AMTSIM_PID" "$MNT"
ok "FUSE: AMT FQDN and IP changes reported again with old -> new, then quiet"

# --- in provisioning, hellos running ------------------------------------------------------------
serve inprov amt19-inprov
n=$(posts)
frun
expect_rc 0 "FUSE in provisioning, first boot"
is "$(outcome set-otp)/$(outcome start-config)" refused/refused "FUSE inprov: actions"
is "$(out 'len(d["errors"])')" 0 "FUSE inprov: errors"
frun
expect_rc 13 "FUSE in provisioning, second boot"
is "$(posts)" $((n + 1)) "FUSE inprov: POSTs"
stop_amtsim "$AMTSIM_PID" "$MNT"
ok "FUSE: in provisioning with hellos running: reported once, then quiet"

# --- no AMT ------------------------------------------------------------------------------------
serve noamt noamt
bootjob_reported_once "no AMT" 2
stop_amtsim "$AMTSIM_PID" "$MNT"
ok "FUSE: no AMT: reported once (exit 7), then quiet (exit 13)"

# --- unprovisioned: 24 h again ------------------------------------------------------------------
serve unprov amt11-ccm
bootjob_unprovision
stop_amtsim "$AMTSIM_PID" "$MNT"
bootjob_first_window
ok "FUSE: unprovisioned: the firmware's first window (24 h), the agent counts a first start"

# --- start-config --wait on the default key time, the clock moved by amtsim ---------------
serve keywait amt16-factory
(sleep 3; "$AMTSIM" ctl "$MNT" advance 90 >/dev/null) &
adv=$!
track_pid "$adv"
t0=$(date +%s)
"$AMTACT" --device "$MNT/mei0" start-config --wait=300 --json >"$S/out" 2>"$S/err" </dev/null
# shellcheck disable=SC2034 # expect_rc (lib_run.sh) reads it
RC=$?
t1=$(date +%s)
wait "$adv"
expect_rc 0 "FUSE start-config --wait"
is "$(out 'd["status_name"] + "/" + str(d["key_pending"]) + "/" + str(d["key_ready"])')" \
	CERTIFICATE_NOT_READY/True/True "FUSE --wait: started before the key, then ready"
expect_err "still generating its key" "FUSE --wait: progress"
[ $((t1 - t0)) -lt 60 ] || sfail "FUSE --wait took $((t1 - t0)) s: the emulated clock did not move"
stop_amtsim "$AMTSIM_PID" "$MNT"
ok "FUSE: start-config --wait through the default key time (90 s), with the clock advanced"

stop_server
ok "all boot-job FUSE scenarios"
