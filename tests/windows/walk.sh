#!/bin/sh
# SPDX-License-Identifier: MIT
# amtact.exe under wine, as an administrator (wine's user is one): the folders it writes in
# are checked from the volume root down. A spool reached through a folder Everyone may
# modify, a folder of another owner or a link (wine shows a Unix link to a folder as a
# reparse point) is refused, naming that folder, and nothing is created behind it; a clean
# path and the default %ProgramData%\amtact\spool are accepted; profile-check refuses a
# file the profile names behind a link. Environment from run.sh (WIN_BUILD, WINE, TOPDIR).
set -u
TOPDIR=${TOPDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
WIN_BUILD=${WIN_BUILD:-$TOPDIR/build/windows}
WINE=${WINE:-/usr/lib/wine/wine64}
EXE=$WIN_BUILD/amtact.exe
[ -x "$WINE" ] || { echo "SKIP: wine64 is not installed ($WINE)"; exit 77; }
[ -f "$EXE" ] || { echo "SKIP: $EXE is not built (make windows)"; exit 77; }
. "$TOPDIR/tests/windows/lib.sh"
# Under $HOME, not /tmp: wine shows /tmp (no sticky bit on Windows) as Everyone's.
W=$(mktemp -d "${HOME:-/root}/.amtact-wine-walk.XXXXXX") || exit 1
chmod 0755 "$W"
PD=$WINEPREFIX/drive_c/ProgramData/amtact
made_pd=""
trap 'wine_stop; rm -rf "$W"; [ -z "$made_pd" ] || rm -rf "$PD"' EXIT
wine_init >"$W/wineboot.log" 2>&1 || { cat "$W/wineboot.log"; exit 1; }
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

amtact() { "$WINE" "$EXE" "$@" >"$W/out" 2>"$W/err" </dev/null; echo $? >"$W/rc"; }

# refused SPOOL TEXT: report --list exits 4 and names TEXT; SPOOL is not created.
refused() {
	amtact report --list --spool "$1"
	[ "$(cat "$W/rc")" = 4 ] || fail "$1: exit $(cat "$W/rc"), expected 4"
	grep -qF -- "$2" "$W/err" || fail "$1: stderr lacks \"$2\": $(cat "$W/err")"
	[ ! -e "$1" ] || fail "$1 was created"
}

mkdir "$W/ok" "$W/open" "$W/foreign" "$W/target"
chmod 0777 "$W/open"
chown 65534 "$W/foreign"
ln -s "$W/target" "$W/link"

amtact report --list --spool "$W/ok/spool"
[ "$(cat "$W/rc")" = 0 ] || fail "a clean path: exit $(cat "$W/rc"): $(cat "$W/err")"
[ -d "$W/ok/spool" ] || fail "a clean path: the spool was not created"

refused "$W/open/spool" 'open: users other than SYSTEM and Administrators may delete or rename'
refused "$W/foreign/spool" 'foreign: owned by someone other than SYSTEM, Administrators or TrustedInstaller'
refused "$W/link/spool" 'link: a link or junction (reparse point)'
[ ! -e "$W/target/spool" ] || fail "the spool was created behind the link"
grep -qF 'every folder on the way must be owned by SYSTEM, Administrators or TrustedInstaller' \
	"$W/err" || fail "the refusal gives no Windows rule: $(cat "$W/err")"
grep -q 'chmod\|uid\|root.s' "$W/err" && fail "a POSIX word in a Windows refusal: $(cat "$W/err")"

# The default spool: C:\ProgramData\amtact\spool, made through C:\ and C:\ProgramData.
[ -e "$PD" ] || made_pd=1
amtact report --list
[ "$(cat "$W/rc")" = 0 ] || fail "the default spool: exit $(cat "$W/rc"): $(cat "$W/err")"
[ -d "$PD/spool" ] || fail "the default spool $PD/spool was not created"

# profile-check applies the same walk to the files a profile names.
printf 'x\n' >"$W/target/ca.pem"
cat >"$W/ok/p.json" <<JSON
{ "schema": 1, "name": "p", "method": "report_only",
  "server": { "url": "https://127.0.0.1:9/", "ca_file": "$W/link/ca.pem" } }
JSON
amtact profile-check "$W/ok/p.json"
[ "$(cat "$W/rc")" != 0 ] || fail "profile-check accepted a file behind a link"
grep -qF 'link: a link or junction (reparse point)' "$W/err" ||
	fail "profile-check: stderr lacks the link: $(cat "$W/err")"

[ "$fails" -eq 0 ] && echo "ok: the administrator's walk under wine"
[ "$fails" -eq 0 ]
