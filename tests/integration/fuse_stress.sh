#!/bin/sh
# SPDX-License-Identifier: MIT
# Bounded stress of amtsim's request lifecycle (under 60 s): clients blocked in read (with
# and without a request the firmware never answers) and in write (full queue) are SIGKILLed
# at random moments while `noreply all` and `clear` flip underneath them and others keep
# flooding; two processes share one open of the control file, one writing while the other
# reads. Afterwards the daemon must still serve, pass meiprobe, answer the control file and
# have logged no sanitizer report (with the ASan build a report aborts the daemon).
. "$(dirname "$0")/lib.sh"
need_fuse

mnt=$WORK/mnt
dev=$mnt/mei0
REQ=010100001100000400000000 # AMT_GET_PROVISIONING_STATE
ROUNDS=${FUSE_STRESS_ROUNDS:-60}
LIMIT_S=${FUSE_STRESS_SECONDS:-35}
start_amtsim "$mnt"

sanitizer_clean() {
	! grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:|WARNING: ThreadSanitizer' \
		"$WORK/amtsim.log"
}

daemon_alive() {
	is_our_child "$AMTSIM_PID" || fail "amtsim died ($1)"
	sanitizer_clean || fail "amtsim logged a sanitizer report ($1)"
}

# One write per read on a shared open: each write frees the answer a read copies from.
"$MEIPROBE" "$mnt/control" ctlrace 2000 >"$WORK/ctlrace.out" 2>&1 ||
	{ cat "$WORK/ctlrace.out"; fail "control file written and read through one open at once"; }
daemon_alive "control file shared by a writer and a reader"
ok "control file written and read through one open at once (2000 writes)"

# rnd N: a number in 0..N-1 (dash has no $RANDOM).
rnd() {
	od -An -N2 -tu2 /dev/urandom | awk -v n="$1" '{ print $1 % n }'
}

t0=$(date +%s)
round=0
while [ "$round" -lt "$ROUNDS" ] && [ $(($(date +%s) - t0)) -lt "$LIMIT_S" ]; do
	round=$((round + 1))
	case $(rnd 3) in
	0) "$AMTSIM" ctl "$mnt" noreply all >/dev/null || fail "round $round: ctl noreply" ;;
	1) "$AMTSIM" ctl "$mnt" clear >/dev/null || fail "round $round: ctl clear" ;;
	esac
	pids=""
	for kind in "$(rnd 3)" "$(rnd 3)" "$(rnd 3)"; do
		case $kind in
		0) "$MEIPROBE" "$dev" block amthi >/dev/null 2>&1 & ;;
		1) "$MEIPROBE" "$dev" block amthi "$REQ" >/dev/null 2>&1 & ;;
		2) "$MEIPROBE" "$dev" flood amthi "$REQ" >"$WORK/flood.out" 2>&1 & ;;
		esac
		pids="$pids $!"
		track_pid "$!"
	done
	# Replies come back (or stop) while the clients are at any point of their life.
	[ "$(rnd 2)" = 0 ] && { "$AMTSIM" ctl "$mnt" clear >/dev/null || fail "round $round: ctl clear"; }
	sleep "0.0$(rnd 10)"
	for p in $pids; do kill_child KILL "$p"; done
	for p in $pids; do
		wait_gone "$p" 3000 || fail "round $round: client $p survived SIGKILL for 3 s"
	done
	daemon_alive "round $round"
	grep -q ECONNABORTED "$WORK/flood.out" 2>/dev/null &&
		fail "round $round: a flooding client saw the FUSE connection abort"
done
[ "$round" -ge "$ROUNDS" ] || [ "$round" -ge 10 ] || fail "only $round rounds ran in ${LIMIT_S} s"
ok "$round rounds of clients killed in read and write while noreply/clear flip"

"$AMTSIM" ctl "$mnt" clear >/dev/null || fail "ctl clear"
"$MEIPROBE" "$dev" >"$WORK/probe.out" 2>&1 || { cat "$WORK/probe.out"; fail "meiprobe fails after the stress"; }
"$AMTSIM" ctl "$mnt" show >/dev/null || fail "control file unhealthy after the stress"
daemon_alive "after the stress"
ok "the daemon is healthy afterwards (meiprobe passes, control answers, no sanitizer report)"
stop_amtsim "$AMTSIM_PID" "$mnt" TERM
sanitizer_clean || fail "amtsim logged a sanitizer report at exit"
ok "amtsim stopped cleanly with nothing from the sanitizers"
exit 0
