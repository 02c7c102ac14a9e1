#!/bin/sh
# SPDX-License-Identifier: MIT
# `"delivery": "must"` (for live boot media whose spool is a RAM disk): a report the server
# does not take is retried within the server's bounds and then fails with exit 15
# (not-delivered), nothing is queued; a server that takes it gives exit 0; a temporary
# failure that clears within the retries is still delivered; the profile is refused
# without a server.
. "$(dirname "$0")/lib_run.sh"
make_pki
start_server

queued() { find "$S/spool" -maxdepth 1 -name '*.report' 2>/dev/null | wc -l; }

# --- server down: exit 15, nothing kept, the message says so ---------------------------------
scenario down amt16-factory '{"delivery": "must"}'
fault '{"mode": "down"}'
run
expect_rc 15 "must, server down"
is "$(out 'd["report"]["outcome"]')" not_delivered "down: report outcome"
out 'd["report"]["message"]' | grep -qF 'NOT delivered' || sfail "down: the message"
expect_err 'NOT delivered' "down"
is "$(queued)" 0 "down: reports in the spool"
ok "must, server down: exit 15, report not queued, stderr says so"

# --- the server refuses: exit 15 too, no dead letter -----------------------------------------
fault '{"mode": "none"}'
scenario refused amt16-factory '{"delivery": "must"}'
fault '{"mode": "400", "count": 5}'
run
expect_rc 15 "must, server refuses"
is "$(out 'd["report"]["outcome"]')" not_delivered "refused: report outcome"
[ -d "$S/spool/dead" ] && [ -n "$(ls -A "$S/spool/dead")" ] && sfail "refused: a dead letter was kept"
fault '{"mode": "none"}'
ok "must, server refuses: exit 15, no dead letter"

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
URL=""
scenario noserver amt16-factory '{"delivery": "must"}'
run
expect_rc 8 "must without a server"
expect_err '"delivery"' "noserver"
ok "must without a server: bad profile (exit 8) naming the field"
