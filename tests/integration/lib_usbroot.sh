# SPDX-License-Identifier: MIT
# shellcheck shell=sh
# A faked system root with a USB stick on it, for tests that run `usbkey write --key` under
# AMTACT_SYSROOT (a private folder with proc/self/mounts and a sysfs tree laid out as Linux
# does; folders in it stand in for mount points; the host's /dev and /sys are never
# touched). Sourced after lib.sh: sets R, USB (the bus), STICK, DISK, ATA and `attr`.
# The stick: SanDisk Cruzer Blade 0781:5567, serial 4C530001, bus 1 address 4, /dev/sdb1
# (vfat) on $R/media/key, /dev/sdb2 (ext4) on $R/media/linux; a fixed disk's /dev/sda1
# (vfat) on $R/boot/efi.
R=$WORK/root
attr() { mkdir -p "$R$1" && printf '%s\n' "$3" >"$R$1/$2"; }
USB=/sys/devices/pci0000:00/0000:00:14.0/usb1
STICK=$USB/1-2
DISK=$STICK/1-2:1.0/host6/target6:0:0/6:0:0:0/block/sdb
ATA=/sys/devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda
for kv in idVendor=0781 idProduct=5567 busnum=1 devnum=4 manufacturer=SanDisk \
	"product=Cruzer Blade" serial=4C530001; do
	attr "$STICK" "${kv%%=*}" "${kv#*=}"
done
attr "$STICK/1-2:1.0" bInterfaceClass 08
attr "$DISK" removable 1
attr "$DISK/sdb1" partition 1
attr "$DISK/sdb2" partition 2
attr "$ATA" removable 0
attr "$ATA/sda1" partition 1
mkdir -p "$R/sys/class/block" "$R/media/key" "$R/media/linux" "$R/boot/efi"
ln -s "$R$DISK/sdb1" "$R/sys/class/block/sdb1"
ln -s "$R$DISK/sdb2" "$R/sys/class/block/sdb2"
ln -s "$R$ATA/sda1" "$R/sys/class/block/sda1"
attr /proc/self mounts "/dev/sda1 $R/boot/efi vfat rw 0 0
/dev/sdb1 $R/media/key vfat rw 0 0
/dev/sdb2 $R/media/linux ext4 rw 0 0"

