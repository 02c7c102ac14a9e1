#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Reference interim server for amtact: HTTPS report intake into SQLite, with fault modes.

Standard library only (http.server, ssl, sqlite3) plus the openssl command. Commands:

  amtact-interim.py mkcerts DIR
      make a test PKI in DIR: ca.crt/ca.key, server.crt/server.key (localhost, 127.0.0.1),
      server-alt.crt/.key (same names, other key: pin mismatch), expired.crt, wrong-host.crt,
      rogue-ca.crt and wrong-ca.crt (signed by a CA nobody trusts), client.crt/.key
      (mutual TLS), report.crt/.key (sealed OTPs), pin.txt (base64 SPKI sha256 of
      server.key), pin-hex.txt, token.txt (bearer token).
  amtact-interim.py serve --pki DIR --db FILE [options]
      serve HTTPS on 127.0.0.1:PORT (0: any; the chosen ports are printed as one JSON line
      {"port": N, "control": M} and written to --port-file). Options:
        --port N            HTTPS port (default 0)
        --client-ca FILE    ask for a client certificate signed by FILE ...
        --require-client-cert   ... and refuse connections without one
        --token-file FILE   require "Authorization: Bearer <token>"
        --report-key FILE --report-cert FILE   open sealed OTPs ("otp_cms")
        --fault MODE[:COUNT] start in a fault mode (COUNT: only for the next COUNT requests
                            or connections, then back to "none")
        --retry-after S     Retry-After seconds for 503/429 (default 1)
        --slow-ms MS        delay of the "slow" mode (default 5000)
  amtact-interim.py list --db FILE
      print the stored reports as JSON lines.

Fault modes: none, down (not listening), 500, 503 (with Retry-After), 429 (with
Retry-After), 400 (refuse every report), slow (answer after --slow-ms, but store it),
wrong-ca, expired, wrong-host, pin (serve the matching bad certificate).

HTTPS endpoints: POST /reports (JSON body; Idempotency-Key: <report id>): 201 with
{"id":..., "stored": true} the first time; a repeat returns the first status and body and
never stores twice. GET /reports lists stored reports (same auth as POST).
Control endpoints, plain HTTP on 127.0.0.1:<control> (tests and demos only):
POST /_fault {"mode": "503", "count": 2, "retry_after": 1, "slow_ms": 3000};
GET /_requests (every connection and request seen, including failed TLS handshakes);
GET /_reports (stored reports with decrypted OTPs).
"""
import argparse
import hmac
import http.server
import json
import os
import select
import socket
import sqlite3
import ssl
import subprocess
import sys
import threading
import time

TLS_FAULTS = {"wrong-ca": "wrong-ca", "expired": "expired", "wrong-host": "wrong-host",
              "pin": "server-alt"}
HTTP_FAULTS = ("500", "503", "429", "400", "slow")
ALL_FAULTS = ("none", "down") + tuple(TLS_FAULTS) + HTTP_FAULTS
MAX_BODY = 2 << 20


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def mk_key(path, rsa=False):
    if rsa:
        run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
             "-out", path])
    else:
        run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-out", path])
    os.chmod(path, 0o600)


def mk_ca(d, name):
    mk_key(f"{d}/{name}.key")
    run(["openssl", "req", "-x509", "-new", "-key", f"{d}/{name}.key", "-days", "3650",
         "-subj", f"/CN=amtact test {name}", "-out", f"{d}/{name}.crt",
         "-addext", "basicConstraints=critical,CA:true",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"])


def mk_leaf(d, name, key, ca, sans, usage, dates=None):
    """Sign a certificate for `key` by CA `ca`; dates=(start, end) uses `openssl ca`."""
    ext = f"{d}/{name}.ext"
    with open(ext, "w") as f:
        f.write("[v3]\nbasicConstraints=CA:false\n")
        f.write(f"extendedKeyUsage={usage}\n")
        if sans:
            f.write(f"subjectAltName={sans}\n")
    run(["openssl", "req", "-new", "-key", f"{d}/{key}.key", "-subj", f"/CN={name}",
         "-out", f"{d}/{name}.csr"])
    if not dates:
        run(["openssl", "x509", "-req", "-in", f"{d}/{name}.csr", "-CA", f"{d}/{ca}.crt",
             "-CAkey", f"{d}/{ca}.key", "-CAcreateserial", "-days", "825",
             "-extfile", ext, "-extensions", "v3", "-out", f"{d}/{name}.crt"])
        return
    db = f"{d}/ca-db"
    os.makedirs(db, exist_ok=True)
    open(f"{db}/index.txt", "w").close()
    with open(f"{db}/serial", "w") as f:
        f.write("1000\n")
    with open(f"{db}/ca.cnf", "w") as f:
        f.write(f"[ca]\ndefault_ca=tca\n[tca]\ndatabase={db}/index.txt\n"
                f"new_certs_dir={db}\nserial={db}/serial\ndefault_md=sha256\n"
                "policy=pol\nunique_subject=no\n[pol]\ncommonName=supplied\n")
    run(["openssl", "ca", "-batch", "-config", f"{db}/ca.cnf", "-cert", f"{d}/{ca}.crt",
         "-keyfile", f"{d}/{ca}.key", "-in", f"{d}/{name}.csr", "-out", f"{d}/{name}.crt",
         "-startdate", dates[0], "-enddate", dates[1], "-extfile", ext, "-extensions", "v3"])


def spki_sha256(d, key):
    der = subprocess.run(["openssl", "pkey", "-in", f"{d}/{key}.key", "-pubout",
                          "-outform", "DER"], check=True, capture_output=True).stdout
    import base64
    import hashlib
    h = hashlib.sha256(der).digest()
    return base64.b64encode(h).decode(), h.hex()


def cmd_mkcerts(args):
    d = os.path.abspath(args.dir)
    os.makedirs(d, mode=0o700, exist_ok=True)
    mk_ca(d, "ca")
    mk_ca(d, "rogue-ca")
    for k in ("server", "server-alt", "client"):
        mk_key(f"{d}/{k}.key")
    mk_key(f"{d}/report.key", rsa=True)
    sans = "DNS:localhost,IP:127.0.0.1"
    mk_leaf(d, "server", "server", "ca", sans, "serverAuth")
    mk_leaf(d, "server-alt", "server-alt", "ca", sans, "serverAuth")
    mk_leaf(d, "wrong-host", "server", "ca", "DNS:wrong.example", "serverAuth")
    mk_leaf(d, "wrong-ca", "server", "rogue-ca", sans, "serverAuth")
    mk_leaf(d, "client", "client", "ca", None, "clientAuth")
    mk_leaf(d, "report", "report", "ca", None, "emailProtection")
    mk_leaf(d, "expired", "server", "ca", sans, "serverAuth",
            dates=("20200101000000Z", "20200201000000Z"))
    b64, hx = spki_sha256(d, "server")
    for name, text in (("pin.txt", b64), ("pin-hex.txt", hx),
                       ("token.txt", os.urandom(24).hex())):
        with open(f"{d}/{name}", "w") as f:
            f.write(text + "\n")
        os.chmod(f"{d}/{name}", 0o600)
    print(d)


class Store:
    """SQLite storage: reports (idempotent on id) and every request/connection seen."""

    def __init__(self, path):
        self.lock = threading.Lock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("""CREATE TABLE IF NOT EXISTS reports (id TEXT PRIMARY KEY,
            received REAL, status INTEGER, response TEXT, body TEXT, otp TEXT,
            otp_error TEXT, client TEXT, repeats INTEGER DEFAULT 0)""")
        self.db.execute("""CREATE TABLE IF NOT EXISTS requests (n INTEGER PRIMARY KEY,
            t REAL, kind TEXT, method TEXT, path TEXT, report_id TEXT, body_len INTEGER,
            status INTEGER, detail TEXT)""")

    def record(self, kind, method=None, path=None, report_id=None, body_len=None,
               status=None, detail=None):
        with self.lock:
            self.db.execute("INSERT INTO requests (t, kind, method, path, report_id, body_len,"
                            " status, detail) VALUES (?,?,?,?,?,?,?,?)",
                            (time.time(), kind, method, path, report_id, body_len, status,
                             detail))

    def store(self, rid, body, otp, otp_error, client):
        """Returns (status, response, first): the first result for rid, stored once."""
        with self.lock:
            row = self.db.execute("SELECT status, response, body FROM reports WHERE id=?",
                                  (rid,)).fetchone()
            if row:
                self.db.execute("UPDATE reports SET repeats = repeats + 1 WHERE id=?", (rid,))
                return row[0], row[1], False
            resp = json.dumps({"id": rid, "stored": True})
            self.db.execute("INSERT INTO reports (id, received, status, response, body, otp,"
                            " otp_error, client) VALUES (?,?,?,?,?,?,?,?)",
                            (rid, time.time(), 201, resp, body, otp, otp_error, client))
            return 201, resp, True

    def reports(self):
        with self.lock:
            cur = self.db.execute("SELECT id, received, status, body, otp, otp_error, client,"
                                  " repeats FROM reports ORDER BY received")
            cols = [c[0] for c in cur.description]
            return [dict(zip(cols, r)) for r in cur.fetchall()]

    def requests(self):
        with self.lock:
            cur = self.db.execute("SELECT * FROM requests ORDER BY n")
            cols = [c[0] for c in cur.description]
            return [dict(zip(cols, r)) for r in cur.fetchall()]


class Faults:
    def __init__(self, spec, retry_after, slow_ms):
        self.lock = threading.Lock()
        self.retry_after = retry_after
        self.slow_ms = slow_ms
        self.set(spec)

    def set(self, spec, count=None):
        mode, _, n = spec.partition(":")
        if mode not in ALL_FAULTS:
            raise ValueError(f"unknown fault mode {mode!r} (one of {', '.join(ALL_FAULTS)})")
        with self.lock:
            self.mode = mode
            self.count = int(n) if n else count

    def take(self, kinds):
        """The current mode if it is one of `kinds` (using up one count), else 'none'."""
        with self.lock:
            if self.mode not in kinds:
                return "none"
            mode = self.mode
            if self.count is not None:
                self.count -= 1
                if self.count <= 0:
                    self.mode, self.count = "none", None
            return mode

    def current(self):
        with self.lock:
            return self.mode


def find_otp_cms(obj):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "otp_cms" and isinstance(v, str):
                return v
            found = find_otp_cms(v)
            if found:
                return found
    elif isinstance(obj, list):
        for v in obj:
            found = find_otp_cms(v)
            if found:
                return found
    return None


def open_sealed(args, pem):
    if not (args.report_key and args.report_cert):
        return None, "no report key configured"
    p = subprocess.run(["openssl", "cms", "-decrypt", "-inform", "PEM", "-inkey",
                        args.report_key, "-recip", args.report_cert], input=pem.encode(),
                       capture_output=True)
    if p.returncode != 0:
        return None, "cannot decrypt: " + p.stderr.decode(errors="replace").strip()[:200]
    return p.stdout.decode(errors="replace"), None


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "amtact-interim/1"

    def log_message(self, fmt, *a):
        if self.server.args.verbose:
            sys.stderr.write("amtact-interim: " + (fmt % a) + "\n")

    def reply(self, status, body, headers=()):
        data = body.encode() if isinstance(body, str) else body
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass

    def authorized(self):
        tok = self.server.token
        if tok is None:
            return True
        got = self.headers.get("Authorization", "")
        return hmac.compare_digest(got.encode(), ("Bearer " + tok).encode())

    def client_name(self):
        try:
            cert = self.connection.getpeercert()
        except (ValueError, AttributeError):
            return None
        for rdn in (cert or {}).get("subject", ()):
            for k, v in rdn:
                if k == "commonName":
                    return v
        return None

    def do_GET(self):
        st = self.server.store
        if not self.authorized():
            st.record("request", "GET", self.path, status=401)
            return self.reply(401, '{"error": "bearer token required"}')
        st.record("request", "GET", self.path, status=200)
        if self.path.rstrip("/") == "/reports":
            return self.reply(200, json.dumps(st.reports()))
        return self.reply(404, '{"error": "not found"}')

    def read_body(self):
        try:
            n = int(self.headers.get("Content-Length", "-1"))
        except ValueError:
            n = -1
        if n < 0 or n > MAX_BODY:
            return None
        return self.rfile.read(n)

    def do_POST(self):
        st, faults = self.server.store, self.server.faults
        rid = self.headers.get("Idempotency-Key")
        body = self.read_body()
        blen = None if body is None else len(body)
        status, resp, hdrs = self.process(rid, body, faults)
        st.record("request", "POST", self.path, rid, blen, status)
        self.reply(status, resp, hdrs)

    def process(self, rid, body, faults):
        args = self.server.args
        if self.path.rstrip("/") != "/reports":
            return 404, '{"error": "not found"}', ()
        if not self.authorized():
            return 401, '{"error": "bearer token required"}', ()
        mode = faults.take(HTTP_FAULTS)
        if mode in ("503", "429"):
            return int(mode), '{"error": "try later"}', (("Retry-After",
                                                          str(faults.retry_after)),)
        if mode == "500":
            return 500, '{"error": "internal error (fault mode)"}', ()
        if mode == "400":
            return 400, '{"error": "report refused (fault mode)"}', ()
        if mode == "slow":
            time.sleep(faults.slow_ms / 1000.0)
        if body is None:
            return 413, '{"error": "missing Content-Length or body too large"}', ()
        if not rid or len(rid) > 64:
            return 400, '{"error": "Idempotency-Key (the report id) is required"}', ()
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip()
        if ctype != "application/json":
            return 415, '{"error": "Content-Type must be application/json"}', ()
        try:
            doc = json.loads(body)
            if not isinstance(doc, dict):
                raise ValueError("not an object")
        except ValueError as e:
            return 400, json.dumps({"error": f"report is not a JSON object: {e}"}), ()
        otp, otp_error = None, None
        sealed = find_otp_cms(doc)
        if sealed:
            otp, otp_error = open_sealed(args, sealed)
        status, resp, _ = self.server.store.store(rid, body.decode(), otp, otp_error,
                                                  self.client_name())
        return status, resp, ()


class Listener:
    """The HTTPS side: an accept loop that can stop listening ("down") and swap certificates."""

    def __init__(self, args, store, faults):
        self.args, self.store, self.faults = args, store, faults
        self.token = None
        if args.token_file:
            with open(args.token_file) as f:
                self.token = f.read().strip()
        self.contexts = {"none": self.context("server", "server")}
        for mode, cert in TLS_FAULTS.items():
            key = "server-alt" if mode == "pin" else "server"
            self.contexts[mode] = self.context(cert, key)
        self.sock = None
        self.port = args.port
        self.open()

    def context(self, cert, key):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(f"{self.args.pki}/{cert}.crt", f"{self.args.pki}/{key}.key")
        if self.args.client_ca:
            ctx.load_verify_locations(self.args.client_ca)
            ctx.verify_mode = (ssl.CERT_REQUIRED if self.args.require_client_cert
                               else ssl.CERT_OPTIONAL)
        return ctx

    def open(self):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", self.port))
        s.listen(64)
        self.port = s.getsockname()[1]
        self.sock = s

    def serve_forever(self):
        while True:
            mode = self.faults.current()
            if mode == "down":
                if self.sock:
                    self.sock.close()
                    self.sock = None
                time.sleep(0.05)
                continue
            if not self.sock:
                self.open()
            r, _, _ = select.select([self.sock], [], [], 0.1)
            if r:
                conn, addr = self.sock.accept()
                threading.Thread(target=self.connection, args=(conn, addr),
                                 daemon=True).start()

    def connection(self, conn, addr):
        mode = self.faults.take(tuple(TLS_FAULTS))
        conn.settimeout(30)
        try:
            tls = self.contexts[mode].wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError) as e:
            self.store.record("tls-failed", detail=f"{mode}: {e}")
            conn.close()
            return
        self.store.record("tls-ok", detail=mode)
        try:
            Handler(tls, addr, self)
        except OSError:
            pass
        finally:
            try:
                tls.close()
            except OSError:
                pass


class Control(http.server.BaseHTTPRequestHandler):
    """Plain HTTP on loopback for tests and demos: fault switching and what was seen."""

    def log_message(self, fmt, *a):
        pass

    def reply(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        lst = self.server.listener
        if self.path == "/_requests":
            return self.reply(200, lst.store.requests())
        if self.path == "/_reports":
            return self.reply(200, lst.store.reports())
        if self.path == "/_fault":
            return self.reply(200, {"mode": lst.faults.current()})
        return self.reply(404, {"error": "not found"})

    def do_POST(self):
        lst = self.server.listener
        if self.path != "/_fault":
            return self.reply(404, {"error": "not found"})
        try:
            req = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            f = lst.faults
            if "retry_after" in req:
                f.retry_after = int(req["retry_after"])
            if "slow_ms" in req:
                f.slow_ms = int(req["slow_ms"])
            f.set(str(req.get("mode", "none")), req.get("count"))
        except (ValueError, TypeError, KeyError) as e:
            return self.reply(400, {"error": str(e)})
        # Answer only once the listener follows the mode, so a test's next step sees it.
        for _ in range(100):
            if (f.current() == "down") == (lst.sock is None):
                break
            time.sleep(0.02)
        return self.reply(200, {"mode": f.current()})


def cmd_serve(args):
    store = Store(args.db)
    faults = Faults(args.fault, args.retry_after, args.slow_ms)
    listener = Listener(args, store, faults)
    ctl = http.server.ThreadingHTTPServer(("127.0.0.1", args.control_port), Control)
    ctl.daemon_threads = True
    ctl.listener = listener
    threading.Thread(target=ctl.serve_forever, daemon=True).start()
    ports = json.dumps({"port": listener.port, "control": ctl.server_address[1],
                        "pid": os.getpid()})
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(ports + "\n")
        os.rename(tmp, args.port_file)
    print(ports, flush=True)
    try:
        listener.serve_forever()
    except KeyboardInterrupt:
        pass


def cmd_list(args):
    for r in Store(args.db).reports():
        print(json.dumps(r))


def main():
    ap = argparse.ArgumentParser(prog="amtact-interim.py", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("mkcerts", help="make a test PKI")
    p.add_argument("dir")
    p = sub.add_parser("serve", help="serve HTTPS on loopback")
    p.add_argument("--pki", required=True, help="directory made by mkcerts")
    p.add_argument("--db", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--control-port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--client-ca")
    p.add_argument("--require-client-cert", action="store_true")
    p.add_argument("--token-file")
    p.add_argument("--report-key")
    p.add_argument("--report-cert")
    p.add_argument("--fault", default="none")
    p.add_argument("--retry-after", type=int, default=1)
    p.add_argument("--slow-ms", type=int, default=5000)
    p.add_argument("-v", "--verbose", action="store_true")
    p = sub.add_parser("list", help="print stored reports as JSON lines")
    p.add_argument("--db", required=True)
    args = ap.parse_args()
    try:
        {"mkcerts": cmd_mkcerts, "serve": cmd_serve, "list": cmd_list}[args.cmd](args)
    except subprocess.CalledProcessError as e:
        sys.exit(f"amtact-interim: {' '.join(e.cmd[:3])} failed: "
                 f"{(e.stderr or b'').decode(errors='replace').strip()}")
    except (OSError, ValueError, sqlite3.Error) as e:
        sys.exit(f"amtact-interim: {e}")


if __name__ == "__main__":
    main()
