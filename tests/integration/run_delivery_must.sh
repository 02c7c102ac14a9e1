#!/bin/sh
# SPDX-License-Identifier: MIT
# `"delivery": "must"` (for live boot media whose spool is a RAM disk): the run succeeds only
# when the server has the report; a report left in the spool (server down) or refused into
# dead/ fails the run with exit 15 (not-delivered) and says so, but stays in the spool so
# that trying again before the restart still delivers it, OTP included; a temporary failure
# that clears within the retries is delivered (exit 0); the setting needs a server.
. "$(dirname "$0")/lib_run.sh"
make_pki
start_server

queued() { find "$S/spool" -maxdepth 1 -name '*.report' 2>/dev/null | wc -l; }

# --- server down: exit 15, says so; trying again once it is back delivers that report -------
scenario down amt16-factory '{"delivery": "must"}'
fault '{"mode": "down"}'
run
expect_rc 15 "must, server down"
is "$(out 'd["report"]["outcome"]')" queued "down: report outcome"
out 'd["report"]["message"]' | grep -qF '"delivery": "must"' || sfail "down: the message"
expect_err 'NOT delivered, and the profile says "delivery": "must"' "down"
is "$(queued)" 1 "down: reports kept in the spool for a retry"
id1=$(out 'd["run_id"]')
is "$(outcome set-otp)" "done" "down: the OTP was set"
fault '{"mode": "none"}'
run
expect_rc 0 "must, server back, trying again"
is "$(srv "sum(1 for r in R if r['id'] == '$id1')")" 1 "down: the first run's report stored"
is "$(srv "len(next(r['doc']['otp'] for r in R if r['id'] == '$id1'))")" 16 \
	"down: the OTP of the first run reached the server"
is "$(queued)" 0 "down: reports left after the retry"
# Down again with nothing new: the quiet run's flush also has to succeed.
fault '{"mode": "down"}'
emu set pki_dns_suffix other.example.com
run
expect_rc 15 "must, a second report while the server is down"
fault '{"mode": "none"}'
run
expect_rc 0 "must, nothing new, the waiting report delivered"
out 'd["report"]["message"]' | grep -q "earlier reports: 1 delivered" || sfail "down: quiet flush"
ok "must, server down: exit 15, report kept for a retry, which delivers it with the OTP"

# --- the server refuses: exit 15 too, the report kept as a dead letter ------------------------
scenario refused amt16-factory '{"delivery": "must"}'
fault '{"mode": "400", "count": 5}'
run
expect_rc 15 "must, server refuses"
is "$(out 'd["report"]["outcome"]')" dead_letter "refused: report outcome"
[ -n "$(ls -A "$S/spool/dead" 2>/dev/null)" ] || sfail "refused: no dead letter kept"
fault '{"mode": "none"}'
ok "must, server refuses: exit 15, dead letter kept"

# --- a temporary failure that clears within max_attempts: delivered ---------------------------
scenario retry amt16-factory '{"delivery": "must"}'
fault '{"mode": "503", "count": 1}'
run
expect_rc 0 "must, one 503 then accepted"
is "$(out 'd["report"]["outcome"]')" delivered "retry: report outcome"
id=$(out 'd["run_id"]')
is "$(srv "sum(1 for r in R if r['id'] == '$id')")" 1 "retry: stored reports"
is "$(srv "sum(1 for q in Q if q['report_id'] == '$id')")" 2 "retry: POSTs"
is "$(queued)" 0 "retry: reports in the spool"
ok "must, one temporary failure: retried and delivered (exit 0), nothing queued"

# --- without a server the setting is refused ------------------------------------------------
stop_server
# shellcheck disable=SC2034 # read by profile (lib_run.sh): no server in the profile
URL=""
scenario noserver amt16-factory '{"delivery": "must"}'
run
expect_rc 8 "must without a server"
expect_err '"delivery"' "noserver"
ok "must without a server: bad profile (exit 8) naming the field"
