#!/bin/sh
# SPDX-License-Identifier: MIT
# `amtact.exe run` end to end under wine against the reference interim server (test mode,
# 127.0.0.1, random port), with the Linux run tests' helpers (tests/integration/lib_run.sh):
# the report delivered over TLS verified with the profile's CA file, the OTP sealed to the
# server's report certificate and opened by the server, the one that was set in the
# emulator; a run killed before sending (the crash hook: TerminateProcess) leaves the report
# in the spool and `report --flush` delivers it; "delivery": "must" exits 15 with the server down and keeps the report for a
# retry that delivers it. Environment from run.sh (WIN_BUILD, WINE, TOPDIR).
set -u
TOPDIR=${TOPDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
export TOPDIR
WIN_BUILD=${WIN_BUILD:-$TOPDIR/build/windows}
WINE=${WINE:-/usr/lib/wine/wine64}
if [ -z "${AMTACT_WINE_E2E:-}" ]; then
	[ -x "$WINE" ] || { echo "SKIP: wine64 is not installed ($WINE)"; exit 77; }
	[ -f "$WIN_BUILD/amtact.exe" ] || { echo "SKIP: amtact.exe is not built"; exit 77; }
	# lib_run.sh finds its lib.sh next to $0: run this file again with $0 in that folder.
	AMTACT_WINE_E2E=1 exec sh -c '. "$1"' "$TOPDIR/tests/integration/wine-e2e" "$0"
fi
unset AMTACT_WINE_E2E
# The work folder in a private folder under $HOME, not /tmp: as an administrator (wine's
# user is one) the profile's files must be reached through folders nobody else may write,
# and Windows has no sticky bit that makes /tmp's openness safe. Not the build folder
# either: a checkout may itself lie under /tmp.
E2E_TMP=$(mktemp -d "${HOME:-/root}/.amtact-wine-e2e.XXXXXX") || exit 1
chmod 0755 "$E2E_TMP" || exit 1
export TMPDIR="$E2E_TMP"
. "$TOPDIR/tests/windows/lib.sh"
AMTACT=$WIN_BUILD/amtact-wine.sh
printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$WINE" "$WIN_BUILD/amtact.exe" >"$AMTACT"
chmod +x "$AMTACT"
export AMTACT
. "$TOPDIR/tests/integration/lib_run.sh"
# The prefix's wineserver is ours to stop too, before lib.sh's cleanup (exit code kept).
# shellcheck disable=SC2154 # lib_e is assigned inside the trap's own string
trap 'lib_e=$?; wine_stop; ( (exit $lib_e); lib_cleanup ); lib_e=$?; rm -rf "$E2E_TMP"; exit $lib_e' EXIT
wine_init >"$WORK/wineboot.log" 2>&1 || { cat "$WORK/wineboot.log"; fail "wineboot"; }

make_pki
start_server
queued() { find "$S/spool" -maxdepth 1 -name '*.report' 2>/dev/null | wc -l; }
SEAL="{\"server\": {\"report_cert\": \"$PKI/report.crt\"}}"

# --- delivered, OTP sealed and opened ---------------------------------------------------------
scenario plain amt16-factory "$SEAL"
run
expect_rc 0 "run under wine"
is "$(out 'd["report"]["outcome"]')" delivered "report outcome"
is "$(outcome set-otp)" "done" "the OTP was set"
id=$(out 'd["run_id"]')
is "$(srv "sum(1 for r in R if r['id'] == '$id')")" 1 "reports stored"
is "$(srv "next(r['doc']['otp_cms'][:19] for r in R if r['id'] == '$id')")" \
	"-----BEGIN CMS-----" "the OTP travelled sealed (otp_cms)"
is "$(srv "next(r['otp_error'] for r in R if r['id'] == '$id')")" null \
	"the server opened the sealed OTP"
otp=$(srv "next(r['otp'] for r in R if r['id'] == '$id')")
[ "${#otp}" = 16 ] || sfail "the server's OTP: \"$otp\""
# The emulator keeps the OTP it was given as a SHA-256 digest.
sha=$(printf '%s' "$otp" | sha256sum | cut -d' ' -f1)
is "$(jfile "$S/m.json" 'd["otp"]["sha256"]')" "$sha" "the opened OTP is the one set in the emulator"
grep -qF "$otp" "$S/out" "$S/err" && sfail "the OTP appears on stdout or stderr"
is "$(queued)" 0 "reports left in the spool"
ok "run: delivered, OTP sealed, opened by the server and equal to the one set"

# --- killed before sending: the spool keeps the report, the next run delivers it -----------
scenario killed amt16-factory "$SEAL"
AMTACT_CRASH_AT=flush-before-send run
[ "$RC" -ne 0 ] || sfail "the run was not killed"
is "$(queued)" 1 "reports in the spool after the killed run"
id=$(find "$S/spool" -maxdepth 1 -name '*.report' | sed 's/.*-\([0-9a-f-]\{36\}\)\.report$/\1/')
is "$(srv "sum(1 for r in R if r['id'] == '$id')")" 0 "reports stored before the retry"
# The spool is flushed by the next run or by `report --flush`, as a technician would.
"$AMTACT" report --flush --spool "$S/spool" --server "$URL" --ca "$PKI/ca.crt" --json \
	>"$S/out" 2>"$S/err" </dev/null
RC=$?
expect_rc 0 "report --flush after the killed run"
is "$(srv "sum(1 for r in R if r['id'] == '$id')")" 1 "the killed run's report stored"
is "$(srv "next(r['otp_error'] for r in R if r['id'] == '$id')")" null \
	"the killed run's sealed OTP opened"
is "$(queued)" 0 "reports left in the spool"
ok "killed run: report kept in the spool, delivered with its sealed OTP by report --flush"

# --- "delivery": "must" with the server down -------------------------------------------------
scenario must amt16-factory "{\"delivery\": \"must\", \"server\": {\"report_cert\": \"$PKI/report.crt\"}}"
fault '{"mode": "down"}'
run
expect_rc 15 "must, server down"
expect_err '"delivery": "must"' "must"
is "$(queued)" 1 "must: report kept for a retry"
id=$(out 'd["run_id"]')
fault '{"mode": "none"}'
run
expect_rc 0 "must, server back"
is "$(srv "next(r['otp_error'] for r in R if r['id'] == '$id')")" null \
	"must: the first run's sealed OTP opened"
is "$(queued)" 0 "must: reports left"
ok "must: exit 15 with the server down, the retry delivers the kept report"
