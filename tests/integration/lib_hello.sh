# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# Sourced by the hello tests (after lib.sh): a loopback listener for amtsim --hello-to.

# start_listener NAME: starts hello_listener.py, sets LPORT (its port) and LLOG (its log:
# one JSON line per hello).
start_listener() {
	LLOG=$WORK/$1.jsonl
	: >"$LLOG"
	python3 "$TOPDIR/tests/integration/hello_listener.py" "$WORK/$1.port" "$LLOG" \
		>>"$WORK/amtsim.log" 2>&1 &
	LPID=$!
	track_pid "$LPID"
	wait_for 5000 test -s "$WORK/$1.port" || fail "the listener did not start"
	# shellcheck disable=SC2034 # read by the tests that source this file
	LPORT=$(cat "$WORK/$1.port")
}

count() { wc -l <"$LLOG" | tr -d ' '; }
have_at_least() { [ "$(count)" -ge "$1" ]; }
rec() { python3 -c "import json,sys; r=[json.loads(l) for l in open('$LLOG')]; print($1)"; }
is() { [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"; ok "$3"; }
# show EXPR: the emulator's state at the mount point $mnt the test has set.
show() {
	# shellcheck disable=SC2154 # mnt is the sourcing test's
	"$AMTSIM" ctl "$mnt" show >"$WORK/show.json" || fail "ctl show failed"
	python3 -c "import json; d=json.load(open('$WORK/show.json')); print($1)"
}
