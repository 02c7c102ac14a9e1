#!/bin/sh
# SPDX-License-Identifier: MIT
# Delivery failures have classes. Transient (server down, 5xx): queued, exit 12. A setting
# to fix (untrusted certificate, wrong host name, pin, 403, a redirect): the report stays
# queued but the run exits 16 with a message saying what to fix. One 400 dead-letters
# one report, not the queue; `report --requeue` brings dead letters back; `report --flush
# --profile NAME` works without --server; a run finding another amtact sending the spool
# exits 12 (its report is queued), not 5.
. "$(dirname "$0")/lib_run.sh"
make_pki
start_server
command -v flock >/dev/null 2>&1 || skip "flock (util-linux) is not installed"

queued() { find "$S/spool" -maxdepth 1 -name '*.report' | wc -l; }
dead() { find "$S/spool/dead" -maxdepth 1 -name '*.report' | wc -l; }
# rep ARGS...: amtact report with the scenario's profile; RC, S/out, S/err.
rep() {
	"$AMTACT" report --profile "$S/p.json" "$@" >"$S/out" 2>"$S/err" </dev/null
	RC=$?
}
# submit ID: queue a report body for ID through the scenario's spool, one attempt.
submit() {
	printf '{"schema_version": 1, "report_id": "%s", "note": "test"}\n' "$1" >"$S/body.json"
	"$AMTACT" report --spool "$S/spool" --server "$URL" --ca "$PKI/ca.crt" --attempts 1 \
		--submit "$S/body.json" --id "$1" >"$S/out" 2>"$S/err" </dev/null
	# shellcheck disable=SC2034 # expect_rc (lib_run.sh) reads it
	RC=$?
}

# --- transient: queued, 12 ------------------------------------------------------------------
scenario transient amt16-factory
fault '{"mode": "500"}'
run
expect_rc 12 "server answers 500"
is "$(queued)" 1 "500: queued"
fault '{"mode": "none"}'
ok "a 500 queues the report: exit 12"

# --- settings to fix: queued, 16, with what to fix ------------------------------------------
n=0
for m in "wrong-ca:not signed by a trusted CA" "wrong-host:does not match the host name" \
	"pin:does not match the pinned sha256" "403:does not let this agent report" \
	"302:a redirect, which amtact never follows"; do
	n=$((n + 1))
	mode=${m%%:*}
	words=${m#*:}
	extra="{}"
	[ "$mode" = pin ] && extra="{\"server\": {\"pin_sha256\": [\"$(cat "$PKI/pin.txt")\"]}}"
	scenario "cfg$n" amt16-factory "$extra"
	fault "{\"mode\": \"$mode\"}"
	run
	expect_rc 16 "$mode"
	expect_err "$words" "$mode"
	expect_err "fix the profile's server settings" "$mode"
	is "$(out 'd["report"]["outcome"]')" queued "$mode: report outcome"
	is "$(queued)/$(dead)" 1/0 "$mode: queued/dead"
	fault '{"mode": "none"}'
	run
	expect_rc 0 "$mode fixed: the next run delivers what waited"
	is "$(queued)" 0 "$mode fixed: spool"
	ok "$mode: exit 16 with what to fix, the report kept and delivered once fixed"
done
grep -qx 'SuccessExitStatus=12 13' "$TOPDIR/profiles/systemd/amtact@.service.in" ||
	fail "the unit's SuccessExitStatus is not 12 13 (16 must count as failure)"

# --- one 400 dead-letters one report -------------------------------------------------------
scenario refusal amt12-acm
fault '{"mode": "down"}'
mkdir -p "$S/spool"
chmod 0700 "$S/spool"
for id in q1 q2 q3; do
	submit "$id"
	expect_rc 12 "queue $id"
done
fault '{"mode": "400"}'
rep --flush
expect_rc 14 "flush against a server refusing everything"
is "$(dead)/$(queued)" 1/2 "400: dead/queued after one flush"
expect_err "kept queued" "400"
fault '{"mode": "none"}'
rep --flush
expect_rc 0 "flush once the server takes reports again"
is "$(queued)" 0 "after the flush: queued"
is "$(srv "sum(1 for r in R if r['id'] in ('q2', 'q3'))")" 2 "q2 and q3 stored"
ok "one 400 dead-letters one report; the others wait and go through later"

# --- requeue ----------------------------------------------------------------------------------
rep --requeue nosuch
expect_rc 2 "requeue of an unknown id"
expect_err "no such report" "requeue unknown"
rep --requeue q1
expect_rc 0 "requeue q1"
grep -qx "requeued 1" "$S/out" || sfail "requeue: $(cat "$S/out")"
is "$(dead)/$(queued)" 0/1 "after requeue"
[ -z "$(find "$S/spool/dead" -name '*.reason')" ] || sfail "the reason file stayed"
rep --flush
expect_rc 0 "flush of the requeued report"
is "$(srv "sum(1 for r in R if r['id'] == 'q1')")" 1 "q1 stored once"
rep --requeue all
expect_rc 0 "requeue all, nothing dead"
grep -qx "requeued 0" "$S/out" || sfail "requeue all: $(cat "$S/out")"
ok "report --requeue ID|all brings dead letters back; --flush --profile needs no --server"

# --- another amtact sends the spool: the run's report is queued, exit 12 ---------------------
scenario lockheld amt16-factory
run
expect_rc 0 "first run"
emu set pki_dns_suffix other.example.com
flock "$S/spool/.flush" sleep 30 &
holder=$!
track_pid "$holder"
wait_for 5000 sh -c "! flock -n '$S/spool/.flush' true" || fail "the flush lock was not taken"
run
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
expect_rc 12 "run while another process holds the flush lock"
out 'd["report"]["message"]' | grep -q "another amtact is sending" || sfail "flush lock held: the message does not say why"
is "$(queued)" 1 "flush lock held: the report is queued"
ok "another amtact sending the spool: the run's report queued, exit 12"
