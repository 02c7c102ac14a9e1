# SPDX-License-Identifier: MIT
"""What a report must be: headers, JSON, schema version, OTP rules, searchable fields."""
import json
import unittest

from amtact_interim import intake
from amtact_interim.http import HttpError, parse_head, Limits


def req(headers):
    head = "POST /reports HTTP/1.1\r\n" + "\r\n".join(f"{k}: {v}" for k, v in headers.items())
    return parse_head(head.encode(), Limits())


def report(**kw):
    r = {"schema_version": 1, "report_id": "r1", "profile": "corp",
         "system": {"name": "pc1", "hostname": "host1"},
         "me": {"uuid": {"value": "AA-BB"}, "provisioning": {"state": "pre"}}}
    r.update(kw)
    return json.dumps(r).encode()


class IntakeTest(unittest.TestCase):
    def refused(self, fn, *a):
        with self.assertRaises(HttpError) as cm:
            fn(*a)
        return cm.exception.status, cm.exception.reason

    def test_headers(self):
        ok = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": "r1"}
        self.assertEqual(intake.check_headers(req(ok)), "r1")
        self.assertEqual(self.refused(intake.check_headers, req(dict(ok, **{
            "Content-Type": "text/plain"}))), (415, "content_type"))
        self.assertEqual(self.refused(intake.check_headers, req(dict(ok, **{
            "Idempotency-Key": "-x"}))), (400, "idempotency"))
        self.assertEqual(self.refused(intake.check_headers, req(dict(ok, **{
            "Idempotency-Key": "a" * 65}))), (400, "idempotency"))

    def test_fields_extracted(self):
        row = intake.parse_report(report(), "r1", "client-cn")
        self.assertEqual((row["profile"], row["system_name"], row["hostname"], row["uuid"],
                          row["prov_state"], row["client"], row["otp_sealed"]),
                         ("corp", "pc1", "host1", "aa-bb", "pre", "client-cn", 0))
        self.assertEqual(len(row["fingerprint"]), 64)

    def test_control_characters_never_reach_searchable_fields(self):
        row = intake.parse_report(report(system={"hostname": "a\u0000b\u001bc"}), "r1", None)
        self.assertEqual(row["hostname"], "abc")

    def test_refusals(self):
        p = intake.parse_report
        self.assertEqual(self.refused(p, b"\xff\xfe", "r1", None), (400, "bad_json"))
        self.assertEqual(self.refused(p, b"{", "r1", None), (400, "bad_json"))
        self.assertEqual(self.refused(p, b"[]", "r1", None), (400, "bad_json"))
        self.assertEqual(self.refused(p, b"[" * 100000, "r1", None), (400, "bad_json"))
        self.assertEqual(self.refused(p, report(schema_version=2), "r1", None)[0], 422)
        self.assertEqual(self.refused(p, report(schema_version=True), "r1", None)[0], 422)
        self.assertEqual(self.refused(p, report(report_id="r2"), "r1", None)[0], 422)
        self.assertEqual(self.refused(p, report(otp="x", otp_cms="y"), "r1", None)[0], 422)
        self.assertEqual(self.refused(p, report(otp_cms="nope"), "r1", None)[0], 422)
        self.assertEqual(self.refused(p, report(otp="Clear-1234"), "r1", None),
                         (422, "clear_otp"))

    def test_clear_otp_only_when_allowed_and_cms_flagged(self):
        self.assertEqual(intake.parse_report(report(otp="Clear-1234"), "r1", None,
                                             accept_clear_otp=True)["otp_sealed"], 0)
        cms = "-----BEGIN CMS-----\nMIIB\n-----END CMS-----\n"
        self.assertEqual(intake.parse_report(report(otp_cms=cms), "r1", None)["otp_sealed"], 1)


if __name__ == "__main__":
    unittest.main()
