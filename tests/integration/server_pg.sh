#!/bin/sh
# SPDX-License-Identifier: MIT
# The interim server's tests again on PostgreSQL: a private cluster from Debian's
# postgresql package (initdb in WORK, Unix socket only, as an unprivileged user when run
# as root), one database per test, stopped by PID at the end. server_intake.sh covers two
# instances sharing the database; here a third test starts four instances at once on an
# empty database (the migrations run once).
. "$(dirname "$0")/lib.sh"
set -u
PY=/usr/bin/python3
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] ||
	skip "PostgreSQL is not installed (Debian package postgresql)"
"$PY" -c 'import psycopg2' 2>/dev/null ||
	skip "python3-psycopg2 is not installed (Debian package python3-psycopg2)"

PGDIR=$WORK/pg
mkdir -p "$PGDIR/data" "$PGDIR/sock"
AS=""
if [ "$(id -u)" = 0 ]; then
	id postgres >/dev/null 2>&1 || skip "no unprivileged 'postgres' user to run PostgreSQL as"
	chmod 0755 "$WORK"
	chown -R postgres: "$PGDIR"
	AS="setpriv --reuid=postgres --regid=postgres --init-groups --"
fi
# shellcheck disable=SC2086 # AS is a command prefix
$AS "$PGBIN/initdb" -D "$PGDIR/data" -U amtact --auth=trust -E UTF8 --no-locale \
	>"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log"; skip "initdb failed"; }
PGPORT=$(( $(od -An -N2 -tu2 /dev/urandom) % 20000 + 40000 ))
# shellcheck disable=SC2086
$AS "$PGBIN/postgres" -D "$PGDIR/data" -k "$PGDIR/sock" -p "$PGPORT" -c listen_addresses= \
	-c fsync=on -c max_connections=100 >"$WORK/pg.log" 2>&1 &
PG_PID=$!
# A fast shutdown (SIGINT) by PID before the common cleanup.
pg_stop() {
	kill_child INT "$PG_PID" && { wait_gone "$PG_PID" 20000 || kill_child QUIT "$PG_PID"; }
}
# shellcheck disable=SC2154 # lib_rc is assigned inside the trap itself
trap 'lib_rc=$?; pg_stop; (exit $lib_rc); lib_cleanup' EXIT
pg_ready() { [ -S "$PGDIR/sock/.s.PGSQL.$PGPORT" ] && "$PGBIN/pg_isready" -q -h "$PGDIR/sock" -p "$PGPORT"; }
wait_for 30000 pg_ready || { cat "$WORK/pg.log"; skip "PostgreSQL did not start"; }
note "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on $PGDIR/sock port $PGPORT (pid $PG_PID)"

n=0
for t in server_intake server_admin; do
	n=$((n + 1))
	"$PGBIN/createdb" -h "$PGDIR/sock" -p "$PGPORT" -U amtact "t$n" || fail "createdb t$n"
	url="postgresql://amtact@/t$n?host=$PGDIR/sock&port=$PGPORT"
	AMTACT_TEST_PG_URL=$url sh "$(dirname "$0")/$t.sh" >"$WORK/$t.out" 2>&1
	rc=$?
	sed 's/^/  | /' "$WORK/$t.out"
	[ $rc = 0 ] || fail "$t on PostgreSQL (exit $rc)"
	ok "$t on PostgreSQL"
done

# Four instances starting together on an empty database: one schema, each serves.
"$PGBIN/createdb" -h "$PGDIR/sock" -p "$PGPORT" -U amtact t9 || fail "createdb t9"
url="postgresql://amtact@/t9?host=$PGDIR/sock&port=$PGPORT"
"$TOPDIR/server/amtact-interim" mkcerts "$WORK/pki" >/dev/null || fail "mkcerts"
pids=""
for i in 1 2 3 4; do
	"$PY" "$TOPDIR/server/amtact-interim" serve --db "$url" --port 0 --workers 1 \
		--port-file "$WORK/s$i.port" --cert "$WORK/pki/server.crt" \
		--key "$WORK/pki/server.key" >/dev/null 2>"$WORK/s$i.log" &
	track_pid $!
	pids="$pids $!"
done
for i in 1 2 3 4; do
	wait_for 20000 test -s "$WORK/s$i.port" || { cat "$WORK/s$i.log"; fail "instance $i"; }
done
v=$("$PY" "$TOPDIR/server/amtact-interim" migrate --db "$url") || fail "migrate"
[ "$v" = '{"applied": [], "schema_version": 1}' ] || fail "schema after four starts: $v"
[ "$(cat "$WORK"/s?.log | grep -c 'applied schema migrations')" = 1 ] ||
	fail "the migrations ran more than once: $(cat "$WORK"/s?.log)"
for p in $pids; do kill_child TERM "$p"; done
for p in $pids; do wait_gone "$p" 15000 || fail "instance $p did not stop"; done
ok "four instances started together: migrations applied once"
