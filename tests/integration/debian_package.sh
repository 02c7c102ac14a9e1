#!/bin/sh
# SPDX-License-Identifier: MIT
# debian/ builds from a clean clone of HEAD: dpkg-buildpackage gives the amtact, amtsim and
# amtact-interim packages, lintian reports no error or warning, each package holds what it
# should (the agent without fuse3, amtsim with it), and the packaged programs run.
# As root it installs the Debian packaging tools and build dependencies it lacks.
. "$(dirname "$0")/lib.sh"
set -u
TOOLS="dpkg-dev debhelper lintian git"
BUILD_DEPS="libcjson-dev libcurl4-openssl-dev libfuse3-dev libssl-dev libusb-1.0-0-dev pkg-config systemd"

missing=""
for p in $TOOLS $BUILD_DEPS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || skip "needs Debian packages:$missing (run as root to install them)"
	note "installing Debian packages for the package build:$missing"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		-o DPkg::Lock::Timeout=120 $missing >"$WORK/apt.log" 2>&1 ||
		skip "cannot install:$missing ($(tail -n 1 "$WORK/apt.log"))"
fi
git -C "$TOPDIR" rev-parse --verify -q HEAD >/dev/null || skip "$TOPDIR is not a git checkout"

# A clone holds only what is committed: no build/ folder, no local edits.
SRC=$WORK/src/amtact
git clone -q --no-checkout "$TOPDIR" "$SRC" || fail "git clone of $TOPDIR"
git -C "$SRC" checkout -q "$(git -C "$TOPDIR" rev-parse HEAD)" || fail "git checkout of HEAD"
(cd "$SRC" && dpkg-checkbuilddeps) >"$WORK/deps.log" 2>&1 || { cat "$WORK/deps.log"; fail "build dependencies"; }
# Nothing of the calling make (make check WERROR=1) or tests/run.sh reaches the build.
(cd "$SRC" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u BUILD -u SANITIZE -u WERROR \
	dpkg-buildpackage -us -uc -b -j2) >"$WORK/build.log" 2>&1 ||
	{ tail -n 40 "$WORK/build.log"; fail "dpkg-buildpackage -us -uc -b"; }
grep -q '^build/amtact --device sim info' "$WORK/build.log" || fail "the build-time smoke test did not run"
ok "dpkg-buildpackage -us -uc -b from a clean clone (smoke test included)"

OUT=$WORK/src
# Where this release's systemd puts units (debian/rules asks the same question).
UNITS=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null)
: "${UNITS:=/lib/systemd/system}"
for p in amtact amtsim amtact-interim; do
	set -- "$OUT/${p}"_*.deb
	[ -f "$1" ] || fail "no $p package built"
done
AGENT=$(ls "$OUT"/amtact_*.deb)
SIM=$(ls "$OUT"/amtsim_*.deb)
SERVER=$(ls "$OUT"/amtact-interim_*.deb)

lintian -EIL +pedantic --fail-on error,warning "$OUT"/amtact_*.changes >"$WORK/lintian.log" 2>&1 ||
	{ cat "$WORK/lintian.log"; fail "lintian"; }
if grep -E '^[EW]: ' "$WORK/lintian.log"; then fail "lintian errors or warnings"; fi
ok "lintian: no errors, no warnings"

# has DEB PATH: the package's file list has PATH (dpkg-deb prints ./PATH).
has() { dpkg-deb -c "$1" | awk '{print $6}' | grep -qx "\.$2" || fail "$(basename "$1") lacks $2"; }
field() { dpkg-deb -f "$1" "$2"; }

has "$AGENT" /usr/sbin/amtact
has "$AGENT" /usr/lib/amtact/amtact-http.so
has "$AGENT" /usr/lib/amtact/amtact-usb.so
has "$AGENT" /usr/lib/amtact/amtact-crypto.so
field "$AGENT" Depends | grep -q libcurl || fail "amtact does not depend on libcurl: $(field "$AGENT" Depends)"
has "$AGENT" "$UNITS/amtact@.service"
has "$AGENT" "$UNITS/amtact-flush@.service"
has "$AGENT" "$UNITS/amtact-flush@.timer"
has "$AGENT" /etc/amtact/profiles/
has "$AGENT" /usr/share/man/man8/amtact.8.gz
has "$AGENT" /usr/share/man/man5/amtact-profile.5.gz
if field "$AGENT" Depends | grep -q fuse; then fail "amtact depends on FUSE: $(field "$AGENT" Depends)"; fi
if dpkg-deb -c "$AGENT" | grep -q amtsim; then fail "amtact carries amtsim files"; fi
ok "amtact: agent, unit, /etc/amtact/profiles, man pages; no fuse3"

has "$SIM" /usr/bin/amtsim
has "$SIM" /usr/share/man/man8/amtsim.8.gz
field "$SIM" Depends | grep -qE '(^|, )fuse3(,|$| )' || fail "amtsim does not depend on fuse3: $(field "$SIM" Depends)"
ok "amtsim: daemon and man page, depends on fuse3"

has "$SERVER" /usr/sbin/amtact-interim
has "$SERVER" /usr/lib/amtact-interim/amtact_interim/cli.py
has "$SERVER" "$UNITS/amtact-interim.service"
has "$SERVER" /usr/lib/sysusers.d/amtact-interim.conf
has "$SERVER" /usr/share/man/man8/amtact-interim.8.gz
[ "$(field "$SERVER" Architecture)" = all ] || fail "amtact-interim is not Architecture: all"
for d in python3 python3-cryptography python3-psycopg2; do
	field "$SERVER" Depends | grep -qE "(^|, )$d(,|$| )" || fail "amtact-interim does not depend on $d"
done
dpkg-deb --ctrl-tarfile "$SERVER" | tar -xOf - ./postinst | grep -q 'systemd-sysusers.*amtact-interim' ||
	fail "amtact-interim's postinst does not create its system user"
ok "amtact-interim: server, unit, system user, man page, Python dependencies"

# The packaged programs run (unpacked, not installed: this machine is shared).
ROOT=$WORK/root
for d in "$AGENT" "$SIM" "$SERVER"; do dpkg-deb -x "$d" "$ROOT" || fail "dpkg-deb -x $d"; done
"$ROOT/usr/sbin/amtact" --device sim info >"$WORK/info" 2>&1 || { cat "$WORK/info"; fail "packaged amtact"; }
grep -q "AMT version" "$WORK/info" || fail "packaged amtact info: $(head -n 5 "$WORK/info")"
grep -qx "ExecStart=/usr/sbin/amtact run --profile %i" "$ROOT$UNITS/amtact@.service" ||
	fail "amtact@.service ExecStart: $(grep ExecStart "$ROOT$UNITS/amtact@.service")"
"$ROOT/usr/bin/amtsim" --help >"$WORK/sim" 2>&1
grep -q "usage: amtsim" "$WORK/sim" || fail "packaged amtsim: $(head -n 3 "$WORK/sim")"
grep -q '^LIBDIR = "/usr/lib/amtact-interim"' "$ROOT/usr/sbin/amtact-interim" ||
	fail "amtact-interim does not point at /usr/lib/amtact-interim"
python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); sys.argv[1:2] = []
from amtact_interim.cli import main; sys.exit(main())' "$ROOT/usr/lib/amtact-interim" \
	migrate --db "$WORK/db.sqlite" >"$WORK/migrate" 2>&1 || { cat "$WORK/migrate"; fail "packaged server"; }
grep -q '"schema_version": 1' "$WORK/migrate" || fail "packaged server migrate: $(cat "$WORK/migrate")"
ok "packaged amtact reads the emulator, amtsim starts, the server opens a database"
