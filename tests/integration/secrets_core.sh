#!/bin/sh
# SPDX-License-Identifier: MIT
# No secret in a core dump: `amtact run` aborts (SIGABRT, the test hook abort:otp-set) right
# after the firmware took the OTP, with the core size limit raised in this shell, in a
# private working directory. No core file may appear (or none holding the OTP). A shell
# that aborts in the same place first shows that this system does write core files there;
# where core files go to a handler (core_pattern "|...") or an absolute path, the test
# skips: it never changes the host's core_pattern. The units set LimitCORE=0.
. "$(dirname "$0")/lib_run.sh"

for u in profiles/systemd/amtact@.service.in server/amtact-interim.service.in; do
	grep -qx 'LimitCORE=0' "$TOPDIR/$u" || fail "$u does not set LimitCORE=0"
done
ok "the systemd units set LimitCORE=0"

pattern=$(cat /proc/sys/kernel/core_pattern 2>/dev/null) || skip "no /proc/sys/kernel/core_pattern"
case $pattern in
'|'*) skip "core files go to a handler here (core_pattern \"$pattern\"); the test does not change it" ;;
/*) skip "core files go to $pattern here; the test does not change core_pattern" ;;
esac
# shellcheck disable=SC3045 # dash and bash both have ulimit -c; elsewhere the test skips
ulimit -c unlimited 2>/dev/null || skip "the core file size limit cannot be raised in this shell"

# The control: a shell that aborts in such a directory leaves a core file.
mkdir "$WORK/control"
(cd "$WORK/control" && exec sh -c 'kill -ABRT $$') 2>/dev/null
# shellcheck disable=SC2010 # core file names are plain ASCII in a private directory
ls "$WORK/control" | grep -q '^core' ||
	skip "no core file for an aborted shell in $WORK/control (core_pattern \"$pattern\")"
ok "control: an aborted shell leaves a core file here"

OTP=Kq7-Zr2vXw9mT4pLs8
printf '%s\n' "$OTP" >"$WORK/otp.txt"
chmod 0600 "$WORK/otp.txt"
scenario core amt16-factory "{\"otp\": {\"policy\": \"file\", \"file\": \"$WORK/otp.txt\"}}"
mkdir "$S/cwd"
(cd "$S/cwd" && AMTACT_CRASH_AT=abort:otp-set exec "$AMTACT" --device "sim:$S/m.json" \
	run --profile "$S/p.json" >"$S/out" 2>"$S/err" </dev/null)
RC=$?
[ "$RC" = 134 ] || sfail "run did not abort at otp-set (exit $RC)"
# The abort came after the firmware got the OTP: it was in memory then.
[ -n "$(m 'd["otp"]["sha256"]')" ] || sfail "the firmware holds no OTP: the abort came too early"
# shellcheck disable=SC2010 # core file names are plain ASCII in a private directory
core=$(ls "$S/cwd" | grep '^core' | head -n 1)
if [ -n "$core" ]; then
	if grep -qaF "$OTP" "$S/cwd/$core"; then
		fail "run's core file $core holds the OTP"
	fi
	fail "run left a core file $core (without the OTP)"
fi
ok "an abort while holding the OTP leaves no core file"
