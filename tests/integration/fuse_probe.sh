#!/bin/sh
# SPDX-License-Identifier: MIT
# meiprobe against a running amtsim: every MEI device semantic, checked by the C probe; then
# the lenient (default) and --strict handling of a body-less request whose Length says 12.
. "$(dirname "$0")/lib.sh"
need_fuse

mnt=$WORK/mnt
start_amtsim "$mnt"
note "amtsim $AMTSIM_PID serving $mnt"

"$MEIPROBE" "$mnt/mei0" >"$WORK/probe.out" 2>&1
rc=$?
cat "$WORK/probe.out"
[ "$rc" = 0 ] || fail "meiprobe reported failed checks (exit $rc)"
# The probe must really have run its checks, not just exited 0.
n=$(grep -c '^ok   ' "$WORK/probe.out")
[ "$n" -ge 20 ] || fail "meiprobe ran only $n checks"
ok "meiprobe: $n device checks"

# The mount holds exactly the device file and the control file.
check "the mount lists mei0 and control" \
	sh -c "[ \"\$(ls '$mnt' | tr '\\n' ' ')\" = 'control mei0 ' ]"

# GET_PROVISIONING_STATE with Length 12 instead of 0 (Intel SA-00075 tools, doc/firmware.md 10.9).
sa75_req=010100001100000400000000
sa75_req=${sa75_req%00000000}0c000000
"$MEIPROBE" "$mnt/mei0" call amthi "$sa75_req" >"$WORK/lenient.out" || {
	cat "$WORK/lenient.out"
	fail "lenient: no reply to a Length-12 request"
}
status=$(sed -n 's/^read: [0-9]* bytes \(.\{24\}\)\(.\{8\}\).*/\2/p' "$WORK/lenient.out")
[ "$status" = 00000000 ] || fail "lenient: status $status for Length 12, expected 00000000"
ok "lenient by default: Length 12 on a body-less request answers status 0"
stop_amtsim "$AMTSIM_PID" "$mnt"
ok "amtsim stopped with SIGTERM and unmounted"

: >"$WORK/amtsim.log"
start_amtsim "$mnt" --strict
"$MEIPROBE" "$mnt/mei0" call amthi "$sa75_req" >"$WORK/strict.out"
status=$(sed -n 's/^read: [0-9]* bytes \(.\{24\}\)\(.\{8\}\).*/\2/p' "$WORK/strict.out")
[ -n "$status" ] && [ "$status" != 00000000 ] ||
	fail "--strict: status '$status' for Length 12, expected a non-zero status"
ok "--strict: Length 12 on a body-less request is refused (status $status)"
grep -q 'strict: AMTHI request 0x04000011: header Length 12, but 0 body bytes' \
	"$WORK/amtsim.log" || { cat "$WORK/amtsim.log"; fail "--strict: the quirk was not logged"; }
ok "--strict: the quirk is logged"
"$MEIPROBE" "$mnt/mei0" call amthi 010100001100000400000000 >"$WORK/strict2.out" ||
	fail "--strict: a correct request failed"
status=$(sed -n 's/^read: [0-9]* bytes \(.\{24\}\)\(.\{8\}\).*/\2/p' "$WORK/strict2.out")
[ "$status" = 00000000 ] || fail "--strict: status $status for a correct request"
ok "--strict: a correct request still answers status 0"
stop_amtsim "$AMTSIM_PID" "$mnt"
exit 0
