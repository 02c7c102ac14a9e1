#!/bin/sh
# SPDX-License-Identifier: MIT
# Text from a profile never drives the terminal: escape sequences in keys, pins and paths
# (C0 like ESC and BEL, C1 raw or UTF-8 encoded) come out as '?' on stderr and stdout.
. "$(dirname "$0")/lib.sh"
[ -x "$AMTACT" ] || fail "$AMTACT is not built"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/amtact-esc.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

ESC=$(printf '\033')
BEL=$(printf '\007')
CSI8=$(printf '\302\233')   # U+009B, the 8-bit CSI, as UTF-8

# clean FILE WHAT: FILE holds none of the bytes a terminal acts on.
clean() {
	if LC_ALL=C grep -q "[$ESC$BEL]" "$1" || LC_ALL=C grep -qF "$CSI8" "$1"; then
		od -c "$1" | head -n 20
		fail "$2: control bytes reached the output"
	fi
}

# check NAME JSON: profile-check of that profile; stdout and stderr must be clean.
check() {
	printf '%s\n' "$2" >"$WORK/$1.json"
	"$AMTACT" profile-check "$WORK/$1.json" >"$WORK/$1.out" 2>"$WORK/$1.err"
	RC=$?
	clean "$WORK/$1.out" "$1 (stdout)"
	clean "$WORK/$1.err" "$1 (stderr)"
}

check key '{"schema": 1, "method": "remote_configuration", "\u001b[31mred\u0007": 1}'
[ "$RC" = 8 ] || fail "key: exit $RC"
grep -qF '?[31mred?' "$WORK/key.err" || fail "key: the field is not named ($(cat "$WORK/key.err"))"
ok "an unknown key with ESC and BEL: named, with ? for each"

check pin '{"schema": 1, "method": "remote_configuration", "server": {"url": "https://x.example/r", "pin_sha256": "\u009b2J\u001b]0;t\u0007"}}'
[ "$RC" = 8 ] || fail "pin: exit $RC"
ok "a pin with a C1 CSI, an OSC title sequence and BEL: refused, cleaned"

check path '{"schema": 1, "method": "remote_configuration", "spool_dir": "/tmp/a\u001b[2Jb"}'
[ "$RC" = 8 ] || fail "path: exit $RC ($(cat "$WORK/path.err"))"
check name '{"schema": 1, "method": "remote_configuration", "name": "corp\u009b2J"}'
[ "$RC" = 8 ] || fail "name: exit $RC ($(cat "$WORK/name.err"))"
check value '{"schema": 1, "method": "remote_configuration", "system_name": {"source": "fixed", "value": "pc\u001b[2J"}}'
[ "$RC" = 8 ] || fail "value: exit $RC ($(cat "$WORK/value.err"))"
ok "a path, a name and a system name with escape sequences: refused, cleaned"
