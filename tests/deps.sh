#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the Debian packages that building and testing amtact need, when run as root;
# otherwise prints the exact apt-get line. `--print` only prints that line; `--fuzz` adds
# what `make fuzz` needs (clang and its sanitizer/libFuzzer runtimes).
set -u
PKGS="gcc make pkg-config libc6-dev libssl-dev libcurl4-openssl-dev libcjson-dev \
libfuse3-dev fuse3 libusb-1.0-0-dev libcmocka-dev mandoc openssl python3 iproute2 util-linux procps"
# The interim server (server/): PostgreSQL client, AES-GCM for server-assigned OTPs, and a
# PostgreSQL server the tests start in a private directory.
PKGS="$PKGS python3-psycopg2 python3-cryptography postgresql"
# The boot medium (profiles/bootmedia): the ISO tools, busybox, and QEMU its test boots it in.
PKGS="$PKGS xorriso grub-common grub-pc-bin grub-efi-amd64-bin mtools busybox-static cpio \
qemu-system-x86 ovmf"
# make bench: amtact's own peak RSS (GNU time) and its fsync time (strace).
PKGS="$PKGS time strace"
print=0
for a in "$@"; do
	case $a in
	--print) print=1 ;;
	--fuzz) PKGS="$PKGS clang libclang-rt-dev" ;;
	*) echo "usage: deps.sh [--print] [--fuzz]" >&2; exit 2 ;;
	esac
done

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
line="apt-get install -y --no-install-recommends$missing"
if [ "$print" = 1 ]; then
	echo "$line"
	exit 0
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "amtact: setup: missing Debian packages:$missing" >&2
	echo "  run as root: apt-get update && $line" >&2
	exit 1
fi
echo "amtact: setup: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null || { echo "amtact: setup: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null ||
	{ echo "amtact: setup: apt-get install failed:$missing" >&2; exit 1; }
