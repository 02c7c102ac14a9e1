#!/bin/sh
# SPDX-License-Identifier: MIT
# USB devices through the real binary on a faked system (AMTACT_SYSROOT: a private folder
# with proc/self/mounts, proc/net/route and a sysfs tree laid out as Linux does; folders in
# it stand in for mount points; the host's /dev and /sys are never touched):
# `usbkey write --key` shows the stick's identity before writing, writes setup.bin at the
# root of its FAT mount, logs the serial and the PIDs (never a PPS), and refuses a fixed
# disk and a non-FAT partition; `diagnose` fails when the default route is on a USB
# Ethernet adapter while the emulated ME's wired LAN has no link.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 missing"
umask 077
is() { [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"; ok "$3"; }
. "$(dirname "$0")/lib_usbroot.sh"
NIC=$USB/1-4

printf 'N3w!Passw0rd\n' >"$WORK/pw"
printf 'AB12-CD34 ABCD-1234-EFGH-5678-IJKL-9012-MNOP-3456\nXY98ZW76 QRST1234EFGH5678IJKL9012MNOP9999\n' \
	>"$WORK/pairs"
write() {
	AMTACT_SYSROOT=$R "$AMTACT" usbkey write --amt 2.6 --psk "$WORK/pairs" \
		--mebx-password "$WORK/pw" --log "$WORK/usbkey.log" "$@" >"$WORK/out" 2>"$WORK/err"
}

# 1. The stick, by its mount point: identity first, then the file, then the log line.
write --key "$R/media/key" || fail "write --key: $(cat "$WORK/err")"
head -n 1 "$WORK/out" | grep -q "^USB key: SanDisk Cruzer Blade (0781:5567), serial 4C530001: /dev/sdb1 on $R/media/key (vfat)" ||
	fail "identity not shown first: $(cat "$WORK/out")"
ok "the key's vendor, product and serial are shown before writing"
grep -q "wrote $R/media/key/setup.bin" "$WORK/out" || fail "no written line: $(cat "$WORK/out")"
"$AMTACT" usbkey show "$R/media/key/setup.bin" | grep -q "2 records, 0 used, 2 left" ||
	fail "the key's file does not read back"
ok "setup.bin at the root of the key, 2 records"
grep -q "key serial 4C530001 (0781:5567 Cruzer Blade, /dev/sdb1): 2 PSK records (PIDs AB12CD34 XY98ZW76)" \
	"$WORK/usbkey.log" || fail "log: $(cat "$WORK/usbkey.log")"
grep -q "QRST\|ABCD1234EFGH" "$WORK/usbkey.log" "$WORK/out" "$WORK/err" && fail "a PPS was logged or printed"
ok "the log names the key's serial and the PIDs, never a PPS"
# shellcheck disable=SC2010 # names made by amtact in the test's own directory, plain ASCII
ls -a "$R/media/key" | grep -q '^\.setup\.bin\.' && fail "a temporary file was left"

# 2. By /dev name, JSON; then refusals.
write --key /dev/sdb1 --force --json || fail "write --key /dev/sdb1: $(cat "$WORK/err")"
is "$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); k=d['key']; print(k['serial'], k['vendor_id'], k['mount'] == sys.argv[2])" "$WORK/out" "$R/media/key")" \
	"4C530001 0781 True" "write --key --json: the key's identity"
write --key "$R/boot/efi"
is "$?" 8 "a fixed disk is refused"
grep -q "not a removable disk: refusing to write to a fixed disk" "$WORK/err" || fail "fixed: $(cat "$WORK/err")"
[ -e "$R/boot/efi/setup.bin" ] && fail "something was written to the fixed disk"
write --key /dev/sdb2
is "$?" 8 "an ext4 partition of the stick is refused"
grep -q "is ext4, not FAT" "$WORK/err" || fail "ext4: $(cat "$WORK/err")"
write --key "$R/media"
is "$?" 8 "a folder that is no mount point is refused"

# 3. diagnose: the default route on a USB Ethernet adapter (CDC NCM), the ME's link down.
attr "$NIC" idVendor 0bda
attr "$NIC" idProduct 8156
attr "$NIC" product "USB 2.5G Ethernet"
attr "$NIC/1-4:1.0" bInterfaceClass 02
attr "$NIC/1-4:1.0" bInterfaceSubClass 0d
attr /sys/class/net/enx00e04c680001 operstate up
ln -s "$R$NIC/1-4:1.0" "$R/sys/class/net/enx00e04c680001/device"
mkdir -p "$R/sys/bus/usb/drivers/cdc_ncm"
ln -s "$R/sys/bus/usb/drivers/cdc_ncm" "$R$NIC/1-4:1.0/driver"
attr /proc/net route "$(printf 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\nenx00e04c680001\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0')"
cp "$MACHINES/amt16-factory.json" "$WORK/box.json"
python3 -c "import json,sys; p=sys.argv[1]; d=json.load(open(p)); d['lan_wired']['link_up'] = False; json.dump(d, open(p, 'w'))" "$WORK/box.json"
AMTACT_SYSROOT=$R AMTACT_DHCP_LEASES=/nonexistent "$AMTACT" --device "sim:$WORK/box.json" \
	diagnose >"$WORK/out" 2>"$WORK/err"
is "$?" 9 "diagnose: exit 9 (a check fails)"
grep -q "FAIL  usb_nic_only: the operating system's network is on enx00e04c680001, a USB Ethernet adapter (0bda:8156 USB 2.5G Ethernet, CDC NCM, driver cdc_ncm) while the ME's wired LAN has no link" "$WORK/out" ||
	fail "diagnose said: $(cat "$WORK/out")"
ok "diagnose: a USB NIC while the ME's wired LAN has no link fails, naming the adapter"
python3 -c "import json,sys; p=sys.argv[1]; d=json.load(open(p)); d['lan_wired']['link_up'] = True; json.dump(d, open(p, 'w'))" "$WORK/box.json"
AMTACT_SYSROOT=$R AMTACT_DHCP_LEASES=/nonexistent "$AMTACT" --device "sim:$WORK/box.json" \
	diagnose --json >"$WORK/out" 2>"$WORK/err"
is "$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print([c['result'] for c in d['checks'] if c['check'] == 'network_path'])" "$WORK/out")" \
	"['ok']" "with the ME's own link up the USB NIC is fine"
exit 0
