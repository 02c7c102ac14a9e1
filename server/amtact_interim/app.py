# SPDX-License-Identifier: MIT
"""The HTTPS endpoints: report intake for agents, the OTP fetch, health, metrics, and the
provisioning side's API. See amtact-interim(8), ENDPOINTS."""
import asyncio
import json
import re
import time

from . import export, intake
from .http import HttpError, Response
from .store import Overloaded, now_us

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class App:
    def __init__(self, cfg, store, metrics, tokens=None, admin_tokens=None, vault=None,
                 hooks=None, log=None):
        self.cfg, self.store, self.metrics = cfg, store, metrics
        self.tokens, self.admin_tokens, self.vault = tokens, admin_tokens, vault
        self.hooks, self.log = hooks, log or (lambda msg: None)
        self.routes = {
            ("POST", "/reports"): self.post_report,
            ("GET", "/healthz"): self.health,
            ("GET", "/metrics"): self.get_metrics,
            ("GET", "/api/reports"): self.api_reports,
            ("POST", "/api/consume"): self.api_consume,
            ("GET", "/api/audit"): self.api_audit,
        }

    async def handle(self, req, conn):
        """The response to one request; never raises for the client's mistakes."""
        try:
            return await self.dispatch(req, conn)
        except HttpError as e:
            self.metrics.reject(e.reason)
            return Response.error(e)
        except Exception as e:  # noqa: BLE001 - a fault of ours: logged, answered 500
            self.log(f"{req.method} {req.path[:80]}: internal error: {type(e).__name__}: {e}")
            self.metrics.reject("server_error")
            return Response.json(500, {"error": "internal error (see the server's log)"},
                                 close=True)

    async def dispatch(self, req, conn):
        path = req.path.rstrip("/") or "/"
        fn = self.routes.get((req.method, path))
        if fn:
            return await fn(req, conn)
        if path.startswith("/otp/") and req.method == "GET":
            return await self.get_otp(req, conn, path[5:].lower())
        if path.startswith("/api/otp/") and req.method == "PUT":
            return await self.api_otp_put(req, conn, path[9:].lower())
        if any(p == path for _, p in self.routes):
            headers = ()
            if req.method == "GET" and path == "/reports":
                # amtact profile-check --connect: say whether the token would be taken
                self.agent_auth(req)
                headers = (("X-Amtact-Credentials", "accepted"),)
            raise HttpError(405, f"{req.method} is not allowed on {path}", "method",
                            headers=headers)
        raise HttpError(404, f"no such endpoint: {path[:80]}", "not_found")

    def reader(self, fn, *args):
        return asyncio.get_running_loop().run_in_executor(self.store.readers, fn, *args)

    def agent_auth(self, req):
        if self.tokens and not self.tokens.check(req.header("authorization")):
            raise HttpError(401, "bearer token required", "auth",
                            headers=(("WWW-Authenticate", "Bearer"),))

    def admin_auth(self, req):
        if not self.admin_tokens:
            raise HttpError(403, "the provisioning API is off (start the server with "
                            "--admin-token-file)", "auth")
        if not self.admin_tokens.check(req.header("authorization")):
            raise HttpError(401, "admin bearer token required", "auth",
                            headers=(("WWW-Authenticate", "Bearer"),))

    # --- agents -------------------------------------------------------------------------
    async def post_report(self, req, conn):
        t0 = time.monotonic()
        self.agent_auth(req)
        if self.hooks:
            fault = await self.hooks.before_post(req)
            if fault:
                return fault
        key = intake.check_headers(req)
        req.body = await conn.read_body(req, self.cfg.max_body)
        item = intake.parse_report(req.body, key, conn.client, self.cfg.accept_clear_otp)
        try:
            out = await asyncio.wrap_future(self.store.submit(item))
        except Overloaded:
            raise HttpError(503, "too many reports waiting to be stored; try again",
                            "overload", headers=(("Retry-After", str(self.cfg.retry_after)),))
        except Exception as e:  # noqa: BLE001 - the database said no: the agent retries
            self.log(f"storing report {key}: {e}")
            raise HttpError(503, "the report could not be stored; try again", "server_error",
                            headers=(("Retry-After", str(self.cfg.retry_after)),))
        if out.mismatch:
            self.metrics.reject("idempotency")
        else:
            self.metrics.inc("reports_stored_total" if out.new else "reports_duplicate_total")
            self.metrics.observe_post(time.monotonic() - t0)
        return Response(out.status, out.response + "\n")

    async def get_otp(self, req, conn, uuid):
        self.agent_auth(req)
        if self.hooks:
            fault = await self.hooks.before_otp(req)
            if fault:
                return fault
        if not self.vault:
            raise HttpError(404, "this server does not hand out OTPs (no --otp-key)",
                            "not_found")
        if not UUID_RE.match(uuid):
            raise HttpError(400, "the device is named by its UUID "
                            "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", "bad_request")
        row = await self.reader(self.store.otp_fetch, uuid)
        if not row:
            raise HttpError(404, f"no OTP is assigned to device {uuid}", "otp_unknown")
        sealed, client, expires_us = row
        if client and client != conn.client:
            raise HttpError(403, "this device's OTP is bound to another client certificate",
                            "auth")
        if expires_us and expires_us < now_us():
            raise HttpError(410, f"the OTP assigned to device {uuid} has expired",
                            "otp_unknown")
        otp = self.vault.open(uuid, sealed)
        self.metrics.inc("otp_fetches_total")
        return Response.json(200, {"uuid": uuid, "otp": otp})

    # --- monitoring -----------------------------------------------------------------------
    async def health(self, req, conn):
        try:
            v = await self.reader(self.store.ping)
        except Exception as e:  # noqa: BLE001 - any database failure is "unhealthy"
            return Response.json(503, {"status": "unhealthy", "database": str(e)[:200]})
        return Response.json(200, {"status": "ok", "database": self.store.db.describe(),
                                   "schema_version": v})

    async def get_metrics(self, req, conn):
        return Response(200, self.metrics.render(), ctype="text/plain; version=0.0.4")

    # --- the provisioning side --------------------------------------------------------------
    async def api_reports(self, req, conn):
        self.admin_auth(req)
        try:
            filters, consumed = export.filters_from(req.query.get)
            limit = min(int(req.query.get("limit", "1000")), 100000)
            fmt = req.query.get("format", "json")
            rows = await self.reader(self.store.query, filters, consumed, limit)
            text = export.render(rows, fmt)
        except ValueError as e:
            raise HttpError(400, str(e), "bad_request")
        ctype = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
        return Response(200, text, ctype=ctype)

    async def admin_json(self, req, conn):
        self.admin_auth(req)
        body = await conn.read_body(req, 1 << 20)
        try:
            doc = json.loads(body)
        except ValueError as e:
            raise HttpError(400, f"malformed JSON: {e}", "bad_json")
        if not isinstance(doc, dict):
            raise HttpError(400, "expected a JSON object", "bad_json")
        return doc

    def admin_actor(self, conn):
        return f"api from {conn.peer}" + (f" (client {conn.client})" if conn.client else "")

    async def api_consume(self, req, conn):
        doc = await self.admin_json(req, conn)
        ids = doc.get("ids")
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise HttpError(400, 'expected {"ids": ["report id", ...]}', "bad_request")
        n = await self.reader(self.store.consume, ids, self.admin_actor(conn))
        return Response.json(200, {"consumed": n})

    async def api_otp_put(self, req, conn, uuid):
        doc = await self.admin_json(req, conn)
        if not self.vault:
            raise HttpError(404, "this server does not hand out OTPs (no --otp-key)",
                            "not_found")
        if not UUID_RE.match(uuid):
            raise HttpError(400, "the device is named by its UUID", "bad_request")
        try:
            sealed = self.vault.seal(uuid, str(doc.get("otp", "")))
            ttl = doc.get("expires_in_s")
            expires = now_us() + int(ttl) * 1_000_000 if ttl else None
        except (ValueError, TypeError) as e:
            raise HttpError(400, str(e), "bad_request")
        client = doc.get("client")
        await self.reader(self.store.otp_put, uuid, sealed, client, expires,
                          self.admin_actor(conn))
        return Response.json(200, {"uuid": uuid, "assigned": True})

    async def api_audit(self, req, conn):
        self.admin_auth(req)
        rows = await self.reader(self.store.audit_log)
        for r in rows:
            r["at"] = export.iso(r.pop("at_us"))
            r["detail"] = json.loads(r["detail"])
        return Response.json(200, rows)
