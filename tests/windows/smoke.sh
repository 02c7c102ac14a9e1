#!/bin/sh
# SPDX-License-Identifier: MIT
# The Windows toolchain end to end under wine: wincheck.exe, linked statically with the
# OpenSSL and libcurl cross-built from Debian's sources, names those versions, hashes like
# sha256sum, and fetches over HTTPS from `openssl s_server` on 127.0.0.1: verified with
# the test CA file; refused with another CA and for a wrong host name; refused through the
# Windows ROOT store (curl's native-CA option with OpenSSL) until the test CA is added to
# the store of the private wine prefix, then verified. Environment from run.sh.
set -u
TOPDIR=${TOPDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
WIN_BUILD=${WIN_BUILD:-$TOPDIR/build/windows}
WINE=${WINE:-/usr/lib/wine/wine64}
WINCHECK=$WIN_BUILD/wincheck.exe
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY

skip() { echo "SKIP: $*"; exit 77; }
fail() {
	echo "FAIL: $*"
	[ -s "$WORK/err" ] && sed 's/^/  stderr| /' "$WORK/err"
	exit 1
}
ok() { echo "ok: $*"; }

[ -x "$WINE" ] || skip "wine64 is not installed ($WINE)"
[ -f "$WINCHECK" ] || skip "$WINCHECK is not built (make check-windows builds it)"
command -v openssl >/dev/null 2>&1 || skip "the openssl command is not installed"
: "${WIN_PREFIX:=$(sh "$TOPDIR/tests/windows/deps.sh" --prefix)}"
. "$TOPDIR/tests/windows/lib.sh"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/amtact-winsmoke.XXXXXX")
SRV_PIDS=""
cleanup() {
	for p in $SRV_PIDS; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	wine_stop
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
wine_init >"$WORK/wineboot.log" 2>&1 || { cat "$WORK/wineboot.log"; fail "wineboot"; }
cd "$WORK" || exit 1

# wincheck ARGS...: run under wine from $WORK (relative paths), stdout in out, rc in RC.
wincheck() {
	"$WINE" "$WINCHECK" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
	RC=$?
	tr -d '\r' <"$WORK/out" >"$WORK/out.txt"
}

# mkca NAME: a self-signed P-256 CA, pki/NAME.crt and .key.
mkca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-keyout "pki/$1.key" -out "pki/$1.crt" -subj "/CN=amtact wine test $1" \
		-addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>>pki/log
}

# mkleaf NAME SAN: a TLS server certificate for SAN signed by pki/ca.
mkleaf() {
	printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' \
		"$2" >"pki/$1.ext"
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "pki/$1.key" \
		-out "pki/$1.csr" -subj "/CN=$1" 2>>pki/log &&
		openssl x509 -req -in "pki/$1.csr" -CA pki/ca.crt -CAkey pki/ca.key \
			-CAcreateserial -days 2 -extfile "pki/$1.ext" -out "pki/$1.crt" 2>>pki/log
}

# serve NAME: openssl s_server with pki/NAME on an ephemeral loopback port serving www/;
# sets PORT.
serve() {
	: >"$WORK/srv.out"
	(cd "$WORK/www" && exec openssl s_server -accept 127.0.0.1:0 -cert "$WORK/pki/$1.crt" \
		-key "$WORK/pki/$1.key" -WWW) >"$WORK/srv.out" 2>&1 &
	SRV_PIDS="$SRV_PIDS $!"
	i=0
	until PORT=$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/srv.out") &&
		[ -n "$PORT" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || { cat "$WORK/srv.out"; fail "openssl s_server did not start"; }
		sleep 0.1
	done
}

# 1. The versions built from Debian's source packages are the ones linked in.
ossl=$(sed -n 's/^source openssl \([^-]*\)-.*/\1/p' "$WIN_PREFIX/BUILDINFO")
curlv=$(sed -n 's/^source curl \([^-]*\)-.*/\1/p' "$WIN_PREFIX/BUILDINFO")
[ -n "$ossl" ] && [ -n "$curlv" ] || fail "no source versions in $WIN_PREFIX/BUILDINFO"
wincheck versions
[ "$RC" = 0 ] || fail "wincheck versions: exit $RC"
grep -q "^openssl OpenSSL $ossl " out.txt || fail "OpenSSL is not $ossl: $(cat out.txt)"
grep -q "^curl libcurl/$curlv " out.txt || fail "libcurl is not $curlv: $(cat out.txt)"
grep -qx "curl-ssl OpenSSL/$ossl" out.txt || fail "libcurl's TLS is not OpenSSL $ossl"
grep -qx "curl-https yes" out.txt || fail "libcurl has no TLS"
ok "OpenSSL $ossl and libcurl $curlv (OpenSSL backend) linked in"

# 2. SHA-256 through OpenSSL's EVP equals sha256sum, and the FIPS 180-2 "abc" vector.
head -c 100003 /dev/urandom >data.bin
printf abc >abc.txt
wincheck sha256 data.bin
[ "$RC" = 0 ] && [ "$(cat out.txt)" = "$(sha256sum data.bin | cut -d' ' -f1)" ] ||
	fail "sha256 of 100003 random bytes differs from sha256sum"
wincheck sha256 abc.txt
[ "$(cat out.txt)" = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad ] ||
	fail "sha256(abc) is $(cat out.txt)"
ok "SHA-256 matches sha256sum and the FIPS 180-2 vector"

# 3. HTTPS verified with a CA file; refused with another CA and for a wrong host name.
mkdir pki
{ mkca ca && mkca rogue-ca && mkleaf server IP:127.0.0.1 &&
	mkleaf wrong-host DNS:wrong.example; } || { cat pki/log; fail "making the test PKI"; }
mkdir www
head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n' >www/hello.txt
serve server
URL=https://127.0.0.1:$PORT/hello.txt
wincheck get "$URL" --cacert pki/ca.crt
[ "$RC" = 0 ] || fail "GET with the test CA: exit $RC"
cmp -s out www/hello.txt || fail "GET with the test CA: body differs"
ok "TLS to 127.0.0.1 verified with a CA file"
wincheck get "$URL" --cacert pki/rogue-ca.crt
[ "$RC" = 2 ] && grep -q "curl error 60:" err || fail "another CA: exit $RC, not refused"
[ -s out ] && fail "another CA: a body arrived"
ok "refused with another CA (curl error 60)"
serve wrong-host
wincheck get "https://127.0.0.1:$PORT/hello.txt" --cacert pki/ca.crt
[ "$RC" = 2 ] && grep -q "curl error 60:" err || fail "wrong host name: exit $RC, not refused"
ok "refused for a certificate naming another host"

# 4. No CA file: the Windows ROOT store decides, and it does not know our CA yet.
wincheck get "$URL" --native
[ "$RC" = 2 ] && grep -q "curl error 60:" err ||
	fail "native CA store without the test CA: exit $RC, not refused"
ok "the Windows store without the test CA: refused, not unverified"
wincheck addroot pki/ca.crt
[ "$RC" = 0 ] || fail "adding the test CA to the ROOT store: exit $RC"
wincheck get "$URL" --native
[ "$RC" = 0 ] || fail "native CA store with the test CA: exit $RC"
cmp -s out www/hello.txt || fail "native CA store: body differs"
ok "the Windows store with the test CA: verified (CURLSSLOPT_NATIVE_CA)"
