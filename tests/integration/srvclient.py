#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""HTTPS client for the interim server's tests (lib_server.sh): ordinary requests, raw
bytes, slow clients and concurrent duplicates. The server URL and CA come from SRV_URL
and SRV_CA; a token file from SRV_TOKEN unless --token is given.

  srvclient.py req METHOD PATH [--token F] [--cert C --key K] [--ctype T] [--idem K]
                               [--data S | --body FILE] [--url U]
      prints the status on the first line, then the body
  srvclient.py raw TEXT [--wait S]    send TEXT (\\r\\n escapes) and print the answer's
                                      status line and how long the server took, in s
  srvclient.py dupes N KEY BODYFILE URL...   N concurrent POSTs of one report, spread
                                      over the URLs; prints {"statuses": .., "bodies": ..}
"""
import argparse
import http.client
import json
import os
import socket
import ssl
import sys
import threading
import time
import urllib.parse


def context(cert=None, key=None):
    ctx = ssl.create_default_context(cafile=os.environ["SRV_CA"])
    if cert:
        ctx.load_cert_chain(cert, key)
    return ctx


def request(url, method, path, body=None, headers=None, ctx=None, timeout=20):
    u = urllib.parse.urlsplit(url)
    c = http.client.HTTPSConnection(u.hostname, u.port, context=ctx or context(),
                                    timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read().decode("utf-8", "replace"), dict(r.getheaders())
    finally:
        c.close()


def cmd_req(a):
    headers = {}
    token = a.token if a.token is not None else os.environ.get("SRV_TOKEN")
    if token:
        headers["Authorization"] = "Bearer " + open(token).read().strip()
    body = None
    if a.body:
        body = open(a.body, "rb").read()
    elif a.data is not None:
        body = a.data.encode()
    if body is not None:
        headers["Content-Type"] = a.ctype
    if a.idem:
        headers["Idempotency-Key"] = a.idem
    try:
        status, text, _ = request(a.url or os.environ["SRV_URL"], a.method, a.path, body,
                                  headers, context(a.cert, a.key))
    except (OSError, ssl.SSLError) as e:
        print(f"000\n{type(e).__name__}: {e}")
        return
    print(status)
    sys.stdout.write(text)


def cmd_raw(a):
    u = urllib.parse.urlsplit(os.environ["SRV_URL"])
    data = a.text.encode().decode("unicode_escape").encode("latin-1")
    t0 = time.monotonic()
    with socket.create_connection((u.hostname, u.port), timeout=a.wait) as s:
        with context().wrap_socket(s, server_hostname=u.hostname) as t:
            t.sendall(data)
            got = b""
            try:
                while True:
                    chunk = t.recv(65536)
                    if not chunk:
                        break
                    got += chunk
            except (socket.timeout, ssl.SSLError, OSError):
                pass
    line = got.split(b"\r\n", 1)[0].decode("latin-1") or "(closed without an answer)"
    print(f"{line}\n{time.monotonic() - t0:.2f}")


def cmd_dupes(a):
    body = open(a.bodyfile, "rb").read()
    headers = {"Content-Type": "application/json", "Idempotency-Key": a.key}
    if os.environ.get("SRV_TOKEN"):
        headers["Authorization"] = "Bearer " + open(os.environ["SRV_TOKEN"]).read().strip()
    barrier = threading.Barrier(a.n)
    results = [None] * a.n
    ctx = context()

    def one(i):
        barrier.wait()
        try:
            s, text, _ = request(a.urls[i % len(a.urls)], "POST", "/reports", body, headers,
                                 ctx)
            results[i] = (s, text)
        except OSError as e:
            results[i] = (0, str(e))
    threads = [threading.Thread(target=one, args=(i,)) for i in range(a.n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps({"statuses": sorted({r[0] for r in results}),
                      "bodies": sorted({r[1] for r in results})}))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("req")
    p.add_argument("method")
    p.add_argument("path")
    for k in ("--token", "--cert", "--key", "--idem", "--data", "--body", "--url"):
        p.add_argument(k)
    p.add_argument("--ctype", default="application/json")
    p = sub.add_parser("raw")
    p.add_argument("text")
    p.add_argument("--wait", type=float, default=10)
    p = sub.add_parser("dupes")
    p.add_argument("n", type=int)
    p.add_argument("key")
    p.add_argument("bodyfile")
    p.add_argument("urls", nargs="+")
    a = ap.parse_args()
    {"req": cmd_req, "raw": cmd_raw, "dupes": cmd_dupes}[a.cmd](a)


if __name__ == "__main__":
    main()
