# SPDX-License-Identifier: MIT
"""What a report must be before it is stored: the checks on the headers and the body of
POST /reports, and the fields the provisioning side searches by."""
import hashlib
import json
import re

from .http import HttpError

SCHEMA_VERSIONS = (1,)
KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
CMS_PREFIXES = ("-----BEGIN CMS-----", "-----BEGIN PKCS7-----")
FIELD_MAX = 255


def check_headers(req):
    """The Idempotency-Key of a POST /reports, once its headers are acceptable."""
    ctype = req.header("content-type").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise HttpError(415, "Content-Type must be application/json "
                        f"(got {ctype[:40] or 'none'!r})", "content_type", close=True)
    key = req.header("idempotency-key")
    if not key:
        raise HttpError(400, "Idempotency-Key (the report id) is required", "idempotency",
                        close=True)
    if not KEY_RE.match(key):
        raise HttpError(400, "Idempotency-Key must be 1-64 letters, digits, '.', '_' or "
                        "'-', starting with a letter or digit", "idempotency", close=True)
    return key


def text_field(v):
    """A searchable copy of a report field: a bounded string without control characters."""
    if v is None or isinstance(v, (dict, list)):
        return None
    s = v if isinstance(v, str) else json.dumps(v)
    s = "".join(ch for ch in s if ch >= " " and ch != "\x7f")
    return s.encode("utf-8", "replace").decode("utf-8")[:FIELD_MAX] or None


def dig(doc, *path):
    for p in path:
        if not isinstance(doc, dict):
            return None
        doc = doc.get(p)
    return doc


def parse_json(body):
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise HttpError(400, f"body is not UTF-8 (byte {e.start})", "bad_json")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise HttpError(400, f"malformed JSON at line {e.lineno} column {e.colno}: {e.msg}",
                        "bad_json")
    except RecursionError:
        raise HttpError(400, "JSON nested too deeply", "bad_json")
    if not isinstance(doc, dict):
        raise HttpError(400, "the report must be a JSON object", "bad_json")
    return text, doc


def check_report(doc, key, accept_clear_otp):
    v = doc.get("schema_version")
    if v is None:
        raise HttpError(422, "schema_version is missing", "schema")
    if not isinstance(v, int) or isinstance(v, bool) or v not in SCHEMA_VERSIONS:
        raise HttpError(422, f"unknown schema_version {json.dumps(v)[:20]} (this server "
                        f"knows {', '.join(map(str, SCHEMA_VERSIONS))})", "schema")
    rid = doc.get("report_id")
    if rid != key:
        raise HttpError(422, "report_id must equal the Idempotency-Key "
                        f"({'missing' if rid is None else 'differs'})", "schema")
    cms, clear = doc.get("otp_cms"), doc.get("otp")
    if cms is not None and clear is not None:
        raise HttpError(422, "a report carries otp or otp_cms, never both", "schema")
    if cms is not None and (not isinstance(cms, str) or not cms.startswith(CMS_PREFIXES)):
        raise HttpError(422, "otp_cms must be a PEM CMS EnvelopedData", "schema")
    if clear is not None and not accept_clear_otp:
        raise HttpError(422, "the report carries the OTP in clear (otp); this server stores "
                        "only sealed OTPs: give the profile a server.report_cert",
                        "clear_otp")


def parse_report(body, key, client, accept_clear_otp=False):
    """The row to store for a report body (bytes), or HttpError saying what is wrong."""
    text, doc = parse_json(body)
    check_report(doc, key, accept_clear_otp)
    uuid = text_field(dig(doc, "me", "uuid", "value"))
    return {
        "idem_key": key,
        "fingerprint": hashlib.sha256(body).hexdigest(),
        "body": text,
        "report_id": text_field(doc.get("report_id")),
        "agent": text_field(doc.get("agent")),
        "profile": text_field(doc.get("profile")),
        "system_name": text_field(dig(doc, "system", "name")),
        "hostname": text_field(dig(doc, "system", "hostname")),
        "uuid": uuid.lower() if uuid else None,
        "prov_state": text_field(dig(doc, "me", "provisioning", "state")),
        "otp_sealed": 1 if doc.get("otp_cms") else 0,
        "client": text_field(client),
    }
