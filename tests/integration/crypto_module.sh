#!/bin/sh
# SPDX-License-Identifier: MIT
# Start-up without OpenSSL: sealing and certificate chains are a module (amtact-crypto.so),
# the OTP comes from the system's random generator and secrets are wiped without OpenSSL,
# so amtact itself links no libcrypto, libssl or libcurl and `status` and `info` load none
# of them (the dynamic loader's own log says what it looked for and loaded). A run that
# seals its OTP and `diagnose --cert-chain` load the module; without it, or with one others
# may change, the run sends no OTP and diagnose stops, each saying why.
. "$(dirname "$0")/lib_run.sh"
[ -f "$BUILD/amtact-crypto.so" ] || skip "amtact is built with libcrypto linked in (CRYPTO_PLUGIN=0)"
STARTUP_LIBS='libcrypto|libssl|libcurl|amtact-crypto|amtact-http'
ldd "$AMTACT" | grep -E "$STARTUP_LIBS" && fail "amtact itself links OpenSSL or libcurl"
ok "amtact links neither libcrypto, libssl nor libcurl"

M=$MACHINES/amt16-factory.json
# libs ARGS...: the dynamic loader's log (LD_DEBUG=libs) of one amtact run, in $WORK/libs.
libs() { LD_DEBUG=libs "$AMTACT" "$@" 2>&1 >/dev/null | grep -E '^ *[0-9]+:' >"$WORK/libs"; }
for cmd in status "status --json" info "info --json"; do
	# shellcheck disable=SC2086 # the command and its flag are two words
	libs --device "sim:$M" $cmd
	grep -q 'calling init:.*libc\.so' "$WORK/libs" || fail "$cmd: no loader log (LD_DEBUG)"
	grep -E "$STARTUP_LIBS" "$WORK/libs" && fail "$cmd looked for or loaded OpenSSL or libcurl"
	ok "$cmd starts without libcrypto, libssl and libcurl"
done

make_pki
start_server
# A factory run that seals the OTP to the report certificate loads the module and libcrypto.
scenario seal amt16-factory "{\"server\": {\"report_cert\": \"$PKI/report.crt\"}}"
LD_DEBUG=libs "$AMTACT" --device "sim:$S/m.json" run --profile "$S/p.json" --json \
	>"$S/out" 2>"$S/err" </dev/null
RC=$?
expect_rc 0 "a run that seals its OTP"
[ "$(m 'd.get("otp", {}).get("length", 0)')" = 16 ] || sfail "the firmware holds no OTP"
grep -q 'calling init:.*amtact-crypto\.so' "$S/err" || sfail "the run did not load the module"
grep -q 'calling init:.*libcrypto' "$S/err" || sfail "the run did not load libcrypto"
ok "a run that seals its OTP loads amtact-crypto.so and libcrypto"

# diagnose --cert-chain reads the chain through the module.
LD_DEBUG=libs "$AMTACT" --device "sim:$M" diagnose --cert-chain "$PKI/ca.crt" \
	>"$WORK/out" 2>"$WORK/err"
grep -q 'calling init:.*amtact-crypto\.so' "$WORK/err" || fail "diagnose did not load the module"
grep -q 'cert-chain' "$WORK/err" && fail "diagnose: $(grep 'cert-chain' "$WORK/err")"
ok "diagnose --cert-chain loads amtact-crypto.so"

# copy_run NAME: the sealing run with a copy of amtact in $WORK/bin (no module next to it).
mkdir -p "$WORK/bin"
cp "$AMTACT" "$WORK/bin/amtact"
copy_run() {
	scenario "$1" amt16-factory "{\"server\": {\"report_cert\": \"$PKI/report.crt\"}}"
	"$WORK/bin/amtact" --device "sim:$S/m.json" run --profile "$S/p.json" --json \
		>"$S/out" 2>"$S/err" </dev/null
	RC=$?
	[ "$RC" != 0 ] || sfail "$1: exit 0"
	expect_err "the OTP was not sent" "$1"
	[ "$(m 'd.get("otp", {}).get("length", 0)')" = 0 ] || sfail "$1: the firmware holds an OTP"
}
if [ -e /usr/local/lib/amtact/amtact-crypto.so ] || [ -e /usr/lib/amtact/amtact-crypto.so ]; then
	note "an installed module exists: the missing-module case is not checked"
else
	copy_run missing
	expect_err "the crypto module amtact-crypto.so is missing (looked in $WORK/bin" "missing"
	ok "missing module: the run sends no OTP and says why (exit $RC)"
	"$WORK/bin/amtact" --device "sim:$M" diagnose --cert-chain "$PKI/ca.crt" \
		>"$WORK/out" 2>"$WORK/err"
	RC=$?
	[ "$RC" = 1 ] || fail "diagnose without its module: exit $RC, expected 1"
	grep -qF -- "--cert-chain: the crypto module amtact-crypto.so is missing" "$WORK/err" ||
		fail "diagnose without its module: $(cat "$WORK/err")"
	ok "missing module: diagnose --cert-chain says why (exit 1)"
fi
# A module that others may change is refused before it is loaded.
cp "$BUILD/amtact-crypto.so" "$WORK/bin/"
chmod 0664 "$WORK/bin/amtact-crypto.so"
copy_run writable
expect_err "amtact-crypto.so is not trusted" "writable"
ok "group-writable module refused, no OTP sent (exit $RC)"
exit 0
