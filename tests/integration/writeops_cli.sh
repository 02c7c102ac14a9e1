#!/bin/sh
# SPDX-License-Identifier: MIT
# The write commands through the real binary: exit codes, JSON "outcome", the rule named on
# stderr and the state file afterwards, on --device sim:FILE; then the same steps once more on
# the FUSE device (amtsim), which must give the same exit codes, outcomes and state files.
# Without root or /dev/fuse the FUSE half is skipped (exit 77 after the sim half passed).
. "$(dirname "$0")/lib.sh"
[ -x "$AMTACT" ] || fail "$AMTACT is not built"

OTP_VALUE=Wr1teOpsCliOtp42
export WRITEOPS_OTP="$OTP_VALUE"
printf '%s\n' "$OTP_VALUE" >"$WORK/otp"
chmod 600 "$WORK/otp"
steps=0

# The outcome member of a JSON result.
outcome() { sed -n 's/^[[:space:]]*"outcome":[[:space:]]*"\([a-z_]*\)".*/\1/p' "$1"; }

# A state file with its wall-clock times (hello window, key ready) replaced, for comparisons:
# the FUSE pass runs each step a moment after the in-process one.
state_norm() { sed 's/"\(started_at\|until\|cert_ready_at\)":[[:space:]]*[0-9]*/"\1": T/' "$1"; }

# machine LABEL NAME [FIELD=JSON...]: a fresh state file $WORK/sim.json from an example
# machine, kept as $WORK/init.LABEL; the steps run on it are recorded in $WORK/steps.LABEL.
machine() {
	m=$1
	shift
	name=$1
	shift
	cp "$MACHINES/$name.json" "$WORK/sim.json" || fail "no example machine $name"
	for kv in "$@"; do
		k=${kv%%=*}
		v=${kv#*=}
		# the example files are one field per line; add the override after the brace
		sed -i "1s|^{|{\"$k\": $v,|" "$WORK/sim.json"
		sed -i "0,/^[[:space:]]*\"$k\":/{//d}" "$WORK/sim.json"
	done
	cp "$WORK/sim.json" "$WORK/init.$m"
	: >"$WORK/steps.$m"
}

# step EXIT OUTCOME STDERR-TEXT COMMAND...: run on sim (and remember it for the FUSE pass).
step() {
	want_rc=$1 want_out=$2 want_err=$3
	shift 3
	steps=$((steps + 1))
	cp "$WORK/sim.json" "$WORK/before.json"
	"$AMTACT" --device "sim:$WORK/sim.json" "$@" --json >"$WORK/out" 2>"$WORK/err"
	rc=$?
	got=$(outcome "$WORK/out")
	if [ "$rc" != "$want_rc" ] || [ "$got" != "$want_out" ]; then
		sed 's/^/    | /' "$WORK/out" "$WORK/err"
		fail "$m: $*: exit $rc outcome '$got', expected $want_rc '$want_out'"
	fi
	if [ -n "$want_err" ] && ! grep -qF -- "$want_err" "$WORK/err"; then
		sed 's/^/    | /' "$WORK/err"
		fail "$m: $*: stderr does not say: $want_err"
	fi
	case $want_out in
	no_change | predicted_refusal | dry_run | refused)
		cmp -s "$WORK/before.json" "$WORK/sim.json" ||
			fail "$m: $*: $want_out changed the state file" ;;
	esac
	ok "$m: $* -> $rc $want_out"
	printf '%s\t%s\t%s\n' "$rc" "$got" "$*" >>"$WORK/steps.$m"
}

# jq-free field check on the pretty-printed state file: field FILE NAME VALUE
field() { grep -q "^[[:space:]]*\"$2\":[[:space:]]*$3,\?\$" "$1"; }

# ---- the scenarios, on the in-process emulator ----------------------------------------------
scenarios() {
	machine factory amt16-factory
	step 0 dry_run "" set-suffix new.example.org --dry-run
	grep -q '"would_send"' "$WORK/out" || fail "dry run does not say what it would send"
	step 0 "done" "" set-suffix new.example.org
	field "$WORK/sim.json" pki_dns_suffix '"new.example.org"' || fail "suffix not in the state"
	step 0 no_change "" set-suffix new.example.org
	step 0 no_change "" zero-touch enable
	step 0 "done" "" set-otp --otp-env WRITEOPS_OTP
	step 0 "done" "" zero-touch disable
	step 0 no_change "" zero-touch disable
	step 9 predicted_refusal "since ME 12 the host may only disable" zero-touch enable
	step 9 refused "NOT_PERMITTED" zero-touch enable --force
	step 0 "done" "" start-config
	field "$WORK/sim.json" provisioning_state 1 || fail "start-config: not in provisioning"
	step 9 refused "INVALID_AMT_MODE" start-config
	step 9 refused "INVALID_AMT_MODE" set-otp --otp-file "$WORK/otp"
	step 9 predicted_refusal "still in provisioning" unprovision
	step 0 "done" "" stop-config
	step 9 predicted_refusal "configuration can be stopped only while in provisioning" stop-config
	step 0 no_change "" unprovision

	machine acm amt12-acm
	step 9 predicted_refusal "the OTP cannot be set once provisioned" set-otp --otp-file "$WORK/otp"
	step 9 refused "INVALID_AMT_MODE" set-otp --otp-file "$WORK/otp" --force
	step 9 predicted_refusal "PKI DNS suffix cannot be changed once provisioned" set-suffix x.example.com
	step 0 no_change "" set-suffix corp.example.com
	step 9 predicted_refusal "admin control mode cannot be unprovisioned" unprovision
	step 9 refused "INVALID_AMT_MODE" unprovision --force
	step 9 predicted_refusal "zero touch can be disabled only before provisioning" zero-touch disable
	step 9 predicted_refusal "cannot be restarted once provisioned" start-config
	step 0 no_change "" enable-amt

	machine ccm amt11-ccm
	step 0 dry_run "" unprovision --dry-run
	step 0 "done" "" unprovision
	field "$WORK/sim.json" provisioning_state 0 || fail "unprovision: not back in pre"
	step 0 no_change "" unprovision
	step 9 predicted_refusal "before ME 12 remote configuration is switched in BIOS/MEBx only" zero-touch disable
	step 9 refused "NOT_PERMITTED" zero-touch disable --force
	step 0 no_change "" zero-touch enable

	machine inprov amt19-inprov
	step 9 refused "INVALID_AMT_MODE" set-suffix new.example.org
	step 0 "done" "" stop-config
	step 0 "done" "" set-suffix new.example.org
	step 0 "done" "" start-config
	step 9 refused "INVALID_AMT_MODE" set-otp --otp-file "$WORK/otp" --force

	machine disabled amt16-disabled
	step 0 "done" "" enable-amt
	field "$WORK/sim.json" amt_enabled true || fail "enable-amt: AMT still off"
	step 0 no_change "" enable-amt

	machine off12 amt12-acm amt_enabled=false provisioning_state=0 control_mode=0
	step 9 predicted_refusal "needs ME 16.1 or later" enable-amt

	machine psk amt2.6-psk
	step 0 "done" "" set-otp --otp-file "$WORK/otp"
	step 0 "done" "" start-config
	step 0 "done" "" stop-config
}

# ---- command-line checks that need no firmware answer ----------------------------------------
usage_checks() {
	machine usage amt16-factory
	"$AMTACT" --device "sim:$WORK/sim.json" set-otp >/dev/null 2>"$WORK/err"
	[ $? = 2 ] && grep -q "never taken from the command line" "$WORK/err" ||
		fail "set-otp without a source: not a usage error"
	"$AMTACT" --device "sim:$WORK/sim.json" set-otp --otp-env NO_SUCH_VAR_X >/dev/null 2>&1
	[ $? = 8 ] || fail "set-otp from an unset variable: not bad input (8)"
	printf 'short\n' >"$WORK/short"
	"$AMTACT" --device "sim:$WORK/sim.json" set-otp --otp-file "$WORK/short" >/dev/null 2>&1
	[ $? = 8 ] || fail "set-otp with a 5-character OTP: not bad input (8)"
	"$AMTACT" --device "sim:$WORK/sim.json" zero-touch sideways >/dev/null 2>&1
	[ $? = 2 ] || fail "zero-touch sideways: not a usage error"
	"$AMTACT" --device "sim:$WORK/sim.json" start-config --wait=x >/dev/null 2>&1
	[ $? = 2 ] || fail "--wait=x: not a usage error"
	cmp -s "$MACHINES/amt16-factory.json" "$WORK/sim.json" || fail "usage errors touched the state"
	ok "usage and bad input: 2 and 8, nothing sent"
	# The key takes 3 s: --wait polls until it is ready (CERTIFICATE_NOT_READY is "started").
	machine slowkey amt16-factory cert_ready_at=$(($(date +%s) + 3))
	step 0 "done" "" start-config --wait=20
	grep -q '"key_ready":[[:space:]]*true' "$WORK/out" || fail "start-config --wait: key not ready"
	grep -q 'still generating its key' "$WORK/err" || fail "start-config --wait: no progress shown"
}

scenarios
usage_checks
ok "sim: $steps steps"

# ---- the same steps on the FUSE device -------------------------------------------------------
[ "$(id -u)" = 0 ] || skip "FUSE half: needs root (the sim half passed)"
[ -c /dev/fuse ] || skip "FUSE half: no /dev/fuse (the sim half passed)"
command -v fusermount3 >/dev/null 2>&1 || skip "FUSE half: fusermount3 missing"
[ -x "$AMTSIM" ] || fail "$AMTSIM is not built"

mnt=$WORK/mnt
fuse_pass=0
# Replay the recorded steps of one machine on both devices from fresh copies; compare each
# step's exit code and outcome, and the state files afterwards.
replay() {
	m=$1
	cp "$WORK/init.$m" "$WORK/sim.json"
	cp "$WORK/init.$m" "$WORK/fuse.json"
	start_amtsim "$mnt" --state "$WORK/fuse.json"
	while IFS="$(printf '\t')" read -r want_rc want_out args; do
		# shellcheck disable=SC2086 # the recorded arguments have no spaces
		"$AMTACT" --device "$mnt/mei0" $args --json >"$WORK/fout" 2>"$WORK/ferr"
		rc=$?
		got=$(outcome "$WORK/fout")
		[ "$rc" = "$want_rc" ] && [ "$got" = "$want_out" ] ||
			{ sed 's/^/    | /' "$WORK/ferr"; fail "FUSE $m: $args: $rc $got, sim gave $want_rc $want_out"; }
		# shellcheck disable=SC2086
		"$AMTACT" --device "sim:$WORK/sim.json" $args --json >/dev/null 2>&1
		fuse_pass=$((fuse_pass + 1))
	done <"$WORK/steps.$m"
	stop_amtsim "$AMTSIM_PID" "$mnt"
	state_norm "$WORK/sim.json" >"$WORK/a"
	state_norm "$WORK/fuse.json" >"$WORK/b"
	cmp -s "$WORK/a" "$WORK/b" || { diff -u "$WORK/a" "$WORK/b"; fail "FUSE $m: state differs from sim"; }
	ok "FUSE $m: $(wc -l <"$WORK/steps.$m") steps and the final state equal sim"
}

for label in factory acm ccm inprov disabled off12 psk; do
	replay "$label"
done
ok "FUSE: $fuse_pass steps equal"
