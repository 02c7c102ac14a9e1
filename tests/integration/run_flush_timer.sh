#!/bin/sh
# SPDX-License-Identifier: MIT
# Reports a boot run left in the spool are retried by the flush timer: `amtact report
# --flush --profile` (what amtact-flush@NAME.service runs) sends them with the profile's
# server settings, waits for a run's lock (exit 5, the next tick retries), leaves an empty
# spool at once without loading the HTTP stack; `make install` puts the timer and its
# service next to amtact@.service, which enables the timer with it. The run's first
# attempt waits a random time bounded by server.first_delay_max_ms, which it names.
. "$(dirname "$0")/lib_run.sh"
make_pki
start_server
command -v flock >/dev/null 2>&1 || skip "flock (util-linux) is not installed"

flush() {
	"$AMTACT" report --flush --profile "$S/p.json" >"$S/out" 2>"$S/err" </dev/null
	RC=$?
}
queued() { find "$S/spool" -maxdepth 1 -name '*.report' | wc -l; }

scenario timer amt16-factory
fault '{"mode": "down"}'
run
expect_rc 12 "server down at boot"
id=$(out 'd["run_id"]')
is "$(queued)" 1 "queued after the boot run"
flush
expect_rc 12 "flush while the server is still down"
is "$(queued)" 1 "still queued"
fault '{"mode": "none"}'
# A run holds the lock: the flush does not overlap it and says so.
flock "$S/state/run.lock" "$AMTACT" report --flush --profile "$S/p.json" \
	>"$S/out" 2>"$S/err" </dev/null
# shellcheck disable=SC2034 # read by expect_rc (lib_run.sh)
RC=$?
expect_rc 5 "flush while a run holds the lock"
expect_err "an amtact run is working"
is "$(queued)" 1 "still queued after the busy flush"
flush
expect_rc 0 "flush with the server back"
is "$(queued)" 0 "spool after the flush"
is "$(srv "sum(1 for r in R if r['id'] == '$id')")" 1 "stored reports"
ok "the timer's flush sends what the boot run queued, never during a run"

LD_DEBUG=libs "$AMTACT" report --flush --profile "$S/p.json" >"$S/out" 2>"$S/err" </dev/null
RC=$?
expect_rc 0 "flush of an empty spool"
grep -q 'calling init:.*libcurl' "$S/err" && sfail "an empty flush loaded libcurl"
ok "an empty spool: exit 0 at once, no HTTP stack loaded"

"$AMTACT" report --flush --profile "$S/p.json" --server "$URL" >"$S/out" 2>"$S/err"
RC=$?
expect_rc 2 "--profile with --server"
expect_err "--profile goes with --flush and no other option"
scenario noserver amt16-factory '{"server": null}'
flush
expect_rc 8 "--profile without a server"
expect_err "has no \"server\""
ok "--profile: other options and server-less profiles refused"

# The first attempt waits a random part of first_delay_max_ms and says how long.
scenario delay amt16-factory '{"server": {"first_delay_max_ms": 1500}}'
"$AMTACT" -v --device "sim:$S/m.json" run --profile "$S/p.json" >"$S/out" 2>"$S/err" </dev/null
RC=$?
expect_rc 0 "run with a first delay"
ms=$(sed -n 's/.*the first attempt waits \([0-9]*\) ms (a random part of server.first_delay_max_ms, 1500 ms.*/\1/p' "$S/err")
[ -n "$ms" ] || sfail "the run did not say how long its first attempt waits"
[ "$ms" -le 1500 ] || sfail "first delay $ms ms above the 1500 ms bound"
scenario nodelay amt16-factory
"$AMTACT" -v --device "sim:$S/m.json" run --profile "$S/p.json" >"$S/out" 2>"$S/err" </dev/null
# shellcheck disable=SC2034 # expect_rc (lib_run.sh) reads it
RC=$?
expect_rc 0 "run without a first delay"
grep -q "first attempt waits" "$S/err" && sfail "first_delay_max_ms 0 still waits"
ok "first delay: ${ms} ms of at most 1500; none with 0"

# make install: the timer and its service beside amtact@.service.
D=$WORK/root
make -s -C "$TOPDIR" install BUILD="$BUILD" DESTDIR="$D" PREFIX=/usr UNITDIR=/lib/systemd/system \
	>"$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; fail "make install"; }
U=$D/lib/systemd/system
for f in amtact@.service amtact-flush@.service amtact-flush@.timer; do
	[ -f "$U/$f" ] || fail "make install did not install $f"
done
[ -f "$D/usr/lib/amtact/amtact-http.so" ] || fail "make install did not install the HTTPS module"
[ -f "$D/usr/lib/amtact/amtact-crypto.so" ] || fail "make install did not install the crypto module"
grep -qx 'ExecStart=/usr/sbin/amtact report --flush --profile %i' "$U/amtact-flush@.service" ||
	fail "amtact-flush@.service ExecStart: $(grep ExecStart "$U/amtact-flush@.service")"
grep -qx 'Also=amtact-flush@%i.timer' "$U/amtact@.service" ||
	fail "amtact@.service does not enable the flush timer"
grep -qx 'OnUnitInactiveSec=5min' "$U/amtact-flush@.timer" || fail "the timer's period"
# systemd's own check of the units (the installed amtact is not at /usr/sbin here).
if command -v systemd-analyze >/dev/null 2>&1; then
	systemd-analyze verify --man=no "$U/amtact-flush@corp.timer" \
		"$U/amtact-flush@corp.service" "$U/amtact@corp.service" >"$WORK/verify.log" 2>&1
	if grep -v 'Command /usr/sbin/amtact is not executable' "$WORK/verify.log" | grep .; then
		fail "systemd-analyze verify found problems in the units"
	fi
else
	note "systemd-analyze is not installed: the units are not verified by systemd"
fi
ok "make install: amtact-flush@.timer, amtact-flush@.service, amtact-http.so"
