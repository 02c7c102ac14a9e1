# SPDX-License-Identifier: MIT
"""amtact-interim's command line: one function per subcommand, a table to dispatch."""
import argparse
import json
import os
import secrets
import sqlite3
import subprocess
import sys

from . import dialect, export, migrations
from .store import Store

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class ArgsFileParser(argparse.ArgumentParser):
    """@FILE reads options from FILE, one per line; blank lines and # comments skipped."""

    def convert_arg_line_to_args(self, line):
        line = line.strip()
        return [] if not line or line.startswith("#") else [line]


def serve_options(p, test):
    p.add_argument("--db", required=True, help="SQLite file or postgresql:// URI")
    p.add_argument("--listen", default="127.0.0.1", help="address to listen on")
    p.add_argument("--port", type=int, default=0 if test else 8443)
    p.add_argument("--port-file", help="write {port, pid} here once listening")
    p.add_argument("--cert", help="server certificate chain (PEM)")
    p.add_argument("--key", help="server private key (PEM)")
    p.add_argument("--client-ca", help="CA file for client certificates (mutual TLS)")
    p.add_argument("--require-client-cert", action="store_true")
    p.add_argument("--token-file", help="agents' bearer token(s), one per line")
    p.add_argument("--admin-token-file", help="bearer token(s) of the provisioning API")
    p.add_argument("--otp-key", help="key file for server-assigned OTPs (GET /otp/UUID)")
    p.add_argument("--accept-clear-otp", action="store_true",
                   help="store reports that carry the OTP in clear (labs only)")
    p.add_argument("--workers", type=int, default=min(os.cpu_count() or 1, 4))
    p.add_argument("--writers", type=int, default=1, help="database writer threads")
    p.add_argument("--backlog", type=int, default=4096)
    p.add_argument("--max-body", type=int, default=1 << 20)
    p.add_argument("--queue-max", type=int, default=5000)
    p.add_argument("--batch-max", type=int, default=64)
    p.add_argument("--handshake-timeout", type=float, default=10.0)
    p.add_argument("--header-timeout", type=float, default=10.0)
    p.add_argument("--body-timeout", type=float, default=30.0)
    p.add_argument("--idle-timeout", type=float, default=15.0)
    p.add_argument("--grace", type=float, default=10.0, help="seconds to finish on stop")
    p.add_argument("--retry-after", type=int, default=5 if not test else 1)
    p.add_argument("-v", "--verbose", action="store_true", help="one line per request")
    if test:
        p.add_argument("--pki", required=True, help="directory made by mkcerts")
        p.add_argument("--control-port", type=int, default=0)
        p.add_argument("--fault", default="none")
        p.add_argument("--slow-ms", type=int, default=5000)
        p.add_argument("--report-key", help="opens sealed OTPs in GET /_reports")
        p.add_argument("--report-cert")


def filter_options(p):
    for k, h in (("since", "received at or after (ISO 8601 or epoch seconds)"),
                 ("until", "received before"), ("uuid", "the ME UUID"),
                 ("host", "host name or system name"), ("state", "provisioning state"),
                 ("profile", "profile name"), ("id", "report id")):
        p.add_argument("--" + k, help=h)
    p.add_argument("--consumed", choices=("yes", "no"))
    p.add_argument("--limit", type=int, default=100000)
    p.add_argument("--format", default="json", choices=("json", "jsonl", "csv"))


def open_store(args):
    store = Store(dialect.open_db(args.db), writers=0)
    store.migrate()
    return store


def query(args):
    store = open_store(args)
    filters, consumed = export.filters_from(lambda k: getattr(args, k, None))
    return store, store.query(filters, consumed, args.limit)


def cmd_reports(args):
    _, rows = query(args)
    sys.stdout.write(export.render(rows, args.format))
    return EXIT_OK


def cmd_export(args):
    store, rows = query(args)
    otps = None
    if args.open_with:
        otps, failed = export.open_rows(rows, args.open_with, args.open_cert)
        detail = {"opened": sorted(otps), "failed": failed, "key": os.path.abspath(
            args.open_with), "output": args.output or "stdout"}
        who = export.actor()
        store.audit(who, "open-otp", detail)
        sys.stderr.write(f"amtact-interim: audit: {who} opened {len(otps)} sealed OTP(s) "
                         f"with {detail['key']}" + (f"; {len(failed)} could not be opened: "
                                                    f"{', '.join(failed)}" if failed else "")
                         + "\n")
    text = export.render(rows, args.format, otps)
    if args.output:
        fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_consume(args):
    n = open_store(args).consume(args.ids, export.actor())
    print(json.dumps({"consumed": n}))
    return EXIT_OK if n == len(args.ids) else EXIT_FAIL


def cmd_audit(args):
    for r in open_store(args).audit_log(args.limit):
        r["at"] = export.iso(r.pop("at_us"))
        r["detail"] = json.loads(r["detail"])
        print(json.dumps(r))
    return EXIT_OK


def cmd_migrate(args):
    store = Store(dialect.open_db(args.db), writers=0)
    applied = store.migrate()
    print(json.dumps({"applied": applied, "schema_version": migrations.version(store.db)}))
    return EXIT_OK


def cmd_otp_key(args):
    from .otpvault import make_key
    make_key(args.file)
    return EXIT_OK


def cmd_otp_assign(args):
    from .otpvault import Vault
    vault = Vault(args.otp_key)
    uuid = args.uuid.lower()
    if args.generate:
        otp = secrets.token_urlsafe(12)[:16]
    else:
        src = sys.stdin if args.otp_file == "-" else open(args.otp_file)
        with src:
            otp = src.readline().strip()
    expires = None
    if args.expires_in:
        from .store import now_us
        expires = now_us() + args.expires_in * 1_000_000
    open_store(args).otp_put(uuid, vault.seal(uuid, otp), args.client, expires,
                             export.actor())
    if args.generate:
        print(otp)
    return EXIT_OK


def cmd_mkcerts(args):
    from .testpki import mkcerts
    print(mkcerts(args.dir))
    return EXIT_OK


def cmd_serve(args):
    from .serve import cmd_serve as serve
    return serve(args, test=False)


def cmd_test_serve(args):
    from .serve import cmd_serve as serve
    return serve(args, test=True)


def build_parser():
    ap = ArgsFileParser(prog="amtact-interim", fromfile_prefix_chars="@",
                        description="The interim server for amtact agents.")
    sub = ap.add_subparsers(dest="cmd", required=True, metavar="COMMAND")
    serve_options(sub.add_parser("serve", help="serve HTTPS", fromfile_prefix_chars="@"),
                  False)
    serve_options(sub.add_parser("test-serve", help="serve with fault injection (tests)"),
                  True)
    for name, h in (("reports", "print stored reports"), ("export", "export reports")):
        p = sub.add_parser(name, help=h)
        p.add_argument("--db", required=True)
        filter_options(p)
        if name == "export":
            p.add_argument("--open-with", metavar="KEY", help="open sealed OTPs (audited)")
            p.add_argument("--open-cert", metavar="CERT")
            p.add_argument("--output", "-o", help="write to this new 0600 file")
    p = sub.add_parser("consume", help="mark reports as handed to provisioning")
    p.add_argument("--db", required=True)
    p.add_argument("ids", nargs="+")
    p = sub.add_parser("audit", help="print the audit trail")
    p.add_argument("--db", required=True)
    p.add_argument("--limit", type=int, default=100000)
    sub.add_parser("migrate", help="apply schema migrations").add_argument("--db", required=True)
    sub.add_parser("otp-key", help="make a key file for server-assigned OTPs").add_argument(
        "file")
    p = sub.add_parser("otp-assign", help="assign the OTP a device fetches")
    p.add_argument("--db", required=True)
    p.add_argument("--otp-key", required=True)
    p.add_argument("--uuid", required=True)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--otp-file", help="read the OTP from this file (- for stdin)")
    g.add_argument("--generate", action="store_true", help="make one and print it once")
    p.add_argument("--client", help="only this client certificate (CN) may fetch it")
    p.add_argument("--expires-in", type=int, metavar="SECONDS")
    sub.add_parser("mkcerts", help="make a test PKI (not for production)").add_argument("dir")
    return ap


COMMANDS = {"serve": cmd_serve, "test-serve": cmd_test_serve, "reports": cmd_reports,
            "export": cmd_export, "consume": cmd_consume, "audit": cmd_audit,
            "migrate": cmd_migrate, "otp-key": cmd_otp_key, "otp-assign": cmd_otp_assign,
            "mkcerts": cmd_mkcerts}


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.cmd](args)
    except subprocess.CalledProcessError as e:
        err = (e.stderr or b"").decode(errors="replace").strip()
        sys.stderr.write(f"amtact-interim: {args.cmd}: {' '.join(e.cmd[:3])} failed: {err}\n")
    except (OSError, ValueError, sqlite3.Error) as e:
        sys.stderr.write(f"amtact-interim: {args.cmd}: {e}\n")
    except Exception as e:  # noqa: BLE001 - database drivers' errors, said plainly
        if type(e).__module__.startswith("psycopg2"):
            sys.stderr.write(f"amtact-interim: {args.cmd}: database: {str(e).strip()}\n")
        else:
            raise
    return EXIT_FAIL
