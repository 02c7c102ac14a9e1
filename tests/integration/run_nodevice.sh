#!/bin/sh
# SPDX-License-Identifier: MIT
# `amtact run` as a boot job on a box with no ME device at all (another vendor's machine,
# or an ME without its driver), against the interim server on loopback: the first boot
# reports the box once with why (the report's me_device: no ME among the PCI devices, or the
# ME interface without a driver, from a faked sysfs) and exits 3; later boots are quiet
# (exit 13, nothing sent); when the ME's driver appears the box is reported again, old ->
# new. A technician's first run on such a box gets the reason and exit 3, in text and in
# JSON; `status` still exits 3, and an emulator file that is missing stays a bad input (8).
. "$(dirname "$0")/lib_run.sh"
make_pki
start_server

NODEV=$WORK/no-such-dir/mei0
SYSROOT=$WORK/sysroot
AMTACT_SYSROOT=$SYSROOT
export AMTACT_SYSROOT
posts() { srv 'len(Q)'; }
# rep ID EXPR: EXPR over the report the server stored with id ID (d).
rep() { srv "(lambda d: $2)(next(r['doc'] for r in R if r['id'] == '$1'))"; }
# nodev_run [ARGS...]: amtact run on the missing device; RC, S/out, S/err as run() sets.
nodev_run() {
	"$AMTACT" --device "$NODEV" run --profile "$S/p.json" "$@" >"$S/out" 2>"$S/err" </dev/null
	RC=$?
}
# pci NAME VENDOR CLASS: a PCI function in the faked sysfs.
pci() {
	mkdir -p "$SYSROOT/sys/bus/pci/devices/$1" || fail "faking sysfs"
	echo "$2" >"$SYSROOT/sys/bus/pci/devices/$1/vendor"
	echo "$3" >"$SYSROOT/sys/bus/pci/devices/$1/class"
}

# --- another vendor's machine: no ME among the PCI devices --------------------------------
pci 0000:00:00.0 0x1022 0x060000
pci 0000:00:1f.6 0x8086 0x020000
scenario nodev noamt
n=$(posts)
nodev_run --json
expect_rc 3 "no ME: first boot"
id=$(out 'd["run_id"]')
is "$(out 'd["me_device"]["absence"]')" no_hardware "no ME: --json me_device"
is "$(out 'd["error"]["code"]')" no-device "no ME: --json error"
is "$(rep "$id" 'd["me_device"]["absence"]')" no_hardware "no ME: reported absence"
is "$(rep "$id" 'd["me_device"]["pci"]')" null "no ME: reported PCI function"
is "$(rep "$id" 'd["me"]')" null "no ME: no ME document"
case $(rep "$id" 'd["me_error"]') in
*"$NODEV does not exist"*) ;;
*) sfail "no ME: me_error does not name the device" ;;
esac
is "$(posts)" $((n + 1)) "no ME: one POST"
for i in 2 3; do
	nodev_run --json
	expect_rc 13 "no ME: boot $i"
	is "$(out 'd["report"]["outcome"]')" quiet "no ME boot $i: report outcome"
	is "$(out 'd["me_device"]["absence"]')" no_hardware "no ME boot $i: me_device"
done
is "$(posts)" $((n + 1)) "no ME: POSTs after three boots"
"$AMTACT" --device "$NODEV" status >"$S/status.out" 2>"$S/status.err"
is "$?" 3 "no ME: status"
grep -qF "cannot open the ME device: no MEI device: $NODEV does not exist (is the mei_me driver loaded? is this an Intel vPro machine?); no Intel ME interface among the PCI devices" \
	"$S/status.err" || { cat "$S/status.err"; sfail "no ME: status does not say why"; }
ok "no ME: reported once with the reason (exit 3), then quiet (exit 13); status exits 3"

# --- the ME shows up (firmware setup), with no driver: reported again, then quiet ---------
pci 0000:00:16.0 0x8086 0x078000
nodev_run --json
expect_rc 3 "no driver: first boot"
id=$(out 'd["run_id"]')
is "$(rep "$id" 'd["me_device"]["absence"]')" no_driver "no driver: reported absence"
is "$(rep "$id" 'd["me_device"]["pci"]')" 0000:00:16.0 "no driver: reported PCI function"
is "$(rep "$id" 'd["changes"]')" '[{"fact": "amt", "old": "no_me", "new": "no_me_driver"}]' \
	"no driver: changes"
nodev_run --json
expect_rc 13 "no driver: next boot"
is "$(posts)" $((n + 2)) "no driver: POSTs"
ok "no driver: the change is reported (no_me -> no_me_driver, exit 3), then quiet again"

# --- a technician's run (text, a fresh state directory): the reason and exit 3 ------------
scenario technician noamt
nodev_run
expect_rc 3 "technician: exit"
grep -qF "Found: no usable ME: no MEI device: $NODEV does not exist" "$S/out" ||
	sfail "technician: Found: line"
grep -q "^Next: nothing amtact can do on this machine: the ME interface (PCI 0000:00:16.0) has no driver: the mei_me module is not loaded (modprobe mei_me)" \
	"$S/out" || sfail "technician: Next: line"
grep -q "^Result: no MEI/HECI device or driver (exit 3)" "$S/out" || sfail "technician: Result"
"$AMTACT" --device "$NODEV" info --json >"$S/info.out" 2>/dev/null
is "$?" 3 "technician: info"
case $(jfile "$S/info.out" 'd["error"]["message"]') in
*"; the ME interface (PCI 0000:00:16.0) has no driver: the mei_me module is not loaded"*) ;;
*) sfail "technician: info --json does not say why" ;;
esac
ok "technician: the first run, and info, say why (no driver, modprobe mei_me) and exit 3"

# --- the emulator's file missing is a bad input, never a quiet box -------------------------
scenario simfile noamt
for i in 1 2; do
	"$AMTACT" --device "sim:$S/missing.json" run --profile "$S/p.json" --json >"$S/out" \
		2>"$S/err" </dev/null
	# shellcheck disable=SC2034 # RC is read by expect_rc (lib_run.sh)
	RC=$?
	expect_rc 8 "missing emulator file: run $i"
	is "$(out 'd["me_device"]')" null "missing emulator file: me_device"
done
ok "a missing emulator file exits 8 at every run (no device probe)"

stop_server
