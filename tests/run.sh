#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs every test: static checks, the cmocka unit tests, the data-driven command cases and
# the integration tests (FUSE device, interim server), each under its own timeout. Ends with
# one line "N passed, N failed, N skipped". Called by `make check` (BUILD set by make).
set -u
TOPDIR=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOPDIR/$BUILD ;; esac
AMTACT=$BUILD/amtact
AMTSIM=$BUILD/amtsim
TEST_TIMEOUT=${TEST_TIMEOUT:-300}
export TOPDIR BUILD AMTACT AMTSIM
# Sanitizer runs: fail on the first report, keep leak checking on.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

passed=0
failed=0
skipped=0
failures=""
LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/amtact-tests.XXXXXX")
trap 'rm -rf "$LOGDIR"' EXIT

pass() { passed=$((passed + 1)); echo "PASS: $1"; }
skip() { skipped=$((skipped + 1)); echo "SKIP: $1${2:+ ($2)}"; }
fail() {
	failed=$((failed + 1))
	failures="$failures $1"
	echo "FAIL: $1"
	[ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/    | /' "$2" | tail -n 40
	return 0
}

# --- static checks -----------------------------------------------------------------------
static_checks() {
	log=$LOGDIR/static.log
	if grep -rnE '\b(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|gets|atoi|atol|sscanf)[[:space:]]*\(' \
		--include='*.c' --include='*.h' src heci include tests/unit tests/tools tests/fuzz >"$log" 2>&1; then
		fail "static: banned functions (shared/STYLE.md)" "$log"
	else
		pass "static: no banned functions"
	fi
	if sh tests/check_layers.sh "$TOPDIR" >"$LOGDIR/layers.log" 2>&1; then
		pass "static: every layer includes only what it may (tests/check_layers.sh)"
	else
		fail "static: forbidden includes (README.md, Layers)" "$LOGDIR/layers.log"
	fi
	if command -v mandoc >/dev/null 2>&1; then
		ok=1
		log=$LOGDIR/mandoc.log
		for m in man/*.[0-9]; do
			# -W style: also long lines and other style issues, each one reported
			mandoc -T lint -W style "$m" >>"$log" 2>&1 || ok=0
		done
		[ -s "$log" ] && ok=0
		# One date and version for every page (make install writes MANDATE, VERSION).
		heads=$(sed -n 's/^\.TH [^ ]* [0-9] \([^ ]* "[^"]*"\).*/\1/p' man/*.[0-9] | sort -u)
		[ "$(echo "$heads" | wc -l)" = 1 ] ||
			{ ok=0; echo "man pages with different .TH dates or versions: $heads" >>"$log"; }
		[ $ok = 1 ] && pass "static: man pages lint clean (mandoc -T lint -W style)" ||
			fail "static: mandoc -T lint -W style" "$log"
	else
		skip "static: man page lint" "mandoc not installed"
	fi
	shell_lint
}

# Every shell script of the tree (*.sh and files whose first line names sh or bash), checked
# with shellcheck at warning level and above, following sourced files; an exception is a
# "# shellcheck disable=SCnnnn # why" directive at the place it applies.
shell_lint() {
	log=$LOGDIR/shellcheck.log
	if ! command -v shellcheck >/dev/null 2>&1; then
		skip "static: shellcheck" "shellcheck not installed (apt-get install shellcheck)"
		return
	fi
	files=$(cd "$TOPDIR" && { git ls-files '*.sh' 2>/dev/null || find . -name '*.sh'; } |
		grep -v '^tests/fuzz/corpus/')
	files="$files $(cd "$TOPDIR" && grep -rlE --exclude-dir=.git --exclude-dir=build \
		--exclude-dir=build-asan --exclude-dir=build-fuzz --exclude-dir=tests \
		--exclude='*.sh' '^#!/bin/(ba)?sh' . 2>/dev/null)"
	# shellcheck disable=SC2086 # one file name per word: the tree has no spaces in names
	if (cd "$TOPDIR" && shellcheck -x -S warning $files) >"$log" 2>&1; then
		pass "static: shell scripts shellcheck clean ($(echo $files | wc -w) files)"
	else
		fail "static: shellcheck -x -S warning" "$log"
	fi
}

# tally NAME RC LOG OK_N FAIL_N SKIP_N ERROR-REGEX: count a test program's cases; one
# PASS/FAIL line for the program (with the log lines matching ERROR-REGEX on failure).
tally() {
	passed=$((passed + $4))
	skipped=$((skipped + $6))
	if [ "$2" -ne 0 ] || [ "$5" -gt 0 ]; then
		n=$5
		[ "$n" -gt 0 ] || n=1
		failed=$((failed + n))
		failures="$failures $1"
		echo "FAIL: $1 (exit $2)"
		grep -E "$7" "$3" | head -n 30 | sed 's/^/    | /'
	else
		echo "PASS: $1 ($4 tests${6:+, $6 skipped})"
	fi
}

# --- cmocka unit tests -------------------------------------------------------------------
unit_tests() {
	for t in "$BUILD"/tests/test_*; do
		[ -x "$t" ] || continue
		log=$LOGDIR/$(basename "$t").log
		( cd "$TOPDIR" && timeout "$TEST_TIMEOUT" "$t" ) >"$log" 2>&1
		rc=$?
		tally "unit/$(basename "$t")" "$rc" "$log" "$(grep -c '^\[       OK \]' "$log")" \
			"$(grep -cE '^\[  FAILED  \] [A-Za-z_]' "$log")" \
			"$(grep -cE '^\[  SKIPPED \] [A-Za-z_]' "$log")" \
			'FAILED|ERROR|error|Sanitizer|runtime error'
	done
}

# --- the interim server's Python unit tests (server/tests, stdlib unittest) --------------
python_tests() {
	log=$LOGDIR/server-unit.log
	if [ ! -x /usr/bin/python3 ]; then
		skip "server/unit" "python3 not installed"
		return
	fi
	( cd "$TOPDIR/server" && timeout "$TEST_TIMEOUT" /usr/bin/python3 -B -m unittest discover \
		-s tests -t . -v ) >"$log" 2>&1
	rc=$?
	tally server/unit "$rc" "$log" "$(grep -cE '\.\.\. ok$' "$log")" \
		"$(grep -cE '\.\.\. (FAIL|ERROR)$' "$log")" "$(grep -cE '\.\.\. skipped' "$log")" \
		'^(FAIL|ERROR):|Error'
}

# --- the committed fuzz corpus, replayed without a fuzzer ---------------------------------
# fuzz_replay checks the amthi corpus's verdicts against the file names; replay_NAME runs
# every target's corpus and named regression inputs (tests/fuzz/{corpus,regress}/NAME/).
fuzz_corpus() {
	log=$LOGDIR/fuzz_replay.log
	if [ ! -x "$BUILD/tests/fuzz_replay" ]; then
		fail "fuzz: $BUILD/tests/fuzz_replay not built"
		return
	fi
	if ( cd "$TOPDIR" && timeout "$TEST_TIMEOUT" "$BUILD/tests/fuzz_replay" ) >"$log" 2>&1; then
		pass "fuzz: amthi corpus verdicts ($(ls tests/fuzz/corpus/amthi | wc -l) inputs)"
	else
		fail "fuzz: amthi corpus verdicts" "$log"
	fi
	for src in "$TOPDIR"/tests/fuzz/fuzz_*.c; do
		t=$(basename "$src" .c)
		t=${t#fuzz_}
		log=$LOGDIR/replay_$t.log
		if [ ! -x "$BUILD/tests/replay_$t" ]; then
			fail "fuzz: $BUILD/tests/replay_$t not built"
			continue
		fi
		set -- "tests/fuzz/corpus/$t"
		[ -d "$TOPDIR/tests/fuzz/regress/$t" ] && set -- "$@" "tests/fuzz/regress/$t"
		if ( cd "$TOPDIR" && timeout "$TEST_TIMEOUT" "$BUILD/tests/replay_$t" "$@" ) \
			>"$log" 2>&1; then
			pass "fuzz: $t replay ($(tail -n 1 "$log" | sed 's/^replay: //'))"
		else
			fail "fuzz: $t replay" "$log"
		fi
	done
}

# --- data-driven command cases (tests/cases/NAME/) ---------------------------------------
# Each case folder: args (one argument per line), machine (a file under profiles/machines)
# or state.json (an emulator state in the folder) - amtact then runs with
# --device sim:<a private copy> - exit (expected code), stdout (expected exactly) and/or
# stderr.grep (a fixed string stderr must contain).
. "$TOPDIR/tests/cases/lib.sh"
run_case() {
	dir=$1
	name=case/$(basename "$dir")
	work=$LOGDIR/$(basename "$dir")
	case_run "$dir" "$work"
	rc=$(cat "$work/exit")
	want=$(cat "$dir/exit")
	msg=""
	[ "$rc" = "$want" ] || msg="exit $rc, expected $want"
	if [ -z "$msg" ] && [ -f "$dir/stdout" ] && ! cmp -s "$dir/stdout" "$work/out"; then
		diff -u "$dir/stdout" "$work/out" >"$work/diff"
		msg="stdout differs"
	fi
	if [ -z "$msg" ] && [ -f "$dir/stderr.grep" ] &&
		! grep -qF -- "$(cat "$dir/stderr.grep")" "$work/err"; then
		msg="stderr lacks: $(cat "$dir/stderr.grep")"
	fi
	if [ -z "$msg" ]; then
		pass "$name"
	else
		{ echo "$msg"; [ -f "$work/diff" ] && cat "$work/diff"; echo "stderr:"; cat "$work/err"; } >"$work/log"
		fail "$name" "$work/log"
	fi
}

case_tests() {
	if [ ! -x "$AMTACT" ]; then
		fail "cases: $AMTACT not built"
		return
	fi
	for d in "$TOPDIR"/tests/cases/*/; do
		[ -f "$d/args" ] && run_case "${d%/}"
	done
}

# --- integration tests (tests/integration/*.sh: 0 pass, 77 skip, else fail) --------------
integration_tests() {
	for t in "$TOPDIR"/tests/integration/*.sh; do
		[ -f "$t" ] || continue
		case $(basename "$t") in lib*.sh) continue ;; esac
		name=integration/$(basename "$t" .sh)
		log=$LOGDIR/$(basename "$t").log
		( cd "$TOPDIR" && timeout -k 10 "$TEST_TIMEOUT" sh "$t" ) >"$log" 2>&1 </dev/null
		rc=$?
		case $rc in
		0) pass "$name" ;;
		77) skip "$name" "$(grep -m1 -i 'skip' "$log" | cut -c1-160)" ;;
		124 | 137) fail "$name (timed out after ${TEST_TIMEOUT}s)" "$log" ;;
		*) fail "$name (exit $rc)" "$log" ;;
		esac
	done
}

cd "$TOPDIR" || exit 1
echo "== amtact tests (build: $BUILD)"
static_checks
unit_tests
python_tests
fuzz_corpus
case_tests
integration_tests
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
