#!/bin/sh
# SPDX-License-Identifier: MIT
# amtsim --hello-to: a loopback listener applies MeshCentral's acceptance rules (doc/remote-config.md
# 2.4) to every hello; start-config starts them (UUID and active hashes as amtact info
# reports them, retry count per attempt), hello-now sends one, stop-config stops them,
# refused connections are counted attempts, a PSK box sends a 32-byte version-2 hello.
. "$(dirname "$0")/lib.sh"
need_fuse
command -v python3 >/dev/null 2>&1 || skip "python3 missing"

. "$(dirname "$0")/lib_hello.sh"

mnt=$WORK/mnt
cp "$MACHINES/amt16-factory.json" "$WORK/box.json"
no_key_time "$WORK/box.json"
# One default hash switched off (the table written out as the firmware reports it): it
# must stay out of the hello.
"$AMTACT" --device "sim:$WORK/box.json" --json info >"$WORK/info0.json" || fail "amtact info (sim) failed"
python3 - "$WORK/box.json" "$WORK/info0.json" <<'EOF' || fail "could not prepare the state file"
import json, sys
d = json.load(open(sys.argv[1]))
hs = json.load(open(sys.argv[2]))["cert_hashes"]
d["cert_hashes"] = [{"handle": h["handle"], "name": h["name"], "algorithm": 2, "hash": h["hash"],
                     "default": h["default"], "active": i != 3} for i, h in enumerate(hs)]
json.dump(d, open(sys.argv[1], "w"))
EOF
start_listener pki
start_amtsim "$mnt" --state "$WORK/box.json" --hello-to "127.0.0.1:$LPORT" \
	--hello-schedule 1x1,1000x2 --verbose
"$AMTACT" --device "$mnt/mei0" --json info >"$WORK/info.json" || fail "amtact info failed"
uuid=$(python3 -c "import json; print(json.load(open('$WORK/info.json'))['uuid']['value'])")
active=$(python3 -c "import json; print(','.join(h['hash'] for h in json.load(open('$WORK/info.json'))['cert_hashes'] if h['active'] and h['algorithm'] == 'sha256'))")
[ "$(echo "$active" | tr ',' '\n' | wc -l)" = 22 ] || fail "expected 22 active hashes, got: $active"

sleep 1.5
[ "$(count)" = 0 ] || fail "hellos before the window was opened"
out=$("$AMTSIM" ctl "$mnt" hello-now) && fail "hello-now with the window closed was accepted"
echo "$out" | grep -q "window is closed" || fail "hello-now (closed) said: $out"
ok "window closed: no hellos, hello-now refused ($out)"

t0=$(date +%s)
"$AMTACT" --device "$mnt/mei0" start-config >/dev/null || fail "amtact start-config failed"
wait_for 4000 have_at_least 1 || fail "no hello within 4 s of start-config"
ok "first hello $(($(date +%s) - t0)) s after start-config"
is "$(rec 'r[0]["reject"]')" None "MeshCentral's rules accept the hello"
is "$(rec 'r[0]["len"], r[0]["first_chunk"], r[0]["closed"]')" "773 773 True" \
	"773 bytes (25 + 22 x 34) in the first chunk, then closed"
is "$(rec 'r[0]["version"], r[0]["retry"]')" "3 0" "version 3, retry count 0"
is "$(rec 'r[0]["uuid"]')" "$uuid" "UUID as amtact info reports it"
is "$(rec '",".join(r[0]["hashes"])')" "$active" "the active SHA-256 hashes, in table order"

wait_for 6000 have_at_least 3 || fail "fewer than 3 hellos after 6 s (schedule 1x1,1000x2)"
"$AMTSIM" ctl "$mnt" hello-now >/dev/null || fail "hello-now refused in an open window"
n=$(count)
wait_for 1500 have_at_least $((n + 1)) || fail "hello-now sent nothing within 1.5 s"
"$AMTACT" --device "$mnt/mei0" stop-config >/dev/null || fail "amtact stop-config failed"
sleep 0.3
n=$(count)
is "$(rec '[x["retry"] for x in r] == list(range(len(r))) and all(x["reject"] is None for x in r)')" \
	True "retry counts 0..$((n - 1)), every hello accepted"
sleep 4.5
is "$(count)" "$n" "stop-config: no hellos in the next 4.5 s"
is "$(show 'd["hello"]["attempts"], d["hello"]["delivered"], d["hello"]["failed"]')" \
	"$n $n 0" "show: attempts, delivered and failed counters"
"$AMTSIM" ctl "$mnt" hello-now >/dev/null 2>&1 && fail "hello-now accepted after stop-config"
ok "hello-now refused after stop-config"

# Nobody listening: the attempts still count, as failed ones, in the new (6 h) window.
kill_child TERM "$LPID"
wait_gone "$LPID" 3000 || fail "the listener did not stop"
"$AMTACT" --device "$mnt/mei0" start-config >/dev/null || fail "second start-config failed"
failed_ge() { [ "$(show 'd["hello"]["failed"]')" -ge 2 ]; }
wait_for 6000 failed_ge || fail "refused connections were not counted as failed attempts"
is "$(show 'd["hello"]["delivered"], d["hello"]["attempts"] >= 2, d["hello"]["starts"]')" \
	"$n True 2" "refused connections: counted attempts of the new window"
grep -q "connect: Connection refused" "$WORK/amtsim.log" || fail "--verbose did not log the failure"
ok "--verbose logs the refused connection"
stop_amtsim "$AMTSIM_PID" "$mnt"
ok "amtsim stopped cleanly with the sender running"

# A PSK box (AMT 2.6): a 32-byte version-2 hello with its PID (MeshCentral rejects v2).
cp "$MACHINES/amt2.6-psk.json" "$WORK/psk.json"
no_key_time "$WORK/psk.json"
start_listener psk
: >"$WORK/amtsim.log"
start_amtsim "$mnt" --state "$WORK/psk.json" --hello-to "127.0.0.1:$LPORT" --hello-schedule 1x1
"$AMTACT" --device "$mnt/mei0" --json info >"$WORK/info.json" || fail "amtact info (psk) failed"
pid=$(python3 -c "import json; print(json.load(open('$WORK/info.json'))['remote_configuration']['pid'])")
uuid=$(python3 -c "import json; print(json.load(open('$WORK/info.json'))['uuid']['value'])")
"$AMTACT" --device "$mnt/mei0" start-config >/dev/null || fail "amtact start-config (psk) failed"
wait_for 4000 have_at_least 1 || fail "no PSK hello within 4 s"
is "$(rec 'r[0]["len"], r[0]["version"], r[0]["retry"], r[0]["pid"]')" "32 2 0 $pid" \
	"PSK: 32 bytes, version 2, retry 0, PID $pid"
is "$(rec 'r[0]["uuid"], r[0]["reject"]')" "$uuid version 2, only 3 supported" \
	"PSK: the UUID; MeshCentral rejects version 2"
sleep 2
is "$(count)" 1 "schedule 1x1: one attempt only"
stop_amtsim "$AMTSIM_PID" "$mnt"
exit 0
