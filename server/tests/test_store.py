# SPDX-License-Identifier: MIT
"""Exactly-once storage on SQLite: group commit, duplicates in one batch and across
threads, another body under the same key, queries, consume, migrations."""
import concurrent.futures
import json
import os
import tempfile
import threading
import unittest

from amtact_interim import dialect, migrations
from amtact_interim.store import Store


def item(key, body=None, **kw):
    b = body or json.dumps({"schema_version": 1, "report_id": key})
    it = {"idem_key": key, "fingerprint": "fp-" + b, "body": b, "report_id": key,
          "agent": None, "profile": "corp", "system_name": None, "hostname": "h-" + key,
          "uuid": None, "prov_state": "pre", "otp_sealed": 0, "client": None}
    it.update(kw)
    return it


class StoreTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "db.sqlite")
        self.store = Store(dialect.open_db(self.path), writers=2, batch_max=16)
        self.store.migrate()
        self.store.start()

    def tearDown(self):
        self.store.stop()
        self.dir.cleanup()

    def count(self, key):
        return len(self.store.query({"id": key}))

    def test_first_is_new_repeat_gets_same_answer(self):
        a = self.store.submit(item("k1")).result(10)
        b = self.store.submit(item("k1")).result(10)
        self.assertTrue(a.new)
        self.assertFalse(b.new)
        self.assertEqual((a.status, a.response), (b.status, b.response))
        self.assertEqual(self.store.query({"id": "k1"})[0]["repeats"], 1)

    def test_other_body_same_key_is_a_mismatch(self):
        self.store.submit(item("k2")).result(10)
        out = self.store.submit(item("k2", body='{"other": 1}')).result(10)
        self.assertTrue(out.mismatch)
        self.assertEqual(out.status, 422)
        self.assertEqual(self.count("k2"), 1)

    def test_duplicates_in_one_batch_and_across_threads(self):
        futs = []
        barrier = threading.Barrier(8)

        def many():
            barrier.wait()
            return [self.store.submit(item("dup")) for _ in range(20)]
        with concurrent.futures.ThreadPoolExecutor(8) as ex:
            for fs in ex.map(lambda _: many(), range(8)):
                futs += fs
        outs = [f.result(10) for f in futs]
        self.assertEqual(sum(o.new for o in outs), 1)
        self.assertEqual({o.response for o in outs}, {outs[0].response})
        self.assertEqual(self.count("dup"), 1)
        self.assertEqual(self.store.query({"id": "dup"})[0]["repeats"], 159)

    def test_two_stores_on_one_file_insert_once(self):
        other = Store(dialect.open_db(self.path), writers=1)
        other.start()
        try:
            fs = [s.submit(item("both")) for s in (self.store, other) * 10]
            self.assertEqual(sum(f.result(10).new for f in fs), 1)
        finally:
            other.stop()
        self.assertEqual(self.count("both"), 1)

    def test_query_filters_and_consume(self):
        for k, state in (("q1", "pre"), ("q2", "in"), ("q3", "in")):
            self.store.store_now(item(k, prov_state=state, uuid="u-" + k))
        self.assertEqual([r["idem_key"] for r in self.store.query({"state": "in"})],
                         ["q2", "q3"])
        self.assertEqual(len(self.store.query({"host": "h-q1"})), 1)
        self.assertEqual(len(self.store.query({"uuid": "u-q3"})), 1)
        self.assertEqual(self.store.consume(["q1", "q2", "nope"], "tester"), 2)
        self.assertEqual(self.store.consume(["q1"], "tester"), 0)
        self.assertEqual([r["idem_key"] for r in self.store.query(consumed=False)], ["q3"])
        actions = [a["action"] for a in self.store.audit_log()]
        self.assertEqual(actions, ["consume", "consume"])

    def test_migrations_are_idempotent_and_refuse_a_newer_schema(self):
        self.assertEqual(self.store.migrate(), [])
        self.assertEqual(migrations.version(self.store.db), migrations.LATEST)
        c = self.store.db.conn()
        c.execute("INSERT INTO schema_migrations VALUES (99, 'future', 0)")
        with self.assertRaises(ValueError):
            self.store.migrate()


class DialectTest(unittest.TestCase):
    def test_placeholders_and_types(self):
        pg = dialect.Postgres.__new__(dialect.Postgres)
        pg.serial = "BIGSERIAL PRIMARY KEY"
        self.assertEqual(pg.sql("a = ? AND b = ?"), "a = %s AND b = %s")
        self.assertIn("BIGSERIAL", pg.ddl("seq {serial}, t {bigint}"))
        lite = dialect.SQLite("x")
        self.assertEqual(lite.sql("a = ?"), "a = ?")

    def test_password_in_uri_refused(self):
        with self.assertRaises(ValueError):
            dialect.open_db("postgresql://u:secret@db/amtact")

    def test_missing_directory_refused(self):
        with self.assertRaises(ValueError):
            dialect.open_db("/nonexistent/dir/db.sqlite")


if __name__ == "__main__":
    unittest.main()
