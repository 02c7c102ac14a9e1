#!/bin/sh
# SPDX-License-Identifier: MIT
# Per-command help (src/help.c) against the code and the man page: for every command that
# `amtact help` lists, `help COMMAND` and `COMMAND --help` print the same text (usage,
# options, examples) with exit 0; every long option the command's option table accepts is in
# its help; every option its help names is documented in man/amtact.8 (amtact-diagnose.8 for
# diagnose). Also: global options after the command, and option errors named "amtact: ...".
set -u
. "$(dirname "$0")/lib.sh"
[ -x "$AMTACT" ] || fail "$AMTACT is not built"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/amtact-help.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# The long options a command's source accepts (the write commands' shared ones included).
source_options() {
	write=0
	case $1 in
	info | status) files=src/cmd_common.c ;;
	start-config) files=src/cmd_config.c write=1 ;;
	stop-config | set-suffix | zero-touch | enable-amt | unprovision) files="" write=1 ;;
	set-otp) files=src/cmd_set_otp.c write=1 ;;
	help | version) files="" ;;
	install-task | uninstall-task) files=src/cmd_task.c ;;
	*) files=src/cmd_$(echo "$1" | tr - _).c ;;
	esac
	[ "$write" = 1 ] && files="$files include/cmd_write.h"
	for f in $files; do
		grep -o '{ "[a-z-]*", [a-z_]*_argument' "$TOPDIR/$f" | cut -d'"' -f2
	done | grep -vx -e help -e otp | sort -u
}

cmds=$("$AMTACT" help | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z-]*\) .*/\1/p')
[ "$(echo "$cmds" | wc -l)" -ge 15 ] || fail "amtact help lists too few commands: $cmds"
for c in $cmds; do
	"$AMTACT" help "$c" >"$WORK/help" 2>"$WORK/err" || fail "help $c: exit $?"
	[ -s "$WORK/err" ] && fail "help $c wrote to stderr: $(cat "$WORK/err")"
	if [ "$c" != help ]; then
		"$AMTACT" "$c" --help >"$WORK/dash" 2>&1 || fail "$c --help: exit $?"
		cmp -s "$WORK/help" "$WORK/dash" || fail "help $c and $c --help differ"
	fi
	head -n 1 "$WORK/help" | grep -q "^usage: amtact $c" || fail "help $c: no usage line"
	grep -q '^Examples:' "$WORK/help" || fail "help $c: no examples"
	sed -n '/^Examples:/,/^$/p' "$WORK/help" | grep -q "^  amtact " ||
		fail "help $c: an example that does not run amtact"
	sed -n '/^Options:/,/^$/p' "$WORK/help" | grep -o -- '--[a-z][a-z-]*' | sort -u \
		>"$WORK/opts"
	for o in $(source_options "$c"); do
		grep -qx -- "--$o" "$WORK/opts" || fail "$c accepts --$o but its help does not say so"
	done
	man=man/amtact.8
	[ "$c" = diagnose ] && man=man/amtact-diagnose.8
	[ "$c" = usbkey ] && man=man/amtact-usbkey.8
	while read -r o; do
		esc=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
		grep -q -- "$esc" "$TOPDIR/$man" || fail "help $c names $o, which $man does not document"
	done <"$WORK/opts"
	ok "help $c: usage, $(wc -l <"$WORK/opts") options in code and man page, examples"
done
"$AMTACT" help no-such >/dev/null 2>"$WORK/err" && fail "help no-such: exit 0"
grep -q '^amtact: help: "no-such" is not a command' "$WORK/err" || fail "help no-such: $(cat "$WORK/err")"
ok "help of an unknown command: exit 2, says so"

# Global options after the command work as before it.
"$AMTACT" --device sim --json status >"$WORK/before"
rc1=$?
"$AMTACT" status --device sim --timeout 4000 --json >"$WORK/after"
rc2=$?
[ "$rc1" = "$rc2" ] && cmp -s "$WORK/before" "$WORK/after" ||
	fail "status --device sim --json after the command differs from before it"
"$AMTACT" run --device=sim --profile "$TOPDIR/profiles/report-only.json" --dry-run -v \
	>"$WORK/out" 2>"$WORK/err" || fail "run --device=sim after the command: $(cat "$WORK/err")"
ok "global options after the command"

# Option errors carry the program's name, not the path it was started by.
"$AMTACT" --no-such >/dev/null 2>"$WORK/err"
grep -q "^amtact: unrecognized option '--no-such'" "$WORK/err" ||
	fail "global option error: $(head -n 1 "$WORK/err")"
"$AMTACT" info --no-such >/dev/null 2>"$WORK/err"
grep -q "^amtact: info: unrecognized option '--no-such'" "$WORK/err" ||
	fail "command option error: $(head -n 1 "$WORK/err")"
ok "option errors say amtact: and the command"
