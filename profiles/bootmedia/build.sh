#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds the amtact boot medium: a hybrid ISO image (CD and USB stick, BIOS and UEFI) made of
# Debian's own packages: Debian's kernel (extracted from its .deb, not installed) with the
# Intel ME and wired network drivers, busybox, amtact with the libraries it needs, and the
# medium's init (init.sh next to this file), which asks for the system name and runs
# `amtact run` with the profile in the configuration folder.
#
# usage: build.sh --amtact FILE --config DIR --out FILE.iso [--work DIR]
#                 [--append "KERNEL ARGS"] [--sim-machine FILE] [--timeout SECONDS]
#   --config DIR       profile.json and every file it names (CA, token, report certificate);
#                      the whole folder is copied to /etc/amtact on the medium
#   --append ARGS      more kernel command-line arguments for the boot entry
#   --sim-machine FILE (tests only) an emulator machine file; with amtact.sim=1 on the kernel
#                      command line the medium runs against it instead of /dev/mei0
#   --timeout SECONDS  the boot menu's timeout (default 3)
# Environment: AMTACT_BOOTMEDIA_CACHE (default /var/cache/amtact-bootmedia) keeps the kernel
# package so later builds do not fetch it again.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${AMTACT_BOOTMEDIA_CACHE:-/var/cache/amtact-bootmedia}
PKGS="xorriso grub-common grub-pc-bin grub-efi-amd64-bin mtools busybox-static cpio gzip"
AMTACT="" CONFIG="" OUT="" WORK="" APPEND="" SIM_MACHINE="" TIMEOUT=3

say() { echo "amtact: bootmedia: $*" >&2; }
die() { say "$*"; exit 1; }

while [ $# -gt 0 ]; do
	case $1 in
	--amtact) AMTACT=$2; shift 2 ;;
	--config) CONFIG=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	--work) WORK=$2; shift 2 ;;
	--append) APPEND=$2; shift 2 ;;
	--sim-machine) SIM_MACHINE=$2; shift 2 ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	*) die "unknown option \"$1\" (see the comment at the top of $0)" ;;
	esac
done
[ -n "$AMTACT" ] && [ -n "$CONFIG" ] && [ -n "$OUT" ] ||
	die "--amtact, --config and --out are required"
[ -x "$AMTACT" ] || die "$AMTACT: not an executable (build amtact first: make)"
[ -f "$CONFIG/profile.json" ] || die "$CONFIG/profile.json: no profile in the configuration folder"
[ -z "$SIM_MACHINE" ] || [ -f "$SIM_MACHINE" ] || die "$SIM_MACHINE: no such machine file"
: "${WORK:=$(dirname "$OUT")/bootmedia.work}"

# --- the Debian packages the build itself needs ------------------------------------------
need_packages() {
	missing=""
	for p in $PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		say "missing Debian packages:$missing"
		die "run as root: apt-get update && apt-get install -y --no-install-recommends$missing"
	fi
	say "installing the packages the boot medium is built with:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null || die "apt-get update failed"
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >/dev/null ||
		die "apt-get install failed:$missing"
}

# --- Debian's kernel package, fetched once into the cache --------------------------------
kernel_deb() {
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n 1)
	deb=""
	[ -n "$pkg" ] && deb=$(ls "$CACHE/${pkg}"_*_amd64.deb 2>/dev/null | tail -n 1 || true)
	[ -z "$deb" ] && deb=$(ls "$CACHE"/linux-image-*-amd64_*_amd64.deb 2>/dev/null |
		tail -n 1 || true)
	if [ -n "$deb" ]; then
		echo "$deb"
		return 0
	fi
	[ -n "$pkg" ] || die "apt does not know linux-image-amd64 (run apt-get update)"
	mkdir -p "$CACHE" || die "cannot create the cache $CACHE (set AMTACT_BOOTMEDIA_CACHE)"
	say "fetching Debian's kernel package $pkg into $CACHE (once)"
	(cd "$CACHE" && apt-get download -q "$pkg" >/dev/null 2>&1) ||
		die "apt-get download $pkg failed"
	ls "$CACHE/${pkg}"_*_amd64.deb | tail -n 1
}

# Modules: the ME; the wired network cards of PCs with Intel AMT (AMT only works through the
# Intel LAN: e1000e, igc, igb), Realtek cards, USB network adapters, virtual machines' cards;
# USB host controllers and USB keyboards; whatever these depend on.
MODULE_DIRS="drivers/misc/mei drivers/net/ethernet/intel/e1000 drivers/net/ethernet/intel/e1000e
drivers/net/ethernet/intel/igb drivers/net/ethernet/intel/igc drivers/net/ethernet/realtek
drivers/net/usb drivers/net/phy drivers/net/mdio drivers/net/pcs drivers/net/mii.ko
drivers/net/virtio_net.ko drivers/net/net_failover.ko net/core/failover.ko drivers/virtio
drivers/usb/core drivers/usb/common drivers/usb/host drivers/hid/usbhid drivers/hid/hid.ko
drivers/hid/hid-generic.ko drivers/ptp drivers/pps drivers/dca drivers/i2c/algos drivers/mdio
drivers/hwmon/hwmon.ko lib"

copy_modules() {
	kroot=$1 root=$2 kver=$3
	src=$kroot/lib/modules/$kver/kernel
	dst=$root/lib/modules/$kver/kernel
	for d in $MODULE_DIRS; do
		[ -e "$src/$d" ] || continue
		mkdir -p "$(dirname "$dst/$d")"
		cp -a "$src/$d" "$dst/$d"
	done
	cp "$kroot/lib/modules/$kver/modules.builtin" "$kroot/lib/modules/$kver/modules.order" \
		"$root/lib/modules/$kver/" 2>/dev/null || true
	busybox depmod -b "$root" "$kver" || die "depmod failed for $kver"
	[ -s "$root/lib/modules/$kver/modules.dep" ] || die "depmod wrote no modules.dep"
}

# amtact, its HTTPS and crypto modules (next to it: amtact loads them to report and to seal
# the OTP) and every shared library any of them loads, at the same paths.
copy_program() {
	root=$1
	mkdir -p "$root/usr/sbin"
	cp "$AMTACT" "$root/usr/sbin/amtact"
	set -- "$AMTACT"
	for so in amtact-http.so amtact-crypto.so; do
		[ -f "$(dirname "$AMTACT")/$so" ] || continue
		cp "$(dirname "$AMTACT")/$so" "$root/usr/sbin/$so"
		chmod 0644 "$root/usr/sbin/$so"
		set -- "$@" "$(dirname "$AMTACT")/$so"
	done
	ldd "$@" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' | sort -u | while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
	[ -e "$root/lib64/ld-linux-x86-64.so.2" ] || die "the dynamic loader was not copied"
}

make_root() {
	root=$1 kroot=$2 kver=$3
	rm -rf "$root"
	mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" "$root/etc" \
		"$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/run" "$root/var/lib" \
		"$root/usr/share/amtact"
	cp /bin/busybox "$root/bin/busybox"
	for app in $(/bin/busybox --list); do
		[ "$app" = busybox ] || ln -s busybox "$root/bin/$app"
	done
	copy_modules "$kroot" "$root" "$kver"
	copy_program "$root"
	cp "$HERE/init.sh" "$root/init"
	cp "$HERE/udhcpc.script" "$root/usr/share/amtact/udhcpc.script"
	chmod 0755 "$root/init" "$root/usr/share/amtact/udhcpc.script"
	mkdir -p "$root/etc/amtact"
	cp -Rp "$CONFIG"/. "$root/etc/amtact/"
	chmod -R go-w "$root/etc/amtact"
	if [ -n "$SIM_MACHINE" ]; then
		cp "$SIM_MACHINE" "$root/usr/share/amtact/sim-machine.json"
	fi
	printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
	printf '127.0.0.1 localhost\n' >"$root/etc/hosts"
	[ -f "$CONFIG/hosts" ] && cat "$CONFIG/hosts" >>"$root/etc/hosts"
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
	printf 'root:x:0:\n' >"$root/etc/group"
}

grub_cfg() {
	cat <<EOF
set timeout=$TIMEOUT
set default=0
menuentry "amtact: activate Intel AMT on this PC" {
	linux /boot/vmlinuz quiet loglevel=3 $APPEND
	initrd /boot/initrd.img
}
EOF
}

# Files the profile names on the medium (/etc/amtact/...) must be in the configuration folder.
check_config() {
	for f in $(grep -o '"/etc/amtact/[^"]*"' "$CONFIG/profile.json" | tr -d '"' | sort -u); do
		[ -e "$CONFIG/${f#/etc/amtact/}" ] ||
			say "warning: the profile names $f but $CONFIG has no ${f#/etc/amtact/}" \
			    "(the medium will stop with an error at that step)"
	done
}

check_config
need_packages
deb=$(kernel_deb)
say "kernel package: $(basename "$deb")"
rm -rf "$WORK"
mkdir -p "$WORK/kernel" "$WORK/iso/boot/grub"
dpkg-deb -x "$deb" "$WORK/kernel"
kver=$(ls "$WORK/kernel/lib/modules" | head -n 1)
[ -n "$kver" ] && [ -f "$WORK/kernel/boot/vmlinuz-$kver" ] || die "$deb: no kernel inside"
make_root "$WORK/root" "$WORK/kernel" "$kver"
(cd "$WORK/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
	gzip -6 >"$WORK/iso/boot/initrd.img"
cp "$WORK/kernel/boot/vmlinuz-$kver" "$WORK/iso/boot/vmlinuz"
grub_cfg >"$WORK/iso/boot/grub/grub.cfg"
mkdir -p "$(dirname "$OUT")"
grub-mkrescue -o "$OUT.tmp" "$WORK/iso" -- -volid AMTACT >"$WORK/grub-mkrescue.log" 2>&1 ||
	{ tail -n 20 "$WORK/grub-mkrescue.log" >&2; die "grub-mkrescue failed"; }
mv "$OUT.tmp" "$OUT"
rm -rf "$WORK/kernel" "$WORK/root"
say "built $OUT ($(du -h "$OUT" | cut -f1), kernel $kver, initramfs" \
	"$(du -h "$WORK/iso/boot/initrd.img" | cut -f1))"
