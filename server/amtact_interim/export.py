# SPDX-License-Identifier: MIT
"""The provisioning side's view of stored reports: filters, JSON and CSV, and opening the
sealed OTPs (an explicit action with the report key, written to the audit trail)."""
import csv
import datetime
import getpass
import io
import json
import os
import subprocess

CSV_COLUMNS = ("seq", "id", "received", "profile", "system_name", "hostname", "uuid",
               "state", "client", "agent", "repeats", "consumed", "consumed_by",
               "otp_sealed")


def parse_time(text):
    """Epoch seconds or an ISO 8601 time (UTC when no zone) -> epoch microseconds."""
    text = text.strip()
    try:
        return int(float(text) * 1_000_000)
    except ValueError:
        pass
    try:
        t = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text!r} is neither epoch seconds nor an ISO 8601 time") from None
    if t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    return int(t.timestamp() * 1_000_000)


def iso(us):
    if us is None:
        return None
    t = datetime.datetime.fromtimestamp(us / 1e6, datetime.timezone.utc)
    return t.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def filters_from(get):
    """Query filters from a mapping-like getter (HTTP query or command-line options)."""
    f = {}
    for k in ("uuid", "host", "state", "profile", "id"):
        if get(k):
            f[k] = get(k).lower() if k == "uuid" else get(k)
    for k in ("since", "until"):
        if get(k):
            f[k] = parse_time(get(k))
    if get("after"):
        f["after"] = int(get("after"))
    consumed = {"yes": True, "no": False, "": None, None: None}.get(get("consumed"))
    if get("consumed") not in (None, "", "yes", "no"):
        raise ValueError("consumed is yes or no")
    return f, consumed


def view(row, otp=None):
    """A stored row as the provisioning side sees it."""
    v = {"seq": row["seq"], "id": row["idem_key"], "received": iso(row["received_us"]),
         "profile": row["profile"], "system_name": row["system_name"],
         "hostname": row["hostname"], "uuid": row["uuid"], "state": row["prov_state"],
         "client": row["client"], "agent": row["agent"], "repeats": row["repeats"],
         "consumed": iso(row["consumed_us"]), "consumed_by": row["consumed_by"],
         "otp_sealed": bool(row["otp_sealed"]), "report": json.loads(row["body"])}
    if otp is not None:
        v["otp"] = otp
    return v


def csv_cell(v):
    """A CSV cell that a spreadsheet will not run as a formula (agents choose names)."""
    s = "" if v is None else str(v)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


def render(rows, fmt, otps=None):
    otps = otps or {}
    views = [view(r, otps.get(r["idem_key"])) for r in rows]
    if fmt == "json":
        return json.dumps(views, indent=1) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(v) + "\n" for v in views)
    if fmt != "csv":
        raise ValueError(f"unknown format {fmt!r} (json, jsonl or csv)")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    cols = CSV_COLUMNS + (("otp",) if otps else ())
    w.writerow(cols)
    for v in views:
        w.writerow([csv_cell(v.get(c)) for c in cols])
    return out.getvalue()


def open_cms(pem, key_file, cert_file=None):
    """Decrypt one sealed OTP with `openssl cms` (a fork per OTP: an export, not intake)."""
    cmd = ["openssl", "cms", "-decrypt", "-inform", "PEM", "-inkey", key_file]
    if cert_file:
        cmd += ["-recip", cert_file]
    p = subprocess.run(cmd, input=pem.encode(), capture_output=True, timeout=30)
    if p.returncode != 0:
        err = p.stderr.decode(errors="replace").strip().splitlines()
        raise ValueError("cannot open the sealed OTP: " + (err[0] if err else "openssl failed"))
    return p.stdout.decode("utf-8", "replace")


def open_rows(rows, key_file, cert_file=None):
    """{report key: OTP} for every row with a sealed OTP, and the keys that failed."""
    otps, failed = {}, []
    for r in rows:
        if not r["otp_sealed"]:
            continue
        try:
            otps[r["idem_key"]] = open_cms(json.loads(r["body"])["otp_cms"], key_file,
                                           cert_file)
        except (ValueError, KeyError, subprocess.TimeoutExpired):
            failed.append(r["idem_key"])
    return otps, failed


def actor():
    """Who runs this command, for the audit trail: the login and any sudo caller."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "?"
    who += f" (uid {os.getuid()})"
    if os.environ.get("SUDO_USER"):
        who += f" via sudo by {os.environ['SUDO_USER']}"
    return who
