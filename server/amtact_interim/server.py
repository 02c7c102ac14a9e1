# SPDX-License-Identifier: MIT
"""The listener: sockets sized for a boot storm, worker processes sharing the port with
SO_REUSEPORT, one asyncio loop per worker, TLS per connection, HTTP/1.1 keep-alive."""
import asyncio
import json
import os
import signal
import socket
import sys
import time

from . import http
from .tlsconf import peer_name


def log(msg):
    sys.stderr.write(f"amtact-interim[{os.getpid()}]: {msg}\n")
    sys.stderr.flush()


def listen_socket(host, port, backlog, reuseport):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuseport:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind((host, port))
    s.listen(backlog)
    s.setblocking(False)
    return s


class Connection:
    def __init__(self, reader, writer, limits):
        self.reader, self.writer, self.limits = reader, writer, limits
        peer = writer.get_extra_info("peername") or ("?", 0)
        self.peer = f"{peer[0]}:{peer[1]}"
        self.client = None
        self.idle = False         # waiting for a request: safe to cancel on stop

    async def read_body(self, req, max_body):
        return await http.read_body(req, self.reader, self.writer, self.limits, max_body)

    async def discard(self, n, max_bytes):
        """Read and drop an unread body (so closing does not reset the answer)."""
        try:
            while n > 0 and max_bytes > 0:
                chunk = await asyncio.wait_for(self.reader.read(min(n, 65536)), 5)
                if not chunk:
                    return False
                n -= len(chunk)
                max_bytes -= len(chunk)
        except (asyncio.TimeoutError, OSError, ConnectionError):
            return False
        return n == 0


class Listener:
    """One worker's accept loop over a listening socket it owns."""

    def __init__(self, cfg, app, ssl_ctx, metrics, limits, sock, hooks=None):
        self.cfg, self.app, self.ssl_ctx, self.metrics = cfg, app, ssl_ctx, metrics
        self.limits, self.sock, self.hooks = limits, sock, hooks
        self.port = sock.getsockname()[1]
        self.server = None
        self.active = {}          # task -> Connection (None during the handshake)
        self.stopping = False

    async def start(self):
        # asyncio calls listen() again: pass the backlog, or it shrinks to 100.
        self.server = await asyncio.start_server(self.on_connect, sock=self.sock,
                                                 limit=self.limits.header_bytes,
                                                 backlog=self.cfg.backlog)

    async def pause(self):
        """Stop listening (the port refuses connections) until resume()."""
        if self.server:
            self.server.close()
            await self.server.wait_closed()
            self.server = None

    async def resume(self):
        if not self.server:
            self.sock = listen_socket(self.cfg.listen, self.port, self.cfg.backlog, False)
            await self.start()

    async def on_connect(self, reader, writer):
        task = asyncio.current_task()
        self.active[task] = None
        try:
            await self.connection(reader, writer)
        finally:
            self.active.pop(task, None)
            await self.close(writer)

    async def connection(self, reader, writer):
        self.metrics.inc("connections_total")
        ctx = self.hooks.tls_context(self.ssl_ctx) if self.hooks else self.ssl_ctx
        try:
            await writer.start_tls(ctx, ssl_handshake_timeout=self.cfg.handshake_timeout)
        except Exception as e:  # noqa: BLE001 - every handshake failure is counted
            self.metrics.inc("tls_failures_total")
            if self.hooks:
                self.hooks.record("tls-failed", detail=f"{self.hooks.last_tls}: {e}")
            if self.cfg.verbose:
                log(f"TLS handshake failed: {e}")
            return
        if self.hooks:
            self.hooks.record("tls-ok", detail=self.hooks.last_tls)
        conn = Connection(reader, writer, self.limits)
        conn.client = peer_name(writer.get_extra_info("ssl_object"))
        self.active[asyncio.current_task()] = conn
        await self.requests(conn)

    async def requests(self, conn):
        served = 0
        while not self.stopping:
            conn.idle = True
            try:
                req = await http.read_head(conn.reader, self.limits, served == 0)
            except http.HttpError as e:
                self.metrics.reject(e.reason)
                await self.send(conn, None, http.Response.error(e), False)
                return
            except (OSError, ConnectionError):
                return
            if req is None:
                return
            conn.idle = False
            served += 1
            t0 = time.monotonic()
            resp = await self.app.handle(req, conn)
            keep = not (resp.close or req.wants_close() or self.stopping or
                        served >= self.limits.max_requests)
            if not await self.send(conn, req, resp, keep, t0):
                return
            if not await self.finish_body(conn, req, resp) or not keep:
                return

    async def finish_body(self, conn, req, resp):
        """After an answer given before the body was read: drop the body, if bounded."""
        if req.body is not None or not req.header("content-length").isdigit():
            return True
        n = int(req.header("content-length"))
        ok = await conn.discard(n, 4 * self.cfg.max_body)
        return ok and not resp.close

    async def send(self, conn, req, resp, keep, t0=None):
        if self.hooks and req is not None:
            self.hooks.record_request(req, resp)
        if self.cfg.verbose and req is not None:
            ms = (time.monotonic() - t0) * 1000 if t0 else 0
            log(f"{conn.peer} {req.method} {req.path[:80]} {resp.status} "
                f"key={req.header('idempotency-key')[:64] or '-'} {ms:.1f}ms")
        try:
            conn.writer.write(resp.encode(keep))
            await asyncio.wait_for(conn.writer.drain(), self.limits.body_timeout_s)
        except (asyncio.TimeoutError, OSError, ConnectionError):
            return False
        return True

    async def close(self, writer):
        try:
            writer.close()
            await asyncio.wait_for(writer.wait_closed(), 2)
        except (asyncio.TimeoutError, OSError, ConnectionError, Exception):  # noqa: BLE001
            pass

    async def drain(self, grace_s):
        """Stop accepting, let running requests finish for up to grace_s."""
        self.stopping = True
        await self.pause()
        deadline = time.monotonic() + grace_s
        while self.active and time.monotonic() < deadline:
            for t, conn in list(self.active.items()):
                if conn is not None and conn.idle:
                    t.cancel()
            await asyncio.sleep(0.05)
        for t in list(self.active):
            t.cancel()


def write_port_file(path, info):
    text = json.dumps(info)
    if path:
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(text + "\n")
        os.rename(tmp, path)
    print(text, flush=True)


def run_workers(n, sockets, worker_main):
    """Fork n workers, each running worker_main(sock); the parent forwards SIGTERM/SIGINT
    and exits when they have stopped (with 1 if one died on its own)."""
    pids = {}
    for i in range(n):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                code = worker_main(sockets[i])
            finally:
                os._exit(code)
        pids[pid] = i
    for s in sockets:
        s.close()
    stopping = []

    def forward(sig, _frame):
        stopping.append(sig)
        for p in pids:
            try:
                os.kill(p, signal.SIGTERM)
            except ProcessLookupError:
                pass
    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    status = 0
    while pids:
        try:
            pid, st = os.wait()
        except ChildProcessError:
            break
        pids.pop(pid, None)
        if not stopping:
            log(f"worker {pid} ended (status {st}); stopping the others")
            status = 1
            forward(signal.SIGTERM, None)
    return status
