# SPDX-License-Identifier: MIT
"""The two databases behind one set of SQL: SQLite (embedded default) and PostgreSQL.

Queries are written once with `?` placeholders and standard SQL (INSERT ... ON CONFLICT,
RETURNING); a dialect only translates placeholders, column types in migrations,
transactions and which errors are worth a retry."""
import os
import re
import sqlite3
import threading
import urllib.parse


class Dialect:
    name = "?"

    def __init__(self):
        self.local = threading.local()

    def conn(self):
        """This thread's connection (opened on first use)."""
        c = getattr(self.local, "conn", None)
        if c is None:
            c = self.local.conn = self.connect()
        return c

    def drop(self):
        """Forget this thread's connection after an error that may have broken it."""
        c = getattr(self.local, "conn", None)
        self.local.conn = None
        if c is not None:
            try:
                c.close()
            except Exception:  # noqa: BLE001 - closing a broken connection
                pass

    def sql(self, q):
        return q

    def ddl(self, q):
        return q.replace("{serial}", self.serial).replace("{bigint}", "BIGINT")


class SQLite(Dialect):
    name = "sqlite"
    serial = "INTEGER PRIMARY KEY AUTOINCREMENT"
    errors = (sqlite3.Error,)

    def __init__(self, path):
        super().__init__()
        self.path = path

    def describe(self):
        return f"sqlite:{self.path}"

    def connect(self):
        c = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                            check_same_thread=False)
        c.execute("PRAGMA journal_mode=WAL")
        # FULL: a report is on disk before the agent hears 201 and drops its spool copy.
        c.execute("PRAGMA synchronous=FULL")
        c.execute("PRAGMA foreign_keys=ON")
        c.execute("PRAGMA busy_timeout=30000")
        return c

    def begin(self, c, lock_migrations=False):
        c.execute("BEGIN IMMEDIATE")

    def commit(self, c):
        c.execute("COMMIT")

    def rollback(self, c):
        try:
            c.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def transient(self, e):
        return isinstance(e, sqlite3.OperationalError) and "locked" in str(e)

    def integrity(self, e):
        return isinstance(e, sqlite3.IntegrityError)


class Postgres(Dialect):
    name = "postgresql"
    serial = "BIGSERIAL PRIMARY KEY"

    def __init__(self, url):
        super().__init__()
        import psycopg2  # Debian: python3-psycopg2; only needed for PostgreSQL
        import psycopg2.errorcodes
        self.pg, self.codes, self.url = psycopg2, psycopg2.errorcodes, url
        self.errors = (psycopg2.Error,)

    def describe(self):
        p = urllib.parse.urlsplit(self.url)
        return f"postgresql:{p.path.lstrip('/') or '(default)'}"

    def connect(self):
        c = self.pg.connect(self.url, application_name="amtact-interim", connect_timeout=10)
        c.autocommit = False
        return c

    def sql(self, q):
        return q.replace("?", "%s")

    def begin(self, c, lock_migrations=False):
        if lock_migrations:
            # Instances starting together apply each migration once.
            c.cursor().execute("SELECT pg_advisory_xact_lock(7240514)")

    def commit(self, c):
        c.commit()

    def rollback(self, c):
        try:
            c.rollback()
        except self.pg.Error:
            pass

    def transient(self, e):
        return getattr(e, "pgcode", None) in (self.codes.SERIALIZATION_FAILURE,
                                              self.codes.DEADLOCK_DETECTED) or \
            isinstance(e, (self.pg.OperationalError, self.pg.InterfaceError))

    def integrity(self, e):
        return isinstance(e, self.pg.IntegrityError)


def open_db(spec):
    """A dialect for --db: a postgresql:// URI, else a SQLite file path."""
    if re.match(r"^postgres(ql)?://", spec):
        if urllib.parse.urlsplit(spec).password:
            raise ValueError("--db: a password in the URI would show in the process list; "
                             "put it in a PGPASSFILE (see amtact-interim(8))")
        return Postgres(spec)
    if spec.startswith("sqlite:"):
        spec = spec[len("sqlite:"):]
    if not spec:
        raise ValueError("--db: empty path")
    d = os.path.dirname(os.path.abspath(spec))
    if not os.path.isdir(d):
        raise ValueError(f"--db: directory {d} does not exist")
    return SQLite(spec)
