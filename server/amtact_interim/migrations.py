# SPDX-License-Identifier: MIT
"""Versioned schema migrations, the same on SQLite and PostgreSQL.

Each migration is applied once, in order, in one transaction with its row in
schema_migrations; never edit a released migration, add the next one."""
import time

MIGRATIONS = [
    (1, "reports (idempotency key unique), server-assigned OTPs, audit trail", [
        """CREATE TABLE reports (
            seq {serial},
            idem_key TEXT NOT NULL UNIQUE,
            fingerprint TEXT NOT NULL,
            received_us {bigint} NOT NULL,
            status INTEGER NOT NULL,
            response TEXT NOT NULL,
            body TEXT NOT NULL,
            report_id TEXT,
            agent TEXT,
            profile TEXT,
            system_name TEXT,
            hostname TEXT,
            uuid TEXT,
            prov_state TEXT,
            otp_sealed INTEGER NOT NULL DEFAULT 0,
            client TEXT,
            repeats INTEGER NOT NULL DEFAULT 0,
            consumed_us {bigint},
            consumed_by TEXT)""",
        "CREATE INDEX reports_received ON reports (received_us)",
        "CREATE INDEX reports_uuid ON reports (uuid)",
        "CREATE INDEX reports_hostname ON reports (hostname)",
        "CREATE INDEX reports_profile ON reports (profile)",
        """CREATE TABLE otp_assignments (
            uuid TEXT PRIMARY KEY,
            sealed TEXT NOT NULL,
            client TEXT,
            created_us {bigint} NOT NULL,
            expires_us {bigint},
            fetches INTEGER NOT NULL DEFAULT 0,
            last_fetch_us {bigint})""",
        """CREATE TABLE audit (
            seq {serial},
            at_us {bigint} NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL)""",
    ]),
]

LATEST = MIGRATIONS[-1][0]


def migrate(db):
    """Apply the pending migrations; returns the versions applied now."""
    c = db.conn()
    applied = []
    try:
        db.begin(c, lock_migrations=True)
        cur = c.cursor()
        cur.execute(db.ddl("CREATE TABLE IF NOT EXISTS schema_migrations ("
                           "version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                           "applied_us {bigint} NOT NULL)"))
        cur.execute("SELECT version FROM schema_migrations")
        have = {r[0] for r in cur.fetchall()}
        if have and max(have) > LATEST:
            raise ValueError(f"the database is at schema version {max(have)}, newer than "
                             f"this amtact-interim knows ({LATEST}): upgrade the server")
        for version, description, statements in MIGRATIONS:
            if version in have:
                continue
            for s in statements:
                cur.execute(db.ddl(s))
            cur.execute(db.sql("INSERT INTO schema_migrations (version, description, "
                               "applied_us) VALUES (?, ?, ?)"),
                        (version, description, int(time.time() * 1e6)))
            applied.append(version)
        db.commit(c)
    except BaseException:
        db.rollback(c)
        raise
    return applied


def version(db):
    cur = db.conn().cursor()
    cur.execute("SELECT MAX(version) FROM schema_migrations")
    v = cur.fetchone()[0]
    db.rollback(db.conn())
    return v or 0
