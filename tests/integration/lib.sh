# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Shared helpers for the integration tests: paths, skips, amtsim started and stopped by PID,
# mounts in a private mktemp directory, and a cleanup trap that undoes all of it.
# Sourced by tests/integration/fuse_*.sh (POSIX sh); helpers keep their variables in lib_*. Environment from tests/run.sh:
# BUILD, AMTACT, AMTSIM, TOPDIR; defaults let a test run by hand from the repository root.

: "${TOPDIR:=$(pwd)}"
: "${BUILD:=build}"
case $BUILD in /*) ;; *) BUILD=$TOPDIR/$BUILD ;; esac
: "${AMTACT:=$BUILD/amtact}"
: "${AMTSIM:=$BUILD/amtsim}"
MEIPROBE=$BUILD/tests/meiprobe
# shellcheck disable=SC2034 # for the tests that source this file
MACHINES=$TOPDIR/profiles/machines
# Nothing the tests run may pick a device from the caller's environment.
unset AMTACT_DEVICE

lib_pids=""
lib_mounts=""
WORK=""

note() { echo "# $*"; }
skip() { echo "skip: $*"; exit 77; }
fail() {
	echo "FAIL: $*"
	if [ -n "${WORK:-}" ] && [ -s "$WORK/amtsim.log" ]; then
		echo "amtsim log:"
		tail -n 60 "$WORK/amtsim.log" | sed 's/^/    | /'
	fi
	exit 1
}
ok() { echo "ok   $*"; }

# check COND-DESCRIPTION COMMAND...: run the command, "ok" or fail the test.
check() {
	lib_what=$1
	shift
	if "$@"; then ok "$lib_what"; else fail "$lib_what"; fi
}

# no_secret WHAT SECRET PATH...: SECRET, as text or as the hex of a dump ("53 78 34 ..."),
# is in none of the files (or folders, searched through); a path that does not exist is
# skipped. SECRETS_CHECKED counts the places looked at.
SECRETS_CHECKED=0
no_secret() {
	lib_what=$1 lib_secret=$2
	shift 2
	lib_hex=$(printf '%s' "$lib_secret" | od -An -tx1 | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')
	for lib_f in "$@"; do
		[ -e "$lib_f" ] || continue
		if grep -rqF -e "$lib_secret" -e "$lib_hex" -- "$lib_f"; then
			grep -rnF -e "$lib_secret" -e "$lib_hex" -- "$lib_f" | head -n 5 |
				sed 's/^/    | /'
			fail "$lib_what: the secret is in $lib_f"
		fi
		SECRETS_CHECKED=$((SECRETS_CHECKED + 1))
	done
}

# Skip (77) with a clear reason where FUSE cannot be used; fail if our binaries are missing.
need_fuse() {
	[ "$(id -u)" = 0 ] || skip "needs root"
	[ -c /dev/fuse ] || skip "no /dev/fuse"
	command -v fusermount3 >/dev/null 2>&1 || skip "fusermount3 missing"
	[ -x "$AMTSIM" ] || fail "$AMTSIM is not built"
	[ -x "$MEIPROBE" ] || fail "$MEIPROBE is not built"
}

# no_key_time FILE: the machine file FILE (a copy of an example machine) makes no key pair at
# its first power-up (key_generation_s 0): for tests about something else than key generation.
no_key_time() {
	sed -i '1s/^{$/{ "key_generation_s": 0,/' "$1"
	grep -q '"key_generation_s": 0' "$1" || fail "no_key_time: $1 does not start with {"
}

# 0 if PATH is a mount point (of any file system) right now.
is_mounted() {
	awk -v m="$1" '$2 == m { f = 1 } END { exit !f }' /proc/self/mounts
}

is_unmounted() { ! is_mounted "$1"; }

# 0 if PID is gone or a zombie (killed, not yet reaped).
is_gone() {
	[ -e "/proc/$1" ] || return 0
	lib_st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -z "$lib_st" ] || [ "$lib_st" = Z ] || [ "$lib_st" = X ]
}

# wait_gone PID MS: 0 once PID is gone, 1 if it is still there after MS milliseconds.
wait_gone() {
	lib_n=0
	while [ "$lib_n" -lt "$2" ]; do
		is_gone "$1" && return 0
		sleep 0.05
		lib_n=$((lib_n + 50))
	done
	is_gone "$1"
}

# wait_for MS COMMAND...: poll the command every 50 ms until it succeeds or MS pass.
wait_for() {
	lib_lim=$1
	shift
	lib_n=0
	while [ "$lib_n" -lt "$lib_lim" ]; do
		"$@" && return 0
		sleep 0.05
		lib_n=$((lib_n + 50))
	done
	"$@"
}

track_pid() { lib_pids="$lib_pids $1"; }

# 0 if PID is a live child of this shell, the only kind of process a test may signal by PID:
# once the shell has reaped a child (dash does so while it waits for any foreground
# command), its PID is free, and with pid_max at 32768 on a busy machine an unrelated
# process, such as the amtsim of a test running alongside, may hold it by the time a
# cleanup sends SIGTERM to a stale PID. Builtins only, so no reaping between this check
# and the kill that follows it.
is_our_child() {
	[ -r "/proc/$1/stat" ] || return 1
	read -r lib_stat <"/proc/$1/stat" 2>/dev/null || return 1
	lib_stat=${lib_stat##*) }
	# shellcheck disable=SC2086 # split "S PPID ..." into fields
	set -- $lib_stat
	[ "$2" = "$$" ] && [ "$1" != Z ] && [ "$1" != X ]
}

# kill_child SIGNAL PID: signal PID if it is still a live child of this shell.
kill_child() {
	is_our_child "$2" && kill -"$1" "$2" 2>/dev/null
}

# start_amtsim MOUNTPOINT [OPTIONS...]: serve in the foreground, in the background of this
# shell; sets AMTSIM_PID and waits until MOUNTPOINT/mei0 (or --name) is there.
start_amtsim() {
	lib_mnt=$1
	shift
	lib_dev=mei0
	lib_prev=""
	for lib_a in "$@"; do
		[ "$lib_prev" = --name ] && lib_dev=$lib_a
		lib_prev=$lib_a
	done
	mkdir -p "$lib_mnt"
	"$AMTSIM" --foreground "$@" "$lib_mnt" >>"$WORK/amtsim.log" 2>&1 &
	AMTSIM_PID=$!
	track_pid "$AMTSIM_PID"
	lib_mounts="$lib_mounts $lib_mnt"
	lib_n=0
	while [ "$lib_n" -lt 5000 ]; do
		if is_mounted "$lib_mnt" && [ -e "$lib_mnt/$lib_dev" ]; then
			return 0
		fi
		if is_gone "$AMTSIM_PID"; then
			sed 's/^/    | /' "$WORK/amtsim.log"
			fail "amtsim exited before mounting $lib_mnt"
		fi
		sleep 0.05
		lib_n=$((lib_n + 50))
	done
	fail "amtsim did not mount $lib_mnt within 5 s"
}

# stop_amtsim PID MOUNTPOINT [SIGNAL]: signal it, wait (bounded) for it to exit and for the
# mount to go; fails the test if either takes longer than 5 s or the exit status is not 0.
stop_amtsim() {
	kill_child "${3:-TERM}" "$1" || fail "amtsim $1 was not running"
	wait_gone "$1" 5000 || fail "amtsim did not exit within 5 s of SIG${3:-TERM}"
	wait "$1"
	lib_rc=$?
	[ "$lib_rc" = 0 ] || { sed 's/^/    | /' "$WORK/amtsim.log"; fail "amtsim exited with $lib_rc"; }
	wait_for 2000 is_unmounted "$2" || fail "$2 still mounted after amtsim exited"
}

lib_cleanup() {
	lib_exit=$?
	trap - EXIT
	if [ "$lib_exit" != 0 ] && [ "$lib_exit" != 77 ] && [ -s "$WORK/amtsim.log" ]; then
		echo "# amtsim log:"
		tail -n 60 "$WORK/amtsim.log" | sed 's/^/    | /'
	fi
	for lib_p in $lib_pids; do
		kill_child TERM "$lib_p"
	done
	for lib_p in $lib_pids; do
		is_our_child "$lib_p" || continue
		wait_gone "$lib_p" 3000 || kill_child KILL "$lib_p"
	done
	for lib_m in $lib_mounts; do
		if is_mounted "$lib_m"; then
			fusermount3 -u "$lib_m" 2>/dev/null || umount -l "$lib_m" 2>/dev/null
		fi
	done
	if [ -n "$WORK" ] && [ -d "$WORK" ]; then
		rm -rf --one-file-system "$WORK"
	fi
	exit "$lib_exit"
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/amtact-it.XXXXXX") || fail "mktemp failed"
trap lib_cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

# ontty INPUT-LINES ARGS...: run a command on a pseudo-terminal, typing one line at each
# "System name: " prompt; prints what the terminal showed; exits with the command's code.
ontty() {
	/usr/bin/python3 - "$@" <<'PYEOF'
import os, pty, select, sys, time
lines = sys.argv[1].split("\n")
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
seen, typed, end = b"", 0, time.time() + 30
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.2)
    if r:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    if typed < len(lines) and seen.count(b"System name: ") > typed:
        os.write(fd, lines[typed].encode() + b"\n")
        typed += 1
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
PYEOF
}
