#!/bin/sh
# SPDX-License-Identifier: MIT
# Text output for people: a mistyped profile name lists the profiles there; a dry run shows
# what each action would send; no doubled words in the Report line; an empty suffix reads
# "(none)" as in info; a healthy AMT 16's info lists no expected INVALID_COMMAND as a problem.
set -u
. "$(dirname "$0")/lib.sh"
[ -x "$AMTACT" ] || fail "$AMTACT is not built"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/amtact-text.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/profiles"
for p in psk report-only; do
	sed "s|/var/lib/amtact/last-report.json|$WORK/last-report.json|" \
		"$TOPDIR/profiles/$p.json" >"$WORK/profiles/$p.json"
done
export AMTACT_PROFILE_DIR="$WORK/profiles"

"$AMTACT" --device sim run --profile report-onyl >"$WORK/out" 2>"$WORK/err"
rc=$?
[ "$rc" = 8 ] || fail "mistyped profile: exit $rc, expected 8"
grep -q 'no profile "report-onyl" there (profiles there: psk, report-only)' "$WORK/err" ||
	fail "mistyped profile does not list the names: $(cat "$WORK/err")"
AMTACT_PROFILE_DIR=$WORK/none "$AMTACT" profile-check x >/dev/null 2>"$WORK/err"
grep -q 'no profile "x" there (and the directory cannot be read)' "$WORK/err" ||
	fail "profile directory missing: $(cat "$WORK/err")"
ok "a mistyped profile name lists the profiles there"

cp "$MACHINES/amt16-factory.json" "$WORK/m.json"
cat >"$WORK/act.json" <<EOT
{ "schema": 1, "name": "act", "method": "remote_configuration", "report_file": "$WORK/r.json",
  "state_dir": "$WORK/state", "pki_dns_suffix": "corp.example.com", "hello": "never",
  "system_name": { "source": "hostname" } }
EOT
"$AMTACT" --device "sim:$WORK/m.json" run --profile "$WORK/act.json" --dry-run \
	>"$WORK/out" 2>"$WORK/err" || fail "dry run: exit $?: $(cat "$WORK/err")"
grep -q '^  set-suffix  *dry_run$' "$WORK/out" || fail "dry run: no set-suffix: $(cat "$WORK/out")"
grep -q '^  *would send: SET_DNS_SUFFIX (0x0400002F), payload u16 16 + "corp.example.com"$' \
	"$WORK/out" || fail "dry run does not show what would be sent: $(cat "$WORK/out")"
grep -q '^Report: dry run: the report was not sent$' "$WORK/out" ||
	fail "dry run: Report line: $(grep Report "$WORK/out")"
grep -q 'PKI DNS suffix (none)$' "$WORK/out" || fail "empty suffix: $(head -n 2 "$WORK/out")"
ok "dry run: what would be sent, one Report wording, (none) for an empty suffix"

"$AMTACT" --device "sim:$WORK/m.json" run --profile "$WORK/act.json" >"$WORK/out" 2>&1 ||
	fail "run: exit $?: $(cat "$WORK/out")"
grep -q "^Report: written to $WORK/r.json" "$WORK/out" ||
	fail "Report line: $(grep Report "$WORK/out")"
ok "Report line says the outcome once"

"$AMTACT" --device "sim:$WORK/m.json" info >"$WORK/out" 2>&1 || fail "info: exit $?"
grep -q "INVALID_COMMAND" "$WORK/out" && fail "info lists an expected INVALID_COMMAND"
grep -q '^  PID (PSK)  *not supported by this firmware$' "$WORK/out" ||
	fail "info: the PID row does not say it is not supported"
ok "info on AMT 16: GET_PID's INVALID_COMMAND in its row, not as a problem"

# Key generation: in a log or pipe one line when the wait starts and one when it ends (not
# a warning every few seconds); on a terminal one line rewritten in place.
keybox() {
	/usr/bin/python3 - "$MACHINES/amt16-factory.json" "$WORK/key.json" "$1" <<'PYEOF'
import json, sys, time
d = json.load(open(sys.argv[1]))
d["cert_ready_at"] = int(time.time()) + int(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"))
PYEOF
}
keybox 4
"$AMTACT" --device "sim:$WORK/key.json" start-config --wait=30 >"$WORK/out" 2>"$WORK/err" ||
	fail "start-config --wait: exit $?: $(cat "$WORK/err")"
[ "$(grep -c 'key' "$WORK/err")" = 2 ] || fail "key wait in a pipe: $(cat "$WORK/err")"
grep -q '^amtact: start-config: the firmware is still generating its key; waiting at most 30 s$' \
	"$WORK/err" || fail "key wait: no start line: $(cat "$WORK/err")"
grep -q "^amtact: start-config: the firmware's key is ready after [3-9] s$" "$WORK/err" ||
	fail "key wait: no end line: $(cat "$WORK/err")"
grep -q 'warning' "$WORK/err" && fail "key wait: a warning: $(cat "$WORK/err")"
ok "key generation in a pipe: a line at the start, one at the end"

keybox 3
ontty "" "$AMTACT" --device "sim:$WORK/key.json" start-config --wait=30 \
	>"$WORK/tty.raw" || fail "key wait on a terminal: exit $?"
sed 's/\r/<CR>/g' "$WORK/tty.raw" >"$WORK/tty"
grep -q 'generating its key: [0-9] s of at most 30 s' "$WORK/tty" ||
	fail "key wait on a terminal: no progress line: $(cat "$WORK/tty")"
grep -q "<CR>.*<CR>.\[Kamtact: start-config: the firmware's key is ready after" "$WORK/tty" ||
	fail "key wait on a terminal: not rewritten in place: $(cat "$WORK/tty")"
grep -q 'waiting at most' "$WORK/tty" && fail "key wait on a terminal: a start line too"
ok "key generation on a terminal: one line updated in place"

# One result line in the log file per run, whatever the log level.
sed "s|\"state_dir\"|\"log\": { \"file\": \"$WORK/run.log\", \"level\": \"error\" }, \"state_dir\"|" \
	"$WORK/act.json" >"$WORK/logged.json"
cp "$MACHINES/amt16-factory.json" "$WORK/m2.json"
"$AMTACT" --device "sim:$WORK/m2.json" run --profile "$WORK/logged.json" >/dev/null 2>&1
"$AMTACT" --device "$WORK/no-mei" run --profile "$WORK/logged.json" >/dev/null 2>&1
[ "$(grep -c ' run: result: ' "$WORK/run.log")" = 2 ] || fail "log: $(cat "$WORK/run.log")"
grep -q ' I run=[0-9a-f-]* run: result: done (exit 0)$' "$WORK/run.log" ||
	fail "log: no done line: $(cat "$WORK/run.log")"
grep -q ' E run=[0-9a-f-]* run: result: no MEI/HECI device or driver (exit 3): ' \
	"$WORK/run.log" || fail "log: no failure line: $(cat "$WORK/run.log")"
ok "the log file gets one result line per run"

# run: with "key_wait_s" it waits for the key; without, it says what happens next.
sed 's|"hello": "never"|"hello": "always"|' "$WORK/act.json" >"$WORK/hello.json"
sed 's|"hello": "never"|"hello": "always", "key_wait_s": 30|' "$WORK/act.json" \
	>"$WORK/hello-wait.json"
keybox 60
"$AMTACT" --device "sim:$WORK/key.json" run --profile "$WORK/hello.json" >"$WORK/out" \
	2>"$WORK/err" || fail "run, key not ready: exit $?: $(cat "$WORK/err")"
grep -q 'starts the hello packets by itself once the key is made' "$WORK/out" ||
	fail "run, key not ready: does not say what happens next: $(cat "$WORK/out")"
grep -q 'key' "$WORK/err" && fail "run without key_wait_s waited: $(cat "$WORK/err")"
keybox 3
rm -rf "$WORK/state"
"$AMTACT" --device "sim:$WORK/key.json" run --profile "$WORK/hello-wait.json" \
	>"$WORK/out" 2>"$WORK/err" || fail "run, key_wait_s: exit $?: $(cat "$WORK/err")"
grep -q "the firmware's key is ready: the hello packets are going out" "$WORK/out" ||
	fail "run, key_wait_s: $(cat "$WORK/out")"
grep -q "key is ready after" "$WORK/err" || fail "run, key_wait_s: no wait: $(cat "$WORK/err")"
ok "run waits for the key with key_wait_s, and says what happens next without"
