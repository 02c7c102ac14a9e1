#!/bin/sh
# SPDX-License-Identifier: MIT
# `amtact profile-check --connect` against the interim server on loopback: the right CA,
# pin and token pass (the server says it would take the credentials); a wrong CA, a wrong
# pin, a wrong token and a server that is down each fail with exit 8 and say why, in text
# and in JSON ("connect"); no check ever stores a report.
. "$(dirname "$0")/lib_run.sh"
make_pki
start_server --token-file "$PKI/token.txt"
printf 'not-the-token\n' >"$WORK/wrong-token.txt"
chmod 0600 "$WORK/wrong-token.txt"

# check NAME EXPECTED-EXIT OVERLAY-JSON [TEXT]: profile-check --connect, text and JSON.
check() {
	S=$WORK/$1
	mkdir -p "$S"
	profile "$S/p.json" "$1" "$3"
	"$AMTACT" profile-check "$S/p.json" --connect >"$S/out" 2>"$S/err"
	rc=$?
	[ "$rc" = "$2" ] || sfail "$1: exit $rc, expected $2"
	[ -z "${4:-}" ] || grep -qF -- "$4" "$S/out" "$S/err" || sfail "$1: does not say: $4"
	"$AMTACT" --json profile-check "$S/p.json" --connect >"$S/out" 2>"$S/err"
	rc=$?
	[ "$rc" = "$2" ] || sfail "$1: --json: exit $rc, expected $2"
	want=true
	[ "$2" = 0 ] || want=false
	is "$(jfile "$S/out" 'd["connect"]["ok"]')" "$want" "$1: connect.ok"
	if [ "$2" != 0 ]; then
		is "$(jfile "$S/out" 'd["error"]["exit_code"]')" "$2" "$1: the error object"
	fi
}

TOKEN="\"token_file\": \"$PKI/token.txt\""
check good 0 "{\"server\": {$TOKEN}}" "credentials accepted"
check pinned 0 "{\"server\": {$TOKEN, \"pin_sha256\": \"$(cat "$PKI/pin.txt")\"}}" \
	"credentials accepted"
check wrong-ca 8 "{\"server\": {$TOKEN, \"ca_file\": \"$PKI/rogue-ca.crt\"}}" "NOT usable"
is "$(jfile "$WORK/wrong-ca/out" 'd["connect"]["class"]')" tls "wrong CA: class"
check wrong-pin 8 "{\"server\": {$TOKEN, \"pin_sha256\": \"$(printf '%043d=' 0 | tr 0 A)\"}}" \
	"NOT usable"
is "$(jfile "$WORK/wrong-pin/out" 'd["connect"]["class"]')" tls "wrong pin: class"
check no-token 8 '{}' "refused the credentials (HTTP 401"
check bad-token 8 "{\"server\": {\"token_file\": \"$WORK/wrong-token.txt\"}}" \
	"refused the credentials (HTTP 401"
is "$(jfile "$WORK/bad-token/out" 'd["connect"]["class"]')" credentials "bad token: class"
is "$(srv 'len(R)')" 0 "no check stored a report"
is "$(srv 'len(Q)')" 0 "no check POSTed anything"
stop_server
check down 8 "{\"server\": {$TOKEN}}" "NOT usable"
is "$(jfile "$WORK/down/out" 'd["connect"]["class"]')" temporary "server down: class"
ok "profile-check --connect: CA, pin, token and reachability, no report sent"
