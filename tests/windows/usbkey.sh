#!/bin/sh
# SPDX-License-Identifier: MIT
# `amtact.exe usbkey write --key` refusing what is not a USB key, under wine, for real: wine's
# C: (a fixed disk to its storage driver), a folder that is not a drive's root, a drive
# letter nothing is mounted on, and a folder given a drive letter that wine reports as a
# network drive and as a CD drive (HKLM\Software\Wine\Drives). Each run exits 8, says why,
# and writes nothing. `diagnose` reads wine's adapters and route table and finds no USB
# adapter under the default route. Not modelled here (wine shows no USB devices): a real
# USB key being accepted with its identity, a USB adapter being flagged; the parsing those
# rely on is test_usbid.exe's. Environment from run.sh.
set -u
TOPDIR=${TOPDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
WIN_BUILD=${WIN_BUILD:-$TOPDIR/build/windows}
WINE=${WINE:-/usr/lib/wine/wine64}
EXE=$WIN_BUILD/amtact.exe
fail() {
	echo "FAIL: $*"
	[ -s "$WORK/err" ] && sed 's/^/  stderr| /' "$WORK/err"
	exit 1
}
ok() { echo "ok: $*"; }
[ -x "$WINE" ] || { echo "SKIP: wine64 is not installed ($WINE)"; exit 77; }
[ -f "$EXE" ] || { echo "SKIP: $EXE is not built (make windows)"; exit 77; }
. "$TOPDIR/tests/windows/lib.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/amtact-winusbkey.XXXXXX")
DRIVE=$WINEPREFIX/dosdevices/r:
cleanup() {
	rm -f "$DRIVE"
	"$WINE" reg delete 'HKLM\Software\Wine\Drives' /v r: /f >/dev/null 2>&1
	wine_stop
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
wine_init >"$WORK/wineboot.log" 2>&1 || { cat "$WORK/wineboot.log"; exit 1; }
[ -e "$DRIVE" ] && fail "drive R: of the wine prefix is taken ($(readlink "$DRIVE"))"
cd "$WORK" || exit 1
umask 077
printf 'Admin!23\n' >pw
printf 'ABCD1234 QRST1234EFGH5678IJKL9012MNOP9999\n' >pairs.txt
mkdir stick

# refused TARGET WHY: write --key TARGET exits 8 and says WHY; nothing is written.
refused() {
	"$WINE" "$EXE" usbkey write --amt 2.6 --psk pairs.txt --mebx-password pw --key "$1" \
		>out 2>err </dev/null
	rc=$?
	tr -d '\r' <err >err.txt
	[ "$rc" -eq 8 ] || fail "--key $1: exit $rc, not 8"
	grep -qF "amtact: usbkey: $2" err.txt || fail "--key $1: no \"$2\" in: $(cat err.txt)"
	[ -s out ] && fail "--key $1: printed a key: $(cat out)"
	ok "--key $1 refused: $2"
}

# drive TYPE: R: is the folder stick/, of that type for wine's mount manager (read at start).
drive() {
	"$WINE" reg add 'HKLM\Software\Wine\Drives' /v r: /t REG_SZ /d "$1" /f >/dev/null 2>&1 ||
		fail "cannot set the type of drive R:"
	wine_stop
}

c_root=$WINEPREFIX/drive_c
refused C: 'C:\ (disk PhysicalDrive0) is not a removable disk: refusing to write to a fixed disk'
refused 'C:\' 'C:\ (disk PhysicalDrive0) is not a removable disk'
refused 'C:/windows' 'C:/windows is not the root of a drive (give the key'"'"'s drive'
[ -e "$c_root/setup.bin" ] && fail "setup.bin was written on C:"
ok "nothing written on C:"
refused Q: 'Q: is not mounted (insert the key; it gets a drive letter)'

ln -s "$WORK/stick" "$DRIVE" || fail "cannot give stick/ the drive letter R:"
drive network
refused R: 'R:\ is a network drive, not a USB key'
drive cdrom
refused R: 'R:\ is a CD or DVD drive, not a USB key'
[ -z "$(ls -A stick)" ] || fail "something was written on R:: $(ls -A stick)"
ok "nothing written on R:"

# diagnose: wine's adapters and routes, none of them on USB.
cp "$TOPDIR/profiles/machines/amt12-acm.json" machine.json || fail "no example machine"
"$WINE" "$EXE" --device sim:machine.json --json diagnose >diag.json 2>err </dev/null
python3 - diag.json <<'EOF' || fail "diagnose: network_path"
import json, sys
checks = [c for c in json.load(open(sys.argv[1]))["checks"] if c["check"] == "network_path"]
assert len(checks) == 1, checks
c = checks[0]
assert c["result"] == "ok", c
assert ("not a USB adapter" in c["message"]) or ("no IPv4 default route" in c["message"]), c
print("ok: diagnose network_path: " + c["message"])
EOF
