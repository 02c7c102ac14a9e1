#!/bin/sh
# SPDX-License-Identifier: MIT
# No OTP is ever lost: `amtact run` on a factory-fresh box is killed (SIGKILL) at every named
# point from "OTP kept on disk" to "report delivered", and at random moments, then runs
# again as the next boot would. Afterwards the OTP the firmware holds (if any) is one the
# interim server has, and no OTP is in two reports. The recovery runs exit 0 (or 13 when
# the killed run had saved everything), then 13. Killed after the hello restart and before
# its report was saved, the box is in exactly one report, the killed run's, carrying the
# OTP the firmware holds. Seeded: a failure prints the seed, and KILL_SEED=N KILL_ROUNDS=N
# replays it. Bounded: KILL_SECONDS (default 40) of rounds after the named points are all
# done.
. "$(dirname "$0")/lib_run.sh"
make_pki
start_server

SEED=${KILL_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
ROUNDS=${KILL_ROUNDS:-200}
SECONDS_MAX=${KILL_SECONDS:-40}
note "seed $SEED (replay: KILL_SEED=$SEED sh $0)"
# Every point between the OTP written ahead and the report safely delivered, in run order.
POINTS=${KILL_POINTS:-"otp-pending otp-set hello-started put-tmp put-half put-written put-synced \
put-renamed otp-report-saved flush-before-send flush-sent flush-unlinked"}
npoints=$(echo $POINTS | wc -w)

# rnd N: RND = a seeded number in 0..N-1 (awk's generator, one seed per call). Not called
# in $(...): a subshell's count would not advance, and every call would draw the same.
CALLS=0
rnd() {
	CALLS=$((CALLS + 1))
	RND=$(awk -v s="$SEED" -v c="$CALLS" -v n="$1" \
		'BEGIN { srand(s * 7919 + c); print int(rand() * n) }')
}

killed_rc() { [ "$1" = 137 ] || [ "$1" = 265 ]; }

# One unkilled run gives the time range the random kills fall in.
scenario probe amt16-factory "{\"server\": {\"report_cert\": \"$PKI/report.crt\"}}"
t0=$(date +%s%N)
run
t1=$(date +%s%N)
expect_rc 0 "an unkilled run"
RUN_MS=$(( (t1 - t0) / 1000000 ))
note "an unkilled run takes ${RUN_MS} ms"

start=$(date +%s)
round=0
hit=""
: >"$WORK/rounds"
while [ "$round" -lt "$ROUNDS" ]; do
	round=$((round + 1))
	# First every named point once, then named points and random moments mixed.
	if [ "$round" -le "$npoints" ]; then
		how=$(echo $POINTS | cut -d' ' -f"$round")
	else
		rnd 2
		if [ "$RND" = 0 ]; then
			rnd "$npoints"
			how=$(echo $POINTS | cut -d' ' -f"$((RND + 1))")
		else
			rnd $((RUN_MS + 20))
			how=time:$RND
		fi
	fi
	[ "$round" -gt "$npoints" ] && [ $(( $(date +%s) - start )) -ge "$SECONDS_MAX" ] && break
	# Odd rounds seal the OTP to the report certificate, even ones keep it in clear (0600).
	if [ $((round % 2)) = 1 ]; then
		scenario "r$round" amt16-factory "{\"server\": {\"report_cert\": \"$PKI/report.crt\"}}"
	else
		scenario "r$round" amt16-factory
	fi
	case $how in
	time:*)
		"$AMTACT" --device "sim:$S/m.json" run --profile "$S/p.json" --json \
			>"$S/out" 2>"$S/err" </dev/null &
		pid=$!
		sleep "$(awk -v ms="${how#time:}" 'BEGIN { printf "%.3f", ms / 1000 }')"
		kill -9 "$pid" 2>/dev/null
		{ wait "$pid"; } 2>/dev/null
		RC=$?
		;;
	*)
		AMTACT_CRASH_AT=$how run
		killed_rc "$RC" || sfail "round $round (seed $SEED): not killed at $how (exit $RC)"
		hit="$hit $how"
		;;
	esac
	killed=$RC
	# The next boots: a run that is not killed, twice (the second must find nothing new
	# or only what the first could not do), then whatever still waits is flushed.
	run
	rc1=$RC
	run
	rc2=$RC
	# Healthy, whatever the phase: the first recovery run reports (0) unless the killed
	# run had saved everything, the second finds nothing new (13). Never 9: past the
	# hello restart the firmware holds the killed run's OTP and sends hellos.
	case "$killed/$rc1/$rc2" in
	*/0/13 | 0/13/13 | 137/13/13 | 265/13/13) ;;
	*) sfail "round $round ($how, seed $SEED): recovery runs exited $rc1 and $rc2" ;;
	esac
	[ -e "$S/state/otp.pending" ] && sfail "round $round ($how, seed $SEED): otp.pending left"
	# shellcheck disable=SC2010 # names made by amtact in a private directory, plain ASCII
	ls "$S/state" | grep -q '^\.otp\.pending\.' &&
		sfail "round $round ($how, seed $SEED): a temp copy of the OTP was left"
	echo "$round $how $killed $rc1 $rc2 $S" >>"$WORK/rounds"
done
note "$(wc -l <"$WORK/rounds") rounds in $(( $(date +%s) - start )) s"
for p in $POINTS; do
	case " $hit " in *" $p "*) ;; *) fail "the named point $p was never hit" ;; esac
done

# What the firmware holds against what the server stored, every round at once.
ctl GET /_reports >"$WORK/srv-reports.json" || fail "reading the server's reports"
"$PY" - "$WORK/rounds" "$WORK/srv-reports.json" "$SEED" <<'PYEOF' || fail "OTPs lost or reported twice (seed $SEED)"
import hashlib, json, sys
rounds = [l.split() for l in open(sys.argv[1])]
R = json.load(open(sys.argv[2]))
seed = sys.argv[3]
by_name, errors = {}, []
for r in R:
    doc = json.loads(r["body"])
    otp = r["otp"] if "otp_cms" in doc else doc.get("otp")
    if "otp_cms" in doc and otp is None:
        errors.append(f"report {r['id']}: sealed OTP not opened: {r['otp_error']}")
    by_name.setdefault(doc["system"]["name"], []).append((r["id"], otp))
lost = dup = 0
# Past the hello restart, with the OTP's record still on disk: the recovery run delivers
# the killed run's report and sends no second one.
ONE_REPORT = ("hello-started", "put-tmp", "put-half", "put-written", "put-synced",
              "put-renamed")
for n, how, killed, rc1, rc2, sdir in rounds:
    name = "pc-" + sdir.rsplit("/", 1)[1]
    reps = by_name.get(name, [])
    fw = json.load(open(sdir + "/m.json")).get("otp", {}).get("sha256", "")
    otps = [hashlib.sha256(o.encode()).hexdigest() for _, o in reps if o]
    if fw and fw not in otps:
        lost += 1
        errors.append(f"round {n} ({how}, exit {killed}, then {rc1} {rc2}): the firmware's "
                      f"OTP is unknown to the server ({len(reps)} reports)")
    if len(otps) != len(set(otps)):
        dup += 1
        errors.append(f"round {n} ({how}): one OTP in {len(otps) - len(set(otps)) + 1} reports")
    if how in ONE_REPORT and (len(reps) != 1 or not fw or otps != [fw]):
        dup += 1
        errors.append(f"round {n} ({how}): {len(reps)} reports, expected the killed run's "
                      f"alone with the firmware's OTP")
    ids = [i for i, _ in reps]
    if len(ids) != len(set(ids)):
        dup += 1
        errors.append(f"round {n} ({how}): a report stored twice")
print(f"# {len(rounds)} rounds: {lost} OTPs lost, {dup} duplicates (seed {seed})")
for e in errors[:20]:
    print("  " + e)
sys.exit(1 if errors else 0)
PYEOF
ok "killed at every point and at random moments: 0 OTPs lost, 0 duplicate reports"
