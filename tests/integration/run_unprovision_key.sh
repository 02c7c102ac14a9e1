#!/bin/sh
# SPDX-License-Identifier: MIT
# A full unprovision discards the firmware's key pair, which it makes again at its first
# use (the emulator's default, rules.unprovision_key 0): `amtact unprovision` says so, and
# the next boot's `amtact run` restarts the hellos, which the firmware counts as started
# while it makes the key (CERTIFICATE_NOT_READY); with "key_wait_s" the run waits until
# the key is ready, without it the run says the firmware starts the hellos by itself. A
# box told to keep its key (rules.unprovision_key 1) starts at once. In-process emulator,
# interim server on loopback; the key takes 3 s here (key_generation_s), and the wired LAN
# is up (the hellos need it).
. "$(dirname "$0")/lib_run.sh"
make_pki
start_server

# provisioned: make the scenario's box provisioned in client control mode again.
provisioned() {
	emu set provisioning_state 2
	emu set control_mode 1
}
unprovision() {
	"$AMTACT" --device "sim:$S/m.json" unprovision >"$S/unprov.out" 2>"$S/unprov.err"
	RC=$?
	expect_rc 0 "$1: unprovision"
}
# start_key: the start-config action's firmware answer and key flags.
start_key() {
	out '[a["status_name"] + "/" + str(a["key_pending"]) + "/" + str(a["key_ready"]) for a in d["actions"] if a["operation"] == "start-config"]'
}

# --- the key is made again at its first use; the run waits for it ---------------------------
scenario rekey amt11-ccm '{"key_wait_s": 30}'
emu set key_generation_s 3
emu set lan_wired.link_up true
run
expect_rc 0 "rekey: provisioned, first run"
unprovision rekey
grep -q "the firmware has no key pair now: it makes a new one at the next start" \
	"$S/unprov.out" || sfail "rekey: unprovision does not say the key is gone"
is "$(m 'd["key_discarded"]')" true "rekey: the firmware's key after the unprovision"
t0=$(date +%s)
run
t1=$(date +%s)
expect_rc 0 "rekey: the boot after the unprovision"
is "$(out 'd["found"]["provisioning_state"]')" pre "rekey: found"
is "$(start_key)" '["CERTIFICATE_NOT_READY/True/True"]' "rekey: start-config"
[ $((t1 - t0)) -ge 2 ] || sfail "rekey: the run did not wait for the key ($((t1 - t0)) s)"
is "$(m 'd["key_discarded"]')" false "rekey: the key is made"
is "$(m 'd["hello"]["until"] - d["hello"]["started_at"]')" 86400 "rekey: the first window"
is "$(srv "[r['doc']['unprovisioned_since_last_run'] for r in R if r['doc']['system']['name'] == 'pc-rekey']")" \
	'[false, true]' "rekey: reports"
ok "after a full unprovision the key is made at the next start; the run waits for it"

# --- without key_wait_s: started all the same, the run says what happens next --------------
scenario nowait amt11-ccm
emu set key_generation_s 3
emu set lan_wired.link_up true
run
expect_rc 0 "nowait: provisioned, first run"
unprovision nowait
"$AMTACT" --device "sim:$S/m.json" run --profile "$S/p.json" >"$S/out" 2>"$S/err" </dev/null
# shellcheck disable=SC2034 # RC is read by expect_rc (lib_run.sh)
RC=$?
expect_rc 0 "nowait: the boot after the unprovision"
grep -q "^  start-config  *done (CERTIFICATE_NOT_READY)" "$S/out" ||
	sfail "nowait: start-config line"
grep -q "the firmware is still generating its key (usually minutes)" "$S/out" &&
	grep -q "starts the hello packets by itself once the key is made" "$S/out" ||
	sfail "nowait: Next: does not say the firmware starts the hellos itself"
is "$(m 'd["hello"]["starts"]')" 1 "nowait: the hellos count as started"
ok "without key_wait_s: started while the key is made, and the run says so"

# --- a box that keeps its key starts at once -----------------------------------------------
scenario keep amt11-ccm '{"key_wait_s": 30}'
emu set key_generation_s 3
emu set lan_wired.link_up true
emu set rules.unprovision_key 1
run
expect_rc 0 "keep: provisioned, first run"
unprovision keep
grep -q "no key pair" "$S/unprov.out" && sfail "keep: unprovision says the key is gone"
run
expect_rc 0 "keep: the boot after the unprovision"
is "$(start_key)" '["SUCCESS/False/False"]' "keep: start-config"
# and once provisioned again, a second unprovision with the default discards it once more
emu set rules.unprovision_key 0
provisioned
unprovision keep-again
is "$(m 'd["key_discarded"]')" true "keep: the default again"
ok "rules.unprovision_key 1 keeps the key: the next start answers SUCCESS"

stop_server
