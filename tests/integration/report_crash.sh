#!/bin/sh
# SPDX-License-Identifier: MIT
# Crash safety: the agent is killed (SIGKILL) at every named point of spool write, flush and
# dead-lettering, and at random moments of a slow flush. Afterwards every report is
# delivered exactly once and no spool file is torn.
. "$(dirname "$0")/lib_report.sh"
start_server

killed() { [ "$RC" = 137 ] || [ "$RC" = 265 ] || fail "$1: not killed (exit $RC)"; }

# Crash while writing the report into the spool. The caller never heard "saved", so the
# agent runs again with the same report id, as the next boot would.
for p in put-tmp put-half put-written put-synced put-renamed; do
	AMTACT_CRASH_AT=$p submit "p-$p"
	killed "$p"
	check_no_torn
	[ "$(stored "p-$p")" = 0 ] || fail "$p: delivered before it was saved"
	submit "p-$p"
	expect_rc 0 "rerun after crash at $p"
	[ "$(stored "p-$p")" = 1 ] || fail "$p: stored $(stored "p-$p") times"
	[ "$(queued "p-$p")" = 0 ] || fail "$p: still queued"
	ok "crash at $p: no torn file, delivered exactly once"
done
[ -z "$(find "$SPOOL" -name '.tmp-*')" ] || fail "temp files were not cleaned up"

# Crash while flushing: the report was queued; the next flush must finish the job once.
fault '{"mode": "down"}'
for p in flush-before-send flush-sent flush-unlinked; do
	submit "f-$p" --attempts 1
	expect_rc 12 "queue f-$p"
done
fault '{"mode": "none"}'
for p in flush-before-send flush-sent flush-unlinked; do
	AMTACT_CRASH_AT=$p report --server "$URL" --flush
	killed "$p"
	check_no_torn
done
report --server "$URL" --flush
expect_rc 0 "flush after the flush crashes"
for p in flush-before-send flush-sent flush-unlinked; do
	[ "$(stored "f-$p")" = 1 ] || fail "f-$p stored $(stored "f-$p") times"
done
ok "crash during flush: every report stored exactly once"

# Crash while moving a refused report to dead/: it ends in dead/ once, with its reason.
fault '{"mode": "400"}'
for p in dead-reason dead-moved; do
	AMTACT_CRASH_AT=$p submit "d-$p"
	killed "$p"
	report --server "$URL" --flush
	# After dead-moved the report is already in dead/: nothing left to refuse.
	if [ $p = dead-reason ]; then want=14; else want=0; fi
	expect_rc $want "flush after crash at $p"
	[ "$(dead "d-$p")" = 1 ] && [ "$(queued "d-$p")" = 0 ] || fail "d-$p not in dead/ once"
	[ -s "$(find "$SPOOL/dead" -name "*-d-$p.report.reason")" ] || fail "d-$p: no reason"
	[ "$(stored "d-$p")" = 0 ] || fail "d-$p stored although refused"
done
fault '{"mode": "none"}'
ok "crash while dead-lettering: kept once with its reason"

# Random kills during a slow flush of several reports.
fault '{"mode": "down"}'
ids=""
for n in 1 2 3 4 5 6; do
	submit "k-$n" --attempts 1
	expect_rc 12 "queue k-$n"
	ids="$ids k-$n"
done
fault '{"mode": "slow", "slow_ms": 150}'
for round in 1 2 3 4 5 6 7 8; do
	"$AMTACT" report --spool "$SPOOL" --ca "$PKI/ca.crt" --server "$URL" --flush \
		--timeout 4000 >/dev/null 2>&1 &
	pid=$!
	delay=$(awk -v s="$round$$" 'BEGIN { srand(s); printf "%.2f", rand() * 0.6 }')
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	check_no_torn
done
fault '{"mode": "none"}'
echo "note: $(ctl GET /_reports | grep -o '"k-[0-9]"' | wc -l) of 6 stored before the final flush"
report --server "$URL" --flush
expect_rc 0 "final flush"
for id in $ids; do
	[ "$(stored "$id")" = 1 ] || fail "$id stored $(stored "$id") times"
done
[ -z "$(find "$SPOOL" -maxdepth 1 -name '*.report')" ] || fail "reports left in the spool"
check_no_torn
ok "random kills during flush: every report stored exactly once"
