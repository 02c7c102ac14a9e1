#!/bin/sh
# SPDX-License-Identifier: MIT
# Cross-builds the static Windows (x86-64, mingw-w64) libraries amtact links - OpenSSL 3,
# libcurl (OpenSSL backend), cJSON, libusb-1.0 and cmocka - from Debian's own source
# packages, into a cache outside the checkout that later builds and CI runs reuse.
#
#   deps.sh             build what is missing, print the prefix (installs the Debian
#                       packages it needs when run as root)
#   deps.sh --prefix    print the prefix if it is built, else exit 1; no network, no build
#   deps.sh --print     print the apt-get line for the Debian packages it needs
#
# The prefix is $AMTACT_WINDOWS_CACHE/<key> (default /var/cache/amtact-windows), where the
# key names the source package versions and a hash of this script and the compiler, so a
# Debian security update or a change here builds a new prefix and never mixes the two. The
# sources come through a private apt configuration (its own sources list, lists and cache
# under the cache folder): the system's apt sources are never touched. Builds run in a
# temporary folder and the finished prefix is renamed into place, so a killed build leaves
# nothing half-installed. Its pkg-config files are relocatable (${pcfiledir}): use
# PKG_CONFIG_LIBDIR=<prefix>/lib/pkgconfig pkg-config --static.
set -eu

HOST=x86_64-w64-mingw32
CACHE=${AMTACT_WINDOWS_CACHE:-/var/cache/amtact-windows}
JOBS=${JOBS:-2}
SRC_PKGS="openssl curl cjson libusb-1.0 cmocka"
DEB_PKGS="gcc-mingw-w64-x86-64-posix binutils-mingw-w64-x86-64 dpkg-dev make perl \
cmake autoconf automake libtool pkg-config wine64 openssl ca-certificates"
SELF=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

say() { echo "amtact: windows-deps: $*" >&2; }
die() { say "$*"; exit 1; }

# --- Debian packages ----------------------------------------------------------------------
missing_pkgs() {
	for p in $DEB_PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			printf ' %s' "$p"
	done
}

install_pkgs() {
	m=$(missing_pkgs)
	[ -z "$m" ] && return 0
	[ "$(id -u)" -eq 0 ] || die "missing Debian packages:$m (as root: apt-get install$m)"
	say "installing:$m"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $m \
		>/dev/null || die "apt-get install failed:$m"
}

# --- private apt: deb-src for this release, nothing shared with the system's apt ----------
APT_DIR=$CACHE/apt
apt_opts() {
	echo "-o Dir::Etc::sourcelist=$APT_DIR/sources.list -o Dir::Etc::sourceparts=$APT_DIR/none" \
		"-o Dir::State=$APT_DIR/state -o Dir::Cache=$APT_DIR/cache" \
		"-o Dir::State::status=/var/lib/dpkg/status -o Debug::NoLocking=1"
}

apt_setup() {
	. /etc/os-release
	codename=${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	mkdir -p "$APT_DIR/none" "$APT_DIR/state/lists/partial" "$APT_DIR/cache/archives/partial"
	{
		for s in "debian $codename" "debian $codename-updates" \
			"debian-security $codename-security"; do
			echo "deb-src [signed-by=$keyring] http://deb.debian.org/${s% *} ${s#* } main"
		done
	} >"$APT_DIR/sources.list.new"
	mv "$APT_DIR/sources.list.new" "$APT_DIR/sources.list"
	# shellcheck disable=SC2046
	if ! apt-get $(apt_opts) update -q >"$APT_DIR/update.log" 2>&1; then
		ls "$APT_DIR"/state/lists/*Sources* >/dev/null 2>&1 ||
			die "cannot read Debian's source index (see $APT_DIR/update.log)"
		say "warning: apt-get update failed, using the source index from before"
	fi
}

# The newest version of source package $1 that the mirror serves (an index may list one
# whose files are not there yet), downloaded into $CACHE/sources once and kept.
src_resolve() {
	mkdir -p "$CACHE/sources"
	# shellcheck disable=SC2046
	for v in $(apt-cache $(apt_opts) showsrc "$1" | sed -n 's/^Version: //p' | sort -Vru); do
		if (cd "$CACHE/sources" && apt-get $(apt_opts) source -q --download-only "$1=$v" \
			>"$APT_DIR/fetch-$1.log" 2>&1); then
			echo "$v"
			return 0
		fi
		say "warning: $1 $v is listed but cannot be downloaded; trying an older one"
	done
	return 1
}

script_hash() {
	{ cat "$SELF"; $HOST-gcc --version 2>/dev/null | head -n 1; } | sha256sum | cut -c1-12
}

# The cache key: the source versions, then a hash of this script and the compiler.
cache_key() {
	key=""
	for p in $SRC_PKGS; do
		v=$(src_resolve "$p") || die "no $p source package can be downloaded" \
			"(see $APT_DIR/fetch-$p.log)"
		echo "$p $v" >>"$APT_DIR/resolved.new"
		key="$key${key:+_}$p-$v"
	done
	printf '%s_%s\n' "$key" "$(script_hash)" | tr '~+:' '...'
}

# --- the builds (each in $WORK, installing into $PREFIX) ----------------------------------
# Unpack a downloaded source package with Debian's patches applied, as apt-get source does.
unpack() {
	v=$(sed -n "s/^$1 //p" "$APT_DIR/resolved")
	dpkg-source -x "$CACHE/sources/$1_${v#*:}.dsc" "$WORK/src/$1" >"$WORK/log/unpack-$1.log" 2>&1 ||
		die "cannot unpack the $1 source package (see $WORK/log/unpack-$1.log)"
}

# OPENSSLDIR is where a Windows amtact, running as SYSTEM, would read openssl.cnf: it must
# be a folder only administrators can create (CVE-2019-1552), not this build's path, which
# Configure would take relative to the prefix. no-dso: no engine or module DLL is loaded.
build_openssl() {
	cd "$WORK/src/openssl"
	./Configure mingw64 no-shared no-tests no-module no-dso --cross-compile-prefix=$HOST- \
		--prefix="$PREFIX" --libdir=lib
	sed -i -e 's|^OPENSSLDIR=.*|OPENSSLDIR=C:/Program Files/Common Files/SSL|' \
		-e 's|^ENGINESDIR=.*|ENGINESDIR=C:/Program Files/Common Files/SSL/engines-3|' \
		-e 's|^MODULESDIR=.*|MODULESDIR=C:/Program Files/Common Files/SSL/ossl-modules|' Makefile
	make -j"$JOBS" build_libs
	make install_dev
}

# Debian builds its OpenSSL flavour with its last two patches (GnuTLS, NSS) reversed, then
# regenerates the build system: the same here.
build_curl() {
	cd "$WORK/src/curl"
	for p in 99_nss 90_gnutls; do
		patch -R -p1 <"debian/patches/$p.patch" >/dev/null
	done
	autoreconf -fi
	./configure --host=$HOST --prefix="$PREFIX" --disable-shared --enable-static \
		--with-openssl="$PREFIX" --without-zlib --without-brotli --without-zstd \
		--without-libpsl --without-libidn2 --without-winidn --without-nghttp2 \
		--without-libssh2 --without-librtmp --disable-ldap --disable-ldaps \
		--disable-dict --disable-file --disable-ftp --disable-gopher --disable-imap \
		--disable-mqtt --disable-pop3 --disable-rtsp --disable-smb --disable-smtp \
		--disable-telnet --disable-tftp --disable-manual --without-ca-bundle \
		--without-ca-path \
		PKG_CONFIG_LIBDIR="$PREFIX/lib/pkgconfig" LIBS="-lcrypt32 -lws2_32 -lgdi32 -lbcrypt"
	make -j"$JOBS" -C lib
	make -C lib install
	make -C include install
	make install-pkgconfigDATA
}

cmake_build() {
	cmake -S . -B build -DCMAKE_SYSTEM_NAME=Windows -DCMAKE_C_COMPILER=$HOST-gcc \
		-DCMAKE_RC_COMPILER=$HOST-windres -DCMAKE_BUILD_TYPE=Release \
		-DCMAKE_INSTALL_PREFIX="$PREFIX" -DCMAKE_INSTALL_LIBDIR=lib "$@"
	cmake --build build -j "$JOBS"
	cmake --install build
}

build_cjson() {
	cd "$WORK/src/cjson"
	cmake_build -DBUILD_SHARED_LIBS=OFF -DENABLE_CJSON_TEST=OFF -DENABLE_CJSON_UTILS=OFF \
		-DENABLE_CUSTOM_COMPILER_FLAGS=OFF
}

# libusb's own configure (the tarball's, as Debian builds it); its Windows backend loads
# SetupAPI and WinUSB at run time, so the static library imports only kernel32.
build_libusb_1_0() {
	cd "$WORK/src/libusb-1.0"
	./configure --host=$HOST --prefix="$PREFIX" --disable-shared --enable-static \
		--disable-examples-build --disable-tests-build
	make -j"$JOBS" -C libusb
	make -C libusb install
	make install-pkgconfigDATA
}

# cmocka 1.1.5 always builds a DLL; keep only its static library, under the usual name.
build_cmocka() {
	cd "$WORK/src/cmocka"
	cmake_build -DWITH_STATIC_LIB=ON -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF
	rm -f "$PREFIX"/bin/*cmocka*.dll "$PREFIX"/lib/libcmocka.dll.a
	mv "$PREFIX/lib/libcmocka-static.a" "$PREFIX/lib/libcmocka.a"
}

# Only headers, static libraries and pkg-config files that find the prefix wherever it
# sits (it is built under another name); libtool and CMake files would name the build.
tidy_prefix() {
	rm -rf "${PREFIX:?}"/lib/*.la "${PREFIX:?}/lib/cmake" "${PREFIX:?}/bin" "${PREFIX:?}/share"
	for f in "$PREFIX"/lib/pkgconfig/*.pc; do
		sed -i "s|$PREFIX|\${pcfiledir}/../..|g" "$f"
	done
	if grep -rl "$WORK" "$PREFIX"/lib/pkgconfig; then
		die "a pkg-config file still names the build folder"
	fi
	for f in libssl libcrypto libcurl libcjson libusb-1.0 libcmocka; do
		[ -s "$PREFIX/lib/$f.a" ] || die "the build installed no lib/$f.a"
	done
	for f in openssl libcurl libcjson libusb-1.0 cmocka; do
		[ -s "$PREFIX/lib/pkgconfig/$f.pc" ] || die "the build installed no $f.pc"
	done
}

build_all() {
	mkdir -p "$WORK/src" "$WORK/log"
	for p in $SRC_PKGS; do
		unpack "$p"
	done
	for p in $SRC_PKGS; do
		say "building $p (log: $WORK/log/$p.log)"
		p_t0=$(date +%s)
		# Not in an || list: there, sh would ignore set -e inside the subshell.
		set +e
		# A function name takes no "-" or "." (libusb-1.0).
		(set -e; "build_$(echo "$p" | tr -c 'a-z0-9\n' _)") >"$WORK/log/$p.log" 2>&1
		rc=$?
		set -e
		if [ $rc -ne 0 ]; then
			tail -n 30 "$WORK/log/$p.log" >&2
			die "building $p failed (log kept in $WORK/log/$p.log)"
		fi
		echo "$p $(($(date +%s) - p_t0))s" >>"$WORK/times"
	done
	tidy_prefix
	{
		echo "key $KEY"
		sed 's/^/source /' "$APT_DIR/resolved"
		echo "compiler $($HOST-gcc --version | head -n 1)"
		echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		cat "$WORK/times"
	} >"$PREFIX/BUILDINFO"
}

# --- main ---------------------------------------------------------------------------------
case ${1:-} in
--print)
	echo "apt-get install -y --no-install-recommends$(missing_pkgs)"
	exit 0
	;;
--prefix)
	# The prefix the last full run of this very script (and compiler) settled on.
	KEY=$(cat "$CACHE/current-$(script_hash)" 2>/dev/null) || exit 1
	[ -f "$CACHE/$KEY/BUILDINFO" ] || exit 1
	echo "$CACHE/$KEY"
	exit 0
	;;
"") ;;
*) die "usage: deps.sh [--prefix | --print]" ;;
esac

install_pkgs
command -v $HOST-gcc >/dev/null || die "$HOST-gcc not found"
mkdir -p "$CACHE" || die "cannot create $CACHE"
# One run at a time per cache; a second one waits, then finds the prefix built.
exec 9>"$CACHE/.lock"
flock 9
apt_setup
rm -f "$APT_DIR/resolved.new"
KEY=$(cache_key)
mv "$APT_DIR/resolved.new" "$APT_DIR/resolved"
if [ ! -f "$CACHE/$KEY/BUILDINFO" ]; then
	# What a killed or failed build left (the lock says none is running).
	rm -rf "$CACHE"/.build.*
	say "building the Windows libraries into $CACHE/$KEY (a few minutes, once)"
	t0=$(date +%s)
	WORK=$(mktemp -d "$CACHE/.build.XXXXXX")
	PREFIX=$WORK/prefix
	export KEY WORK PREFIX
	build_all
	rm -rf "${CACHE:?}/$KEY"
	mv "$PREFIX" "$CACHE/$KEY"
	rm -rf "$WORK"
	say "built in $(($(date +%s) - t0))s"
fi
echo "$KEY" >"$CACHE/current-$(script_hash).new"
mv "$CACHE/current-$(script_hash).new" "$CACHE/current-$(script_hash)"
echo "$CACHE/$KEY"
