#!/bin/sh
# SPDX-License-Identifier: MIT
# Known secrets through the paths that hold them beyond `set-otp` (secrets.sh): the OTP the
# interim server assigns (otp.policy "server") and the bearer token that fetches it; the OTP
# write-ahead file otp.pending (0600, and sealed to the report certificate when the profile
# has one) and the run that recovers it; the PPS and MEBx password of `usbkey write`, and
# `usbkey show`. Every run at -vv with a debug log file: the secret (as text or as the hex
# of a dump) must be in none of stdout, stderr, the log file, argv (read while it runs), the
# state and spool folders (a spool report only sealed), nor in an error message. Where a
# secret belongs (the firmware's state, the setup.bin written, --show-secrets) the test
# shows that it is there, so that a grep that finds nothing means something.
. "$(dirname "$0")/lib_run.sh"
TOKEN=agent-token-$$-Zq8Wd
start_otp_server "$TOKEN"
AMTACT_DHCP_LEASES=$WORK/no-leases-here
export AMTACT_DHCP_LEASES
UUID=4c4c4544-0051-4810-8039-b4c04f4b3733 # profiles/machines/amt16-factory.json

# vrun: `amtact -vv run` on the scenario (JSON on S/out, S/err), its argv read while it runs
# (the emulator answers slowly) into S/argv; sets RC.
vrun() {
	sed -i '1s|^{|{"faults": {"latency_ms": 40},|' "$S/m.json"
	"$AMTACT" -vv --device "sim:$S/m.json" run --profile "$S/p.json" --json \
		>"$S/out" 2>"$S/err" </dev/null &
	pid=$!
	track_pid "$pid"
	: >"$S/argv"
	while ! is_gone "$pid"; do
		{ tr '\0' ' ' <"/proc/$pid/cmdline" >>"$S/argv"; } 2>/dev/null || break
		echo >>"$S/argv"
		sleep 0.02
	done
	wait "$pid"
	RC=$?
	grep -q ' run ' "$S/argv" || sfail "the command line was never read while it ran"
}
# channels: where nothing secret may be, for the scenario.
channels() { echo "$S/out $S/err $S/log $S/argv $S/state $S/spool"; }
# with_log DIR: the profile lines of a debug log file in the scenario folder DIR.
with_log() { echo "\"log\": {\"file\": \"$1/log\", \"level\": \"debug\"}"; }

# --- otp.policy "server": the OTP and the token ---------------------------------------------
OTP='Srv9-kQ2xW/7mPz4'
otp_assign "$UUID" "$OTP"
scenario fetch amt16-factory
profile "$S/p.json" fetch "{\"otp\": {\"policy\": \"server\"}, \"server\": {\"token_file\":
	\"$WORK/token\"}, $(with_log "$S")}"
vrun
expect_rc 0 "server OTP"
is "$(m 'd["otp"]["sha256"]')" "$(printf '%s' "$OTP" | sha256sum | cut -d' ' -f1)" \
	"server OTP: the firmware holds it"
[ -s "$S/log" ] || sfail "server OTP: no log file"
grep -q 'redacted' "$S/err" || sfail "server OTP: -vv shows no redacted dump"
# shellcheck disable=SC2046 # the channels are paths without spaces
no_secret "server OTP" "$OTP" $(channels) "$WORK/server.out"
# shellcheck disable=SC2046
no_secret "bearer token" "$TOKEN" $(channels) "$S/m.json"
ok "server OTP: in the firmware; OTP and token in no output, log, argv, state or spool"

# --- otp.pending: 0600 in clear, sealed with a report certificate ----------------------------
OTP='Pnd7-Hx3qLw9Tz2v'
printf '%s\n' "$OTP" >"$WORK/otp.txt"
chmod 0600 "$WORK/otp.txt"
for how in clear cms; do
	cert=""
	[ $how = cms ] && cert=", \"report_cert\": \"$PKI/report.crt\""
	# A server nobody answers on: the recovered report stays in the spool.
	scenario "pending-$how" amt16-factory "{\"otp\": {\"policy\": \"file\", \"file\":
		\"$WORK/otp.txt\"}, \"server\": {\"url\": \"https://127.0.0.1:1/reports\"$cert},
		$(with_log "$WORK/pending-$how")}"
	AMTACT_CRASH_AT=otp-set run
	[ "$RC" = 137 ] || sfail "otp.pending ($how): not killed at otp-set (exit $RC)"
	f=$S/state/otp.pending
	is "$(stat -c %a "$f")" 600 "otp.pending ($how): mode"
	head -n 1 "$f" | grep -Eq " (intent|set) $how\$" || sfail "otp.pending ($how): $(head -n 1 "$f")"
	if [ $how = clear ]; then
		grep -qF -- "$OTP" "$f" || sfail "otp.pending (clear): the OTP is not in it"
	else
		grep -q 'BEGIN' "$f" || sfail "otp.pending (cms): no sealed OTP in it"
		no_secret "otp.pending (cms)" "$OTP" "$f"
	fi
	no_secret "killed run ($how)" "$OTP" "$S/out" "$S/err" "$S/log"
	vrun
	[ -e "$f" ] && sfail "otp.pending ($how): left after the recovery run"
	entries=$(find "$S/spool" -type f -name '*.report')
	[ -n "$entries" ] || sfail "recovery ($how): no report in the spool"
	for e in $entries; do
		is "$(stat -c %a "$e")" 600 "recovery ($how): mode of the spool report"
	done
	if [ $how = clear ]; then
		# shellcheck disable=SC2086 # spool file names have no spaces
		grep -qF -- "$OTP" $entries || sfail "recovery (clear): the OTP is not reported"
		no_secret "recovery (clear)" "$OTP" "$S/out" "$S/err" "$S/log" "$S/argv" "$S/state"
	else
		# shellcheck disable=SC2086
		grep -q '"otp_cms"' $entries || sfail "recovery (cms): no sealed OTP in the report"
		# shellcheck disable=SC2046
		no_secret "recovery (cms)" "$OTP" $(channels)
	fi
	ok "otp.pending ($how): mode 0600$([ $how = cms ] && echo ", sealed"); the recovery run shows it nowhere"
done

# --- usbkey write and show: the PPS and the MEBx password --------------------------------------
PW='N3w!Pa55-wXq'
PPS1=QRST-7KD2-EFGH-5678-IJKL-9012-MNOP-3456
PPS2=ZZYX-4WQ9-EFGH-5678-IJKL-9012-MNOP-9999
U=$WORK/usbkey
mkdir -m 700 "$U"
printf '%s\n' "$PW" >"$U/pw"
printf 'AB12-CD34  %s\nXY98-ZW76  %s\n' "$PPS1" "$PPS2" >"$U/pairs"
chmod 600 "$U/pw" "$U/pairs"
undash() { printf '%s' "$1" | tr -d -- -; }
# usb_clean WHAT FILE...: neither PPS (as given and as stored) nor the password is there.
usb_clean() {
	what=$1
	shift
	for sec in "$PW" "$PPS1" "$PPS2" "$(undash "$PPS1")" "$(undash "$PPS2")"; do
		no_secret "$what" "$sec" "$@"
	done
}
n=0
for json in "" --json; do
	n=$((n + 1))
	# shellcheck disable=SC2086 # $json is one word or none
	"$AMTACT" -vv usbkey write --amt 2.6 --psk "$U/pairs" --mebx-password - --log "$U/log" \
		--out "$U/k$n.bin" $json <"$U/pw" >"$U/w.out" 2>"$U/w.err" ||
		fail "usbkey write $json: $(cat "$U/w.err")"
	grep -qF -- "$(undash "$PPS2")" "$U/k$n.bin" || fail "usbkey write: the PPS is not in the key"
	grep -qF -- "$PW" "$U/k$n.bin" || fail "usbkey write: the password is not in the key"
	grep -q 'XY98' "$U/log" || fail "usbkey write: the log does not name the PIDs"
	usb_clean "usbkey write $json" "$U/w.out" "$U/w.err" "$U/log"
	# shellcheck disable=SC2086
	"$AMTACT" -vv usbkey show "$U/k$n.bin" $json >"$U/s.out" 2>"$U/s.err" ||
		fail "usbkey show $json"
	grep -q 'XY98' "$U/s.out" || fail "usbkey show $json: no PID"
	usb_clean "usbkey show $json" "$U/s.out" "$U/s.err"
	# shellcheck disable=SC2086
	"$AMTACT" usbkey show --show-secrets "$U/k$n.bin" $json >"$U/ss.out" 2>"$U/ss.err" ||
		fail "usbkey show --show-secrets $json"
	grep -qF -- "$(undash "$PPS1")" "$U/ss.out" || fail "--show-secrets $json: no PPS"
	grep -qF -- "$PW" "$U/ss.out" || fail "--show-secrets $json: no password"
	usb_clean "usbkey show --show-secrets $json (stderr)" "$U/ss.err"
done
ok "usbkey write and show (text and JSON, -vv, log file): PPS and password only in the key and --show-secrets"

# Refused secrets: the error says what is wrong, not what was given.
printf 'weakpassword1\n' >"$U/weak"
printf 'AB12-CD34  QRST-7KD2-EF!H-5678-IJKL-9012-MNOP-3456\n' >"$U/badpairs"
chmod 600 "$U/weak" "$U/badpairs"
for args in "--psk $U/pairs --mebx-password $U/weak" "--psk $U/badpairs --mebx-password $U/pw"; do
	for json in "" --json; do
		# shellcheck disable=SC2086
		"$AMTACT" -vv usbkey write --amt 2.6 $args --out "$U/bad.bin" $json \
			>"$U/b.out" 2>"$U/b.err" && fail "usbkey write $args: accepted"
		[ -s "$U/b.err" ] || fail "usbkey write $args: no error message"
		[ -e "$U/bad.bin" ] && fail "usbkey write $args: a key was written"
		no_secret "refused password" weakpassword1 "$U/b.out" "$U/b.err"
		no_secret "refused PPS" "EF!H" "$U/b.out" "$U/b.err"
		usb_clean "refused input" "$U/b.out" "$U/b.err"
	done
done
ok "a refused password or PPS line: the error shows neither"

stop_server
ok "$SECRETS_CHECKED places checked"
