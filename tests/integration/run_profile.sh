#!/bin/sh
# SPDX-License-Identifier: MIT
# `amtact run` and its profile on the command path: bad profiles exit 8 (4 for unsafe
# ownership or mode as root) naming the file and the field, before the firmware is touched;
# profiles by name; the technician's system name ("ask"): refused without a terminal,
# typed, validated and reported with one (a pty). The parser's own cases are in
# tests/unit (not repeated here). No interim server: reports go to a file.
. "$(dirname "$0")/lib_run.sh"

# bad OVERLAY FIELD REASON: the factory machine with a profile changed by OVERLAY must be
# refused with exit 8, a message naming the file, the field and the reason, nothing sent.
bad() {
	profile "$S/p.json" bad "$1"
	run
	expect_rc 8 "profile $1"
	expect_err "amtact: run: profile: $S/p.json: field \"$2\": $3" "profile $1"
	cmp -s "$S/m.json" "$S/m.orig" || sfail "profile $1: the firmware state changed"
	[ ! -e "$S/state" ] || sfail "profile $1: the run went as far as its state directory"
	is "$(out 'd["error"]["exit_code"]')" 8 "profile $1: JSON error document"
	out 'd["error"]["message"]' | grep -qF "field \"$2\"" || sfail "profile $1: JSON message"
}

scenario badprof amt16-factory
cp "$S/m.json" "$S/m.orig"
bad '{"colour": "blue"}' colour "unknown key"
bad '{"server": {"timeout": 5}}' server.timeout "unknown key"
bad '{"enable_amt": "yes"}' enable_amt "expected true or false"
bad '{"otp": {"length": 40}}' otp.length "40 is out of range (8..32)"
bad '{"method": "magic"}' method '"magic" is not one of'
bad '{"method": null}' method "is required"
bad '{"state_dir": "rel/dir"}' state_dir '"rel/dir" is not an absolute path'
bad '{"report_file": null, "server": {"url": "http://interim.example/r"}}' server.url '"http://interim.example/r" uses http: only https is allowed'
bad '{"lock_timeout_ms": 1.5}' lock_timeout_ms "1.5 is not a whole number"
bad '{"pki_dns_suffix": "bad_suffix!"}' pki_dns_suffix '"bad_suffix!" is not a DNS name'
bad '{"system_name": {"source": "fixed", "value": null}}' system_name.value "is required"
bad "{\"otp\": {\"policy\": \"file\", \"file\": \"$S/no-such-otp\"}}" otp.file \
	"$S/no-such-otp: No such file or directory"
bad '{"method": "psk"}' otp.policy '"random" conflicts with method "psk"'
bad '{"otp": {"policy": "server"}}' otp.policy '"server" needs a "server" to fetch the OTP from'
ok "bad fields: exit 8, file and field named, firmware untouched"

printf '{"schema": 1,\n' >"$S/p.json"
run
expect_rc 8 "truncated JSON"
expect_err "$S/p.json: line 2" "truncated JSON"
"$AMTACT" --device "sim:$S/m.json" run --profile "$S/none.json" >"$S/out" 2>"$S/err"
RC=$?
expect_rc 8 "missing profile"
expect_err "$S/none.json: cannot open" "missing profile"
AMTACT_PROFILE_DIR=$WORK/nowhere "$AMTACT" --device "sim:$S/m.json" run --profile corp \
	>"$S/out" 2>"$S/err"
RC=$?
expect_rc 8 "missing profile by name"
expect_err "$WORK/nowhere/corp.json" "missing profile by name"
cmp -s "$S/m.json" "$S/m.orig" || sfail "broken files: the firmware state changed"
ok "unreadable profile files: exit 8, path named"

# A profile by name from AMTACT_PROFILE_DIR works like one by path.
scenario byname amt12-acm
mkdir -p "$WORK/profiles"
profile "$WORK/profiles/corp.json" corp '{}'
AMTACT_PROFILE_DIR=$WORK/profiles "$AMTACT" --device "sim:$S/m.json" run --profile corp \
	--json >"$S/out" 2>"$S/err"
RC=$?
expect_rc 0 "profile by name"
is "$(out 'd["profile"]')" corp "by name: profile"
is "$(jfile "$S/report.json" 'd["profile"]')" corp "by name: report"
ok "profile by name from AMTACT_PROFILE_DIR"

# As root: unsafe ownership or mode of the profile or its directory is refused (exit 4).
if [ "$(id -u)" = 0 ]; then
	scenario unsafe amt16-factory
	cp "$S/m.json" "$S/m.orig"
	chmod 0664 "$S/p.json"
	run
	expect_rc 4 "group-writable profile as root"
	expect_err "$S/p.json: writable by group or others" "group-writable profile"
	chmod 0644 "$S/p.json"
	chmod 0777 "$S"
	run
	expect_rc 4 "world-writable profile directory as root"
	expect_err "directory $S: writable by group or others" "world-writable directory"
	chmod 0755 "$S"
	chown 65534 "$S/p.json"
	run
	expect_rc 4 "profile not owned by root"
	expect_err "$S/p.json: owned by uid 65534, must be owned by uid 0" "foreign owner"
	chown 0 "$S/p.json"
	run
	expect_rc 0 "the same profile, safe again"
	ok "as root: group-writable, directory world-writable, foreign owner: exit 4"
else
	note "not root: the ownership/mode checks of a root run are not exercised"
fi

# --- the technician's system name -------------------------------------------------------------
scenario tech amt16-factory '{"system_name": {"source": "ask", "value": null}}'
cp "$S/m.json" "$S/m.orig"
run
expect_rc 8 "ask without a terminal"
expect_err "standard input is not a terminal" "ask without a terminal"
cmp -s "$S/m.json" "$S/m.orig" || sfail "ask without a terminal: the firmware state changed"
[ ! -e "$S/report.json" ] || sfail "ask without a terminal: a report was written"
run --system-name lab-07
expect_rc 0 "ask without a terminal, --system-name given"
is "$(jfile "$S/report.json" 'd["system"]["name"]')" lab-07 "--system-name in the report"
run --system-name 'bad name'
expect_rc 2 "ask, an invalid --system-name"
ok "ask without a terminal: clear message, exit 8; --system-name instead"


rm -rf "$S/state" "$S/report.json"
cp "$S/m.orig" "$S/m.json"
ontty "$(printf 'not a name!\ntech-pc-07')" "$AMTACT" --device "sim:$S/m.json" run \
	--profile "$S/p.json" >"$S/out" 2>&1
RC=$?
expect_rc 0 "ask on a terminal"
grep -qF '"not a name!" is not a usable name' "$S/out" || sfail "tty: the bad name was not refused"
is "$(grep -c 'System name: ' "$S/out")" 2 "tty: prompts"
is "$(jfile "$S/report.json" 'd["system"]["name"]')" tech-pc-07 "tty: the typed name in the report"
is "$(m 'd["provisioning_state"]')" 1 "tty: the run went on"
cp "$S/m.orig" "$S/m.json"
rm -rf "$S/state" "$S/report.json"
ontty "$(printf 'a b\n-x\ny_z')" "$AMTACT" --device "sim:$S/m.json" run \
	--profile "$S/p.json" >"$S/out" 2>&1
# shellcheck disable=SC2034 # expect_rc (lib_run.sh) reads it
RC=$?
expect_rc 8 "three bad names on a terminal"
grep -qF "no usable system name was typed" "$S/out" || sfail "tty: no final message"
cmp -s "$S/m.json" "$S/m.orig" || sfail "tty, three bad names: the firmware state changed"
ok "ask on a terminal: the name is validated, retyped, and reported"
