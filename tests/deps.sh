#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the Debian packages that building and testing amtact need, when run as root,
# after saying which ones are missing and what each group is for; otherwise prints the
# exact apt-get line. `--print` only prints that line; `--fuzz` adds what `make fuzz` needs
# (clang and its sanitizer/libFuzzer runtimes).
set -u
# One group per line: "why|packages".
NEEDS="build amtact and amtsim (compiler, OpenSSL, libcurl, cJSON, FUSE, libusb for USB \
keys)|gcc make pkg-config libc6-dev libssl-dev libcurl4-openssl-dev libcjson-dev \
libfuse3-dev fuse3 libusb-1.0-0-dev
run the unit and integration tests (cmocka; openssl and python3 for the test server; ip, \
unshare and ps for namespaces and processes)|libcmocka-dev openssl python3 iproute2 \
util-linux procps
check the man pages and shell scripts (mandoc, shellcheck)|mandoc shellcheck
test the interim server (PostgreSQL client and server, AES-GCM for server-set OTPs)|\
python3-psycopg2 python3-cryptography postgresql
build and boot-test the boot medium (ISO tools, GRUB, busybox, QEMU, OVMF)|xorriso \
grub-common grub-pc-bin grub-efi-amd64-bin mtools busybox-static cpio qemu-system-x86 ovmf
measure make bench (GNU time for the peak RSS, strace for the fsync time)|time strace"
print=0
for a in "$@"; do
	case $a in
	--print) print=1 ;;
	--fuzz) NEEDS="$NEEDS
build and run the fuzz targets (clang, its libFuzzer and sanitizer runtimes)|clang \
libclang-rt-dev" ;;
	*) echo "usage: deps.sh [--print] [--fuzz]" >&2; exit 2 ;;
	esac
done

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# Fills $missing and $why (one "  packages: what for" line per group with missing ones).
missing=""
why=""
nl='
'
old_ifs=$IFS
IFS=$nl
for g in $NEEDS; do
	IFS=$old_ifs
	lack=""
	for p in ${g#*|}; do
		installed "$p" || lack="$lack $p"
	done
	if [ -n "$lack" ]; then
		missing="$missing$lack"
		why="$why  to ${g%%|*}:$lack$nl"
	fi
	IFS=$nl
done
IFS=$old_ifs
line="apt-get install -y --no-install-recommends$missing"
if [ "$print" = 1 ]; then
	echo "$line"
	exit 0
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	printf 'amtact: setup: missing Debian packages:\n%s' "$why" >&2
	echo "  run as root: apt-get update && $line" >&2
	exit 1
fi
printf 'amtact: setup: installing Debian packages (apt-get, as root):\n%s' "$why" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null || { echo "amtact: setup: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086 # one package name per word
apt-get install -y -q --no-install-recommends $missing >/dev/null ||
	{ echo "amtact: setup: apt-get install failed:$missing" >&2; exit 1; }
echo "amtact: setup: installed:$missing" >&2
