#!/bin/sh
# SPDX-License-Identifier: MIT
# otp.policy "server": `amtact run` fetches the OTP the reference interim server assigned to
# this box (amtact-interim otp-assign; GET /otp/UUID over the same HTTPS and bearer token as
# the reports) on loopback, gives it to the firmware, and never shows it: not in its output,
# log, state, spool, its command line, nor in the report it sends back. A box the server does
# not know, an expired OTP and a refused token block the run (exit 17) with a clear reason,
# before anything is sent to the firmware. Through the in-process emulator, and (with root
# and /dev/fuse) through the FUSE device.
. "$(dirname "$0")/lib_run.sh"
start_otp_server "agent-token-$$"
AMTACT_DHCP_LEASES=$WORK/no-leases-here
export AMTACT_DHCP_LEASES
UUID=4c4c4544-0051-4810-8039-b4c04f4b3733 # profiles/machines/amt16-factory.json
OTP='Srv!otp"7\Kd2xW/9m'

server_profile() {
	scenario "$1" amt16-factory "{\"otp\": {\"policy\": \"server\"},
		\"server\": {\"token_file\": \"$WORK/token\"}, \"log\": {\"file\": \"$WORK/$1.log\",
		\"level\": \"debug\"}}"
}
# nowhere OTP: the OTP (as text or as a hex dump) is in none of amtact's files of the scenario.
nowhere() {
	no_secret "the OTP in amtact's output, log, state or spool" "$1" "$S/out" "$S/err" \
		"$S/state" "$S/spool" "$WORK/$(basename "$S").log"
}

# --- the box the server knows ------------------------------------------------------------
otp_assign "$UUID" "$OTP"
server_profile known
"$AMTACT" --device "sim:$S/m.json" run --profile "$S/p.json" --json >"$S/out" 2>"$S/err" \
	</dev/null &
pid=$!
# Its command line, while it runs, carries no OTP (there is none to carry).
tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$OTP" && sfail "the OTP on argv"
wait "$pid"
RC=$?
expect_rc 0 "known box"
is "$(outcome set-otp)/$(outcome start-config)" "done/done" "known box: OTP and hello"
want=$(printf '%s' "$OTP" | sha256sum | cut -d' ' -f1)
is "$(m 'd["otp"]["sha256"]')" "$want" "known box: the firmware has the server's OTP"
nowhere "$OTP"
id=$(out 'd["run_id"]')
is "$(srv "[k for k in ('otp', 'otp_cms') if k in next(r['doc'] for r in R if r['id'] == '$id')]")" \
	"[]" "known box: the report does not send the OTP back"
is "$(out 'd["ready"]')" true "known box: ready"
ok "known box: the server's OTP fetched, given to the firmware, shown nowhere, not sent back"

# A busy server (503 with Retry-After: 1) is asked again once the second it names is over,
# not after the profile's backoff (at most 50 ms here).
server_profile busy
fault '{"mode": "503", "count": 1, "retry_after": 1}'
run
expect_rc 0 "busy server"
is "$(m 'd["otp"]["sha256"]')" "$want" "busy server: the OTP fetched at the second try"
ctl GET /_requests >"$WORK/requests.json" || fail "reading the server's requests"
gap=$(jfile "$WORK/requests.json" '(lambda t: "%.2f" % (t[-1] - t[-2]))([e["t"] for e in d
	if e["kind"] == "request" and e["method"] == "GET" and e["path"].startswith("/otp/")])')
awk -v g="$gap" 'BEGIN { exit !(g >= 0.95 && g < 10) }' ||
	sfail "busy server: asked again after $gap s, not after the Retry-After of 1 s"
is "$(jfile "$WORK/requests.json" '[e["status"] for e in d if e["kind"] == "request" and e["method"] == "GET"][-2:]')" \
	"[503, 200]" "busy server: 503, then the OTP"
ok "a busy server's Retry-After is waited for before the OTP is asked again ($gap s)"

# The same with a report certificate: the server's own OTP is not sealed back to it either.
server_profile sealed
profile "$S/p.json" sealed "{\"otp\": {\"policy\": \"server\"}, \"server\": {\"token_file\":
	\"$WORK/token\", \"report_cert\": \"$PKI/report.crt\"}}"
run
expect_rc 0 "known box, sealing profile"
is "$(m 'd["otp"]["sha256"]')" "$want" "sealing profile: the firmware has the server's OTP"
id=$(out 'd["run_id"]')
is "$(srv "[k for k in ('otp', 'otp_cms') if k in next(r['doc'] for r in R if r['id'] == '$id')]")" \
	"[]" "sealing profile: the report does not send the OTP back, sealed or not"
ok "known box with a report certificate: the OTP is not sent back sealed either"

# --- a box the server does not know --------------------------------------------------------
server_profile unknown
emu set uuid 0b5e7a1c-9d42-4f83-a6e0-c1d2e3f4a5b6
run
expect_rc 17 "unknown box"
is "$(out "[p['result'] for p in d['prerequisites'] if p['id'] == 'otp_unknown']")" \
	'["blocked"]' "unknown box: prerequisite"
out "[p['message'] for p in d['prerequisites'] if p['id'] == 'otp_unknown'][0]" |
	grep -q "does not know this box: no OTP is assigned to UUID 0b5e7a1c-9d42-4f83-a6e0-c1d2e3f4a5b6" ||
	sfail "unknown box: the reason"
expect_err "does not know this box" "unknown box: stderr"
is "$(m '"otp" in d')/$(m 'd["provisioning_state"]')/$(m 'd.get("pki_dns_suffix", "")')" \
	"false/0/" "unknown box: the firmware was told nothing"
is "$(out 'd["next"]["code"]')" blocked "unknown box: next"
ok "a box the server does not know: blocked (17) before anything was sent, said why"

# --- expired, and a token the server refuses -------------------------------------------------
server_profile expired
emu set uuid 1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5
otp_assign 1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5 "Expired-otp-1234" --expires-in 1
sleep 2
run
expect_rc 17 "expired"
is "$(out "[p['id'] for p in d['prerequisites'] if p['result'] == 'blocked']")" \
	'["otp_expired"]' "expired: prerequisite"
server_profile badtoken
printf 'not-the-token\n' >"$S/token"
chmod 0600 "$S/token"
profile "$S/p.json" badtoken "{\"otp\": {\"policy\": \"server\"}, \"server\": {\"token_file\": \"$S/token\"}}"
run
# The report is refused too (same token): that exit code may say so; the OTP's reason stays.
[ "$RC" != 0 ] || sfail "refused token: exit 0"
is "$(out 'd["blocked"]')" true "refused token: blocked"
is "$(out "[p['id'] for p in d['prerequisites'] if p['result'] == 'blocked']")" \
	'["otp_refused"]' "refused token: prerequisite"
ok "an expired OTP and a refused token: blocked with the reason"

# --- a dry run asks the server nothing ------------------------------------------------------
server_profile dry
n=$(srv 'len(Q)')
run --dry-run
expect_rc 0 "dry run"
is "$(outcome set-otp)" dry_run "dry run: set-otp"
is "$(srv 'len(Q)')" "$n" "dry run: nothing sent to the server"
ok "dry run: a stand-in OTP, nothing asked of the server"

# --- through the FUSE device -------------------------------------------------------------------
if [ "$(id -u)" = 0 ] && [ -c /dev/fuse ]; then
	server_profile fuse
	mnt=$WORK/mnt
	start_amtsim "$mnt" --state "$S/m.json"
	"$AMTACT" --device "$mnt/mei0" run --profile "$S/p.json" --json >"$S/out" 2>"$S/err" \
		</dev/null
	RC=$?
	stop_amtsim "$AMTSIM_PID" "$mnt"
	expect_rc 0 "FUSE"
	is "$(m 'd["otp"]["sha256"]')" "$want" "FUSE: the firmware has the server's OTP"
	nowhere "$OTP"
	ok "through the FUSE device: the server's OTP"
else
	note "FUSE part skipped: needs root and /dev/fuse"
fi

stop_server
ok "all otp.policy server scenarios"
