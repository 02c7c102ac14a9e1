#!/bin/sh
# SPDX-License-Identifier: MIT
# amtact-interim serve, report intake over HTTPS: authentication (token, mutual TLS),
# exactly once (repeats, the same key with another body, concurrent duplicates on two
# instances sharing the database), bad input (size, type, JSON, schema, clear OTP, slow
# clients) refused with a clear 4xx and nothing stored, metrics and a clean stop.
. "$(dirname "$0")/lib_server.sh"

start_srv a --token-file "$PKI/token.txt" --header-timeout 1 --body-timeout 3 \
	--max-body 65536 --workers 2
A_PID=$SRV_PID
URL_A=$URL
export SRV_TOKEN=$PKI/token.txt

# --- authentication --------------------------------------------------------------------
post r1 '{}' --token ""
expect_status 401 "no token"
body_has "bearer token required" "no token"
post r1 '{}' --token "$PKI/admin-token.txt"
expect_status 401 "a token that is not the agents'"
[ "$(rows)" = 0 ] || fail "a refused report was stored"
post r1
expect_status 201 "first delivery"
body_has '"stored": true' "first delivery"
cp "$WORK/body" "$WORK/first"
ok "bearer token: refused without it (401), stored with it (201)"

# --- exactly once ----------------------------------------------------------------------
post r1
expect_status 201 "repeat"
cmp -s "$WORK/body" "$WORK/first" || fail "a repeat got another answer: $(cat "$WORK/body")"
[ "$(rows --id r1)" = 1 ] || fail "r1 stored $(rows --id r1) times"
[ "$(icli reports --id r1 --format csv | tail -n 1 | cut -d, -f11)" = 1 ] ||
	fail "the repeat was not counted"
post r1 '{"note": "another body"}'
expect_status 422 "same key, other report"
body_has "used for a different report" "same key, other report"
ok "a repeat gets the first answer, stored once; the key with another body: 422"

start_srv b --token-file "$PKI/token.txt" --workers 1
URL_B=$URL
export SRV_URL=$URL_A
report_file dup "{}" "$WORK/dup.json"
"$PY" "$CLIENT" dupes 24 dup "$WORK/dup.json" "$URL_A" "$URL_B" >"$WORK/dupes" ||
	fail "the concurrent client failed"
[ "$(cat "$WORK/dupes")" = '{"statuses": [201], "bodies": ["{\"id\": \"dup\", \"stored\": true}\n"]}' ] ||
	fail "concurrent duplicates: $(cat "$WORK/dupes")"
[ "$(rows --id dup)" = 1 ] || fail "24 concurrent copies stored $(rows --id dup) times"
ok "24 concurrent copies over two instances: one row, the same answer to all"

# --- bad input: a clear 4xx, nothing stored ----------------------------------------------
before=$(rows)
post big "{\"pad\": \"$(head -c 70000 /dev/zero | tr '\0' x)\"}"
expect_status 413 "oversized body"
body_has "larger than the limit of 65536" "oversized body"
"$PY" "$CLIENT" raw "POST /reports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer $(cat "$PKI/token.txt")\r\nContent-Type: application/json\r\nIdempotency-Key: e1\r\nContent-Length: 9999999\r\nExpect: 100-continue\r\n\r\n" >"$WORK/raw"
grep -q "^HTTP/1.1 413" "$WORK/raw" || fail "Expect: 100-continue with a huge body: $(cat "$WORK/raw")"
ok "oversized: 413, also before the body is sent (Expect: 100-continue)"

post c1 '{}' --ctype text/plain
expect_status 415 "wrong content type"
req POST /reports --idem c2 --data '{"schema_version": 1, "report_id": "c2",'
expect_status 400 "malformed JSON"
body_has "malformed JSON at line 1" "malformed JSON"
req POST /reports --idem c3 --data '[1, 2]'
expect_status 400 "not an object"
post c4 '{"schema_version": 2}'
expect_status 422 "unknown schema version"
body_has "unknown schema_version 2" "unknown schema version"
post c5 '{"schema_version": null}'
expect_status 422 "no schema version"
post c6 '{"report_id": "other"}'
expect_status 422 "report_id differs from the key"
post c7 '{"otp": "Clear-Otp-123"}'
expect_status 422 "clear OTP"
body_has "give the profile a server.report_cert" "clear OTP"
post c8 '{"otp_cms": "not a CMS"}'
expect_status 422 "otp_cms that is no CMS"
req POST /reports --data '{}'
expect_status 400 "no Idempotency-Key"
req POST /reports --idem 'bad key!' --data '{}'
expect_status 400 "malformed Idempotency-Key"
req GET /reports
expect_status 405 "GET /reports"
req GET /nowhere
expect_status 404 "unknown path"
ok "wrong type 415, malformed JSON 400, unknown schema 422, clear OTP 422, bad key 400"

"$PY" "$CLIENT" raw "POST /reports HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nAuthorization: Bearer $(cat "$PKI/token.txt")\r\nContent-Type: application/json\r\nIdempotency-Key: t1\r\n\r\n" >"$WORK/raw"
grep -q "^HTTP/1.1 411" "$WORK/raw" || fail "chunked body: $(cat "$WORK/raw")"
"$PY" "$CLIENT" raw "POST /reports HTTP/1.1\r\nHost: x\r\n" --wait 8 >"$WORK/raw"
grep -q "^HTTP/1.1 408" "$WORK/raw" || fail "slow head: $(cat "$WORK/raw")"
t=$(tail -n 1 "$WORK/raw")
"$PY" -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 5 else 1)' "$t" ||
	fail "a slow client held the connection for $t s (header timeout 1 s)"
"$PY" "$CLIENT" raw "POST /reports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer $(cat "$PKI/token.txt")\r\nContent-Type: application/json\r\nIdempotency-Key: s1\r\nContent-Length: 500\r\n\r\n{\"schema_version\"" --wait 20 >"$WORK/raw"
grep -q "^HTTP/1.1 408" "$WORK/raw" || fail "slow body: $(cat "$WORK/raw")"
"$PY" "$CLIENT" raw "GET / HTTP/1.1\r\n$(head -c 20000 /dev/zero | tr '\0' a): b\r\n\r\n" >"$WORK/raw"
grep -q "^HTTP/1.1 431" "$WORK/raw" || fail "huge head: $(cat "$WORK/raw")"
[ "$(rows)" = "$before" ] || fail "bad input was stored: $(rows) rows, $before before"
ok "chunked 411, slow head and body 408 (bounded in time), huge head 431; nothing stored"

# --- health, metrics, stop ---------------------------------------------------------------
req GET /healthz
expect_status 200 "health"
body_has '"status": "ok"' "health"
[ "$(metric reports_stored_total)" -ge 1 ] || fail "metrics: no stored report counted"
[ "$(metric reports_duplicate_total)" -ge 1 ] || fail "metrics: no duplicate counted"
[ "$(metric 'requests_rejected_total{reason="schema"}')" -ge 1 ] ||
	fail "metrics: schema rejects not counted"
grep -q 'amtact_interim_post_report_seconds_count' "$WORK/body" || fail "no latency histogram"
ok "health and metrics (stored, duplicates, rejects by reason, latency)"

# mTLS: a server that requires a client certificate refuses the handshake without one.
start_srv m --client-ca "$PKI/ca.crt" --require-client-cert --workers 1
post m1 '{}' --token ""
[ "$STATUS" = 000 ] || fail "no client certificate: HTTP $STATUS"
post m2 '{}' --token "" --cert "$PKI/client.crt" --key "$PKI/client.key"
expect_status 201 "client certificate"
icli reports --id m2 --format jsonl | grep -q '"client": "client"' ||
	fail "the client certificate's name was not stored"
ok "mutual TLS: no certificate, no connection; the certificate's name is stored"

stop_srv "$A_PID"
grep -q "Traceback" "$WORK"/*.log && fail "a server logged a traceback: $(cat "$WORK"/*.log)"
ok "stopped on SIGTERM"
