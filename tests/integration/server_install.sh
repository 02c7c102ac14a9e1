#!/bin/sh
# SPDX-License-Identifier: MIT
# `make install-server` (part of `make install`) puts a working amtact-interim under
# PREFIX: the command finds its package, the unit starts it with the options file, the
# system user is declared, and `make uninstall-server` removes it all again.
. "$(dirname "$0")/lib.sh"
set -u
command -v make >/dev/null 2>&1 || skip "make is not installed"
P=$WORK/prefix
make -s -C "$TOPDIR" install-server PREFIX="$P" SYSCONFDIR="$P/etc" >"$WORK/make.log" 2>&1 ||
	{ cat "$WORK/make.log"; fail "make install-server"; }
"$P/sbin/amtact-interim" --help >"$WORK/help" 2>&1 || { cat "$WORK/help"; fail "installed command"; }
grep -q "test-serve" "$WORK/help" || fail "the installed command does not know its commands"
"$P/sbin/amtact-interim" migrate --db "$WORK/db.sqlite" >"$WORK/out" ||
	fail "the installed command cannot open a database"
grep -q '"schema_version": 1' "$WORK/out" || fail "migrate: $(cat "$WORK/out")"
unit=$P/lib/systemd/system/amtact-interim.service
grep -qx "ExecStart=$P/sbin/amtact-interim serve @$P/etc/amtact-interim/serve.conf" "$unit" ||
	fail "unit ExecStart: $(grep ExecStart "$unit")"
grep -qx "User=amtact-interim" "$unit" || fail "the unit does not run as its own user"
grep -q "^u amtact-interim " "$P/lib/sysusers.d/amtact-interim.conf" || fail "sysusers entry"
[ -f "$P/share/amtact/amtact-interim.conf.example" ] || fail "no example options file"
ok "installed: command, package, unit, system user, example options"
make -s -C "$TOPDIR" uninstall-server PREFIX="$P" >/dev/null 2>&1 || fail "uninstall-server"
left=$(find "$P" -path '*interim*' ! -name '*.conf.example' ! -path '*/share/amtact*')
[ -z "$left" ] || fail "left after uninstall: $left"
ok "uninstalled"
