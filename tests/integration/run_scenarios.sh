#!/bin/sh
# SPDX-License-Identifier: MIT
# `amtact run` scenario matrix through the in-process emulator, reporting to the
# reference interim server on loopback: factory fresh, provisioned (then quiet), in
# provisioning, PSK, zero touch on ME 12+, AMT disabled, unprovisioned since the last run,
# and --dry-run. Each assertion is checked on three sides: amtact's exit code and JSON,
# the emulator's state file, and what the server stored.
. "$(dirname "$0")/lib_run.sh"
make_pki
start_server

# The server stored report ID exactly once (with the POST count of that id).
stored_once() {
	is "$(srv "sum(1 for r in R if r['id'] == '$1')")" 1 "$2: reports stored with id $1"
	is "$(srv "sum(1 for q in Q if q['report_id'] == '$1')")" 1 "$2: POSTs of $1"
}
posts() { srv 'len(Q)'; }
# The OTP the server got (plaintext "otp" of the report, or the decrypted sealed one) must
# hash to what the emulator stored: the firmware keeps only the OTP's SHA-256.
otp_matches() {
	fw=$(m 'd["otp"]["sha256"]')
	got=$(srv "__import__('hashlib').sha256(next(r['$2'] if '$2' == 'otp' else r['doc']['otp'] for r in R if r['id'] == '$1').encode()).hexdigest()")
	is "$got" "$fw" "$3: sha256 of the OTP the server got"
	is "$(m 'd["otp"]["length"]')" 16 "$3: OTP length in the firmware"
}

# --- factory fresh, hello window never opened (PRE) ---------------------------------------
scenario factory amt16-factory
run
expect_rc 0 "factory fresh"
is "$(outcome set-suffix)/$(outcome set-otp)/$(outcome start-config)" "done/done/done" \
	"factory: suffix, OTP, hello"
id=$(out 'd["run_id"]')
is "$(out 'd["report"]["outcome"]')" delivered "factory: report outcome"
stored_once "$id" "factory"
is "$(srv "next(r['doc']['me']['provisioning']['state'] for r in R if r['id'] == '$id')")" in \
	"factory: the report describes the state after the actions"
is "$(srv "next(r['doc']['system']['name'] for r in R if r['id'] == '$id')")" pc-factory \
	"factory: system name in the report"
is "$(m 'd["provisioning_state"]')/$(m 'd["pki_dns_suffix"]')/$(m 'd["hello"]["starts"]')" \
	"1/corp.example.com/1" "factory: firmware state after the run"
otp_matches "$id" doc "factory (plaintext)"
# The OTP reached the server, and nowhere else: not amtact's output, logs, state or spool.
otp=$(srv "next(r['doc']['otp'] for r in R if r['id'] == '$id')")
if grep -rqF -- "$otp" "$S/out" "$S/err" "$S/state" "$S/spool" "$S/p.json"; then
	sfail "factory: the OTP appears in output, state or spool"
fi
ok "factory fresh (never opened): suffix, OTP and hello done, report stored once, OTP matches"

# Next boot, within the window this agent opened: nothing sent anywhere, said why.
n=$(posts)
run
expect_rc 13 "factory, second run in the window"
is "$(posts)" "$n" "factory second run: POSTs"
is "$(outcome set-otp)/$(outcome start-config)" "skipped/skipped" "factory: second run"
out '[a["reason"] for a in d["actions"] if a["operation"] == "set-otp"][0]' | grep -q "hello window" ||
	sfail "factory: the skipped OTP does not say why"
is "$(m 'd["hello"]["starts"]')" 1 "factory second run: hellos not restarted"
ok "in provisioning, window opened by this agent: no OTP, no hello, said why, exit 13, nothing sent"

# --- factory fresh, hello window expired (IN, window over), OTP sealed to the report key ----
scenario expired amt16-factory "{\"server\": {\"report_cert\": \"$PKI/report.crt\"}}"
now=$(date +%s)
emu set provisioning_state 1
emu set hello "{\"started_at\": $((now - 30 * 3600)), \"until\": $((now - 6 * 3600)), \"starts\": 1}"
run
expect_rc 0 "window expired"
is "$(outcome set-suffix)/$(outcome set-otp)/$(outcome start-config)" "done/done/done" \
	"expired: suffix, OTP, hello"
id=$(out 'd["run_id"]')
stored_once "$id" "expired"
is "$(srv "'otp' in next(r['doc'] for r in R if r['id'] == '$id')")" false \
	"expired: a plaintext OTP in a sealed report"
is "$(srv "next(r['doc']['otp_cms'] for r in R if r['id'] == '$id')[:19]")" \
	"-----BEGIN CMS-----" "expired: otp_cms is a PEM CMS"
is "$(srv "next(r['otp_error'] for r in R if r['id'] == '$id')")" null "expired: decrypting"
otp_matches "$id" otp "expired (sealed)"
is "$(m 'd["hello"]["starts"]')" 2 "expired: hellos restarted"
ok "window expired: OTP sealed (otp_cms), decrypted by the server, equals the firmware's"

# This start was not the box's first (its first window had elapsed), so the firmware
# opened 6 h, not 24 h (doc/remote-config.md 2.5). 7 h later (both clocks move) the agent must know
# the window is over and act again, not stay quiet while the box sends no hellos.
is "$(($(m 'd["hello"]["until"]') - $(m 'd["hello"]["started_at"]')))" 21600 \
	"expired: the firmware's window after a later start"
emu advance 25200
agent_back 25200
sha1=$(m 'd["otp"]["sha256"]')
run
expect_rc 0 "window elapsed"
is "$(outcome set-otp)/$(outcome start-config)" "done/done" "elapsed: OTP and hello again"
[ "$(m 'd["otp"]["sha256"]')" != "$sha1" ] || sfail "elapsed: the OTP was not renewed"
otp_matches "$(out 'd["run_id"]')" otp "elapsed"
ok "7 h after a later (6 h) start: new OTP, hellos restarted, reported"

# --- provisioned: one report, then quiet ---------------------------------------------------
scenario acm amt12-acm
cp "$S/m.json" "$S/m.orig"
n=$(posts)
run
expect_rc 0 "provisioned, first run"
is "$(out 'len(d["actions"])')" 0 "provisioned: actions"
stored_once "$(out 'd["run_id"]')" "provisioned"
is "$(srv "next(r['doc']['me']['provisioning']['control_mode'] for r in R if r['id'] == '$(out 'd["run_id"]')')")" \
	acm "provisioned: control mode reported"
for i in 2 3; do
	run
	expect_rc 13 "provisioned, run $i"
	is "$(out 'd["report"]["outcome"]')" quiet "provisioned run $i: report outcome"
done
is "$(posts)" $((n + 1)) "provisioned: POSTs after three runs"
cmp -s "$S/m.json" "$S/m.orig" || sfail "provisioned: the firmware state changed"
ok "provisioned: one report, then quiet (exit 13, nothing sent)"

# --- in provisioning, window open, but this agent has no memory of opening it -------------
# The hellos run (the firmware, another tool or an earlier boot opened the window): a healthy
# box. The firmware refuses the OTP and the restart while its window is open; that is
# reported once, as what it means, and later boots are quiet.
scenario inprov amt19-inprov
n=$(posts)
run
expect_rc 0 "in provisioning, window open, no memory"
is "$(outcome set-suffix)/$(outcome set-otp)/$(outcome start-config)" \
	"no_change/refused/refused" "inprov: actions"
is "$(out '[a["status_name"] for a in d["actions"] if a["operation"] == "set-otp"][0]')" \
	INVALID_AMT_MODE "inprov: firmware status"
out '[a["reason"] for a in d["actions"] if a["operation"] == "set-otp"][0]' |
	grep -q "the hellos are running" || sfail "inprov: the refused OTP does not say why"
is "$(out 'len(d["errors"])')" 0 "inprov: errors"
if grep -q "refused by the firmware" "$S/err"; then sfail "inprov: the refusal is an error"; fi
id=$(out 'd["run_id"]')
stored_once "$id" "inprov"
is "$(srv "next(r['doc']['errors'] for r in R if r['id'] == '$id')")" '[]' \
	"inprov: errors in the report"
is "$(srv "'otp' in next(r['doc'] for r in R if r['id'] == '$id')")" false "inprov: OTP in report"
is "$(m '"otp" in d')/$(m 'd["hello"]["starts"]')" "false/1" "inprov: firmware unchanged"
is "$(out 'd["next"]["code"]')/$(out 'd["ready"]')" "otp_not_set/false" \
	"inprov: no promise while the profile's OTP is not in place"
run
expect_rc 13 "in provisioning, window open, second boot"
is "$(out 'd["report"]["outcome"]')" quiet "inprov second boot: report outcome"
is "$(out 'len(d["errors"])')" 0 "inprov second boot: errors"
is "$(posts)" $((n + 1)) "inprov: POSTs after two boots"
is "$(m 'd["hello"]["starts"]')" 1 "inprov second boot: firmware unchanged"
ok "in provisioning, hellos running, no memory: reported once as healthy (exit 0), then quiet (exit 13)"

# --- AMT 2.6 PSK: the PID in the report ----------------------------------------------------
scenario psk amt2.6-psk '{"method": "psk", "otp": {"policy": "none"}, "pki_dns_suffix": null}'
run
expect_rc 0 "PSK"
is "$(outcome start-config)" "done" "psk: hello"
id=$(out 'd["run_id"]')
stored_once "$id" "psk"
is "$(srv "next(r['doc']['me']['remote_configuration']['pid'] for r in R if r['id'] == '$id')")" \
	K7QX4MZ2 "psk: PID reported"
is "$(srv "next(r['doc']['profile'] for r in R if r['id'] == '$id')")" psk "psk: profile name"
ok "AMT 2.6 PSK: PID reported"

# --- ME 12+ asked to enable zero touch ------------------------------------------------------
scenario zt amt16-factory '{"zero_touch": "enable"}'
emu set zero_touch_enabled false
run
expect_rc 9 "zero touch enable on 16.1"
is "$(outcome zero-touch-enable)" predicted_refusal "zt: outcome"
is "$(outcome set-suffix)$(outcome set-otp)$(outcome start-config)" "" "zt: stopped after it"
expect_err "zero-touch-enable: not sent:" "zt: message"
out '[e["message"] for e in d["errors"]][0]' | grep -q "ME 12" || sfail "zt: the rule is not named"
is "$(m 'd["zero_touch_enabled"]')/$(m 'd["provisioning_state"]')/$(m '"otp" in d')" \
	"false/0/false" "zt: firmware unchanged"
stored_once "$(out 'd["run_id"]')" "zt"
ok "ME 12+ zero touch enable: refused before sending, with the rule; the run stops (exit 9)"

# ignore_intermediate_errors: the refusal is reported, the rest is done, exit still 9.
scenario zt2 amt16-factory '{"zero_touch": "enable", "ignore_intermediate_errors": true}'
emu set zero_touch_enabled false
run
expect_rc 9 "zero touch enable, ignore_intermediate_errors"
is "$(outcome zero-touch-enable)/$(outcome set-suffix)/$(outcome set-otp)/$(outcome start-config)" \
	"predicted_refusal/done/done/done" "zt2: actions"
otp_matches "$(out 'd["run_id"]')" doc "zt2"
ok "ignore_intermediate_errors: refusal reported, suffix/OTP/hello done, exit 9"

# --- AMT disabled ---------------------------------------------------------------------------
scenario disabled amt16-disabled '{"enable_amt": true}'
run
expect_rc 0 "AMT disabled, enable_amt true"
is "$(outcome enable-amt)/$(outcome set-suffix)/$(outcome set-otp)/$(outcome start-config)" \
	"done/done/done/done" "disabled: actions"
is "$(m 'd["amt_enabled"]')/$(m 'd["provisioning_state"]')" "true/1" "disabled: firmware after"
id=$(out 'd["run_id"]')
stored_once "$id" "disabled"
is "$(srv "next(r['doc']['me']['amt']['enabled'] for r in R if r['id'] == '$id')")" true \
	"disabled: report says AMT enabled"
is "$(srv "next(r['doc']['me_error'] for r in R if r['id'] == '$id')")" null \
	"disabled: me_error of a box enabled by this run"
is "$(out 'd["now"]["provisioning_state"]')" in "disabled: JSON summary after the run"
otp_matches "$id" doc "disabled"
ok "AMT disabled, enable_amt true: enabled, then suffix, OTP, hello; reported"

scenario disabled2 amt16-disabled '{"enable_amt": false}'
cp "$S/m.json" "$S/m.orig"
run
expect_rc 7 "AMT disabled, enable_amt false"
id=$(out 'd["run_id"]')
stored_once "$id" "disabled2"
is "$(srv "next(r['doc']['me_error'] for r in R if r['id'] == '$id')")" "AMT is disabled" \
	"disabled2: me_error"
is "$(srv "next(r['doc']['me']['amt']['enabled'] for r in R if r['id'] == '$id')")" false \
	"disabled2: report"
cmp -s "$S/m.json" "$S/m.orig" || sfail "disabled2: the firmware state changed"
ok "AMT disabled, enable_amt false: exit 7, reported as disabled, nothing written"

# --- unprovisioned since the last run --------------------------------------------------------
scenario ccm amt11-ccm
run
expect_rc 0 "CCM, first run"
id=$(out 'd["run_id"]')
is "$(srv "next(r['doc']['unprovisioned_since_last_run'] for r in R if r['id'] == '$id')")" \
	false "ccm first: unprovisioned_since_last_run"
"$AMTACT" --device "sim:$S/m.json" unprovision >"$S/unprov.out" 2>&1 ||
	{ cat "$S/unprov.out"; fail "amtact unprovision on the CCM box"; }
is "$(m 'd["provisioning_state"]')" 0 "ccm: unprovisioned"
# The laptop was found on its wireless LAN; docked now, as remote configuration needs.
emu set lan_wired.link_up true
run
expect_rc 0 "CCM, after unprovisioning"
id=$(out 'd["run_id"]')
is "$(srv "next(r['doc']['unprovisioned_since_last_run'] for r in R if r['id'] == '$id')")" \
	true "ccm second: unprovisioned_since_last_run"
is "$(outcome set-suffix)/$(outcome set-otp)/$(outcome start-config)" "done/done/done" \
	"ccm second: acts again"
expect_err "provisioned at the last run and is not now" "ccm second: warning"
otp_matches "$id" doc "ccm second"
run
expect_rc 13 "CCM, third run"
ok "unprovisioned since the last run: noticed in the report, acted again, then quiet"

# --- --dry-run: nothing to the firmware, nothing to the server -----------------------------
scenario dry amt16-factory
cp "$S/m.json" "$S/m.orig"
n=$(posts)
run --dry-run
expect_rc 0 "dry run"
is "$(outcome set-suffix)/$(outcome set-otp)/$(outcome start-config)" \
	"dry_run/dry_run/dry_run" "dry: actions"
is "$(out 'd["report"]["outcome"]')" dry_run "dry: report outcome"
cmp -s "$S/m.json" "$S/m.orig" || sfail "dry: the firmware state changed"
is "$(posts)" "$n" "dry: POSTs"
[ ! -e "$S/state/state.json" ] || sfail "dry: the run state was saved"
[ -z "$(ls -A "$S/spool" 2>/dev/null)" ] || sfail "dry: something was spooled"
# A real run afterwards still sees a first run.
run
expect_rc 0 "real run after a dry run"
ok "--dry-run: nothing written to firmware, nothing sent, no memory kept"

# --- report only; no AMT at all; a corrupt memory ------------------------------------------
scenario ro amt16-factory '{"method": "report_only", "otp": null, "pki_dns_suffix": null, "hello": null}'
cp "$S/m.json" "$S/m.orig"
run
expect_rc 0 "report only"
is "$(out 'len(d["actions"])')" 0 "report only: actions"
stored_once "$(out 'd["run_id"]')" "report only"
run
expect_rc 13 "report only, second run"
cmp -s "$S/m.json" "$S/m.orig" || sfail "report only: the firmware state changed"
ok "report only: reported once, nothing written, then quiet"

scenario noamt noamt
run
expect_rc 7 "no AMT"
id=$(out 'd["run_id"]')
stored_once "$id" "no AMT"
is "$(srv "next(r['doc']['me_error'] for r in R if r['id'] == '$id')")" \
	"this ME has no AMT host interface" "no AMT: me_error"
ok "no AMT: exit 7, reported with the reason"

scenario amnesia amt16-factory
run
expect_rc 0 "before losing the memory"
printf 'garbage' >"$S/state/state.json"
run
expect_rc 0 "a corrupt state file on a box in its window"
expect_err "state.json: not a JSON object (corrupt or truncated): starting with no memory" \
	"amnesia: warning"
is "$(outcome set-otp)" refused "amnesia: the OTP is tried (no memory) and refused"
is "$(out 'len(d["errors"])')" 0 "amnesia: the refusal (hellos running) is no error"
jfile "$S/state/state.json" 'd["reported_id"]' >/dev/null || sfail "amnesia: state not rewritten"
ok "corrupt memory: warned, started fresh, the firmware's refusal reported as hellos running"

stop_server
ok "all run scenarios"
