#!/bin/sh
# SPDX-License-Identifier: MIT
# A known OTP, given to every write command (from a file, stdin and the environment) and to
# `amtact run` (profile otp policy "file"), all at -vv: it must appear nowhere in the
# process's argv (read from /proc while it runs), stderr, stdout, the log file, the emulator
# state file (which keeps only a hash) or the spool. --show prints it; --otp-out writes 0600.
. "$(dirname "$0")/lib.sh"
[ -x "$AMTACT" ] || fail "$AMTACT is not built"

OTP=Sx4kQm9TzW2pLr7v
OTP_SHA=$(printf '%s' "$OTP" | sha256sum | cut -d' ' -f1)
printf '%s\n' "$OTP" >"$WORK/otp"
chmod 600 "$WORK/otp"
SECRET_OTP=$OTP
export SECRET_OTP

# clean WHAT FILE...: the OTP (as text or as the hex of a dump) is in none of the files.
clean() {
	what=$1
	shift
	no_secret "$what" "$OTP" "$@"
}

fresh() { cp "$MACHINES/${1:-amt16-factory}.json" "$WORK/m.json" || fail "no machine $1"; }

# run_cmd NAME STDIN AMTACT-ARGS...: run with -vv; out/err kept in $WORK/NAME.{out,err}.
run_cmd() {
	name=$1 in=$2
	shift 2
	"$AMTACT" -vv --device "sim:$WORK/m.json" "$@" <"$in" >"$WORK/$name.out" 2>"$WORK/$name.err"
	echo $?
}

# --- set-otp from a file, stdin and the environment: set, but never shown ----------------------
for src in file stdin env; do
	fresh
	case $src in
	file) rc=$(run_cmd "otp-$src" /dev/null set-otp --otp-file "$WORK/otp") ;;
	stdin) rc=$(run_cmd "otp-$src" "$WORK/otp" set-otp --otp-file -) ;;
	env) rc=$(run_cmd "otp-$src" /dev/null set-otp --otp-env SECRET_OTP) ;;
	esac
	[ "$rc" = 0 ] || { cat "$WORK/otp-$src.err"; fail "set-otp from $src: exit $rc"; }
	grep -q "\"sha256\":[[:space:]]*\"$OTP_SHA\"" "$WORK/m.json" ||
		fail "set-otp from $src: the firmware does not hold the OTP's hash"
	grep -q 'redacted' "$WORK/otp-$src.err" || fail "set-otp from $src: -vv shows no redacted dump"
	clean "set-otp from $src" "$WORK/otp-$src.out" "$WORK/otp-$src.err" "$WORK/m.json"
	fresh
	rc=$(run_cmd "otp-$src-json" "$WORK/otp" set-otp --otp-env SECRET_OTP --json)
	clean "set-otp --json" "$WORK/otp-$src-json.out" "$WORK/otp-$src-json.err"
	ok "set-otp from $src: set (hash matches), not in stdout, stderr (-vv) or the state file"
done

# --- every other write command, with the OTP in the environment and -vv ------------------------
for args in "set-suffix corp.example.com" "start-config" "stop-config" "zero-touch disable" \
	"zero-touch enable" "enable-amt" "unprovision" "set-otp --otp-file $WORK/otp --dry-run" \
	"set-otp --otp-file $WORK/otp --force"; do
	for m in amt16-factory amt19-inprov amt11-ccm; do
		fresh "$m"
		# shellcheck disable=SC2086 # no spaces inside the arguments
		run_cmd cmd /dev/null $args >/dev/null
		# shellcheck disable=SC2086
		run_cmd cmdj /dev/null $args --json >/dev/null
		clean "$args on $m" "$WORK/cmd.out" "$WORK/cmd.err" "$WORK/cmdj.out" "$WORK/cmdj.err" \
			"$WORK/m.json"
	done
done
ok "every write command on 3 machines (text and JSON, -vv): no OTP anywhere"

# --- argv while it runs: slow replies (latency fault) and read /proc/PID/cmdline -----------------
for src in file env; do
	fresh
	sed -i '1s|^{|{"faults": {"latency_ms": 150},|' "$WORK/m.json"
	if [ $src = file ]; then
		"$AMTACT" -vv --device "sim:$WORK/m.json" set-otp --otp-file "$WORK/otp" \
			>"$WORK/slow.out" 2>"$WORK/slow.err" &
	else
		"$AMTACT" -vv --device "sim:$WORK/m.json" set-otp --otp-env SECRET_OTP \
			>"$WORK/slow.out" 2>"$WORK/slow.err" &
	fi
	pid=$!
	track_pid "$pid"
	seen=0
	while ! is_gone "$pid"; do
		tr '\0' ' ' <"/proc/$pid/cmdline" >"$WORK/cmdline" 2>/dev/null || break
		grep -q 'set-otp' "$WORK/cmdline" && seen=$((seen + 1))
		clean "argv of set-otp from $src" "$WORK/cmdline"
		sleep 0.05
	done
	wait "$pid" || fail "slow set-otp from $src failed: $(cat "$WORK/slow.err")"
	[ "$seen" -ge 3 ] || fail "argv of set-otp from $src: read only $seen times while it ran"
	clean "slow set-otp" "$WORK/slow.out" "$WORK/slow.err"
	ok "argv of set-otp from $src: read $seen times while it ran, no OTP"
done

# --- --show prints it, --otp-out writes it 0600 ------------------------------------------------
fresh
rc=$(run_cmd show /dev/null set-otp --generate --show --json)
[ "$rc" = 0 ] || fail "set-otp --generate --show: exit $rc"
shown=$(sed -n 's/^[[:space:]]*"otp":[[:space:]]*"\([^"]*\)".*/\1/p' "$WORK/show.out")
[ "${#shown}" = 16 ] || fail "--show: no 16-character OTP in the JSON"
sha=$(printf '%s' "$shown" | sha256sum | cut -d' ' -f1)
grep -q "\"sha256\":[[:space:]]*\"$sha\"" "$WORK/m.json" || fail "--show: shown OTP is not the one set"
grep -qF -- "$shown" "$WORK/show.err" && fail "--show: the OTP is on stderr too"
ok "--show: stdout has the OTP that was set, stderr does not"
fresh
rc=$(run_cmd out /dev/null set-otp --generate --length 24 --otp-out "$WORK/gen.otp")
[ "$rc" = 0 ] || fail "set-otp --otp-out: exit $rc"
[ "$(stat -c %a "$WORK/gen.otp")" = 600 ] || fail "--otp-out: mode $(stat -c %a "$WORK/gen.otp")"
gen=$(cat "$WORK/gen.otp")
[ "${#gen}" = 24 ] || fail "--otp-out: not 24 characters"
sha=$(printf '%s' "$gen" | sha256sum | cut -d' ' -f1)
grep -q "\"sha256\":[[:space:]]*\"$sha\"" "$WORK/m.json" || fail "--otp-out: file OTP is not the one set"
if grep -qF -- "$gen" "$WORK/out.out" "$WORK/out.err" "$WORK/m.json"; then
	fail "--otp-out: the generated OTP leaked to stdout, stderr or the state"
fi
ok "--otp-out: 0600 file with the OTP that was set, nowhere else"

# --- amtact run with a profile whose otp policy is "file" --------------------------------------
fresh
P=$WORK/run
mkdir -m 700 "$P" || fail "mkdir"
cp "$WORK/otp" "$P/otp"
chmod 600 "$P/otp"
cat >"$P/profile.json" <<EOF
{ "schema": 1, "name": "secrets", "method": "remote_configuration",
  "otp": { "policy": "file", "file": "$P/otp" },
  "pki_dns_suffix": "corp.example.com", "hello": "always",
  "report_file": "$P/report.json", "spool_dir": "$P/spool", "state_dir": "$P/state",
  "log": { "level": "debug", "file": "$P/log" } }
EOF
chmod 600 "$P/profile.json"
rc=$(run_cmd run /dev/null run --profile "$P/profile.json")
[ "$rc" = 0 ] || { cat "$WORK/run.err" | tail -n 20; fail "amtact run: exit $rc"; }
grep -q "\"sha256\":[[:space:]]*\"$OTP_SHA\"" "$WORK/m.json" || fail "run: the OTP was not set"
[ -s "$P/log" ] || fail "run: no log file"
grep -qF -- "$OTP" "$P/report.json" || note "run: the report file does not carry the OTP"
clean "amtact run" "$WORK/run.out" "$WORK/run.err" "$P/log" "$WORK/m.json" "$P/spool" \
	"$P/state" "$P/dead"
ok "amtact run (otp policy file, -vv, log level debug): no OTP in stdout, stderr, log, state, spool"
ok "$SECRETS_CHECKED places checked"
