# SPDX-License-Identifier: MIT
"""Reports stored exactly once, with group commit, on either database dialect.

The idempotency key is UNIQUE in the database: the insert is ON CONFLICT DO NOTHING, so
two concurrent copies of a report (threads, processes or server instances) cannot both
insert; the loser reads the winner's answer. Writer threads take reports from a bounded
queue and commit them in batches (one fsync for many reports in a boot storm)."""
import concurrent.futures
import json
import queue
import threading
import time

from . import migrations

REPORT_COLUMNS = ("report_id", "agent", "profile", "system_name", "hostname", "uuid",
                  "prov_state", "otp_sealed", "client")
ROW_COLUMNS = ("seq", "idem_key", "received_us", "status", "body") + REPORT_COLUMNS + \
    ("repeats", "consumed_us", "consumed_by")
FILTERS = {"since": "received_us >= ?", "until": "received_us < ?", "uuid": "uuid = ?",
           "host": "(hostname = ? OR system_name = ?)", "state": "prov_state = ?",
           "profile": "profile = ?", "id": "idem_key = ?", "after": "seq > ?"}


class Overloaded(Exception):
    """The write queue is full: answer 503 with Retry-After."""


class Outcome:
    """What the server answers for a report: its status and body, and whether it was new."""

    def __init__(self, status, response, new, mismatch=False):
        self.status, self.response, self.new, self.mismatch = status, response, new, mismatch


def now_us():
    return int(time.time() * 1_000_000)


class Store:
    def __init__(self, db, writers=1, batch_max=64, queue_max=5000, readers=2):
        self.db = db
        self.batch_max = batch_max
        self.queue = queue.Queue(maxsize=queue_max)
        self.writers = [threading.Thread(target=self.writer, daemon=True,
                                         name=f"writer-{i}") for i in range(writers)]
        self.readers = concurrent.futures.ThreadPoolExecutor(readers, "reader")
        self.stopping = False

    def start(self):
        for t in self.writers:
            t.start()

    def stop(self):
        self.stopping = True
        for _ in self.writers:
            self.queue.put(None)
        for t in self.writers:
            t.join(10)
        self.readers.shutdown(wait=True)

    # --- transactions -------------------------------------------------------------------
    def tx(self, fn, attempts=5):
        """Run fn(cursor) in one transaction on this thread's connection; transient errors
        (lock timeouts, serialization failures, a lost connection) are retried."""
        for attempt in range(attempts):
            c = self.db.conn()
            try:
                self.db.begin(c)
                result = fn(c.cursor())
                self.db.commit(c)
                return result
            except self.db.errors as e:
                self.db.rollback(c)
                if not self.db.transient(e) or attempt == attempts - 1:
                    raise
                self.db.drop()
                time.sleep(0.05 * (attempt + 1))
            except BaseException:
                self.db.rollback(c)
                raise
        raise AssertionError("unreachable")

    def execute(self, cur, q, params=()):
        cur.execute(self.db.sql(q), params)
        return cur

    # --- reports ------------------------------------------------------------------------
    def submit(self, item):
        """Queue a report for storage; a Future of its Outcome. Raises Overloaded."""
        fut = concurrent.futures.Future()
        try:
            self.queue.put_nowait((item, fut))
        except queue.Full:
            raise Overloaded() from None
        return fut

    def store_now(self, item):
        """Store one report in its own transaction (used by tools and tests)."""
        return self.tx(lambda cur: self.store_one(cur, item))

    def writer(self):
        while True:
            first = self.queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self.batch_max:
                try:
                    nxt = self.queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    self.queue.put(None)
                    break
                batch.append(nxt)
            self.commit_batch(batch)

    def commit_batch(self, batch):
        # One lock order (by key) for every batch: two instances cannot deadlock.
        batch.sort(key=lambda b: b[0]["idem_key"])
        try:
            outcomes = self.tx(lambda cur: [self.store_one(cur, it) for it, _ in batch])
        except Exception as e:  # noqa: BLE001 - isolate the report that breaks the batch
            if len(batch) > 1:
                for one in batch:
                    self.commit_batch([one])
                return
            batch[0][1].set_exception(RuntimeError(f"the database refused the report: {e}"))
            return
        for (_, fut), out in zip(batch, outcomes):
            fut.set_result(out)

    def store_one(self, cur, item):
        cols = ("idem_key", "fingerprint", "received_us", "status", "response", "body") + \
            REPORT_COLUMNS
        response = json.dumps({"id": item["idem_key"], "stored": True})
        values = dict(item, received_us=now_us(), status=201, response=response)
        self.execute(cur, f"INSERT INTO reports ({', '.join(cols)}) VALUES "
                     f"({', '.join('?' * len(cols))}) ON CONFLICT (idem_key) DO NOTHING "
                     "RETURNING seq", tuple(values[c] for c in cols))
        if cur.fetchone():
            return Outcome(201, response, True)
        row = self.execute(cur, "SELECT fingerprint, status, response FROM reports "
                           "WHERE idem_key = ?", (item["idem_key"],)).fetchone()
        if row[0] != item["fingerprint"]:
            return Outcome(422, json.dumps({"error": "this Idempotency-Key was used for a "
                                            "different report"}), False, mismatch=True)
        self.execute(cur, "UPDATE reports SET repeats = repeats + 1 WHERE idem_key = ?",
                     (item["idem_key"],))
        return Outcome(row[1], row[2], False)

    def query(self, filters=None, consumed=None, limit=1000):
        """Stored reports matching filters (see FILTERS), oldest first, as dicts."""
        where, params = [], []
        for k, v in (filters or {}).items():
            if v is None or v == "":
                continue
            where.append(FILTERS[k])
            params += [v, v] if k == "host" else [v]
        if consumed is not None:
            where.append("consumed_us IS NOT NULL" if consumed else "consumed_us IS NULL")
        q = f"SELECT {', '.join(ROW_COLUMNS)} FROM reports"
        if where:
            q += " WHERE " + " AND ".join(where)
        q += " ORDER BY seq LIMIT ?"
        params.append(int(limit))
        rows = self.tx(lambda cur: self.execute(cur, q, tuple(params)).fetchall())
        return [dict(zip(ROW_COLUMNS, r)) for r in rows]

    def consume(self, keys, actor):
        """Mark reports consumed (handed to provisioning); returns how many changed."""
        def fn(cur):
            n = 0
            for k in keys:
                n += self.execute(cur, "UPDATE reports SET consumed_us = ?, consumed_by = ? "
                                  "WHERE idem_key = ? AND consumed_us IS NULL",
                                  (now_us(), actor, k)).rowcount
            self.audit_in(cur, actor, "consume", {"reports": list(keys), "changed": n})
            return n
        return self.tx(fn)

    # --- server-assigned OTPs -------------------------------------------------------------
    def otp_put(self, uuid, sealed, client, expires_us, actor):
        def fn(cur):
            self.execute(cur, "INSERT INTO otp_assignments (uuid, sealed, client, created_us, "
                         "expires_us) VALUES (?, ?, ?, ?, ?) ON CONFLICT (uuid) DO UPDATE SET "
                         "sealed = excluded.sealed, client = excluded.client, "
                         "created_us = excluded.created_us, expires_us = excluded.expires_us, "
                         "fetches = 0, last_fetch_us = NULL",
                         (uuid, sealed, client, now_us(), expires_us))
            self.audit_in(cur, actor, "otp-assign", {"uuid": uuid, "client": client})
        self.tx(fn)

    def otp_fetch(self, uuid):
        """The assignment row (sealed, client, expires_us) of a device, counting the fetch."""
        def fn(cur):
            row = self.execute(cur, "SELECT sealed, client, expires_us FROM otp_assignments "
                               "WHERE uuid = ?", (uuid,)).fetchone()
            if row:
                self.execute(cur, "UPDATE otp_assignments SET fetches = fetches + 1, "
                             "last_fetch_us = ? WHERE uuid = ?", (now_us(), uuid))
            return row
        return self.tx(fn)

    # --- audit and health -----------------------------------------------------------------
    def audit_in(self, cur, actor, action, detail):
        self.execute(cur, "INSERT INTO audit (at_us, actor, action, detail) VALUES (?, ?, ?, ?)",
                     (now_us(), actor, action, json.dumps(detail, sort_keys=True)))

    def audit(self, actor, action, detail):
        self.tx(lambda cur: self.audit_in(cur, actor, action, detail))

    def audit_log(self, limit=1000):
        rows = self.tx(lambda cur: self.execute(
            cur, "SELECT seq, at_us, actor, action, detail FROM audit ORDER BY seq LIMIT ?",
            (limit,)).fetchall())
        return [dict(zip(("seq", "at_us", "actor", "action", "detail"), r)) for r in rows]

    def ping(self):
        """The schema version, read through a fresh transaction (health check)."""
        return self.tx(lambda cur: self.execute(
            cur, "SELECT MAX(version) FROM schema_migrations").fetchone()[0], attempts=2)

    def migrate(self):
        return migrations.migrate(self.db)
