#!/bin/sh
# SPDX-License-Identifier: MIT
# Installed man pages follow the build: `make install PREFIX=/opt/amtact` writes pages that
# name /opt/amtact/... (DATADIR, SBINDIR, UNITDIR) and never /usr/local, each with the one
# date and version of the build (MANDATE, VERSION), and still lint clean.
set -u
. "$(dirname "$0")/lib.sh"
[ -x "$AMTACT" ] || fail "$AMTACT is not built"
command -v mandoc >/dev/null 2>&1 || skip "mandoc not installed"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/amtact-maninst.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
make -s -C "$TOPDIR" BUILD="$BUILD" DESTDIR="$WORK/root" PREFIX=/opt/amtact \
	UNITDIR=/lib/systemd/system MANDATE=2026-01-02 VERSION=9.8.7 install \
	>"$WORK/make.log" 2>&1 || { cat "$WORK/make.log"; fail "make install"; }
MAN=$WORK/root/opt/amtact/share/man
[ "$(find "$MAN" -type f | wc -l)" -ge 6 ] || fail "fewer than 6 man pages installed"
grep -rl '/usr/local' "$MAN" && fail "installed pages still name /usr/local"
grep -q '^\.I /opt/amtact/share/amtact/profiles/$' "$MAN/man8/amtact.8" ||
	fail "amtact.8 does not name DATADIR"
grep -q '^\.I /lib/systemd/system/amtact@.service$' "$MAN/man8/amtact.8" ||
	fail "amtact.8 does not name UNITDIR"
for m in "$MAN"/man*/*; do
	head -n 5 "$m" | grep -q '^\.TH [A-Z-]* [58] 2026-01-02 "amtact 9.8.7" ' ||
		fail "$m: .TH has not the build's date and version"
	mandoc -T lint -W style "$m" || fail "$m: lint"
done
ok "installed man pages: PREFIX, DATADIR and UNITDIR paths, one date and version, lint clean"
