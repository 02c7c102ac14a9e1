#!/bin/sh
# SPDX-License-Identifier: MIT
# `amtact run` as a boot job on a real fleet, through the in-process emulator and the
# interim server on loopback: a changed AMT FQDN or IP is reported again with old -> new;
# a changed host name, IPv4 address or MAC too (in a private UTS and network namespace,
# root only); after an unprovision the next window is the firmware's first (24 h), so a
# boot 7 h later is quiet instead of failing the OTP; boxes without AMT or with AMT off are
# reported once, then quiet (exit 13) while `status` keeps exit 7; every report carries
# the SMBIOS system UUID beside the ME's, flagged when they differ or the ME's is a
# placeholder; a factory-fresh box still making its key pair (the emulator's default
# key-generation time) is started and reported.
. "$(dirname "$0")/lib_run.sh"
. "$(dirname "$0")/lib_bootjob.sh"
make_pki
start_server
boot() { run; }
fw_set() { emu set "$@"; }
dev() { echo "sim:$S/m.json"; }

# The SMBIOS UUID the runs see (amtact reads it from this file instead of /sys).
SMBIOS=$WORK/product_uuid
AMTACT_SMBIOS_UUID_FILE=$SMBIOS
export AMTACT_SMBIOS_UUID_FILE

# --- the AMT FQDN and IP change: reported again, old -> new ----------------------------------
scenario amtnames amt12-acm
echo "03F0C2E4-8B61-4A7D-9E25-C85B76A1F2D8" >"$SMBIOS"
bootjob_first_runs provisioned
is "$(rep "$FIRST_ID" 'd["changes"]')" '[]' "first report: changes"
is "$(rep "$FIRST_ID" 'd["identity"]')" \
	'{"smbios_uuid": "03f0c2e4-8b61-4a7d-9e25-c85b76a1f2d8", "me_uuid": "03f0c2e4-8b61-4a7d-9e25-c85b76a1f2d8", "flag": null, "problem": null}' \
	"identity: the same UUID twice (SMBIOS read in upper case)"
n=$(posts)
emu set fqdn.name ws-0142.branch.example.com
run
expect_rc 0 "AMT FQDN changed"
id=$(out 'd["run_id"]')
is "$(out 'd["changes"]')" \
	'[{"fact": "amt_fqdn", "old": "ws-0142.corp.example.com", "new": "ws-0142.branch.example.com"}]' \
	"AMT FQDN: --json changes"
is "$(rep "$id" 'd["changes"]')" "$(out 'd["changes"]')" "AMT FQDN: the report's changes"
is "$(posts)" $((n + 1)) "AMT FQDN: POSTs"
emu set lan_wired.ipv4 10.1.9.14
"$AMTACT" --device "sim:$S/m.json" run --profile "$S/p.json" >"$S/out.txt" 2>"$S/err" </dev/null
# shellcheck disable=SC2034 # expect_rc (lib_run.sh) reads it
RC=$?
expect_rc 0 "AMT IP changed (text)"
grep -q "^Changed since report $id:" "$S/out.txt" || sfail "AMT IP: no Changed line naming the last report"
grep -Eq "^  amt_ip +10\.1\.4\.142 -> 10\.1\.9\.14$" "$S/out.txt" || sfail "AMT IP: no old -> new line"
grep -q "SMBIOS system UUID 03f0c2e4-8b61-4a7d-9e25-c85b76a1f2d8" "$S/out.txt" ||
	sfail "AMT IP: no SMBIOS UUID in the text"
run
expect_rc 13 "after the AMT IP change"
is "$(jfile "$S/state/state.json" 'd["reported_facts"]["amt_ip"]')" 10.1.9.14 \
	"state: the reported AMT IP"
ok "AMT FQDN and IP changes: reported again with old -> new (report, --json, text), then quiet"

# --- the SMBIOS UUID beside the ME's ----------------------------------------------------------
echo "4c4c4544-0051-4810-8039-b4c04f4b3733" >"$SMBIOS"
run
expect_rc 0 "SMBIOS UUID changed"
id=$(out 'd["run_id"]')
is "$(rep "$id" 'd["identity"]["flag"]')" uuids_differ "differing UUIDs: flag"
rep "$id" 'd["identity"]["problem"]' | grep -q "differs from the SMBIOS system UUID" ||
	sfail "differing UUIDs: no problem in words"
is "$(out '[c["fact"] for c in d["changes"]]')" '["smbios_uuid"]' "SMBIOS UUID: changes"
emu set uuid 03000200-0400-0500-0006-000700080009
run
expect_rc 0 "ME UUID a placeholder"
is "$(out 'd["identity"]["flag"]')" me_uuid_placeholder "placeholder: flag (--json)"
is "$(rep "$(out 'd["run_id"]')" 'd["identity"]["flag"]')" me_uuid_placeholder \
	"placeholder: flag (report)"
ok "SMBIOS system UUID in every report; differing and placeholder ME UUIDs flagged"

# --- unprovisioned: the firmware's first window again (24 h) ---------------------------------
scenario unprov amt11-ccm
bootjob_unprovision
bootjob_first_window
# 7 h later (both clocks move): still inside the 24 h window; the agent knows it.
emu advance 25200
agent_back 25200
run
expect_rc 13 "7 h after the start that followed the unprovision"
is "$(outcome set-otp)/$(outcome start-config)" skipped/skipped "unprov 7 h: actions"
if grep -q INVALID_AMT_MODE "$S/out" "$S/err"; then sfail "unprov 7 h: INVALID_AMT_MODE"; fi
ok "unprovisioned: memory of earlier starts reset, 24 h window predicted, quiet 7 h later"

# --- mixed fleet: no AMT, AMT disabled ---------------------------------------------------------
for box in noamt:noamt disabled:amt16-disabled; do
	name=${box%%:*}
	scenario "mixed-$name" "${box#*:}" '{"enable_amt": false}'
	bootjob_reported_once "$name" 3
	ok "$name: reported once (exit 7), then quiet (exit 13); status still exits 7"
done

# --- a factory-fresh box makes its key pair: the firmware's default, not a test knob -------
scenario keygen amt16-factory
now=$(date +%s)
run
expect_rc 0 "key generation: first boot"
is "$(outcome start-config)" "done" "key generation: hellos started all the same"
is "$(out '[a["status_name"] + "/" + str(a["key_pending"]) for a in d["actions"] if a["operation"] == "start-config"]')" \
	'["CERTIFICATE_NOT_READY/True"]' "key generation: start-config while the key is made"
ready=$(m 'd["cert_ready_at"]')
[ "$ready" -gt "$now" ] && [ "$ready" -le $((now + 90 + 5)) ] ||
	sfail "key generation: ready at $ready, expected within 90 s of $now (AMT 16's default)"
is "$(m 'd["hello"]["starts"]')" 1 "key generation: hello window opened"
ok "factory fresh with the default key time: CERTIFICATE_NOT_READY counts as started, reported"

stop_server

# --- host name, IPv4 and MAC in a private UTS and network namespace ---------------------------
[ "$(id -u)" = 0 ] || skip "host name and address changes need root (unshare -un)"
unshare -un true 2>/dev/null || skip "unshare -un is not available here"
command -v ip >/dev/null 2>&1 || skip "the ip command is not installed"
scenario osnames amt12-acm "{\"server\": null, \"report_file\": \"$WORK/osnames/report.json\"}"
cat >"$S/inner.sh" <<'EOF'
# Runs inside unshare -un: step N leaves S/out.N (--json), S/rc.N and S/report.N.
S=$1
step() {
	"$AMTACT" --device "sim:$S/m.json" run --profile "$S/p.json" --json >"$S/out.$1" \
		2>"$S/err.$1" </dev/null
	echo $? >"$S/rc.$1"
	cp "$S/report.json" "$S/report.$1" 2>/dev/null
}
# bj1, the other end of the pair, has no IPv4 address: its MAC is not among the facts.
ip link add bj0 type veth peer name bj1 && ip link set bj0 address 02:00:5e:00:53:01 &&
	ip addr add 192.0.2.10/24 dev bj0 && ip link set bj0 up || exit 1
hostname pc-one
step 1
step 2
hostname pc-two
step 3
ip addr del 192.0.2.10/24 dev bj0 && ip addr add 192.0.2.20/24 dev bj0 || exit 1
step 4
ip link set bj0 down && ip link set bj0 address 02:00:5e:00:53:02 && ip link set bj0 up ||
	exit 1
step 5
step 6
EOF
unshare -un sh "$S/inner.sh" "$S" || sfail "setting up the private namespace"
changes() { jfile "$S/out.$1" '[c["fact"] + ":" + c["old"] + ">" + c["new"] for c in d["changes"] if c["fact"] in ("hostname", "ipv4", "mac")]'; }
is "$(cat "$S/rc.1")/$(cat "$S/rc.2")" 0/13 "namespace: first run, then quiet"
is "$(cat "$S/rc.3")" 0 "namespace: host name changed"
is "$(changes 3)" '["hostname:pc-one>pc-two"]' "namespace: host name old -> new"
is "$(jfile "$S/report.3" '[c for c in d["changes"] if c["fact"] == "hostname"][0]["new"]')" \
	pc-two "namespace: the report says the new host name"
is "$(cat "$S/rc.4")" 0 "namespace: IPv4 changed"
is "$(changes 4)" '["ipv4:192.0.2.10>192.0.2.20"]' "namespace: IPv4 old -> new"
is "$(cat "$S/rc.5")" 0 "namespace: MAC changed"
is "$(changes 5)" '["mac:02:00:5e:00:53:01>02:00:5e:00:53:02"]' "namespace: MAC old -> new"
is "$(cat "$S/rc.6")" 13 "namespace: quiet once reported"
ok "host name, IPv4 and MAC changes (private UTS and network namespace): reported with old -> new"
ok "all boot-job scenarios"
