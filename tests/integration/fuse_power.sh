#!/bin/sh
# SPDX-License-Identifier: MIT
# Power-on through amtsim, without any agent: a factory-fresh bare-metal PKI box started
# with --power-on sends hellos by itself (its first window, 24 h); a PSK box starts again
# at every "amtsim ctl power-cycle" until provisioned; a host-started PKI box (2.2) and a
# box with zero touch off stay silent.
. "$(dirname "$0")/lib.sh"
need_fuse
command -v python3 >/dev/null 2>&1 || skip "python3 missing"

. "$(dirname "$0")/lib_hello.sh"
start_listener power
first() { rec '"%d %d" % (r[0]["len"], r[0]["version"])'; }
nth() { rec '"%d %d" % (r['"$1"' - 1]["len"], r['"$1"' - 1]["version"])'; }
mnt=$WORK/mnt

# 1. A factory-fresh AMT 16 switched on: hellos with no agent, a 24 h window.
cp "$MACHINES/amt16-factory.json" "$WORK/box.json"
no_key_time "$WORK/box.json"
start_amtsim "$mnt" --state "$WORK/box.json" --hello-to "127.0.0.1:$LPORT" \
	--hello-schedule 1x1,1000x2 --power-on
wait_for 4000 have_at_least 1 || fail "no hello within 4 s of --power-on"
is "$(first)" "807 3" "--power-on: a version-3 hello of the default table (807 bytes), no agent"
is "$(show 'd["provisioning_state"], d["hello"]["until"] - d["hello"]["started_at"]')" \
	"1 86400" "--power-on: in provisioning, the first window (24 h)"
grep -q "powered on: PKI hellos for 24 h" "$WORK/amtsim.log" || fail "--power-on was not logged"
ok "--power-on is logged"
# The window is used: an ME restart does not reopen it once it has passed.
"$AMTSIM" ctl "$mnt" advance 90000 >/dev/null || fail "advance failed"
out=$("$AMTSIM" ctl "$mnt" power-cycle) || fail "power-cycle failed"
echo "$out" | grep -q "first window was used" || fail "power-cycle said: $out"
n=$(count)
sleep 2.5
is "$(count)" "$n" "after its first window a power cycle sends nothing"
stop_amtsim "$AMTSIM_PID" "$mnt"

# 2. A PSK box (AMT 2.6, with a PID): every power cycle starts version-2 hellos again.
cp "$MACHINES/amt2.6-psk.json" "$WORK/psk.json"
no_key_time "$WORK/psk.json"
: >"$LLOG"
start_amtsim "$mnt" --state "$WORK/psk.json" --hello-to "127.0.0.1:$LPORT" \
	--hello-schedule 1x1
sleep 1.5
is "$(count)" 0 "PSK box served without power-on: silent"
for i in 1 2; do
	"$AMTSIM" ctl "$mnt" power-cycle >"$WORK/pc.out" || fail "power-cycle $i failed"
	grep -q "PSK hellos for 6 h" "$WORK/pc.out" || fail "power-cycle $i said: $(cat "$WORK/pc.out")"
	wait_for 4000 have_at_least "$i" || fail "no PSK hello after power-cycle $i"
	is "$(nth "$i")" "32 2" "power-cycle $i: a 32-byte version-2 hello"
	is "$(show 'd["hello"]["starts"], d["hello"]["until"] - d["hello"]["started_at"]')" \
		"$i 21600" "power-cycle $i: window $i, 6 h"
	"$AMTSIM" ctl "$mnt" advance 30000 >/dev/null || fail "advance failed"
done
stop_amtsim "$AMTSIM_PID" "$mnt"

# 3. Silent: PKI started only by host software (2.2), and zero touch off (16.1).
for m in amt2.2-pki amt16-factory; do
	cp "$MACHINES/$m.json" "$WORK/quiet.json"
	no_key_time "$WORK/quiet.json"
	what="2.2, PKI started by host software"
	if [ $m = amt16-factory ]; then
		what="16.1, zero touch off"
		python3 -c "import json; p='$WORK/quiet.json'; d=json.load(open(p)); d['zero_touch_enabled'] = False; json.dump(d, open(p, 'w'))"
	fi
	: >"$LLOG"
	start_amtsim "$mnt" --state "$WORK/quiet.json" --hello-to "127.0.0.1:$LPORT" \
		--hello-schedule 1x1 --power-on
	sleep 2
	is "$(count)" 0 "$what: powered on, no hello"
	stop_amtsim "$AMTSIM_PID" "$mnt"
done
exit 0
