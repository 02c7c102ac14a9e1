#!/bin/sh
# SPDX-License-Identifier: MIT
# Spool entries that are not regular files: a FIFO, a symlink and a directory named like
# queued reports. A flush (and a run's) never blocks on them or follows them: they are set
# aside in dead/ with a reason and a message, and the reports around them are delivered.
. "$(dirname "$0")/lib_report.sh"
start_server

fault '{"mode": "down"}'
for id in e1 e2 e3; do
	submit "$id" --attempts 1
	[ "$RC" = 12 ] || fail "queue $id: exit $RC"
done
fault '{"mode": "none"}'
# Named like reports with e1's time: "dir" sorts before e1, "fifo" and "link" after it.
# shellcheck disable=SC2010 # the spool's names are the test's own, plain ASCII
first=$(ls "$SPOOL" | grep -- '-e1\.report$')
stamp=${first%%-*}
mkfifo "$SPOOL/$stamp-fifo.report" || fail "making the FIFO"
ln -s /etc/hostname "$SPOOL/$stamp-link.report"
mkdir "$SPOOL/$stamp-dir.report"

# A blocking open of the FIFO would hang here: timeout ends that as a failure.
timeout 30 "$AMTACT" --json report --spool "$SPOOL" --ca "$PKI/ca.crt" --server "$URL" \
	--flush --connect-timeout 2000 --timeout 4000 >"$WORK/out" 2>"$WORK/err"
RC=$?
[ "$RC" != 124 ] || fail "report --flush hung on the FIFO"
[ "$RC" = 14 ] || fail "flush: exit $RC, expected 14 (entries set aside)"
for id in e1 e2 e3; do
	[ "$(stored "$id")" = 1 ] || fail "$id: stored $(stored "$id") times"
	[ "$(queued "$id")" = 0 ] || fail "$id: still queued"
done
ok "the FIFO, the link and the directory did not stop the reports around them"
"$PY" - "$WORK/out" <<'PYEOF' || fail "flush JSON: $(cat "$WORK/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["delivered"] == 3 and d["corrupt"] == 3 and d["queued"] == 0, d
assert "stopped_at" not in d, d
PYEOF
for n in fifo link dir; do
	[ -e "$SPOOL/dead/$stamp-$n.report" ] || [ -L "$SPOOL/dead/$stamp-$n.report" ] ||
		fail "$n was not set aside in dead/"
	grep -q "not a regular file" "$SPOOL/dead/$stamp-$n.report.reason" || fail "$n: no reason"
	grep -q "report $n: not a regular file" "$WORK/err" ||
		fail "$n: no message on stderr ($(cat "$WORK/err"))"
done
grep -q "see amtact report --list" "$WORK/err" || fail "no hint to report --list"
! grep -q "stays in the spool" "$WORK/err" || fail "the message contradicts itself: $(cat "$WORK/err")"
[ "$(readlink "$SPOOL/dead/$stamp-link.report")" = /etc/hostname ] || fail "the link was changed"
ok "each set aside in dead/ with a reason and a message; the link itself moved"

# A torn file: set aside too, with a message that does not contradict itself.
printf 'AMTACT-SPOOL 1 99 0000\n{}' >"$SPOOL/$stamp-torn.report"
report --server "$URL" --flush
[ "$RC" = 14 ] || fail "torn: exit $RC"
grep -q "report torn: torn or corrupt spool file" "$WORK/err" || fail "torn: $(cat "$WORK/err")"
! grep -q "stays in the spool" "$WORK/err" || fail "torn: the message contradicts itself"
ok "a torn file: set aside, and the message says so once"
