#!/bin/sh
# SPDX-License-Identifier: MIT
# What MEI clients read beside the device, per machine and generation: `amtsim exec --sysfs`
# shows the emulated machine's fw_status (as many %08X registers as the kernel shows for its
# chipset, a real ME 16.1 box's values by default, a state field per register), fw_ver
# (platform:major.minor.hotfix.build, one line per MKHI version block) and dev; and the MKHI
# GET_FW_VERSION reply through the device has the size those readers expect.
. "$(dirname "$0")/lib.sh"
need_fuse
MEIPROBE=$BUILD/tests/meiprobe
[ -x "$MEIPROBE" ] || skip "meiprobe not built"
is() { [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"; ok "$3"; }
mnt=$WORK/mnt
sysfs() { "$AMTSIM" exec "$mnt" --sysfs -- cat "/sys/class/mei/mei0/$1" || fail "exec: no $1"; }
flat() { tr '\n' ' ' | sed 's/ $//'; }
# the MKHI reply's byte count, as meiprobe reads it
mkhi_len() {
	"$MEIPROBE" "$mnt/mei0" call mkhi ff020000 >"$WORK/mkhi.out" 2>&1 ||
		fail "meiprobe call mkhi: $(cat "$WORK/mkhi.out")"
	sed -n 's/^read: \([0-9]*\) bytes.*/\1/p' "$WORK/mkhi.out"
}

cp "$MACHINES/amt16-factory.json" "$WORK/state.json"
start_amtsim "$mnt" --state "$WORK/state.json"
is "$(sysfs fw_status | flat)" "94000245 09F10506 00000020 00004000 00041F03 C7E003CB" \
	"16.1: six FWSTS registers of a real ME 16.1 box"
is "$(sysfs fw_ver | flat)" "0:16.1.25.3425 0:16.1.25.3425 0:16.1.25.3425" \
	"16.1: fw_ver, one line per MKHI block"
sysfs dev | grep -qx '[0-9]*:0' || fail "dev is not MAJOR:0"
ok "16.1: dev"
is "$(mkhi_len)" 28 "16.1: GET_FW_VERSION answers 28 bytes (3 blocks)"

"$AMTSIM" ctl "$mnt" set fw_status.hfsts1 90000255 >/dev/null || fail "set hfsts1 refused"
is "$(sysfs fw_status | head -n 1)" 90000255 "a machine's own FWSTS1 (state field)"

"$AMTSIM" ctl "$mnt" set generation 9.1 >/dev/null || fail "set generation 9.1 refused"
is "$(sysfs fw_status | wc -l | tr -d ' ')" 6 "9.1: six registers (8 series chipset)"
is "$(mkhi_len)" 28 "9.1: GET_FW_VERSION answers 28 bytes, as metee's sample expects"
"$AMTSIM" ctl "$mnt" set generation 6.2 >/dev/null || fail "set generation 6.2 refused"
is "$(sysfs fw_status | wc -l | tr -d ' ')" 2 "6.2: two registers (5-7 series PCH)"
"$AMTSIM" ctl "$mnt" set generation 5.0 >/dev/null || fail "set generation 5.0 refused"
is "$(sysfs fw_status | flat)" 1E000245 "5.0: one register (ICH10)"
is "$(mkhi_len)" 20 "5.0: GET_FW_VERSION answers 20 bytes (2 blocks)"
is "$(sysfs fw_ver | flat)" "0:5.0.3.1075 0:5.0.3.1075 0:0.0.0.0" "5.0: fw_ver, no FITC block"
"$AMTSIM" ctl "$mnt" set generation 2.6 >/dev/null || fail "set generation 2.6 refused"
is "$(sysfs fw_status | wc -c | tr -d ' ')" 0 "2.6: no register shown (ICH8)"
stop_amtsim "$AMTSIM_PID" "$mnt"

# no daemon behind the mount point: --sysfs says so
"$AMTSIM" exec "$WORK" --sysfs -- true 2>"$WORK/err"
[ $? = 125 ] || fail "--sysfs without a daemon does not fail with 125"
ok "--sysfs without a daemon: exit 125 ($(head -c 120 "$WORK/err"))"
exit 0
