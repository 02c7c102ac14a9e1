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
[ $? = 8 ] || fail "mistyped profile: exit $?, expected 8"
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
