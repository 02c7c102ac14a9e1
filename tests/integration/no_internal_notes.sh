#!/bin/sh
# SPDX-License-Identifier: MIT
# What amtact shows people and scripts names public documents, never the project's own notes:
# every read and write command, text and --json, on every example machine (writes on a copy,
# both sent and refused, so every rule's source text appears), must not mention an issue
# number, a notes file (USERS.md, rcfg.md, protocol.md) or a file of the source tree (doc/*.md).
. "$(dirname "$0")/lib.sh"

[ -x "$AMTACT" ] || fail "$AMTACT is not built"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/amtact-notes.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
OUT=$WORK/all.out
: >"$OUT"
printf 'Kq7mZ3pR9xWt2vLc\n' >"$WORK/otp"
chmod 600 "$WORK/otp"

# run MACHINE-COPY ARGS...: text and JSON, stdout and stderr, collected in $OUT.
run() {
	dev=$1
	shift
	"$AMTACT" --device "sim:$dev" "$@" >>"$OUT" 2>&1 </dev/null
	"$AMTACT" --device "sim:$dev" --json "$@" >>"$OUT" 2>&1 </dev/null
}

n=0
for m in "$MACHINES"/*.json; do
	box=$WORK/box.json
	for cmd in "info" "status" "diagnose" \
		"set-otp --otp-file $WORK/otp --dry-run" "set-suffix new.example.org --dry-run" \
		"start-config --dry-run" "stop-config --dry-run" "zero-touch enable --dry-run" \
		"zero-touch disable --dry-run" "enable-amt --dry-run" "unprovision --dry-run" \
		"set-otp --otp-file $WORK/otp" "set-suffix new.example.org" "zero-touch enable" \
		"zero-touch disable" "enable-amt" "stop-config" "unprovision" "start-config"; do
		cp "$m" "$box"
		# shellcheck disable=SC2086 # the command's words
		run "$box" $cmd
		n=$((n + 1))
	done
done
[ -s "$OUT" ] || fail "the commands printed nothing"
# The rule sources must really be in the output, or this test would prove nothing.
grep -q '"source":[[:space:]]*"[^"]' "$OUT" || fail "no rule source in the output: the test does not see them"
ok "$n command lines on $(ls "$MACHINES"/*.json | wc -l) machines, text and JSON"
if grep -nE 'issue [0-9]|USERS\.md|rcfg\.md|protocol\.md|doc/(firmware|remote-config)\.md|shared/reference' \
	"$OUT" >"$WORK/hits"; then
	head -n 20 "$WORK/hits"
	fail "internal notes reach the output"
fi
ok "no issue numbers, notes files or source-tree documents in the output"
