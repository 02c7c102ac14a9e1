#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs libFuzzer targets built by `make fuzz`: each for SECONDS on one core, starting from
# its committed corpus and regression inputs plus a working corpus kept in
# $FUZZ_BUILD/corpus/NAME/ (new finds; never committed automatically). A crash, leak,
# sanitizer report or timeout keeps the input as $FUZZ_BUILD/crash-NAME-* and fails.
# FUZZ_RUNS=N also stops each target after N executions (whichever comes first).
# Prints one line per target: seconds, execs, execs/s, corpus size, result.
# Usage: tests/fuzz/run.sh SECONDS TARGET...   (FUZZ_BUILD defaults to build-fuzz)
set -u
TOPDIR=$(cd "$(dirname "$0")/../.." && pwd)
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
case $FUZZ_BUILD in /*) ;; *) FUZZ_BUILD=$TOPDIR/$FUZZ_BUILD ;; esac
secs=${1:?usage: run.sh SECONDS TARGET...}
runs=${FUZZ_RUNS:--1}
shift
failed=""
printf '%-10s %7s %12s %9s %7s %s\n' target seconds execs execs/s corpus result
for t in "$@"; do
	bin=$FUZZ_BUILD/fuzz_$t
	work=$FUZZ_BUILD/corpus/$t
	log=$FUZZ_BUILD/fuzz_$t.log
	mkdir -p "$work"
	set -- "$work" "$TOPDIR/tests/fuzz/corpus/$t"
	[ -d "$TOPDIR/tests/fuzz/regress/$t" ] && set -- "$@" "$TOPDIR/tests/fuzz/regress/$t"
	# the hard timeout only guards against a hang of libFuzzer itself
	( cd "$TOPDIR" && timeout $((secs + 60)) "$bin" -max_total_time="$secs" -runs="$runs" \
		-timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$FUZZ_BUILD/crash-$t-" "$@" ) >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
	files=$(ls "$work" | wc -l)
	if [ "$rc" -eq 0 ]; then
		result=ok
	else
		result="FAILED (exit $rc, see $log)"
		failed="$failed $t"
	fi
	printf '%-10s %7s %12s %9s %7s %s\n' "$t" "${took:-?}" "${execs:-?}" "${rate:-?}" "$files" "$result"
	if [ "$rc" -ne 0 ]; then
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -n 10 |
			sed 's/^/    | /'
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed" >&2
	exit 1
fi
