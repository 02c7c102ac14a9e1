#!/bin/sh
# SPDX-License-Identifier: MIT
# The data-driven command cases (tests/cases/NAME/) against amtact.exe under wine, with the
# same expected exit codes, stdout bytes and stderr texts as on Linux. Left out, because
# the operating system legitimately differs (the Linux device files they name):
#   bad-device-directory  a folder as --device: Linux says "is a directory" (EISDIR from
#                         open); Windows refuses to open a folder as a device (access denied)
#   bad-device-not-mei    /dev/null as --device: a Linux character device that is not MEI
# Environment from run.sh (WIN_BUILD, WINE, TOPDIR).
set -u
TOPDIR=${TOPDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
WIN_BUILD=${WIN_BUILD:-$TOPDIR/build/windows}
WINE=${WINE:-/usr/lib/wine/wine64}
EXE=$WIN_BUILD/amtact.exe
[ -x "$WINE" ] || { echo "SKIP: wine64 is not installed ($WINE)"; exit 77; }
[ -f "$EXE" ] || { echo "SKIP: $EXE is not built (make windows)"; exit 77; }
. "$TOPDIR/tests/windows/lib.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/amtact-wincases.XXXXXX")
trap 'wine_stop; rm -rf "$WORK"' EXIT
wine_init >"$WORK/wineboot.log" 2>&1 || { cat "$WORK/wineboot.log"; exit 1; }

# case_run (tests/cases/lib.sh) runs "$AMTACT": here amtact.exe under wine. Wine maps
# the Unix paths of the cases (/tmp/...) through drive Z:, so they stay as they are.
AMTACT=$WORK/amtact-wine
printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$WINE" "$EXE" >"$AMTACT"
chmod +x "$AMTACT"
export AMTACT
. "$TOPDIR/tests/cases/lib.sh"

passed=0
failed=0
for d in "$TOPDIR"/tests/cases/*/; do
	d=${d%/}
	name=$(basename "$d")
	[ -f "$d/args" ] || continue
	case $name in bad-device-directory | bad-device-not-mei) continue ;; esac
	w=$WORK/$name
	case_run "$d" "$w"
	msg=""
	[ "$(cat "$w/exit")" = "$(cat "$d/exit")" ] ||
		msg="exit $(cat "$w/exit"), expected $(cat "$d/exit")"
	if [ -z "$msg" ] && [ -f "$d/stdout" ] && ! cmp -s "$d/stdout" "$w/out"; then
		msg="stdout differs: $(diff -u "$d/stdout" "$w/out" | head -n 20)"
	fi
	if [ -z "$msg" ] && [ -f "$d/stderr.grep" ] &&
		! grep -qF -- "$(cat "$d/stderr.grep")" "$w/err"; then
		msg="stderr lacks: $(cat "$d/stderr.grep"); stderr: $(head -c 600 "$w/err")"
	fi
	if [ -z "$msg" ]; then
		passed=$((passed + 1))
		echo "ok: case/$name"
	else
		failed=$((failed + 1))
		echo "FAIL: case/$name: $msg"
	fi
done
echo "cases under wine: $passed passed, $failed failed"
[ "$passed" -gt 30 ] || { echo "FAIL: too few cases ran ($passed)"; exit 1; }
[ "$failed" -eq 0 ]
