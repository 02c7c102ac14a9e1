#!/bin/sh
# SPDX-License-Identifier: MIT
# Rewrites the expected exit of every case, and the expected stdout of the cases that have
# one, from the current build, for an intended change of output. Review
# `git diff tests/cases` line by line before committing: an expected file is a claim about
# what is right, not a record of what the code did.
set -eu
TOPDIR=$(cd "$(dirname "$0")/../.." && pwd)
AMTACT=${AMTACT:-$TOPDIR/build/amtact}
for d in "$TOPDIR"/tests/cases/*/; do
	d=${d%/}
	[ -f "$d/args" ] || continue
	work=$(mktemp -d)
	set --
	if [ -f "$d/state.json" ]; then
		cp "$d/state.json" "$work/state.json"
	elif [ -f "$d/machine" ]; then
		cp "$TOPDIR/profiles/machines/$(cat "$d/machine")" "$work/state.json"
	fi
	[ -f "$work/state.json" ] && set -- --device "sim:$work/state.json"
	while IFS= read -r a || [ -n "$a" ]; do
		a=$(printf '%s' "$a" | sed "s|@WORK@|$work|g; s|@TOP@|$TOPDIR|g")
		set -- "$@" "$a"
	done <"$d/args"
	rc=0
	(cd "$work" && AMTACT_DEVICE= "$AMTACT" "$@") >"$work/out" 2>/dev/null </dev/null || rc=$?
	# Only cases that compare stdout get it rewritten; the others check stderr.grep.
	[ -f "$d/stdout" ] && cp "$work/out" "$d/stdout"
	echo "$rc" >"$d/exit"
	rm -rf "$work"
	echo "$(basename "$d"): exit $rc"
done
