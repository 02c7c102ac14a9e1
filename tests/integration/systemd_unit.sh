#!/bin/sh
# SPDX-License-Identifier: MIT
# The systemd unit amtact@.service is confined and still does its job: the settings the
# confinement rests on are there, `systemd-analyze security` scores it 3.0 or better (OK),
# and, where systemd runs this machine, a rehearsal (run --dry-run against the emulator)
# runs as that unit with those settings. Skips each part with a message where systemd-analyze
# or a running systemd is missing (CI containers often run no systemd as PID 1).
. "$(dirname "$0")/lib.sh"
UNIT_IN=$TOPDIR/profiles/systemd/amtact@.service.in
WORK=$(mktemp -d "${TMPDIR:-/tmp}/amtact-unit.XXXXXX")
REH=""
UNIT=""
cleanup() {
	if [ -n "$UNIT" ]; then
		systemctl stop "$UNIT" >/dev/null 2>&1
		rm -f "/run/systemd/system/$UNIT"
		systemctl daemon-reload >/dev/null 2>&1
		rm -rf "/var/lib/${UNIT%%@*}" "/var/log/${UNIT%%@*}"
	fi
	[ -n "$REH" ] && rm -rf "$REH"
	rm -rf "$WORK"
}
trap cleanup EXIT

sed 's|@SBINDIR@|/usr/sbin|g' "$UNIT_IN" >"$WORK/amtact@corp.service"
for line in "LimitCORE=0" "NoNewPrivileges=yes" "ProtectSystem=strict" "ProtectHome=yes" \
	"PrivateTmp=yes" "DevicePolicy=closed" "DeviceAllow=char-mei rw" "CapabilityBoundingSet=" \
	"StateDirectory=amtact" "LogsDirectory=amtact" "ReadWritePaths=/var/spool/amtact" \
	"SuccessExitStatus=12 13"; do
	grep -qxF "$line" "$WORK/amtact@corp.service" || fail "the unit lacks $line"
done
! grep -q "udev-settle" "$WORK/amtact@corp.service" ||
	fail "the unit still orders itself after the deprecated systemd-udev-settle"
ok "the unit: core limit 0, no new privileges, no capabilities, the ME devices only, writes to its own directories only"

sed 's|@SBINDIR@|/usr/sbin|g' "$TOPDIR/profiles/systemd/amtact-flush@.service.in" \
	>"$WORK/amtact-flush@corp.service"
grep -qx "LimitCORE=0" "$WORK/amtact-flush@corp.service" || fail "the flush unit lacks LimitCORE=0"

command -v systemd-analyze >/dev/null 2>&1 || skip "systemd-analyze is not installed (the score was not checked)"
for u in amtact@corp.service amtact-flush@corp.service; do
	(cd "$WORK" && systemd-analyze security --offline=true "$u") >"$WORK/score" 2>&1 ||
		{ cat "$WORK/score"; fail "systemd-analyze security $u failed"; }
	score=$(sed -n "s/.*Overall exposure level for $u: \([0-9.]*\).*/\1/p" "$WORK/score")
	[ -n "$score" ] || { cat "$WORK/score"; fail "no exposure level for $u"; }
	awk -v s="$score" 'BEGIN { exit !(s <= 3.0) }' ||
		{ grep '✗' "$WORK/score"; fail "$u: exposure level $score, more than 3.0"; }
	ok "systemd-analyze security $u: exposure $score (at most 3.0)"
done

# --- a rehearsal as the unit, with its settings ------------------------------------------------
[ -d /run/systemd/system ] ||
	skip "systemd is not running this machine (PID 1: $(cat /proc/1/comm 2>/dev/null)); the rehearsal under the unit's settings was not run"
[ "$(id -u)" = 0 ] || skip "the rehearsal as a system unit needs root"
case $AMTACT in /home/* | /root/* | /run/user/*)
	skip "$AMTACT is under a home directory, which the unit hides (ProtectHome)" ;;
esac
REH=$(mktemp -d /run/amtact-rehearsal.XXXXXX)
chmod 0755 "$REH"
cp "$MACHINES/amt16-factory.json" "$REH/m.json"
name=amtact-rehearsal-$$
UNIT=$name@corp.service
cat >"$REH/p.json" <<EOP
{"schema": 1, "name": "corp", "method": "remote_configuration", "otp": {"policy": "random"},
 "pki_dns_suffix": "corp.example.com", "system_name": {"source": "fixed", "value": "pc-unit"},
 "state_dir": "/var/lib/$name", "spool_dir": "/var/lib/$name/spool"}
EOP
chmod 0644 "$REH/p.json"
# The unit as installed, but for the command (the emulator, a dry run), its own directory
# names, and no change to the host's /var/spool.
sed -e "s|^ExecStart=.*|ExecStart=$AMTACT --device sim:$REH/m.json run --profile $REH/p.json --dry-run --json|" \
	-e "/^ConditionPathExists=/d" -e "/^ExecStartPre=/d" -e "/^ReadWritePaths=/d" \
	-e "s|^StateDirectory=amtact|StateDirectory=$name|" -e "s|^LogsDirectory=amtact|LogsDirectory=$name|" \
	-e "s|^StandardInput=null|StandardInput=null\nStandardOutput=file:$REH/out\nStandardError=file:$REH/err|" \
	"$WORK/amtact@corp.service" >"/run/systemd/system/$UNIT"
systemctl daemon-reload || fail "systemctl daemon-reload"
systemctl start "$UNIT"
rc=$(systemctl show -p ExecMainStatus --value "$UNIT")
[ "$rc" = 0 ] || { cat "$REH/err" "$REH/out" 2>/dev/null; fail "the rehearsal as $UNIT exited $rc"; }
grep -q '"outcome":[[:space:]]*"dry_run"' "$REH/out" || { cat "$REH/out"; fail "no dry-run report"; }
ok "a rehearsal (run --dry-run on the emulator) works as the confined unit"
