#!/bin/sh
# SPDX-License-Identifier: MIT
# Every HTTP-level fault mode of the interim server: retries, spool, exit codes, messages,
# and on the server side nothing lost and nothing stored twice.
. "$(dirname "$0")/lib_report.sh"
start_server --retry-after 1

submit r1
expect_rc 0 "normal delivery"
[ "$(stored r1)" = 1 ] || fail "r1 not stored once"
[ "$(queued r1)" = 0 ] || fail "r1 still queued after delivery"
submit r1
expect_rc 0 "repeat of a delivered id"
[ "$(stored r1)" = 1 ] && [ "$(posts r1)" = 2 ] || fail "repeat stored twice or not sent"
ok "delivery and idempotent repeat"

fault '{"mode": "down"}'
submit r2
expect_rc 12 "server down"
expect_err "delivering report r2: cannot connect" "server down"
expect_err "kept in the spool" "server down"
[ "$(queued r2)" = 1 ] || fail "r2 not spooled while the server is down"
fault '{"mode": "none"}'
report --server "$URL" --flush
expect_rc 0 "flush after outage"
[ "$(stored r2)" = 1 ] && [ "$(queued r2)" = 0 ] || fail "r2 not delivered by flush"
ok "down: spooled, then flushed"

fault '{"mode": "500"}'
submit r3
expect_rc 12 "HTTP 500"
[ "$(posts r3 500)" = 3 ] || fail "expected 3 attempts on 500, got $(posts r3 500)"
expect_err "server answered HTTP 500" "HTTP 500"
fault '{"mode": "none"}'
report --server "$URL" --flush
expect_rc 0 "flush after 500"
[ "$(stored r3)" = 1 ] || fail "r3 lost or duplicated"
ok "500: retried 3 times, spooled, flushed"

fault '{"mode": "503", "count": 2, "retry_after": 1}'
t0=$(date +%s%N)
submit r4 --attempts 4
t1=$(date +%s%N)
expect_rc 0 "503 with Retry-After, then OK"
[ "$(posts r4 503)" = 2 ] && [ "$(posts r4 201)" = 1 ] || fail "r4: wrong attempt pattern"
[ $(((t1 - t0) / 1000000)) -ge 1900 ] || fail "Retry-After: 1 not honoured ($(((t1 - t0) / 1000000)) ms)"
[ "$(stored r4)" = 1 ] || fail "r4 not stored once"
ok "503: Retry-After honoured, delivered on the third attempt"

fault '{"mode": "429", "retry_after": 30}'
submit r5 --retry-after-max 2000
expect_rc 12 "429 with a long Retry-After"
[ "$(posts r5 429)" = 1 ] || fail "429 with Retry-After 30 was retried early"
fault '{"mode": "none"}'
report --server "$URL" --flush
expect_rc 0 "flush after 429"
[ "$(stored r5)" = 1 ] || fail "r5 lost or duplicated"
ok "429: a long Retry-After ends the retries, the report waits"

fault '{"mode": "slow", "slow_ms": 2500}'
submit r6 --timeout 800 --attempts 2
expect_rc 12 "slow server"
expect_err "timed out" "slow server"
fault '{"mode": "none"}'
sleep 3
report --server "$URL" --flush
expect_rc 0 "flush after slow"
[ "$(stored r6)" = 1 ] || fail "r6 stored $(stored r6) times"
[ "$(queued r6)" = 0 ] || fail "r6 still queued"
ok "slow: timed out, retried later, stored exactly once"

fault '{"mode": "400"}'
submit r7
expect_rc 14 "refused report"
expect_err "server refused report r7: server answered HTTP 400" "refused report"
[ "$(dead r7)" = 1 ] && [ "$(queued r7)" = 0 ] || fail "r7 not in dead/"
grep -q "http_status: 400" "$SPOOL"/dead/*-r7.report.reason || fail "r7 reason file"
[ "$(stored r7)" = 0 ] || fail "r7 stored although refused"
report --list
expect_rc 0 "list"
grep -q "^dead r7" "$WORK/out" && grep -q "reason: server answered HTTP 400" "$WORK/out" ||
	fail "--list does not show the dead letter"
fault '{"mode": "none"}'
ok "400: dead letter with its reason, listed"

fault '{"mode": "down"}'
for id in r8 r9 r10; do submit $id --attempts 1; expect_rc 12 "queue $id"; done
fault '{"mode": "none"}'
report --server "$URL" --flush
expect_rc 0 "flush of three"
order=$(ctl GET /_reports | "$PY" -c 'import json,sys; print(" ".join(r["id"] for r in json.load(sys.stdin)))')
case "$order" in *"r8 r9 r10") ;; *) fail "not oldest first: $order" ;; esac
ok "flush sends oldest first"

# Nothing lost, nothing duplicated: every id but the refused one is stored exactly once.
for id in r1 r2 r3 r4 r5 r6 r8 r9 r10; do
	[ "$(stored $id)" = 1 ] || fail "$id stored $(stored $id) times"
done
[ -z "$(find "$SPOOL" -maxdepth 1 -name '*.report')" ] || fail "reports left in the spool"
check_no_torn
ok "all reports stored exactly once"
