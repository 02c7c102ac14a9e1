#!/bin/sh
# SPDX-License-Identifier: MIT
# `amtact run` before it acts: the prerequisites (zero touch off, PSK on AMT 11+, PKI on a
# PSK-only box, wireless only, no DHCP, no suffix at all) block with exit 17 and nothing is
# sent to the firmware; the names side by side flag what will not match; and the Next: line,
# "next"/"ready" in JSON and the exit code say "the provisioning server can now configure
# it" only when the hellos run and the server has the report with the OTP. Through the
# in-process emulator, and (with root and /dev/fuse) through the FUSE device; reports go to
# the reference interim server on loopback.
. "$(dirname "$0")/lib_run.sh"
make_pki
start_server
# Lease files are evidence the agent reads: none unless a scenario names its own.
AMTACT_DHCP_LEASES=$WORK/no-leases-here
export AMTACT_DHCP_LEASES

posts() { srv 'len(Q)'; }
# blocked_by ID WHAT: the run blocked on ID and told the firmware nothing.
blocked_by() {
	expect_rc 17 "$2"
	is "$(out 'd["blocked"]')/$(out 'd["ready"]')/$(out 'd["next"]["code"]')" \
		"true/false/blocked" "$2: blocked, not ready"
	is "$(out "[p['result'] for p in d['prerequisites'] if p['id'] == '$1']")" '["blocked"]' \
		"$2: prerequisite $1"
	is "$(out "sorted(set(a['outcome'] for a in d['actions']))")" '["skipped"]' \
		"$2: every action left out"
	is "$(m 'd["provisioning_state"]')/$(m '"otp" in d')/$(m 'd.get("pki_dns_suffix", "")')" \
		"$3" "$2: firmware unchanged"
}

# --- zero touch disabled: no hello will ever go out --------------------------------------
scenario ztoff amt16-factory
emu set zero_touch_enabled false
run
blocked_by zero_touch_disabled "zero touch off" "0/false/"
id=$(out 'd["run_id"]')
is "$(srv "next(r['doc']['blocked'] for r in R if r['id'] == '$id')")" true \
	"zero touch off: the report says blocked"
is "$(srv "[p['id'] for p in next(r['doc']['prerequisites'] for r in R if r['id'] == '$id') if p['result'] == 'blocked']")" \
	'["zero_touch_disabled"]' "zero touch off: the report names the prerequisite"
out 'd["next"]["message"]' | grep -q "no hello will ever go out" ||
	sfail "zero touch off: Next does not say why"
# The same box in text: Blocked, and no promise.
"$AMTACT" --device "sim:$S/m.json" run --profile "$S/p.json" >"$S/text" 2>"$S/err" </dev/null
RC=$?
expect_rc 17 "zero touch off, text"
grep -q "^Blocked: zero_touch_disabled: " "$S/text" || sfail "zero touch off: no Blocked: line"
grep -q "^Next: nothing can provision this box until this is fixed" "$S/text" ||
	sfail "zero touch off: Next line"
! grep -q "can now configure" "$S/text" || sfail "zero touch off: a false Next"
n=$(posts)
run
expect_rc 17 "zero touch off, next boot"
is "$(out 'd["report"]["outcome"]')/$(posts)" "quiet/$n" "zero touch off, next boot: quiet"
ok "zero touch disabled: blocked (17), nothing sent, reported once, no false Next"

# --- the method the firmware does not know -------------------------------------------------
scenario psk11 amt16-factory '{"method": "psk", "otp": {"policy": "none"}, "pki_dns_suffix": null}'
run
blocked_by psk_not_supported "PSK on AMT 16" "0/false/"
out "[p['message'] for p in d['prerequisites'] if p['id'] == 'psk_not_supported'][0]" |
	grep -q "removed in AMT 11" || sfail "PSK on AMT 16: the rule is not said"
scenario pki20 amt2.0-psk
run
blocked_by pki_not_supported "PKI on AMT 2.0" "0/false/"
scenario psk20 amt2.0-psk '{"method": "psk", "otp": {"policy": "none"}, "pki_dns_suffix": null}'
run
is "$(out "[p['id'] for p in d['prerequisites'] if p['check'] == 'provisioning_method']")" \
	'["provisioning_method"]' "PSK on AMT 2.0: allowed"
ok "PSK asked of AMT 11+ and PKI of a PSK-only AMT 2.0: blocked with the rule; PSK on 2.0 passes"

# --- the wired LAN ---------------------------------------------------------------------------
scenario wifi amt16-factory
emu set lan_wired.link_up false
emu set lan_wireless.link_up true
run
blocked_by wireless_only "wireless only" "0/false/"
scenario cable amt16-factory
emu set lan_wired.link_up false
run
blocked_by wired_link_down "no cable" "0/false/"
scenario static amt16-factory
emu set lan_wired.dhcp_enabled false
run
blocked_by wired_no_dhcp "static address" "0/false/"
ok "wireless only, wired link down, static address on the wired LAN: blocked"

# --- names side by side ----------------------------------------------------------------------
scenario names amt16-factory
emu set fqdn.name lt-0042.branch.example.net
printf 'lease {\n  option domain-name "branch.example.net";\n}\n' >"$S/dhclient.leases"
AMTACT_DHCP_LEASES=$S/dhclient.leases run
expect_rc 0 "names"
is "$(out 'd["names"]["used"]')/$(out 'd["names"]["used_from"]')" \
	"corp.example.com/pki_dns_suffix" "names: the suffix the firmware uses"
is "$(out 'd["names"]["dhcp_option_15"]')/$(out 'd["names"]["amt_fqdn"]')" \
	"branch.example.net/lt-0042.branch.example.net" "names: option 15 and AMT FQDN"
is "$(out "sorted(p['id'] for p in d['prerequisites'] if p['result'] == 'warn')")" \
	'["amt_fqdn_mismatch", "dhcp_suffix_mismatch", "dns_suffix_mismatch"]' "names: flagged"
id=$(out 'd["run_id"]')
is "$(srv "next(r['doc']['names']['used'] for r in R if r['id'] == '$id')")" \
	corp.example.com "names: in the report"
"$AMTACT" --device "sim:$S/m.json" run --profile "$S/p.json" --dry-run >"$S/text" 2>"$S/err" \
	</dev/null
grep -q '^Names: the firmware uses "corp.example.com" (the PKI DNS suffix the profile sets): it looks up ProvisionServer.corp.example.com$' \
	"$S/text" || sfail "names: text"
grep -q '^Check: amt_fqdn_mismatch: the AMT FQDN "lt-0042.branch.example.net" is not under "corp.example.com"' \
	"$S/text" || sfail "names: the AMT FQDN is not flagged in text"
scenario nosuffix amt16-factory '{"pki_dns_suffix": null}'
printf 'lease {\n  option routers 10.0.0.1;\n}\n' >"$S/dhclient.leases"
AMTACT_DHCP_LEASES=$S/dhclient.leases run
blocked_by dns_suffix_missing "no suffix at all" "0/false/"
AMTACT_DHCP_LEASES=$S/dhclient.leases "$AMTACT" --device "sim:$S/m.json" run \
	--profile "$S/p.json" >"$S/text" 2>"$S/err" </dev/null
grep -q '^Names: the firmware has no DNS suffix: it looks up a bare ProvisionServer$' \
	"$S/text" || sfail "no suffix at all: the Names line"
ok "names side by side: the firmware's suffix, mismatches flagged in output and report; none at all blocks"

# --- no false success: ready only when the server has the report with the OTP -------------
scenario ready amt16-factory
run
expect_rc 0 "ready"
is "$(out 'd["ready"]')/$(out 'd["next"]["code"]')" "true/ready" "ready: next"
scenario waiting amt16-factory
stop_server
run
expect_rc 12 "server down"
queued=$(out 'd["run_id"]')
is "$(out 'd["ready"]')/$(out 'd["next"]["code"]')" "false/report_waiting" "server down: next"
out 'd["next"]["message"]' | grep -q "the server does not have the OTP yet" ||
	sfail "server down: Next does not say the server lacks the OTP"
cp "$S/m.json" "$S/m.down"
"$AMTACT" --device "sim:$S/m.down" run --profile "$S/p.json" >"$S/text" 2>"$S/err" </dev/null
! grep -q "can now configure" "$S/text" || sfail "server down: a false Next in text"
start_server
profile "$S/p.json" waiting '{}'
run
expect_rc 0 "server back, next boot (the waiting report delivered)"
is "$(out 'd["ready"]')/$(out 'd["next"]["code"]')" "true/ready" "server back: the spool flushed"
is "$(srv "sum(1 for r in R if r['id'] == '$queued')")" 1 "server back: the waiting report stored"
ok "Next and ready: ready only once the report with the OTP reached the server"

# --- ProvisionServer looked up when the profile asks, in a private mount namespace ----------
if command -v unshare >/dev/null 2>&1 && unshare -m true 2>/dev/null; then
	printf '127.0.0.1 localhost\n10.9.8.7 ProvisionServer.corp.example.com\n' >"$WORK/hosts"
	# Nothing listens on 127.0.0.1:53 here: a DNS query fails at once, never leaves the box.
	printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$WORK/resolv.conf"
	# nsrun: the scenario's run with our /etc/hosts and /etc/resolv.conf (the host's untouched).
	nsrun() {
		unshare -m sh -c 'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf &&
			shift 2 && exec "$@"' sh "$WORK/hosts" "$WORK/resolv.conf" "$AMTACT" \
			--device "sim:$S/m.json" run --profile "$S/p.json" --json >"$S/out" 2>"$S/err" \
			</dev/null
		RC=$?
	}
	ps_result() { out "[p['id'] + ':' + p['result'] for p in d['prerequisites'] if p['check'] == 'provision_server']"; }
	scenario psok amt16-factory '{"check_provision_server": true}'
	nsrun
	expect_rc 0 "ProvisionServer resolves"
	is "$(ps_result)" '["provision_server:ok"]' "ProvisionServer resolves: check"
	scenario psbad amt16-factory \
		'{"check_provision_server": true, "pki_dns_suffix": "elsewhere.example.org"}'
	nsrun
	blocked_by provision_server_unresolvable "ProvisionServer unresolvable" "0/false/"
	scenario psoff amt16-factory '{"pki_dns_suffix": "elsewhere.example.org"}'
	nsrun
	expect_rc 0 "ProvisionServer not looked up"
	is "$(ps_result)" '[]' "not asked: no lookup"
	ok "check_provision_server: the name resolves (ok), does not (blocked); not asked, not looked up"
else
	note "ProvisionServer part skipped: needs unshare -m"
fi

# --- through the FUSE device -------------------------------------------------------------------
if [ "$(id -u)" = 0 ] && [ -c /dev/fuse ]; then
	scenario fuseztoff amt16-factory
	emu set zero_touch_enabled false
	mnt=$WORK/mnt
	start_amtsim "$mnt" --state "$S/m.json"
	"$AMTACT" --device "$mnt/mei0" run --profile "$S/p.json" --json >"$S/out" 2>"$S/err" \
		</dev/null
	# shellcheck disable=SC2034 # expect_rc (lib_run.sh) reads it
	RC=$?
	stop_amtsim "$AMTSIM_PID" "$mnt"
	blocked_by zero_touch_disabled "FUSE, zero touch off" "0/false/"
	ok "through the FUSE device: zero touch off blocked"
else
	note "FUSE part skipped: needs root and /dev/fuse"
fi

stop_server
ok "all prerequisite scenarios"
