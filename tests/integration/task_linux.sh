#!/bin/sh
# SPDX-License-Identifier: MIT
# install-task / uninstall-task on Linux: --print shows the Windows task (XML and schtasks
# line, with this program's path) on any system; registering says to use the systemd unit
# and exits 2; a bad profile name exits 2 before anything else.
. "$(dirname "$0")/lib.sh"
[ -x "$AMTACT" ] || fail "$AMTACT is not built"

"$AMTACT" install-task --profile corp --print >"$WORK/out" 2>"$WORK/err"
[ $? = 0 ] || fail "--print: exit $?"
grep -qF "schtasks /Create /TN \"amtact\\corp\" /SC ONSTART /DELAY 0001:00 /RU SYSTEM /RL HIGHEST /F /TR \"\\\"$(readlink -f "$AMTACT")\\\" run --profile corp\"" \
	"$WORK/out" || fail "--print: the schtasks line: $(head -n 1 "$WORK/out")"
grep -qF '<RunOnlyIfNetworkAvailable>true</RunOnlyIfNetworkAvailable>' "$WORK/out" ||
	fail "--print: the XML"
ok "--print: the schtasks line with this program's path, and the task's XML"

"$AMTACT" install-task --profile corp >"$WORK/out" 2>"$WORK/err"
rc=$?
[ "$rc" = 2 ] || fail "install-task on Linux: exit $rc, expected 2"
grep -qF 'amtact@NAME.service' "$WORK/err" || fail "install-task on Linux: $(cat "$WORK/err")"
[ ! -s "$WORK/out" ] || fail "install-task on Linux printed on stdout"
"$AMTACT" uninstall-task --profile corp >/dev/null 2>&1
rc=$?
[ "$rc" = 2 ] || fail "uninstall-task on Linux: exit $rc, expected 2"
ok "install-task / uninstall-task on Linux: exit 2, pointing to the systemd unit"

"$AMTACT" install-task --profile '../x' --print >/dev/null 2>"$WORK/err"
rc=$?
[ "$rc" = 2 ] || fail "a bad profile name: exit $rc, expected 2"
grep -qF 'not a profile name' "$WORK/err" || fail "a bad profile name: $(cat "$WORK/err")"
"$AMTACT" install-task >/dev/null 2>&1
[ $? = 2 ] || fail "no --profile: not a usage error"
ok "a bad profile name or no --profile: exit 2"
