#!/bin/sh
# SPDX-License-Identifier: MIT
# Shows, case by case, how the current build differs from the expected results in
# tests/cases/NAME/ (exit code, stdout, stderr.grep). It only reads: it never writes an
# expected file, so a changed output can only reach tests/cases through a reviewer.
#
#   sh tests/cases/show-diffs.sh [NAME...]      (all cases when no NAME is given)
#   AMTACT=path/to/amtact sh tests/cases/show-diffs.sh
#
# Exit status: 0 when every case matches, 1 when one differs, 2 on a usage error.
#
# Updating a golden file after an intended change of output, by hand:
#   1. Run this tool and read each diff: is the new output what a user should see?
#      An expected file is a claim about what is right, not a record of what the code did.
#   2. Edit tests/cases/NAME/stdout (or exit, or stderr.grep) in an editor so that it says
#      what is right; the "+" lines of the diff are the current output.
#   3. Run this tool again (no diff for NAME), then `git diff tests/cases` and explain in the
#      commit message why each expected result changed.
set -u
TOPDIR=$(cd "$(dirname "$0")/../.." && pwd)
AMTACT=${AMTACT:-$TOPDIR/build/amtact}
if [ ! -x "$AMTACT" ]; then
	echo "show-diffs: $AMTACT is not built (run make, or set AMTACT)" >&2
	exit 2
fi
. "$TOPDIR/tests/cases/lib.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/amtact-show-diffs.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
differ=0

# Prints what differs for case folder $1 (nothing when it matches).
show_one() {
	dir=$1
	name=$(basename "$dir")
	work=$WORK/$name
	{
		want=$(cat "$dir/exit")
		got=$(cat "$work/exit")
		[ "$want" = "$got" ] || echo "exit: expected $want, got $got"
		[ -f "$dir/stdout" ] && ! cmp -s "$dir/stdout" "$work/out" &&
			diff -u --label "expected $name/stdout" --label "actual stdout" \
				"$dir/stdout" "$work/out"
		[ -f "$dir/stderr.grep" ] &&
			! grep -qF -- "$(cat "$dir/stderr.grep")" "$work/err" &&
			printf 'stderr lacks: %s\nstderr:\n%s\n' "$(cat "$dir/stderr.grep")" \
				"$(cat "$work/err")"
	} >"$work/report"
	if [ -s "$work/report" ]; then
		differ=1
		echo "== $name"
		cat "$work/report"
	fi
}

if [ $# -eq 0 ]; then
	set -- "$TOPDIR"/tests/cases/*/
fi
for c in "$@"; do
	case $c in */*) dir=${c%/} ;; *) dir=$TOPDIR/tests/cases/$c ;; esac
	if [ ! -f "$dir/args" ]; then
		echo "show-diffs: $c: no such case (a folder of tests/cases with an args file)" >&2
		exit 2
	fi
	case_run "$dir" "$WORK/$(basename "$dir")"
	show_one "$dir"
done
[ $differ = 0 ] && echo "every case matches its expected results"
exit $differ
