# SPDX-License-Identifier: MIT
"""The provisioning side's views: times, filters, CSV safety, tokens, metrics, OTP vault."""
import os
import tempfile
import unittest

from amtact_interim import export, metrics, otpvault, tlsconf


class ExportTest(unittest.TestCase):
    def test_times(self):
        self.assertEqual(export.parse_time("1700000000"), 1_700_000_000_000_000)
        self.assertEqual(export.parse_time("2023-11-14T22:13:20Z"), 1_700_000_000_000_000)
        self.assertEqual(export.parse_time("2023-11-14T22:13:20"), 1_700_000_000_000_000)
        self.assertEqual(export.iso(1_700_000_000_000_000), "2023-11-14T22:13:20.000Z")
        with self.assertRaises(ValueError):
            export.parse_time("yesterday")

    def test_filters(self):
        f, consumed = export.filters_from({"uuid": "AB", "consumed": "no"}.get)
        self.assertEqual((f, consumed), ({"uuid": "ab"}, False))
        with self.assertRaises(ValueError):
            export.filters_from({"consumed": "maybe"}.get)

    def test_csv_cells_are_never_formulas(self):
        self.assertEqual(export.csv_cell("=1+1"), "'=1+1")
        self.assertEqual(export.csv_cell("@x"), "'@x")
        self.assertEqual(export.csv_cell("pc-1"), "pc-1")
        self.assertEqual(export.csv_cell(None), "")


class TokenTest(unittest.TestCase):
    def test_tokens_and_secret_files(self):
        t = tlsconf.Tokens(["abc", "def"])
        self.assertTrue(t.check("Bearer def"))
        self.assertFalse(t.check("Bearer abd"))
        self.assertFalse(t.check("Basic abc"))
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "tok")
            with open(p, "w") as f:
                f.write("\nabc\n\ndef\n")
            os.chmod(p, 0o644)
            lines, warn = tlsconf.read_secret_file(p, "token file")
            self.assertEqual(lines, ["abc", "def"])
            self.assertIn("readable by others", warn)
            os.symlink(p, p + ".link")
            with self.assertRaises(OSError):
                tlsconf.read_secret_file(p + ".link", "token file")


class MetricsTest(unittest.TestCase):
    def test_counts_and_histogram(self):
        m = metrics.Metrics()
        m.inc("reports_stored_total")
        m.reject("schema")
        m.reject("no-such-reason")
        m.observe_post(0.02)
        text = m.render()
        self.assertIn("amtact_interim_reports_stored_total 1\n", text)
        self.assertIn('requests_rejected_total{reason="schema"} 1\n', text)
        self.assertIn('requests_rejected_total{reason="bad_request"} 1\n', text)
        self.assertIn('post_report_seconds_bucket{le="0.01"} 0\n', text)
        self.assertIn('post_report_seconds_bucket{le="0.025"} 1\n', text)
        self.assertIn("post_report_seconds_count 1\n", text)


class VaultTest(unittest.TestCase):
    def test_sealed_bound_to_uuid(self):
        try:
            otpvault.load_aesgcm()
        except ValueError as e:
            self.skipTest(str(e))
        with tempfile.TemporaryDirectory() as d:
            otpvault.make_key(f"{d}/k")
            with self.assertRaises(FileExistsError):
                otpvault.make_key(f"{d}/k")
            v = otpvault.Vault(f"{d}/k")
            sealed = v.seal("u1", "Secret-Otp-1")
            self.assertNotIn("Secret", sealed)
            self.assertEqual(v.open("u1", sealed), "Secret-Otp-1")
            with self.assertRaises(Exception):
                v.open("u2", sealed)
            with self.assertRaises(ValueError):
                v.seal("u1", "short")


if __name__ == "__main__":
    unittest.main()
