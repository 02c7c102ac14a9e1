#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs the Windows tests under wine64 (called by `make check-windows`): the cmocka unit
# tests built with mingw-w64 (HECI backend, port layer, USB names), then every
# tests/windows/*.sh check (0 pass, 77 skip, else fail). Ends with one line "N passed, N failed, N skipped".
# Environment: WIN_BUILD (the .exe files), WIN_PREFIX (the libraries), WINE.
set -u
TOPDIR=$(cd "$(dirname "$0")/../.." && pwd)
WIN_BUILD=${WIN_BUILD:-build/windows}
case $WIN_BUILD in /*) ;; *) WIN_BUILD=$TOPDIR/$WIN_BUILD ;; esac
WINE=${WINE:-/usr/lib/wine/wine64}
TEST_TIMEOUT=${TEST_TIMEOUT:-300}
if [ ! -x "$WINE" ]; then
	echo "SKIP: the Windows tests need wine64 ($WINE); make windows-deps installs it"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
. "$TOPDIR/tests/windows/lib.sh"
export TOPDIR WIN_BUILD WIN_PREFIX WINE

passed=0
failed=0
skipped=0
failures=""
LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/amtact-wintests.XXXXXX")
trap 'wine_stop; rm -rf "$LOGDIR"' EXIT

result() {
	case $2 in
	0) passed=$((passed + 1)); echo "PASS: $1" ;;
	77) skipped=$((skipped + 1)); echo "SKIP: $1 ($(grep -m1 -i skip "$3" | cut -c1-160))" ;;
	*)
		failed=$((failed + 1))
		failures="$failures $1"
		echo "FAIL: $1 (exit $2)"
		tail -n 40 "$3" | sed 's/^/    | /'
		;;
	esac
}

echo "== amtact Windows tests under wine ($WIN_BUILD)"
wine_init >"$LOGDIR/wineboot.log" 2>&1 || { cat "$LOGDIR/wineboot.log"; exit 1; }

# The cmocka tests built for Windows: each OK counts, a SKIPPED part is shown with its reason.
for t in test_heci_windows test_os_windows test_usbid; do
	log=$LOGDIR/$t.log
	timeout "$TEST_TIMEOUT" "$WINE" "$WIN_BUILD/$t.exe" >"$log" 2>&1
	rc=$?
	ok_n=$(grep -c '^\[       OK \]' "$log")
	if [ "$rc" -eq 0 ] && [ "$ok_n" -gt 0 ] && ! grep -q '^\[  FAILED  \]' "$log"; then
		passed=$((passed + ok_n))
		echo "PASS: wine/$t ($ok_n tests)"
		grep -B1 '^\[  SKIPPED \] test' "$log" | grep -v '^\[\|^--' | sed 's/^/    skipped: /'
	else
		[ "$rc" -ne 0 ] || rc=1
		result "wine/$t" "$rc" "$log"
	fi
done

for t in "$TOPDIR"/tests/windows/*.sh; do
	case $(basename "$t") in deps.sh | run.sh | lib*.sh) continue ;; esac
	name=wine/$(basename "$t" .sh)
	log=$LOGDIR/$(basename "$t").log
	(cd "$TOPDIR" && timeout -k 10 "$TEST_TIMEOUT" sh "$t") >"$log" 2>&1 </dev/null
	result "$name" $? "$log"
done
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
