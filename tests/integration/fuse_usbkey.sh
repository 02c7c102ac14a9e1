#!/bin/sh
# SPDX-License-Identifier: MIT
# Watching an emulated box consume a USB key at power-on through amtsim, no agent: an AMT
# 2.6 PSK box started with --usb-key --power-on sends version-2 hellos with the key's PID;
# the key is pulled and the box power-cycled: nothing more is consumed. An AMT 5.0 box gets a
# PKI key through "amtsim ctl usb-key" + "power-cycle": version-3 hellos carrying one more
# hash (the key's) within its first window, to the server and port the key names.
. "$(dirname "$0")/lib.sh"
need_fuse
command -v python3 >/dev/null 2>&1 || skip "python3 missing"
. "$(dirname "$0")/lib_hello.sh"
start_listener usbkey
mnt=$WORK/mnt
umask 077
printf 'N3w!Passw0rd\n' >"$WORK/pw"
printf 'AB12-CD34 ABCD-1234-EFGH-5678-IJKL-9012-MNOP-3456\nXY98ZW76 QRST1234EFGH5678IJKL9012MNOP9999\n' \
	>"$WORK/pairs"
"$AMTACT" usbkey write --amt 2.6 --psk "$WORK/pairs" --mebx-password "$WORK/pw" \
	--out "$WORK/psk.bin" >/dev/null || fail "write the PSK key"

# 1. PSK: powered on with the key inserted.
cp "$MACHINES/amt2.6-psk.json" "$WORK/psk.json"
no_key_time "$WORK/psk.json"
start_amtsim "$mnt" --state "$WORK/psk.json" --hello-to "127.0.0.1:$LPORT" \
	--hello-schedule 1x1,1000x2 --power-on --usb-key "$WORK/psk.bin"
grep -q "powered on: usb key: record 1 of 2 applied (PSK, PID AB12CD34), 1 left; PSK hellos for 6 h" \
	"$WORK/amtsim.log" || fail "power-on with the key was not logged as applied"
ok "--usb-key --power-on: record 1 applied, logged"
wait_for 4000 have_at_least 1 || fail "no hello within 4 s of power-on"
is "$(rec 'r[0]["version"], r[0]["pid"]')" "2 AB12CD34" "a version-2 hello with the key's PID"
"$AMTACT" usbkey show "$WORK/psk.bin" | grep -q "1 used, 1 left" || fail "the key was not marked"
ok "the key says 1 record left"
"$AMTSIM" ctl "$mnt" usb-key none >/dev/null || fail "ctl usb-key none"
out=$("$AMTSIM" ctl "$mnt" power-cycle) || fail "power-cycle"
case $out in *"usb key"*) fail "a pulled key was read: $out" ;; esac
"$AMTACT" usbkey show "$WORK/psk.bin" | grep -q "1 used, 1 left" || fail "the key changed"
ok "pulled key: the next power-cycle reads nothing"
stop_amtsim "$AMTSIM_PID" "$mnt"

# 2. PKI (version 2.1: address and port): the 5.0 box first without a key (its hello length), then with one through ctl.
hash=0102030405060708090a0b0c0d0e0f1011121314
"$AMTACT" usbkey write --amt 5.0 --mebx-password "$WORK/pw" --suffix corp.example \
	--server 127.0.0.1 --hash "sha1:$hash:Corp Root" --port "$LPORT" \
	--out "$WORK/pki.bin" >/dev/null || fail "write the PKI key"
cp "$MACHINES/amt5.0-factory.json" "$WORK/plain.json"
no_key_time "$WORK/plain.json"
: >"$LLOG"
start_amtsim "$mnt" --state "$WORK/plain.json" --hello-to "127.0.0.1:$LPORT" \
	--hello-schedule 1x1,1000x2 --power-on
wait_for 4000 have_at_least 1 || fail "no hello from the 5.0 box without a key"
base=$(rec 'r[0]["len"]')
stop_amtsim "$AMTSIM_PID" "$mnt"
cp "$MACHINES/amt5.0-factory.json" "$WORK/pki.json"
no_key_time "$WORK/pki.json"
: >"$LLOG"
start_amtsim "$mnt" --state "$WORK/pki.json" --hello-to "127.0.0.1:$LPORT" \
	--hello-schedule 1x1,1000x2
sleep 1
is "$(count)" 0 "5.0 box served without power-on: silent"
"$AMTSIM" ctl "$mnt" usb-key "$WORK/pki.bin" >/dev/null || fail "ctl usb-key"
out=$("$AMTSIM" ctl "$mnt" power-cycle) || fail "power-cycle with the PKI key"
echo "$out" | grep -q "record 1 of 1 applied (PKI, suffix corp.example)" || fail "power-cycle said: $out"
ok "ctl usb-key + power-cycle: the PKI record applied"
wait_for 4000 have_at_least 1 || fail "no PKI hello after the key"
is "$(rec 'r[0]["version"], r[0]["len"]')" "3 $((base + 22))" \
	"a version-3 hello with one more (SHA-1) hash than without the key"
is "$(show 'd["pki_dns_suffix"], d["provisioning_server"]["name"], d["provisioning_server"]["port"], d["hello"]["until"] - d["hello"]["started_at"]')" \
	"corp.example 127.0.0.1 $LPORT 86400" "suffix, server and port from the key; the first window"
stop_amtsim "$AMTSIM_PID" "$mnt"
exit 0
