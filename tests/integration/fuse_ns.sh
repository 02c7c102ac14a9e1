#!/bin/sh
# SPDX-License-Identifier: MIT
# `amtsim exec`: the device at /dev/mei0 (and /dev/mei, fake sysfs) inside a private mount
# namespace only, the host's /dev and /sys unchanged; and amtact's Linux backend, by path and
# at /dev/mei0 with no --device, gives exactly what `--device sim:FILE` gives, on every
# example machine (`info --json` output and `status` exit code).
. "$(dirname "$0")/lib.sh"
need_fuse
[ -x "$AMTACT" ] || fail "$AMTACT is not built (amtact info/status are needed here)"

mnt=$WORK/mnt
snapshot() { # what the host has in /dev and /sys/class/mei, names and types
	{ ls -la /dev/mei /dev/mei0 2>&1; ls -a /dev; ls -la /sys/class/mei 2>&1; } |
		sed 's/ [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]* / /' >"$1"
}
# The device name appears in messages by design; everything else must match byte for byte.
norm() {
	sed "s|sim:$WORK/simcopy.json|DEVICE|g; s|$mnt/mei0|DEVICE|g; s|/dev/mei0|DEVICE|g" "$1" >"$1.n"
}
same() { norm "$1" && norm "$2" && cmp -s "$1.n" "$2.n"; }
# exec's temporary mount point goes to $TMPDIR: ours, so nothing else writes there.
mkdir "$WORK/tmp" || fail "mkdir"
TMPDIR=$WORK/tmp
export TMPDIR
ns_dirs() { ls -A "$TMPDIR" | wc -l; }

snapshot "$WORK/host.before"
dirs_before=$(ns_dirs)
cp "$MACHINES/amt16-factory.json" "$WORK/state.json" || fail "no example machine"
start_amtsim "$mnt" --state "$WORK/state.json"

# --- the device inside, nothing outside ---
"$AMTSIM" exec "$mnt" -- sh -c '[ -f /dev/mei0 ] && [ ! -e /dev/mei ]' ||
	fail "inside: /dev/mei0 missing (or /dev/mei present without --mei-alias)"
ok "inside: /dev/mei0 is there"
"$AMTSIM" exec "$mnt" -- "$MEIPROBE" /dev/mei0 >"$WORK/probe.out" 2>&1 ||
	{ cat "$WORK/probe.out"; fail "meiprobe at /dev/mei0 inside the namespace"; }
ok "inside: meiprobe passes at /dev/mei0 ($(grep -c '^ok   ' "$WORK/probe.out") checks)"
"$AMTSIM" exec "$mnt" --mei-alias -- "$MEIPROBE" /dev/mei connect amthi >"$WORK/alias.out" ||
	fail "--mei-alias: /dev/mei does not connect: $(cat "$WORK/alias.out")"
ok "--mei-alias: /dev/mei is the device too"
"$AMTSIM" exec "$mnt" -- sh -c '[ -c /dev/null ] && [ -d /dev/pts ] && echo x >/dev/null' ||
	fail "inside: the rest of /dev is not usable"
ok "inside: the rest of /dev still works"

"$AMTSIM" exec "$mnt" --sysfs -- sh -c 'cat /sys/class/mei/mei0/kind; cat /sys/class/mei/mei0/trc;
	cat /sys/class/mei/mei0/fw_status' >"$WORK/sysfs.out" || fail "--sysfs: files missing"
[ "$(head -n 1 "$WORK/sysfs.out")" = mei ] || fail "--sysfs: kind is '$(head -n 1 "$WORK/sysfs.out")'"
n=$(tail -n +3 "$WORK/sysfs.out" | grep -cx '[0-9A-F]\{8\}')
[ "$n" = 6 ] || fail "--sysfs: fw_status is not six %08X lines: $(cat "$WORK/sysfs.out")"
ok "--sysfs: kind, trc, fw_status (6 registers, %08X lines)"
"$AMTSIM" exec "$mnt" --sysfs -- sh -c 'cd /sys/class/mei/mei0 && cat hbm_ver dev_state \
	tx_queue_limit' >"$WORK/sysfs2.out" || fail "--sysfs: hbm_ver/dev_state/tx_queue_limit missing"
[ "$(cat "$WORK/sysfs2.out" | tr '\n' ' ')" = "2.2 ENABLED 50 " ] ||
	fail "--sysfs: unexpected $(cat "$WORK/sysfs2.out")"
ok "--sysfs: hbm_ver, dev_state, tx_queue_limit"
if "$AMTSIM" exec "$mnt" --sysfs -- sh -c 'echo 1 >/sys/class/mei/mei0/trc' 2>/dev/null; then
	fail "--sysfs: the fake files are writable"
fi
ok "--sysfs: read-only like the real ones"

"$AMTSIM" exec "$mnt" -- sh -c 'exit 7'
[ $? = 7 ] || fail "the exit status of the command is not passed through"
"$AMTSIM" exec "$mnt" -- "$WORK/no-such-program" 2>/dev/null
[ $? = 127 ] || fail "a missing program does not give 127"
"$AMTSIM" exec "$WORK" -- true 2>/dev/null
[ $? = 125 ] || fail "exec on a directory without a device does not fail with 125"
ok "exit status passed through (7, 127 not found, 125 setup failure)"

snapshot "$WORK/host.after"
diff -u "$WORK/host.before" "$WORK/host.after" || fail "the host's /dev or /sys/class/mei changed"
[ "$(ns_dirs)" = "$dirs_before" ] || fail "exec left its temporary directory in $TMPDIR behind"
ok "outside: /dev, /dev/mei0 and /sys/class/mei unchanged, nothing left in \$TMPDIR"
stop_amtsim "$AMTSIM_PID" "$mnt"

# --- amtact's Linux backend against amtsim == amtact --device sim, every example machine ---
count=0
for m in "$MACHINES"/*.json; do
	name=$(basename "$m" .json)
	cp "$m" "$WORK/served.json" && cp "$m" "$WORK/simcopy.json" || fail "copying $m"
	start_amtsim "$mnt" --state "$WORK/served.json"
	"$AMTACT" --device "sim:$WORK/simcopy.json" info --json >"$WORK/sim.json" 2>"$WORK/sim.err"
	want=$?
	"$AMTACT" --device "$mnt/mei0" info --json >"$WORK/path.json" 2>"$WORK/path.err"
	got=$?
	[ "$got" = "$want" ] || fail "$name: info by path exit $got, sim exit $want: $(cat "$WORK/path.err")"
	same "$WORK/sim.json" "$WORK/path.json" ||
		{ diff -u "$WORK/sim.json.n" "$WORK/path.json.n"; fail "$name: info by path differs from sim"; }
	"$AMTSIM" exec "$mnt" -- "$AMTACT" info --json >"$WORK/ns.json" 2>"$WORK/ns.err"
	got=$?
	[ "$got" = "$want" ] || fail "$name: info at /dev/mei0 exit $got, sim exit $want: $(cat "$WORK/ns.err")"
	same "$WORK/sim.json" "$WORK/ns.json" ||
		{ diff -u "$WORK/sim.json.n" "$WORK/ns.json.n"; fail "$name: info at /dev/mei0 differs from sim"; }
	[ -s "$WORK/sim.json" ] || [ "$want" != 0 ] || fail "$name: sim printed nothing"
	"$AMTACT" --device "sim:$WORK/simcopy.json" status >"$WORK/sim.st" 2>&1
	want=$?
	"$AMTSIM" exec "$mnt" -- "$AMTACT" status >"$WORK/ns.st" 2>&1
	got=$?
	[ "$got" = "$want" ] || fail "$name: status at /dev/mei0 exit $got, sim exit $want"
	same "$WORK/sim.st" "$WORK/ns.st" ||
		{ diff -u "$WORK/sim.st.n" "$WORK/ns.st.n"; fail "$name: status output differs"; }
	ok "$name: info --json and status (exit $want) identical by path, at /dev/mei0 and in sim"
	stop_amtsim "$AMTSIM_PID" "$mnt"
	count=$((count + 1))
done
[ "$count" -ge 1 ] || fail "no example machines in $MACHINES"
exit 0
