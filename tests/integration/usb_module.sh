#!/bin/sh
# SPDX-License-Identifier: MIT
# The USB library is a module (amtact-usb.so) loaded only by `usbkey write --key`: status
# and info start with neither libusb, libudev nor libcurl (the dynamic loader's own log
# says what it loaded); `usbkey write --key` on a faked system (lib_usbroot.sh) loads the
# module and asks libusb for the key's descriptors; without the module, or with one others
# may change, the key is still identified from sysfs and a warning says why.
. "$(dirname "$0")/lib.sh"
[ -f "$BUILD/amtact-usb.so" ] || skip "amtact is built with libusb linked in (USB_PLUGIN=0)"
umask 077
. "$(dirname "$0")/lib_usbroot.sh"
M=$MACHINES/amt16-factory.json
STARTUP_LIBS='libusb|libudev|libcurl|amtact-usb|amtact-http'
ldd "$AMTACT" | grep -E "$STARTUP_LIBS" && fail "amtact itself links a library it should load on demand"
ok "amtact links neither libusb, libudev nor libcurl"

# loaded ARGS...: the libraries the dynamic loader initialised for this command.
loaded() { LD_DEBUG=libs "$AMTACT" "$@" 2>&1 >/dev/null | grep 'calling init:'; }
for cmd in status "status --json" info "info --json"; do
	# shellcheck disable=SC2086 # the command and its flag are two words
	loaded --device "sim:$M" $cmd >"$WORK/libs"
	[ -s "$WORK/libs" ] || fail "$cmd: no loader log (LD_DEBUG)"
	grep -E "$STARTUP_LIBS" "$WORK/libs" && fail "$cmd loaded a library it does not need"
	ok "$cmd starts without libusb, libudev and libcurl"
done

printf 'N3w!Passw0rd\n' >"$WORK/pw"
printf 'AB12-CD34 ABCD-1234-EFGH-5678-IJKL-9012-MNOP-3456\n' >"$WORK/pairs"
IDENTITY="USB key: SanDisk Cruzer Blade (0781:5567), serial 4C530001: /dev/sdb1 on $R/media/key (vfat)"
# write AMTACT: `usbkey write --key` on the faked stick, loader log and warnings in err.
write() {
	rm -f "$R/media/key/setup.bin"
	AMTACT_SYSROOT=$R LD_DEBUG=libs "$1" usbkey write --amt 2.6 --psk "$WORK/pairs" \
		--mebx-password "$WORK/pw" --key "$R/media/key" >"$WORK/out" 2>"$WORK/err" ||
		fail "usbkey write --key: $(grep -v '^ *[0-9]*:' "$WORK/err")"
	head -n 1 "$WORK/out" | grep -qF "$IDENTITY" || fail "identity: $(cat "$WORK/out")"
	[ -s "$R/media/key/setup.bin" ] || fail "no setup.bin written"
}
write "$AMTACT"
grep -q 'calling init:.*amtact-usb\.so' "$WORK/err" || fail "usbkey write --key did not load the module"
grep -q 'calling init:.*libusb' "$WORK/err" || fail "usbkey write --key did not load libusb"
# The faked stick is on no real bus: libusb is asked and the names stay sysfs's.
grep -q 'libusb could not read the descriptors' "$WORK/err" ||
	fail "libusb was not asked: $(grep -v '^ *[0-9]*:' "$WORK/err")"
ok "usbkey write --key loads amtact-usb.so and libusb, asks libusb, identifies the key"

# A copy of amtact without its module: sysfs's names and a warning saying where it looked.
mkdir -p "$WORK/bin"
cp "$AMTACT" "$WORK/bin/amtact"
if [ -e /usr/local/lib/amtact/amtact-usb.so ] || [ -e /usr/lib/amtact/amtact-usb.so ]; then
	note "an installed module exists: the missing-module case is not checked"
else
	write "$WORK/bin/amtact"
	grep -qF "the USB module amtact-usb.so is missing (looked in $WORK/bin" "$WORK/err" ||
		fail "missing module: $(grep -v '^ *[0-9]*:' "$WORK/err")"
	grep -q 'no USB library: names as the kernel read them' "$WORK/err" ||
		fail "missing module: no note on the names"
	grep -qE 'calling init:.*(libusb|libudev)' "$WORK/err" && fail "libusb loaded without the module"
	ok "missing module: the key is identified from sysfs, with a warning"
fi
# A module that others may change is refused before it is loaded.
cp "$BUILD/amtact-usb.so" "$WORK/bin/"
chmod 0664 "$WORK/bin/amtact-usb.so"
write "$WORK/bin/amtact"
grep -q "amtact-usb.so is not trusted" "$WORK/err" || fail "writable module: $(grep -v '^ *[0-9]*:' "$WORK/err")"
grep -q 'calling init:.*amtact-usb\.so' "$WORK/err" && fail "the writable module was loaded"
ok "group-writable module refused, key identified from sysfs"
chmod 0644 "$WORK/bin/amtact-usb.so"
write "$WORK/bin/amtact"
grep -q 'calling init:.*amtact-usb\.so' "$WORK/err" || fail "the module next to the copy was not loaded"
ok "the module next to the executable is used"
exit 0
