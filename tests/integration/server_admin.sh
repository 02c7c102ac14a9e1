#!/bin/sh
# SPDX-License-Identifier: MIT
# amtact-interim, the provisioning side: queries by time, UUID, host, state and profile,
# consume, JSON and CSV export (command line and API, admin token only), sealed OTPs kept
# sealed and opened only by an audited export --open-with, and the per-device OTP fetch
# (assigned, unknown, bound to a client certificate, expired; never logged or stored in
# clear).
. "$(dirname "$0")/lib_server.sh"

"$PY" "$SERVER" otp-key "$WORK/otp.key" || fail "otp-key"
start_srv a --token-file "$PKI/token.txt" --admin-token-file "$PKI/admin-token.txt" \
	--otp-key "$WORK/otp.key" --client-ca "$PKI/ca.crt" --workers 1 -v
export SRV_TOKEN=$PKI/token.txt

# Five reports: two profiles, three states, one sealed OTP, one formula-like host name.
sealed=$(printf 'Sealed-Otp-77' | openssl cms -encrypt -aes256 -outform PEM \
	-recip "$PKI/report.crt") || fail "sealing an OTP"
U2=11111111-2222-3333-4444-555555555555
post a1 '{"profile": "lab"}'
expect_status 201 a1
post a2 "{\"me\": {\"uuid\": {\"value\": \"$U2\"}, \"provisioning\": {\"state\": \"in\"}}}"
expect_status 201 a2
"$PY" -c 'import json,sys; print(json.dumps({"otp_cms": sys.argv[1]}))' "$sealed" >"$WORK/ov"
post a3 "$(cat "$WORK/ov")"
expect_status 201 a3
sleep 1.1
mid=$(date +%s)
post a4 '{"system": {"name": "=cmd()", "hostname": "=cmd()", "fqdn": "", "dns_suffix": "", "interfaces": []}}'
expect_status 201 a4
post a5 '{"me": {"uuid": {"value": "11111111-2222-3333-4444-555555555555"}, "provisioning": {"state": "post"}}}'
expect_status 201 a5

# --- queries -----------------------------------------------------------------------------
[ "$(rows)" = 5 ] || fail "expected 5 reports, got $(rows)"
[ "$(rows --profile lab)" = 1 ] || fail "profile filter"
[ "$(rows --uuid "$U2")" = 2 ] || fail "uuid filter"
[ "$(rows --uuid 4C4C4544-0051-4810-8039-B4C04F4B3733)" = 3 ] || fail "uuid filter (upper case)"
[ "$(rows --state in)" = 1 ] || fail "state filter"
[ "$(rows --host pc-a2)" = 1 ] || fail "host filter"
[ "$(rows --since "$mid")" = 2 ] || fail "since filter: $(rows --since "$mid")"
[ "$(rows --since "$(date -u -d "@$mid" +%Y-%m-%dT%H:%M:%SZ)")" = 2 ] || fail "since (ISO 8601)"
[ "$(rows --until "$mid")" = 3 ] || fail "until filter"
icli reports --since yesterday >/dev/null 2>"$WORK/err" && fail "a bad time was accepted"
grep -q "neither epoch seconds nor an ISO 8601 time" "$WORK/err" || fail "bad time message"
ok "queries by profile, UUID, state, host, since/until"

icli reports --format csv >"$WORK/csv" || fail "csv export"
head -n 1 "$WORK/csv" | grep -q '^seq,id,received,profile,system_name,hostname,uuid,state' ||
	fail "csv header: $(head -n 1 "$WORK/csv")"
[ "$(wc -l <"$WORK/csv")" = 6 ] || fail "csv rows"
grep -q "'=cmd()" "$WORK/csv" || fail "a formula-like name reached the CSV unescaped"
icli reports --id a3 --format json >"$WORK/a3.json"
grep -q "Sealed-Otp-77" "$WORK/a3.json" && fail "a sealed OTP appears in clear"
grep -q "BEGIN CMS" "$WORK/a3.json" || fail "the sealed OTP is not kept as it came"
[ -n "${AMTACT_TEST_PG_URL:-}" ] || ! grep -aq "Sealed-Otp-77" "$DB" ||
	fail "the OTP is in clear in the database file"
ok "JSON and CSV export; the sealed OTP stays sealed"

# --- the API (admin token only) ----------------------------------------------------------
req GET "/api/reports?profile=corp&format=csv"
expect_status 401 "API with the agents' token"
req GET "/api/reports?profile=corp&format=csv" --token "$PKI/admin-token.txt"
expect_status 200 "API reports"
[ "$(wc -l <"$WORK/body")" = 5 ] || fail "API csv: $(cat "$WORK/body")"
req GET "/api/reports?uuid=$U2" --token "$PKI/admin-token.txt"
expect_status 200 "API by uuid"
[ "$("$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$WORK/body")" = 2 ] ||
	fail "API uuid filter"
req GET "/api/reports?since=bad" --token "$PKI/admin-token.txt"
expect_status 400 "API bad filter"
req POST /api/consume --token "$PKI/admin-token.txt" --data '{"ids": ["a1", "a2"]}'
expect_status 200 "API consume"
body_has '"consumed": 2' "API consume"
icli consume a3 >/dev/null || fail "consume a3"
icli consume a3 >/dev/null && fail "consuming twice succeeded"
[ "$(rows --consumed no)" = 2 ] || fail "consumed filter: $(rows --consumed no)"
ok "API: admin token only, filters, CSV, consume (API and command line)"

# --- opening sealed OTPs: explicit, audited --------------------------------------------------
icli export --id a3 --open-with "$PKI/report.key" --output "$WORK/open.json" 2>"$WORK/err" ||
	fail "export --open-with"
grep -q '"otp": "Sealed-Otp-77"' "$WORK/open.json" || fail "the export did not open the OTP"
[ "$(stat -c %a "$WORK/open.json")" = 600 ] || fail "the export file is not 0600"
grep -q "audit: .* opened 1 sealed OTP(s) with $PKI/report.key" "$WORK/err" ||
	fail "no audit line: $(cat "$WORK/err")"
icli audit >"$WORK/audit"
grep '"action": "open-otp"' "$WORK/audit" | grep -q '"opened": \["a3"\]' ||
	fail "the audit trail lacks the opening: $(cat "$WORK/audit")"
grep -q '"action": "consume"' "$WORK/audit" || fail "consume not audited"
icli export --id a3 --open-with "$PKI/client.key" >/dev/null 2>"$WORK/err" ||
	fail "export with the wrong key"
grep -q "1 could not be opened: a3" "$WORK/err" || fail "wrong key not said: $(cat "$WORK/err")"
ok "export --open-with opens sealed OTPs, says so and writes the audit trail"

# --- the OTP fetch for otp.policy "server" -------------------------------------------------
echo "Fetch-Me-1234" | icli otp-assign --otp-key "$WORK/otp.key" --uuid "$U2" --otp-file - ||
	fail "otp-assign"
req GET "/otp/$U2"
expect_status 200 "OTP fetch"
body_has '"otp": "Fetch-Me-1234"' "OTP fetch"
req GET "/otp/$U2" --token ""
expect_status 401 "OTP fetch without token"
req GET /otp/99999999-2222-3333-4444-555555555555
expect_status 404 "OTP of an unknown device"
body_has "no OTP is assigned to device" "unknown device"
req GET /otp/not-a-uuid
expect_status 400 "malformed UUID"
U3=33333333-2222-3333-4444-555555555555
icli otp-assign --otp-key "$WORK/otp.key" --uuid "$U3" --generate --client client \
	>"$WORK/gen" || fail "otp-assign --generate"
req GET "/otp/$U3"
expect_status 403 "bound OTP without the client certificate"
req GET "/otp/$U3" --cert "$PKI/client.crt" --key "$PKI/client.key"
expect_status 200 "bound OTP with the client certificate"
body_has "\"otp\": \"$(cat "$WORK/gen")\"" "generated OTP"
req PUT "/api/otp/$U3" --token "$PKI/admin-token.txt" --data '{"otp": "Short-Lived-1", "expires_in_s": 1}'
expect_status 200 "API otp assign"
sleep 1.2
req GET "/otp/$U3" --cert "$PKI/client.crt" --key "$PKI/client.key"
expect_status 410 "expired OTP"
[ "$(metric otp_fetches_total)" = 2 ] || fail "OTP fetches counted: $(metric otp_fetches_total)"
grep -q "Fetch-Me-1234\|$(cat "$WORK/gen")" "$WORK/a.log" && fail "an OTP reached the server log"
grep -q "GET /otp/$U2 200" "$WORK/a.log" || fail "the fetch is not in the request log"
[ -n "${AMTACT_TEST_PG_URL:-}" ] || ! grep -aq "Fetch-Me-1234" "$DB" ||
	fail "a server-assigned OTP is in clear in the database"
ok "OTP fetch: assigned 200, unknown 404, bound 403, expired 410; never logged, sealed at rest"
