#!/bin/sh
# SPDX-License-Identifier: MIT
# Killed clients and a stopped daemon never hang: clients blocked in read (no request, or a
# request the firmware never answers) and in write (full queue) die promptly on SIGKILL and
# the daemon stays healthy; SIGTERM and SIGHUP stop the daemon within seconds, unmounted,
# and a client still blocked in read gets ENODEV instead of hanging.
. "$(dirname "$0")/lib.sh"
need_fuse

mnt=$WORK/mnt
dev=$mnt/mei0
REQ=010100001100000400000000 # AMT_GET_PROVISIONING_STATE
start_amtsim "$mnt"

# kill_blocked NAME MODE [HEX]: start `meiprobe MODE`, wait until it blocks, SIGKILL it.
kill_blocked() {
	out=$WORK/$1.out
	"$MEIPROBE" "$dev" "$2" amthi ${3:+"$3"} >"$out" 2>&1 &
	pid=$!
	track_pid "$pid"
	wait_for 3000 grep -sEq 'blocking|flooding' "$out" || fail "$1: the client did not start"
	sleep 0.3
	is_gone "$pid" && { cat "$out"; fail "$1: the client did not block"; }
	kill_child KILL "$pid" || fail "$1: the client ended before it was killed"
	wait_gone "$pid" 2000 || fail "$1: a client blocked in the device survived SIGKILL for 2 s"
	wait "$pid" 2>/dev/null
	ok "$1: killed promptly"
}

kill_blocked "read, nothing asked" block
"$AMTSIM" ctl "$mnt" noreply all >/dev/null || fail "ctl noreply all"
kill_blocked "read, request never answered" block "$REQ"
"$AMTSIM" ctl "$mnt" clear >/dev/null || fail "ctl clear"
kill_blocked "write, queue full" flood "$REQ"

# Several at once, each holding a daemon thread.
pids=""
for i in 1 2 3 4 5 6 7 8; do
	"$MEIPROBE" "$dev" block amthi >"$WORK/many$i.out" 2>&1 &
	pids="$pids $!"
	track_pid "$!"
done
for i in 1 2 3 4 5 6 7 8; do
	wait_for 3000 grep -sq blocking "$WORK/many$i.out" || fail "client $i did not start"
done
for p in $pids; do kill_child KILL "$p" || fail "client $p ended before it was killed"; done
for p in $pids; do wait_gone "$p" 3000 || fail "client $p survived SIGKILL"; done
ok "8 blocked clients killed at once"

"$MEIPROBE" "$dev" >"$WORK/probe.out" 2>&1 || { cat "$WORK/probe.out"; fail "daemon unhealthy after the kills"; }
"$AMTSIM" ctl "$mnt" show >/dev/null || fail "control file unhealthy after the kills"
ok "the daemon is healthy afterwards (meiprobe passes, control answers)"

# SIGTERM with a reader still blocked: the daemon exits, unmounts, the reader gets an error.
"$MEIPROBE" "$dev" block amthi >"$WORK/last.out" 2>&1 &
rpid=$!
track_pid "$rpid"
wait_for 3000 grep -sq blocking "$WORK/last.out" || fail "reader did not start"
stop_amtsim "$AMTSIM_PID" "$mnt" TERM
ok "SIGTERM: amtsim exited (status 0) and unmounted within 5 s with a reader blocked"
wait_gone "$rpid" 3000 || fail "the blocked reader hangs after the daemon stopped"
grep -q '^read: ENODEV' "$WORK/last.out" || fail "blocked reader: $(cat "$WORK/last.out")"
ok "the blocked reader got ENODEV"

# SIGINT is ignored in a non-interactive shell's background jobs (and libfuse keeps an
# ignored signal ignored), so the second stop signal tested here is SIGHUP.
start_amtsim "$mnt"
stop_amtsim "$AMTSIM_PID" "$mnt" HUP
ok "SIGHUP: amtsim exited and unmounted"
exit 0
