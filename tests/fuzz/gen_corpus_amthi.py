#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes the named AMTHI regression inputs of tests/fuzz/corpus/amthi/ (run from the repo
# root). File names start with the verdict fuzz_replay expects (amthi_fault_name).
import os
import struct

OUT = "tests/fuzz/corpus/amthi"
RESP = 0x00800000


def reply(cmd, payload=b"", status=0, major=1, minor=1, reserved=0, length=None,
          resp=True):
    if length is None:
        length = 4 + len(payload)
    return struct.pack("<BBHIII", major, minor, reserved, cmd | (RESP if resp else 0),
                       length, status) + payload


def vstr(s, n=None):
    b = s.encode()
    return struct.pack("<H", len(b) if n is None else n) + b.ljust(20, b"\0")[:20]


def code_versions(entries, count=None, bios=b"A22"):
    p = bios.ljust(65, b"\0") + struct.pack("<I", len(entries) if count is None else count)
    for e in entries:
        p += e
    return reply(0x0400001A, p)


def ansi(s, n=None):
    return struct.pack("<H", len(s) if n is None else n) + s


def certhash(name, n=None, default=1):
    return struct.pack("<II", default, 1) + bytes(range(64)) + b"\x02" + ansi(name, n)


TV5 = [("Flash", "9.1.45"), ("Netstack", "9.1.45"), ("AMTApps", "9.1.45"),
       ("AMT", "9.1.45"), ("Sku", "16"), ("VendorID", "8086"), ("Build Number", "3000"),
       ("Recovery Version", "9.1.45"), ("Recovery Build Num", "3000"),
       ("Legacy Mode", "False")]

CASES = {
    "none-tv2-provisioning-state-post": reply(0x04000011, struct.pack("<I", 2)),
    "none-tv3-uuid": reply(0x0400005C, bytes.fromhex("d23f111c25339445a27254b2038beb07")),
    "none-tv4-lan-wired": reply(0x04000048, bytes.fromhex(
        "010000002a01a8c001000000010154ee7549b219")),
    "none-tv5-code-versions-ism": code_versions([vstr(d) + vstr(v) for d, v in TV5]),
    "none-status-invalid-amt-mode": reply(0x04000010, status=3),
    "none-status-with-body": reply(0x0400005C, b"\0" * 16, status=2),
    "none-start-configuration": reply(0x04000029),
    "none-prov-mode-enterprise": reply(0x04000008, struct.pack("<II", 1, 0)),
    "none-zero-touch-enabled": reply(0x04000030, struct.pack("<I", 1)),
    "none-hash-handles-3": reply(0x0400002C, struct.pack("<IIII", 3, 1, 2, 3)),
    "none-certhash-sha256": reply(0x0400002D, certhash(b"VeriSign Class 3")),
    "none-pki-suffix-with-nul": reply(0x04000036, ansi(b"corp.example.com\0")),
    "none-fqdn": reply(0x04000056, struct.pack("<IIIII", 1, 0, 1440, 900, 4) +
                       ansi(b"pc01.corp.example.com")),
    "none-remote-access": reply(0x04000046, struct.pack("<III", 0, 2, 1) +
                                ansi(b"mps.example.com")),
    "none-pid": reply(0x0400003B, b"ABCD1234"),
    "empty-amt-disabled": b"",
    "short-15-bytes": reply(0x04000029)[:15],
    "length-uuid-header-says-8": reply(0x0400005C, b"\0" * 16, length=8),
    "length-counts-the-header": reply(0x04000011, struct.pack("<I", 2), length=20),
    "command-response-bit-missing": reply(0x04000011, struct.pack("<I", 2), resp=False),
    "reserved-nonzero": reply(0x04000011, struct.pack("<I", 2), reserved=1),
    "version-minor-0": reply(0x04000011, struct.pack("<I", 2), minor=0),
    "version-major-2": reply(0x04000011, struct.pack("<I", 2), major=2),
    "size-uuid-17-bytes": reply(0x0400005C, b"\0" * 17),
    "size-start-configuration-with-body": reply(0x04000029, b"\0" * 4),
    "size-certhash-truncated": reply(0x0400002D, certhash(b"Root")[:70]),
    "size-code-versions-missing-entry": code_versions([vstr("AMT") + vstr("16.1")], 2),
    "trailing-pki-suffix": reply(0x04000036, ansi(b"corp.example.com", 4)),
    "trailing-hash-handles": reply(0x0400002C, struct.pack("<IIII", 2, 1, 2, 3)),
    "field-code-versions-count-51": code_versions([], 51),
    "field-code-versions-count-4g": code_versions([], 0xFFFFFFFF),
    "field-code-versions-desclen-21": code_versions([vstr("AMT", 21) + vstr("16.1")]),
    "field-code-versions-verlen-mismatch": code_versions([vstr("AMT") + vstr("16.1", 3)]),
    "field-code-versions-ver-unterminated": code_versions(
        [vstr("AMT") + vstr("12345678901234567890")]),
    "field-hash-handles-65": reply(0x0400002C, struct.pack("<I", 65) + b"\0" * 260),
    "field-certhash-name-257": reply(0x0400002D, certhash(b"x" * 257)),
    "field-certhash-default-2": reply(0x0400002D, certhash(b"Root", default=2)),
    "field-ansi-embedded-nul": reply(0x04000036, ansi(b"corp\0example.com")),
    "field-ansi-control-char": reply(0x04000036, ansi(b"corp\x1bexample.com")),
    "field-lan-enabled-2": reply(0x04000048, bytes.fromhex(
        "020000002a01a8c001000000010154ee7549b219")),
    "field-prov-mode-legacy-2": reply(0x04000008, struct.pack("<II", 1, 2)),
    "field-zero-touch-2": reply(0x04000030, struct.pack("<I", 2)),
    "field-pid-embedded-nul": reply(0x0400003B, b"AB\0D1234"),
}

os.makedirs(OUT, exist_ok=True)
for name, data in CASES.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
