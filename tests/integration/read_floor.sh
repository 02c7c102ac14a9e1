#!/bin/sh
# SPDX-License-Identifier: MIT
# What each command asks the firmware, counted by amtact itself at -vv ("firmware: N round
# trips, M connects"), on the in-process emulator: the floor of each (make bench measures
# the time). status: 2. info: 38 in text (no remote access status, which it never shows),
# 39 with --json, no command asked twice, no GET_PID on AMT 11+ (PSK left in 11.0), but on
# a PSK-era machine. A factory-fresh run: the state once (39), 3 writes, and after each only
# what it can change (suffix: 1, OTP: nothing, hello: the provisioning state and the TLS
# mode, 2) = 45. A quiet boot: the facts that decide "something new" = 8, and on a box not
# yet provisioned the TLS mode the prerequisites check (the wireless LAN only when the
# wired link is down) = 9.
. "$(dirname "$0")/lib_run.sh"

# count ARGS...: one amtact command (ARGS after the device) at -vv; sets RC.
count() {
	"$AMTACT" -vv --device "sim:$S/m.json" "$@" >/dev/null 2>"$S/err" </dev/null
	# shellcheck disable=SC2034 # read by expect_rc (lib_run.sh)
	RC=$?
}
# counted: its round trips and connects.
counted() {
	sed -n 's/.*debug: firmware: \([0-9]*\) round trips, \([0-9]*\) connects.*/\1 \2/p' "$S/err"
}
# asked: the requests of the last count, one per line.
asked() { sed -n 's/.*debug: \([A-Z_]*\): [0-9]* bytes$/\1/p' "$S/err"; }

scenario floor amt16-factory
count status
is "$(counted)" "2 1" "status: round trips and connects"
count info
is "$(counted)" "38 3" "info: round trips and connects"
asked | grep -qx GET_REMOTE_ACCESS_CONNECTION_STATUS && sfail "text info asked the remote access status"
count info --json
is "$(counted)" "39 3" "info --json: round trips and connects"
asked | grep -qx GET_REMOTE_ACCESS_CONNECTION_STATUS || sfail "info --json did not ask the remote access status"
dup=$(asked | grep -vx 'GET_CERTHASH_ENTRY\|GET_LAN_INTERFACE_SETTINGS\|MKHI\|WD' | sort | uniq -d)
[ -z "$dup" ] || sfail "info asked twice: $dup"
[ "$(asked | grep -cx GET_LAN_INTERFACE_SETTINGS)" = 2 ] || sfail "info: LAN settings not asked once per interface"
asked | grep -qx GET_PID && sfail "info asked GET_PID of AMT 16"
"$AMTACT" --device "sim:$S/m.json" info | grep -q "^  PID (PSK) *not supported by this firmware$" ||
	sfail "info text: the PID line"
ok "status 2, info 38 (text) / 39 (--json), nothing asked twice, no GET_PID on 16.1"

scenario psk amt10-psk
count info
asked | grep -qx GET_PID || sfail "info did not ask GET_PID of AMT 10 (PSK era)"
ok "GET_PID still asked where PSK exists (AMT 10)"

scenario factory amt16-factory
count run --profile "$S/p.json"
is "$(counted)" "45 3" "factory run: round trips and connects"
expect_rc 0 "factory run"
is "$(asked | grep -c '^SET_\|^START_')" 3 "factory run: writes"
count run --profile "$S/p.json"
is "$(counted)" "9 1" "quiet run in provisioning: round trips and connects"
expect_rc 13 "quiet run in provisioning"
is "$(asked | sort | tr '\n' ' ')" "GET_CODE_VERSIONS GET_CONTROL_MODE GET_FQDN GET_LAN_INTERFACE_SETTINGS GET_PKI_FQDN_SUFFIX GET_PROVISIONING_STATE GET_PROVISIONING_TLS_MODE GET_UUID GET_ZERO_TOUCH_ENABLED " "quiet run in provisioning: what it asked"
ok "factory run 45 (the state once, 3 writes, 3 read-backs), quiet boot in provisioning 9"

scenario acm amt12-acm
count run --profile "$S/p.json"
expect_rc 0 "provisioned box, first run"
count run --profile "$S/p.json"
expect_rc 13 "provisioned box, quiet run"
is "$(counted)" "8 1" "quiet run, provisioned: round trips and connects"
ok "quiet boot of a provisioned box: 8 (the facts)"
