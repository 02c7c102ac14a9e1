#!/bin/sh
# SPDX-License-Identifier: MIT
# The JSON contract on failing paths: with --json (before or after the command), an exit
# code that says something failed (anything but 0, 10, 11, 12 and 13; amtact(8), EXIT
# STATUS) always comes with a JSON document on stdout carrying an "error" object whose
# exit_code is the process's, with a name and a non-empty message. Walks every command with
# a bad option, a stray argument, no device, a device that is not a MEI device, a broken
# emulator state file, and run/profile-check with missing, mistyped and unusable profiles.
set -u
. "$(dirname "$0")/lib.sh"
[ -x "$AMTACT" ] || fail "$AMTACT is not built"
[ -x /usr/bin/python3 ] || skip "python3 missing"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/amtact-json-errors.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/profiles"
export AMTACT_PROFILE_DIR="$WORK/profiles" AMTACT_SPOOL="$WORK/spool"
printf '{ not json' >"$WORK/broken.json"
printf '{ "schema": 1, "name": "ask", "method": "report_only", "report_file": "%s",
  "state_dir": "%s", "spool_dir": "%s", "system_name": { "source": "ask" } }\n' \
	"$WORK/r.json" "$WORK/state" "$WORK/run-spool" >"$WORK/profiles/ask.json"
printf '{ "schema": 1, "name": "typo", "method": "sideways" }\n' >"$WORK/profiles/typo.json"
printf 'Secret123\n' >"$WORK/otp.txt"
chmod 0600 "$WORK/otp.txt"

# verdict RC FILE: 0 when FILE holds one JSON document with a matching "error" object.
verdict() {
	/usr/bin/python3 -c '
import json, sys
rc = int(sys.argv[1])
doc = json.load(open(sys.argv[2]))
e = doc.get("error")
assert isinstance(e, dict), "no error object"
assert e.get("exit_code") == rc, "error.exit_code %r, exit %d" % (e.get("exit_code"), rc)
assert isinstance(e.get("code"), str) and e["code"], "no error.code"
assert isinstance(e.get("message"), str) and e["message"].strip(), "empty error.message"
' "$1" "$2"
}

count=0
# try ARGS...: run amtact with ARGS (stdin not a terminal); it must fail, and fail in JSON.
try() {
	count=$((count + 1))
	"$AMTACT" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
	rc=$?
	case $rc in
	0 | 10 | 11 | 12 | 13) fail "amtact $*: exit $rc, expected a failure" ;;
	esac
	verdict "$rc" "$WORK/out" 2>"$WORK/why" ||
		fail "amtact $* (exit $rc): $(tail -n 1 "$WORK/why"); stdout: $(head -c 300 "$WORK/out")"
}

# Before and after the command, for each failing line.
both() {
	cmd=$1
	shift
	try --json "$cmd" "$@"
	try "$cmd" "$@" --json
}

DEVS="/dev/null $WORK/no-such-mei sim:$WORK/broken.json sim:$WORK/missing.json"
for cmd in info status diagnose enable-amt unprovision stop-config start-config \
	zero-touch set-suffix set-otp run profile-check report; do
	both "$cmd" --no-such-option
	try --json "$cmd" --device
done
for cmd in info status diagnose enable-amt unprovision stop-config start-config; do
	both "$cmd" stray-argument
	for dev in $DEVS; do
		both "$cmd" --device "$dev"
	done
done
for dev in $DEVS; do
	both zero-touch enable --device "$dev"
	both set-suffix corp.example.com --device "$dev"
	both set-otp --otp-file "$WORK/otp.txt" --device "$dev"
	# Each a first run: a box without a device is reported once and then quiet (13).
	rm -rf "$WORK/state"
	try --json run --profile ask --system-name pc-1 --device "$dev"
	rm -rf "$WORK/state"
	try run --profile ask --system-name pc-1 --device "$dev" --json
done
both zero-touch sideways --device sim
both set-suffix "bad..suffix" --device sim
both set-otp --device sim
both set-otp --otp Secret123 --device sim
both set-otp --otp-file "$WORK/missing-otp" --device sim
both set-otp --generate --device sim
both start-config --wait=99999 --device sim
both run
both run --profile
both run --profile no-such-profile --device sim
both run --profile typo --device sim
both run --profile "$WORK/broken.json" --device sim
both run --profile ask --device sim
both run --profile ask --system-name "not a name" --device sim
both profile-check
both profile-check no-such-profile
both profile-check typo
both profile-check "$WORK/broken.json"
both report
both report --flush
both report --flush --server http://127.0.0.1:9/ --spool "$WORK/spool"
both report --submit "$WORK/missing" --id x --server https://127.0.0.1:9/
both diagnose --cert-chain "$WORK/missing.pem" --device sim
both no-such-command
both info --timeout 0
try --json info --timeout
# Documents of their own that end in a failure: no AMT, AMT disabled, a predicted refusal.
for m in noamt amt16-disabled amt12-acm; do
	cp "$MACHINES/$m.json" "$WORK/$m.json"
done
for m in noamt amt16-disabled; do
	both info --device "sim:$WORK/$m.json"
	both status --device "sim:$WORK/$m.json"
	both diagnose --device "sim:$WORK/$m.json"
done
both unprovision --device "sim:$WORK/amt12-acm.json"
both set-otp --otp-file "$WORK/otp.txt" --device "sim:$WORK/amt12-acm.json"
both start-config --device "sim:$WORK/amt12-acm.json"
try --json
try --json --timeout=nope info
ok "$count failing command lines, each with a JSON error object"
