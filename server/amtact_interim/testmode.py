# SPDX-License-Identifier: MIT
"""`amtact-interim test-serve`: fault injection for the agent's tests and demos.

Never part of `serve`: the production path has no hooks. This mode adds a plain-HTTP
control port on 127.0.0.1 that switches fault modes and shows every connection and
request seen, and opens sealed OTPs for the tests with the report key it was given."""
import asyncio
import json
import time

from . import export, http
from .tlsconf import server_context

TLS_FAULTS = {"wrong-ca": ("wrong-ca", "server"), "expired": ("expired", "server"),
              "wrong-host": ("wrong-host", "server"), "pin": ("server-alt", "server-alt")}
HTTP_FAULTS = ("500", "503", "429", "400", "403", "302", "slow")
ALL_FAULTS = ("none", "down") + tuple(TLS_FAULTS) + HTTP_FAULTS


class Faults:
    def __init__(self, spec, retry_after, slow_ms):
        self.retry_after, self.slow_ms = retry_after, slow_ms
        self.set(spec)

    def set(self, spec, count=None):
        mode, _, n = spec.partition(":")
        if mode not in ALL_FAULTS:
            raise ValueError(f"unknown fault mode {mode!r} (one of {', '.join(ALL_FAULTS)})")
        self.mode = mode
        self.count = int(n) if n else count

    def take(self, kinds):
        """The current mode if it is one of `kinds` (using up one count), else 'none'."""
        if self.mode not in kinds:
            return "none"
        mode = self.mode
        if self.count is not None:
            self.count -= 1
            if self.count <= 0:
                self.mode, self.count = "none", None
        return mode


class TestHooks:
    def __init__(self, cfg):
        self.cfg = cfg
        self.faults = Faults(cfg.fault, cfg.retry_after, cfg.slow_ms)
        pki = cfg.pki
        self.contexts = {m: server_context(f"{pki}/{c}.crt", f"{pki}/{k}.key", cfg.client_ca,
                                           cfg.require_client_cert)
                         for m, (c, k) in TLS_FAULTS.items()}
        self.events = []
        self.opened = {}
        self.last_tls = "none"
        self.listener = None
        self.store = None

    # --- called by the listener and the app -------------------------------------------
    def tls_context(self, default):
        self.last_tls = self.faults.take(tuple(TLS_FAULTS))
        return self.contexts.get(self.last_tls, default)

    def record(self, kind, method=None, path=None, report_id=None, body_len=None,
               status=None, detail=None):
        self.events.append({"n": len(self.events) + 1, "t": time.time(), "kind": kind,
                            "method": method, "path": path, "report_id": report_id,
                            "body_len": body_len, "status": status, "detail": detail})

    def record_request(self, req, resp):
        self.record("request", req.method, req.path, req.header("idempotency-key") or None,
                    None if req.body is None else len(req.body), resp.status)

    async def before_post(self, req):
        mode = self.faults.take(HTTP_FAULTS)
        retry = (("Retry-After", str(self.faults.retry_after)),)
        if mode in ("503", "429"):
            return http.Response.json(int(mode), {"error": "try later"}, retry)
        if mode == "500":
            return http.Response.json(500, {"error": "internal error (fault mode)"})
        if mode == "400":
            return http.Response.json(400, {"error": "report refused (fault mode)"})
        if mode == "403":
            return http.Response.json(403, {"error": "forbidden (fault mode)"})
        if mode == "302":
            return http.Response.json(302, {"error": "moved (fault mode)"},
                                      (("Location", "https://127.0.0.1:1/elsewhere"),))
        if mode == "slow":
            await asyncio.sleep(self.faults.slow_ms / 1000.0)
        return None

    async def before_otp(self, req):
        """GET /otp/UUID takes the same HTTP faults as a report does (one count each)."""
        return await self.before_post(req)

    # --- the control port ---------------------------------------------------------------
    async def start(self, listener, store):
        self.listener, self.store = listener, store
        if self.faults.mode == "down":
            await listener.pause()
        srv = await asyncio.start_server(self.control, "127.0.0.1", self.cfg.control_port)
        return srv.sockets[0].getsockname()[1]

    async def control(self, reader, writer):
        try:
            req = await http.read_head(reader, http.Limits(), True)
            if req:
                if req.method == "POST":
                    n = req.content_length()
                    req.body = await reader.readexactly(n) if n else b""
                resp = await self.answer(req)
                writer.write(resp.encode(False))
                await writer.drain()
        except (http.HttpError, OSError, ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def answer(self, req):
        if req.method == "GET" and req.path == "/_requests":
            return http.Response.json(200, self.events)
        if req.method == "GET" and req.path == "/_reports":
            return http.Response.json(200, await self.reports())
        if req.method == "GET" and req.path == "/_fault":
            return http.Response.json(200, {"mode": self.faults.mode})
        if req.method == "POST" and req.path == "/_fault":
            try:
                doc = json.loads(req.body or b"{}")
                f = self.faults
                if "retry_after" in doc:
                    f.retry_after = int(doc["retry_after"])
                if "slow_ms" in doc:
                    f.slow_ms = int(doc["slow_ms"])
                f.set(str(doc.get("mode", "none")), doc.get("count"))
            except (ValueError, TypeError) as e:
                return http.Response.json(400, {"error": str(e)})
            if f.mode == "down":
                await self.listener.pause()
            else:
                await self.listener.resume()
            return http.Response.json(200, {"mode": f.mode})
        return http.Response.json(404, {"error": "not found"})

    async def reports(self):
        loop = asyncio.get_running_loop()
        rows = await loop.run_in_executor(self.store.readers, self.store.query, {}, None,
                                          1_000_000)
        return [await loop.run_in_executor(None, self.fixture_row, r) for r in rows]

    def fixture_row(self, r):
        """A stored report as the agent's tests read it, the sealed OTP opened."""
        otp = err = None
        if r["otp_sealed"]:
            if r["idem_key"] not in self.opened:
                self.opened[r["idem_key"]] = self.open(r)
            otp, err = self.opened[r["idem_key"]]
        return {"id": r["idem_key"], "seq": r["seq"], "received": r["received_us"] / 1e6,
                "status": r["status"], "body": r["body"], "otp": otp, "otp_error": err,
                "client": r["client"], "repeats": r["repeats"]}

    def open(self, r):
        if not (self.cfg.report_key and self.cfg.report_cert):
            return None, "no report key configured"
        try:
            pem = json.loads(r["body"])["otp_cms"]
            return export.open_cms(pem, self.cfg.report_key, self.cfg.report_cert), None
        except (ValueError, KeyError) as e:
            return None, str(e)
