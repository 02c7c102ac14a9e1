#!/bin/sh
# SPDX-License-Identifier: MIT
# Every injected fault through MOUNTPOINT/control (and `amtsim ctl`), observed at the device
# with meiprobe: busy connects, firmware reset and recovery, no reply, each malformed-reply
# kind, AMT disabled (empty read), latency, clock and state edits persisted to the state file.
. "$(dirname "$0")/lib.sh"
need_fuse

mnt=$WORK/mnt
state=$WORK/state.json
cp "$MACHINES/amt16-factory.json" "$state" || fail "no example machine amt16-factory.json"
start_amtsim "$mnt" --state "$state"
dev=$mnt/mei0
REQ=010100001100000400000000 # AMT_GET_PROVISIONING_STATE

# ctl COMMAND...: through `amtsim ctl`, must answer "ok".
ctl() {
	a=$("$AMTSIM" ctl "$mnt" "$@") || fail "amtsim ctl $*: exit $? ($a)"
	[ "$a" = ok ] || fail "amtsim ctl $*: answered '$a'"
}
# call [TIMEOUT_MS]: one exchange; the output of meiprobe goes to $WORK/call.out.
call() {
	"$MEIPROBE" "$dev" call amthi "$REQ" ${1:+"$1"} >"$WORK/call.out" 2>&1
}
line() { grep "^$1: " "$WORK/call.out" | head -n 1 | cut -d' ' -f2-; }
reply_hex() { sed -n 's/^read: [0-9]* bytes \([0-9a-f]*\).*/\1/p' "$WORK/call.out"; }
expect_line() {
	got=$(line "$1")
	# shellcheck disable=SC2254 # $2 is a pattern on purpose
	case $got in
	$2) ;;
	*) cat "$WORK/call.out"; fail "$3: $1 was '$got', expected '$2'" ;;
	esac
}

call || { cat "$WORK/call.out"; fail "baseline exchange failed"; }
normal=$(reply_hex)
[ ${#normal} -ge 32 ] || fail "baseline reply too short: $normal"
ok "baseline reply $normal"

# --- control file from the shell, and its errors ---
echo 'busy 1' >"$mnt/control" || fail "writing 'busy 1' to the control file"
[ "$(cat "$mnt/control")" = ok ] || fail "control file answer: $(cat "$mnt/control")"
"$MEIPROBE" "$dev" connect amthi >"$WORK/c.out"
grep -qx 'connect: EBUSY' "$WORK/c.out" || fail "busy 1 via the control file: $(cat "$WORK/c.out")"
ok "control file: 'busy 1' answered ok, next connect EBUSY"
if echo 'no-such-command' >"$mnt/control" 2>/dev/null; then
	fail "an unknown control command was accepted"
fi
grep -q 'unknown control command' "$mnt/control" || fail "no reason for a refused command"
if "$AMTSIM" ctl "$mnt" latency banana >"$WORK/bad.out" 2>&1; then
	fail "amtsim ctl accepted 'latency banana'"
fi
[ -s "$WORK/bad.out" ] || fail "amtsim ctl printed no reason for a refused command"
ok "refused commands fail (write EINVAL, ctl exit 1) with the reason"

# --- busy N: exactly the next N connects fail with EBUSY ---
ctl busy 2
for want in EBUSY EBUSY 'ok*'; do
	"$MEIPROBE" "$dev" connect amthi >"$WORK/c.out"
	got=$(sed -n 's/^connect: //p' "$WORK/c.out")
	# shellcheck disable=SC2254 # $want is a pattern on purpose
	case $got in $want) ;; *) fail "busy 2: connect gave '$got', expected '$want'" ;; esac
done
ok "busy 2: EBUSY, EBUSY, then connected"

# --- firmware reset mid-exchange, recovery after the delay ---
"$MEIPROBE" "$dev" block amthi >"$WORK/blocked.out" 2>&1 &
bpid=$!
track_pid "$bpid"
wait_for 3000 grep -sq blocking "$WORK/blocked.out" || fail "blocked reader did not start"
ctl reset-after 1 800
call
expect_line poll 'POLLERR after *' "reset"
expect_line read ENODEV "reset"
ok "reset: the request's reader sees POLLERR, then read ENODEV"
wait_gone "$bpid" 2000 || fail "a reader blocked on another open did not end after the reset"
grep -q '^read: ENODEV' "$WORK/blocked.out" || fail "other open: $(cat "$WORK/blocked.out")"
ok "reset: a read blocked on another open ends with ENODEV"
"$MEIPROBE" "$dev" connect amthi >"$WORK/c.out"
grep -qx 'connect: ENODEV' "$WORK/c.out" || fail "connect while resetting: $(cat "$WORK/c.out")"
ok "reset: connect -> ENODEV while the firmware recovers"
sleep 1
call || { cat "$WORK/call.out"; fail "no recovery after the reset delay"; }
[ "$(reply_hex)" = "$normal" ] || fail "reply after recovery differs: $(reply_hex)"
ok "reset: connect and exchange work again after the recovery delay"

# --- no reply: the reader times out, the write itself succeeded ---
ctl noreply GET_PROVISIONING_STATE
call 400
expect_line write 'ok 12' "noreply"
expect_line poll 'timeout after *' "noreply"
expect_line read EAGAIN "noreply"
ctl noreply all
call 300
expect_line poll 'timeout after *' "noreply all"
ctl clear
call || fail "no reply after clear"
ok "noreply CMD and noreply all: poll times out, read EAGAIN; clear restores replies"

# --- malformed replies: each kind changes exactly what it says ---
len=${#normal}
hdr_len=$(printf '%s' "$normal" | cut -c17-24) # Length field, little-endian hex
lenplus() { # lenplus N: Length field + N as little-endian hex
	v=$(printf '%s' "$hdr_len" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/')
	printf '%08x' $((0x$v + $1)) | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/'
}
for kind in empty short length command reserved version size trailing; do
	ctl malformed GET_PROVISIONING_STATE "$kind"
	call 2000
	got=$(reply_hex)
	case $kind in
	empty) want="" ;;
	short) want=$(printf '%s' "$normal" | cut -c1-$((len - 8))) ;;
	length) want=$(printf '%s' "$normal" | cut -c1-16)$(lenplus 1)$(printf '%s' "$normal" | cut -c25-) ;;
	command) want=$(printf '%s' "$normal" | cut -c1-8)11000004$(printf '%s' "$normal" | cut -c17-) ;;
	reserved) want=$(printf '%s' "$normal" | cut -c1-4)01$(printf '%s' "$normal" | cut -c7-) ;;
	version) want=0200$(printf '%s' "$normal" | cut -c5-) ;;
	size) want=$(printf '%s' "$normal" | cut -c1-16)$(lenplus 4)$(printf '%s' "$normal" | cut -c25-)00000000 ;;
	trailing) want=${normal}a5 ;;
	esac
	[ "$got" = "$want" ] || { cat "$WORK/call.out"; fail "malformed $kind: got '$got', want '$want'"; }
	ok "malformed $kind: $got"
done
ctl clear

# --- AMT disabled: the AMTHI client answers with an empty message ---
ctl set amt_enabled false
call || fail "AMT disabled: no readable reply"
expect_line read '0 bytes*' "AMT disabled"
ctl set amt_enabled true
ok "AMT disabled: POLLIN, then an empty read (0 bytes)"

# --- latency delays readability ---
ctl latency 300
call 3000
ms=$(line poll | sed -n 's/^POLLIN after \([0-9]*\) ms$/\1/p')
[ -n "$ms" ] && [ "$ms" -ge 280 ] || fail "latency 300: reply after '$ms' ms"
ok "latency 300: reply readable after $ms ms"
ctl latency 0
call
ms=$(line poll | sed -n 's/^POLLIN after \([0-9]*\) ms$/\1/p')
[ -n "$ms" ] && [ "$ms" -lt 200 ] || fail "latency 0: reply after '$ms' ms"
ok "latency 0: reply readable after $ms ms"

# --- clock and state edits land in the state file ---
ctl advance 86400
"$AMTSIM" ctl "$mnt" show | grep -q '"clock_offset":[[:space:]]*86400' || fail "show lacks the clock offset"
ctl set pki_dns_suffix faults.example.com
grep -q 'faults.example.com' "$state" || fail "set was not saved to the state file"
ok "advance and set: visible in show and saved to $state"

stop_amtsim "$AMTSIM_PID" "$mnt"
grep -q 'faults.example.com' "$state" || fail "state file lost the edit"
exit 0
