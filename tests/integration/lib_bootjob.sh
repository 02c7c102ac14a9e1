# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# The boot-job scenario steps that run_bootjob.sh (in-process emulator) and
# run_bootjob_fuse.sh (the FUSE device, amtsim) share. Sourced after lib_run.sh, with the
# interim server started; the test defines how the device is reached:
#   boot        one `amtact run --json` of scenario S (sets RC, S/out, S/err)
#   fw_set K V  change the firmware under the agent (emu set, amtsim ctl set)
#   dev         print the --device argument for scenario S
# Each step's messages start with BJ (e.g. "FUSE: "), empty for the emulator.
BJ=${BJ:-}

posts() { srv 'len(Q)'; }
# rep ID EXPR: EXPR over the report the server stored with id ID (d).
rep() { srv "(lambda d: $2)(next(r['doc'] for r in R if r['id'] == '$1'))"; }

# bootjob_first_runs WHAT: a provisioned box's first boot is reported (exit 0; its id in
# FIRST_ID), the ME's UUID and the SMBIOS one the same; its second finds nothing new (13).
bootjob_first_runs() {
	boot
	expect_rc 0 "$BJ$1, first run"
	# shellcheck disable=SC2034 # for the test's checks of the first report
	FIRST_ID=$(out 'd["run_id"]')
	is "$(out 'd["identity"]["flag"]')" null "${BJ}the same UUID twice"
	boot
	expect_rc 13 "$BJ$1, nothing changed"
}

# bootjob_unprovision: the CCM box of scenario S is unprovisioned, then docked (the laptop
# was found on its wireless LAN; remote configuration needs the wired one): the next boot
# sends an OTP and starts the hellos, the agent counts a first start, the report says
# post -> in. The firmware's window is checked by bootjob_first_window.
bootjob_unprovision() {
	boot
	expect_rc 0 "${BJ}CCM, first run"
	"$AMTACT" --device "$(dev)" unprovision >"$S/unprov.out" 2>&1 ||
		{ cat "$S/unprov.out"; fail "${BJ}amtact unprovision on the CCM box"; }
	fw_set lan_wired.link_up true
	boot
	expect_rc 0 "${BJ}after unprovisioning"
	is "$(outcome set-otp)/$(outcome start-config)" done/done "${BJ}unprov: OTP and hello"
	is "$(jfile "$S/state/state.json" 'd["hello_starts"]')" 1 \
		"${BJ}unprov: the agent counts a first start"
	is "$(out '[c["fact"] + ":" + c["old"] + ">" + c["new"] for c in d["changes"] if c["fact"] == "provisioning_state"]')" \
		'["provisioning_state:post>in"]' "${BJ}unprov: changes"
}

# bootjob_first_window: the firmware's state file shows the first window (24 h) open.
bootjob_first_window() {
	is "$(($(m 'd["hello"]["until"]') - $(m 'd["hello"]["started_at"]')))" 86400 \
		"${BJ}unprov: the firmware opened its first window"
}

# bootjob_reported_once NAME BOOTS: a box without AMT or with AMT off, at BOOTS boots: the
# first is reported (exit 7) under the SMBIOS UUID (AMTACT_SMBIOS_UUID_FILE's) with no ME
# UUID, the others are quiet (exit 13), one POST in all; `status` still exits 7.
bootjob_reported_once() {
	lib_name=$BJ$1
	lib_uuid=$(tr 'A-F' 'a-f' <"$AMTACT_SMBIOS_UUID_FILE")
	n=$(posts)
	boot
	expect_rc 7 "$lib_name: first boot"
	id=$(out 'd["run_id"]')
	is "$(out 'd["identity"]["smbios_uuid"]')" "$lib_uuid" "$lib_name: SMBIOS UUID (--json)"
	is "$(rep "$id" 'd["identity"]["smbios_uuid"]')" "$lib_uuid" \
		"$lib_name: the SMBIOS UUID identifies the box"
	is "$(rep "$id" 'd["identity"]["me_uuid"]')" null "$lib_name: no ME UUID"
	lib_i=1
	while [ "$lib_i" -lt "$2" ]; do
		lib_i=$((lib_i + 1))
		boot
		expect_rc 13 "$lib_name: boot $lib_i"
		is "$(out 'd["report"]["outcome"]')" quiet "$lib_name boot $lib_i: report outcome"
	done
	is "$(posts)" $((n + 1)) "$lib_name: POSTs after $2 boots"
	"$AMTACT" --device "$(dev)" status >/dev/null 2>&1
	is "$?" 7 "$lib_name: status"
}
