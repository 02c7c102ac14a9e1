#!/bin/sh
# SPDX-License-Identifier: MIT
# amtact.exe itself: x86-64, imports only DLLs Windows ships (x86_64-w64-mingw32-objdump -p),
# `version` names the platform, and `--device sim:FILE info --json` and `status --json`
# print exactly what the Linux build prints for the same machine file (the ME facts have no
# OS part), for every example machine. Environment from run.sh; the Linux amtact from BUILD.
set -u
TOPDIR=${TOPDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
WIN_BUILD=${WIN_BUILD:-$TOPDIR/build/windows}
WINE=${WINE:-/usr/lib/wine/wine64}
BUILD=${BUILD:-$TOPDIR/build}
EXE=$WIN_BUILD/amtact.exe
OBJDUMP=${OBJDUMP:-x86_64-w64-mingw32-objdump}
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }
[ -x "$WINE" ] || { echo "SKIP: wine64 is not installed ($WINE)"; exit 77; }
[ -f "$EXE" ] || { echo "SKIP: $EXE is not built (make windows)"; exit 77; }
. "$TOPDIR/tests/windows/lib.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/amtact-winexe.XXXXXX")
trap 'wine_stop; rm -rf "$WORK"' EXIT
wine_init >"$WORK/wineboot.log" 2>&1 || { cat "$WORK/wineboot.log"; exit 1; }

"$OBJDUMP" -f "$EXE" | grep -q 'file format pei-x86-64' || fail "not an x86-64 PE executable"
"$OBJDUMP" -p "$EXE" | sed -n 's/^[[:space:]]*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u \
	>"$WORK/dlls"
[ -s "$WORK/dlls" ] || fail "objdump lists no imported DLL"
# What every Windows since 7 ships in System32; nothing of ours or of the build's.
for d in $(cat "$WORK/dlls"); do
	case $d in
	kernel32.dll | advapi32.dll | msvcrt.dll | user32.dll | ws2_32.dll | crypt32.dll | \
		bcrypt.dll | iphlpapi.dll | setupapi.dll | cfgmgr32.dll | gdi32.dll | secur32.dll) ;;
	*) fail "imports $d, which Windows does not ship (static linking broken?)" ;;
	esac
done
ok "imports only system DLLs: $(tr '\n' ' ' <"$WORK/dlls")"

"$WINE" "$EXE" version >"$WORK/version" 2>&1 || fail "version failed"
grep -qx 'amtact [0-9][0-9.]* (windows)' "$WORK/version" || fail "version: $(cat "$WORK/version")"
ok "version names the platform: $(cat "$WORK/version")"

[ -x "$BUILD/amtact" ] || { echo "SKIP: $BUILD/amtact (Linux) is not built to compare"; exit 77; }
n=0
for m in "$TOPDIR"/profiles/machines/*.json; do
	name=$(basename "$m" .json)
	for cmd in "info --json" "status --json"; do
		# One path for both runs (messages name the device), a fresh copy for each.
		cp "$m" "$WORK/machine.json" || fail "copying $m"
		# shellcheck disable=SC2086
		"$BUILD/amtact" --device "sim:$WORK/machine.json" $cmd >"$WORK/lin.out" 2>/dev/null
		lrc=$?
		cp "$m" "$WORK/machine.json" || fail "copying $m"
		# shellcheck disable=SC2086
		"$WINE" "$EXE" --device "sim:$WORK/machine.json" $cmd >"$WORK/win.out" 2>/dev/null
		wrc=$?
		[ "$lrc" = "$wrc" ] || fail "$name $cmd: exit $wrc on Windows, $lrc on Linux"
		cmp -s "$WORK/lin.out" "$WORK/win.out" ||
			fail "$name $cmd differs: $(diff "$WORK/lin.out" "$WORK/win.out" | head -n 10)"
		n=$((n + 1))
	done
done
[ "$n" -ge 10 ] || fail "only $n comparisons"
ok "info --json and status --json byte for byte as on Linux ($n machine/command pairs)"
