#!/bin/sh
# SPDX-License-Identifier: MIT
# The boot medium end to end in a virtual machine: builds the ISO (profiles/bootmedia) with
# a test profile, boots it in QEMU (software emulation, BIOS, from the CD drive), types an
# invalid and then a valid system name on the serial console, and checks that the medium
# says it is ready and that the interim server on 127.0.0.1 got one report with that name,
# the machine's UUID, its MAC and a sealed OTP it could open. The guest has no ME: a
# test-only kernel argument (amtact.sim=1) runs amtact against the emulator's factory-fresh
# AMT 16 machine. Its network is QEMU's user mode with restrict=on: it reaches nothing but
# one guest forward (10.0.2.100:443) to the server's loopback port.
. "$(dirname "$0")/lib_run.sh"

QEMU=$(command -v qemu-system-x86_64 || true)
[ -n "$QEMU" ] || skip "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)"
BOOT_TIMEOUT=${BOOTMEDIA_BOOT_TIMEOUT:-150}
RUN_TIMEOUT=${BOOTMEDIA_RUN_TIMEOUT:-90}
NAME=pc-dropship-42
UUID=4c4c4544-0051-4810-8039-b4c04f4b3733   # profiles/machines/amt16-factory.json
MAC=52:54:00:a1:b2:c3

# QEMU must at least start (a machine without it, or without TCG, skips).
"$QEMU" -accel tcg -machine pc -display none -nodefaults -S -no-reboot \
	-daemonize -pidfile "$WORK/probe.pid" >"$WORK/probe.err" 2>&1 ||
	skip "QEMU cannot start here: $(head -n 1 "$WORK/probe.err")"
kill -TERM "$(cat "$WORK/probe.pid")" 2>/dev/null

# The server certificate must also name the address the guest uses (10.0.2.100).
make_pki
printf '[v3]\nbasicConstraints=CA:false\nextendedKeyUsage=serverAuth\n%s\n' \
	'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:10.0.2.100' >"$PKI/guest.ext"
openssl x509 -req -in "$PKI/server.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" \
	-CAcreateserial -days 30 -extfile "$PKI/guest.ext" -extensions v3 \
	-out "$PKI/server.crt" 2>/dev/null || fail "signing the server certificate for the guest"
start_server --token-file "$PKI/token.txt"

# The medium's configuration: the profile and the files it names.
CONF=$WORK/medium
mkdir -p "$CONF"
cp "$PKI/ca.crt" "$CONF/ca.crt"
cp "$PKI/report.crt" "$CONF/report.crt"
install -m 0600 "$PKI/token.txt" "$CONF/token"
sed -e 's|https://provisioning.example.com/reports|https://10.0.2.100/reports|' \
	-e 's|"max_attempts": 6|"max_attempts": 3|' \
	"$TOPDIR/profiles/bootmedia/example/profile.json" >"$CONF/profile.json"
grep -q 10.0.2.100 "$CONF/profile.json" || fail "the example profile has no server URL to replace"

t0=$(date +%s)
sh "$TOPDIR/profiles/bootmedia/build.sh" --amtact "$AMTACT" --config "$CONF" \
	--out "$WORK/medium.iso" --work "$WORK/build" --timeout 0 \
	--append "console=ttyS0,115200 amtact.sim=1" \
	--sim-machine "$MACHINES/amt16-factory.json" >"$WORK/build.log" 2>&1 || {
	# Without root the build cannot install its tools: that is a set-up, not a failure.
	grep -q "missing Debian packages" "$WORK/build.log" && [ "$(id -u)" -ne 0 ] &&
		skip "$(grep -m1 "run as root" "$WORK/build.log")"
	tail -n 20 "$WORK/build.log"
	fail "building the boot medium"
}
t1=$(date +%s)
note "ISO built in $((t1 - t0)) s: $(tail -n 1 "$WORK/build.log")"

# The guest forward runs this per connection, on the socket QEMU hands it as stdin/stdout.
cat >"$WORK/relay.py" <<EOF
import os, select, socket, sys
try:
    s = socket.create_connection(("127.0.0.1", $PORT))
except OSError:
    sys.exit(0)  # the server is down: the guest sees the connection closed
fds = [0, s.fileno()]
while fds:
    for fd in select.select(fds, [], [])[0]:
        data = os.read(fd, 65536)
        if not data:
            fds = []
            break
        if fd == 0:
            s.sendall(data)
        else:
            os.write(1, data)
EOF

"$QEMU" -accel tcg -machine pc -m 512 -smp 1 -display none -nodefaults -no-reboot \
	-uuid "$UUID" -smbios type=1,manufacturer=Example,product=DropShip-PC,serial=SN4242 \
	-chardev "socket,id=con,path=$WORK/serial.sock,server=on,wait=on" -serial chardev:con \
	-drive "file=$WORK/medium.iso,media=cdrom,if=ide,readonly=on" -boot d \
	-nic "user,model=virtio-net-pci,mac=$MAC,restrict=on,guestfwd=tcp:10.0.2.100:443-cmd:$PY $WORK/relay.py" \
	-pidfile "$WORK/qemu.pid" >"$WORK/qemu.out" 2>&1 &
QEMU_PID=$!
track_pid "$QEMU_PID"
wait_for 10000 test -S "$WORK/serial.sock" ||
	{ cat "$WORK/qemu.out"; fail "QEMU did not open its serial port"; }

"$PY" "$TOPDIR/tests/integration/bootmedia_console.py" "$WORK/serial.sock" \
	"$WORK/console.log" "$NAME" "$BOOT_TIMEOUT" "$RUN_TIMEOUT" >"$WORK/console.out" 2>&1
rc=$?
t2=$(date +%s)
kill -TERM "$QEMU_PID" 2>/dev/null
wait_gone "$QEMU_PID" 10000 || fail "QEMU did not stop"
if [ "$rc" != 0 ]; then
	echo "--- console"; tail -n 60 "$WORK/console.log"
	fail "console: $(tail -n 1 "$WORK/console.out")"
fi
echo "--- what the employee saw (the end of the console)"
tr -d '\r' <"$WORK/console.log" | tail -n 50 | sed 's/^/    | /'
note "booted, typed and reported in $((t2 - t1)) s ($(tail -n 1 "$WORK/console.out"))"

console() { grep -qF -- "$1" "$WORK/console.log" || { tail -n 40 "$WORK/console.log"; fail "$2"; }; }
console "Test mode: an emulated Intel AMT machine" "the console does not say it is in test mode"
console "SMBIOS UUID   $UUID" "the console does not show the SMBIOS UUID"
console "MAC $MAC" "the console does not show the MAC"
console "serial        SN4242" "the console does not show the serial number"
console "AMT version" "the console does not show the AMT version"
console '"pc 42!" cannot be a system name' "the invalid name was not refused on the console"
console "ready: you can remove the stick and restart" "no final ready message"
ok "console: found (UUID, MAC, AMT), invalid name refused, name asked again, ready"

is "$(srv 'len(R)')" 1 "reports stored by the server"
is "$(srv 'R[0]["doc"]["system"]["name"]')" "$NAME" "system name in the report"
is "$(srv 'R[0]["doc"]["me"]["uuid"]["value"]')" "$UUID" "ME UUID in the report"
is "$(srv "[i['mac'] for i in R[0]['doc']['system']['interfaces'] if i.get('mac')]")" \
	"[\"$MAC\"]" "MAC in the report"
is "$(srv '"otp" in R[0]["doc"]')" false "a plaintext OTP in the report"
is "$(srv 'R[0]["doc"]["otp_cms"][:19]')" "-----BEGIN CMS-----" "the sealed OTP (otp_cms)"
is "$(srv 'R[0]["otp_error"]')" null "the server opening the sealed OTP"
is "$(srv 'len(R[0]["otp"])')" 16 "the length of the OTP the server opened"
is "$(srv "[a['outcome'] for a in R[0]['doc']['actions'] if a['operation'] in ('set-otp', 'start-config')]")" \
	'["done", "done"]' "the OTP set and the configuration started"
ok "server: one report, name $NAME, UUID, MAC, sealed OTP opened (build $((t1 - t0)) s, run $((t2 - t1)) s)"

# --- the same image written to a USB stick, on a UEFI PC; the server is down at first ---------
OVMF=/usr/share/OVMF/OVMF_CODE_4M.fd
if [ ! -f "$OVMF" ] || [ ! -f /usr/share/OVMF/OVMF_VARS_4M.fd ]; then
	note "UEFI boot from a USB stick not tested: no $OVMF (apt-get install ovmf)"
	exit 0
fi
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$WORK/vars.fd"
rm -f "$WORK/serial.sock"
fault '{"mode": "down"}'
"$QEMU" -accel tcg -machine q35 -m 512 -smp 1 -display none -nodefaults -no-reboot \
	-uuid "$UUID" -drive "if=pflash,format=raw,readonly=on,file=$OVMF" \
	-drive "if=pflash,format=raw,file=$WORK/vars.fd" \
	-chardev "socket,id=con,path=$WORK/serial.sock,server=on,wait=on" -serial chardev:con \
	-drive "if=none,id=stick,file=$WORK/medium.iso,format=raw,readonly=on" \
	-device qemu-xhci -device usb-storage,drive=stick -device usb-kbd \
	-nic "user,model=virtio-net-pci,mac=$MAC,restrict=on,guestfwd=tcp:10.0.2.100:443-cmd:$PY $WORK/relay.py" \
	>"$WORK/qemu2.out" 2>&1 &
QEMU_PID=$!
track_pid "$QEMU_PID"
wait_for 10000 test -S "$WORK/serial.sock" ||
	{ cat "$WORK/qemu2.out"; fail "QEMU (UEFI) did not open its serial port"; }
"$PY" "$TOPDIR/tests/integration/bootmedia_console.py" --fail-first "$CTL" "$WORK/serial.sock" \
	"$WORK/console2.log" "$NAME-b" "$BOOT_TIMEOUT" "$RUN_TIMEOUT" >"$WORK/console2.out" 2>&1
rc=$?
t3=$(date +%s)
kill -TERM "$QEMU_PID" 2>/dev/null
wait_gone "$QEMU_PID" 10000 || fail "QEMU (UEFI) did not stop"
[ "$rc" = 0 ] || { tail -n 40 "$WORK/console2.log"; fail "UEFI, USB stick: $(tail -n 1 "$WORK/console2.out")"; }
echo "--- what the employee saw while the server was down"
tr -d '\r' <"$WORK/console2.log" | sed -n '/^Activating/,/^Press Enter/p' | sed 's/^/    | /'
grep -qF "ME UUID       $UUID" "$WORK/console2.log" || fail "UEFI, USB stick: no ME UUID shown"
# The employee types on a USB keyboard: its drivers (USB core, xHCI, HID) must be on the medium.
grep -q "keyboard .*QEMU USB Keyboard" "$WORK/console2.log" ||
	fail "UEFI, USB stick: the USB keyboard was not found"
is "$(srv 'len(R)')" 2 "reports stored after the failure and the retry"
# The first run's report, kept in the medium's memory, reached the server with its OTP.
is "$(srv "[r['doc']['system']['name'] for r in R if r.get('otp')]")" \
	"[\"$NAME\", \"$NAME-b\"]" "reports whose sealed OTP the server opened"
ok "UEFI PC, image on a USB stick, USB keyboard found: server down -> FAILED, exit code 15," \
	"what to tell IT; Enter retried -> report with its OTP delivered, ready ($((t3 - t2)) s)"
