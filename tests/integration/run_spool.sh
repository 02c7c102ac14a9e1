#!/bin/sh
# SPDX-License-Identifier: MIT
# `amtact run` with the interim server down (report queued, exit 12; the next run delivers
# the queue first, oldest first, nothing stored twice) and two runs at once (one acts, the
# other is busy, exit 5, or waits its lock_timeout_ms and then finds nothing to do).
. "$(dirname "$0")/lib_run.sh"
make_pki
start_server
command -v flock >/dev/null 2>&1 || skip "flock (util-linux) is not installed"

queued() { find "$S/spool" -maxdepth 1 -name '*.report' | wc -l; }
# received_order: the report ids in the order the server stored them.
received_order() { srv '" ".join(r["id"] for r in sorted(R, key=lambda r: r["received"]))'; }

# --- server down: queued, then flushed by the next run, oldest first ---------------------
scenario down amt16-factory
fault '{"mode": "down"}'
run
expect_rc 12 "server down"
is "$(out 'd["report"]["outcome"]')" queued "down: report outcome"
is "$(outcome set-otp)/$(outcome start-config)" "done/done" "down: the actions still happened"
id1=$(out 'd["run_id"]')
is "$(queued)" 1 "down: reports in the spool"
grep -qF "$id1" "$S/state/state.json" || sfail "down: the state does not remember the queued report"
# The queued body is the run's report (without report_cert it holds the OTP in clear,
# in a 0600 file of a 0700 spool; run_scenarios.sh covers sealing).
grep -qF "\"report_id\":\"$id1\"" "$S"/spool/*.report || sfail "down: spooled body"

# A second report while the server is still down: the hello window the agent opened ends
# (both clocks move 25 h), so the run acts again and queues behind the first.
emu advance 90000
"$PY" - "$S/state/state.json" <<'PYEOF' || fail "moving the agent's memory back"
import json, sys
d = json.load(open(sys.argv[1]))
d["hello_started_at"] -= 90000
json.dump(d, open(sys.argv[1], "w"))
PYEOF
run
expect_rc 12 "server still down"
id2=$(out 'd["run_id"]')
is "$(queued)" 2 "down: reports in the spool after two runs"
is "$(srv 'len(Q)')" 0 "down: requests that reached the server"

# The server is back. Nothing new on the box (the window is open again), but the run
# must deliver the queue, oldest first.
fault '{"mode": "none"}'
run
# Exit 0, not 13: the run had nothing new, but it did deliver the reports that waited.
expect_rc 0 "server back, nothing new, queue delivered"
is "$(out 'd["report"]["outcome"]')" quiet "server back: this run's own report"
out 'd["report"]["message"]' | grep -q "earlier reports: 2 delivered, 0 refused, 0 waiting" ||
	sfail "server back: the message does not say what was delivered"
is "$(queued)" 0 "server back: reports left in the spool"
is "$(received_order)" "$id1 $id2" "server back: stored in the order of the runs"
is "$(srv 'len(Q)')" 2 "server back: POSTs"
is "$(srv 'sum(r["repeats"] for r in R)')" 0 "server back: repeated deliveries"
ok "server down: queued (exit 12), next run delivers the queue oldest first, once each"

# Down again, then a run with something new: the queue goes first, then the new report.
scenario down2 amt12-acm
fault '{"mode": "down"}'
run
expect_rc 12 "provisioned box, server down"
ida=$(out 'd["run_id"]')
fault '{"mode": "none"}'
emu set pki_dns_suffix other.example.com
run
expect_rc 0 "provisioned box, server back, the suffix changed"
idb=$(out 'd["run_id"]')
is "$(srv "' '.join(r['id'] for r in sorted(R, key=lambda r: r['received']) if r['id'] in ('$ida', '$idb'))")" \
	"$ida $idb" "down2: order"
is "$(queued)" 0 "down2: spool"
run
expect_rc 13 "provisioned box, nothing new"
ok "queued report delivered before the new one; then quiet"

# --- two runs at once ------------------------------------------------------------------------
scenario busy amt16-factory
emu latency 40
"$AMTACT" --device "sim:$S/m.json" run --profile "$S/p.json" --json >"$S/out1" 2>"$S/err1" \
	</dev/null &
slow=$!
track_pid "$slow"
# Wait until the slow run holds the lock.
wait_for 10000 sh -c "[ -e '$S/state/run.lock' ] && ! flock -n '$S/state/run.lock' true" ||
	fail "the slow run never took the lock"
t0=$(date +%s%N)
run
t1=$(date +%s%N)
expect_rc 5 "second run while the first holds the lock"
expect_err "run.lock: another amtact run is still working" "busy: message"
[ $(((t1 - t0) / 1000000)) -lt 2000 ] || sfail "busy: lock_timeout_ms 0 waited $(((t1 - t0) / 1000000)) ms"
is_gone "$slow" && sfail "busy: the first run ended before the second was refused (too fast)"
# A third run with a lock timeout long enough waits for the first and then has nothing to do.
profile "$S/p.json" busy '{"lock_timeout_ms": 30000}'
run
expect_rc 13 "third run, waiting for the lock"
wait "$slow"
rc1=$?
[ "$rc1" = 0 ] || { S1=$S; sed 's/^/    | /' "$S1/err1"; fail "busy: the first run exited $rc1"; }
is "$(jfile "$S/out1" 'd["report"]["outcome"]')" delivered "busy: first run's report"
is "$(srv "sum(1 for r in R if r['doc']['profile'] == 'busy')")" 1 "busy: reports stored"
is "$(m 'd["hello"]["starts"]')" 1 "busy: hellos started once"
ok "two runs at once: one acts, one busy (exit 5), one waits and finds nothing to do"

stop_server
ok "all run spool/lock scenarios"
