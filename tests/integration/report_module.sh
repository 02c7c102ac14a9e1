#!/bin/sh
# SPDX-License-Identifier: MIT
# The HTTP stack is a module (amtact-http.so) loaded only by what reports: status, info and
# diagnose start without libcurl (the dynamic loader's own log says what it loaded); a flush
# loads it and sends all its reports over one TLS connection; a missing or writable module
# is a clear error and the reports stay queued.
. "$(dirname "$0")/lib_report.sh"
M=$TOPDIR/profiles/machines/amt16-factory.json
[ -f "$BUILD/amtact-http.so" ] || skip "amtact is built with the HTTP stack linked in (HTTP_PLUGIN=0)"
ldd "$AMTACT" | grep -q libcurl && fail "amtact itself links libcurl"
ok "amtact does not link libcurl"

# loaded ARGS...: the libraries the dynamic loader initialised for this command.
loaded() { LD_DEBUG=libs "$AMTACT" "$@" 2>&1 >/dev/null | grep 'calling init:'; }
for cmd in status info "info --json" diagnose; do
	# shellcheck disable=SC2086 # the command and its flag are two words
	loaded --device "sim:$M" $cmd >"$WORK/libs"
	[ -s "$WORK/libs" ] || fail "$cmd: no loader log (LD_DEBUG)"
	grep -E 'libcurl|amtact-http|libgnutls|libssh2|libldap' "$WORK/libs" &&
		fail "$cmd loaded the HTTP stack"
	ok "$cmd starts without libcurl"
done

start_server
# Three reports queued while the server is down, then one flush delivers them.
fault '{"mode": "down"}'
for id in m-1 m-2 m-3; do
	submit "$id" --attempts 1
	expect_rc 12 "queueing $id (server down)"
done
fault '{"mode": "none"}'
ctl GET /_requests >"$WORK/before.json"
LD_DEBUG=libs "$AMTACT" report --spool "$SPOOL" --ca "$PKI/ca.crt" --server "$URL" --flush \
	>"$WORK/out" 2>"$WORK/err"
RC=$?
expect_rc 0 "flush"
grep -q 'calling init:.*libcurl' "$WORK/err" || fail "the flush did not load libcurl"
grep -q 'calling init:.*amtact-http.so' "$WORK/err" || fail "the flush did not load the module"
ok "a flush loads the module and libcurl"
for id in m-1 m-2 m-3; do
	[ "$(stored "$id")" = 1 ] || fail "$id stored $(stored "$id") times"
done
ctl GET /_requests | "$PY" -c '
import json, sys
before = len(json.load(open(sys.argv[1])))
ev = json.load(sys.stdin)[before:]
tls = sum(1 for e in ev if e["kind"] == "tls-ok")
posts = sum(1 for e in ev if e["kind"] == "request" and e["method"] == "POST")
print(f"# flush: {posts} POSTs over {tls} TLS connection(s)")
sys.exit(0 if (posts, tls) == (3, 1) else 1)' "$WORK/before.json" ||
	fail "the flush did not send its 3 reports over one TLS connection"
ok "one TLS connection for the three queued reports"

# A copy of amtact without its module: the report stays queued and the error says why.
mkdir -p "$WORK/bin"
cp "$AMTACT" "$WORK/bin/amtact"
AMTACT=$WORK/bin/amtact
if [ -e /usr/local/lib/amtact/amtact-http.so ] || [ -e /usr/lib/amtact/amtact-http.so ]; then
	note_missing=0
	echo "# an installed module exists: the missing-module case is not checked"
else
	note_missing=1
fi
if [ $note_missing = 1 ]; then
	submit m-4 --attempts 1
	[ "$RC" != 0 ] || fail "without its module: exit 0"
	expect_err "the HTTPS module amtact-http.so is missing (looked in $WORK/bin"
	[ "$(queued m-4)" = 1 ] || fail "without its module the report was not kept"
	ok "missing module: clear error, report kept (exit $RC)"
fi
# A module that others may change is refused before it is loaded.
cp "$BUILD/amtact-http.so" "$WORK/bin/"
chmod 0664 "$WORK/bin/amtact-http.so"
submit m-5 --attempts 1
[ "$RC" != 0 ] || fail "writable module: exit 0"
expect_err "amtact-http.so is not trusted"
[ "$(queued m-5)" = 1 ] || fail "with a writable module the report was not kept"
ok "group-writable module refused (exit $RC)"
chmod 0644 "$WORK/bin/amtact-http.so"
report --server "$URL" --flush
expect_rc 0 "flush with the module next to the copy"
ok "the module next to the executable is used"
