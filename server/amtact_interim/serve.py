# SPDX-License-Identifier: MIT
"""`serve` and `test-serve`: read the settings, migrate, open the port, run the workers."""
import asyncio
import os
import signal

from . import dialect, http, tlsconf
from .app import App
from .metrics import Metrics
from .otpvault import Vault
from .server import Listener, listen_socket, log, run_workers, write_port_file
from .store import Store


def load_tokens(path, what):
    if not path:
        return None
    tokens, warn = tlsconf.read_secret_file(path, what)
    if warn:
        log("warning: " + warn)
    return tlsconf.Tokens(tokens)


def limits_of(cfg):
    return http.Limits(header_timeout_s=cfg.header_timeout, body_timeout_s=cfg.body_timeout,
                       idle_timeout_s=cfg.idle_timeout, max_body=cfg.max_body)


def check_settings(cfg, test):
    """Everything a worker needs, checked before the port opens (clear errors, early)."""
    if test:
        cfg.cert = cfg.cert or f"{cfg.pki}/server.crt"
        cfg.key = cfg.key or f"{cfg.pki}/server.key"
        cfg.workers = 1
    if not (cfg.cert and cfg.key):
        raise ValueError("--cert and --key are required")
    tlsconf.server_context(cfg.cert, cfg.key, cfg.client_ca, cfg.require_client_cert)
    if cfg.require_client_cert and not cfg.client_ca:
        raise ValueError("--require-client-cert needs --client-ca")
    tokens = load_tokens(cfg.token_file, "token file")
    admin = load_tokens(cfg.admin_token_file, "admin token file")
    if tokens and admin and set(tokens.tokens) & set(admin.tokens):
        raise ValueError("the admin token must differ from the agents' token")
    vault = Vault(cfg.otp_key) if cfg.otp_key else None
    if cfg.accept_clear_otp:
        log("warning: --accept-clear-otp: reports with the OTP in clear are stored as sent")
    if not (tokens or cfg.require_client_cert):
        log("warning: agents are not authenticated (no --token-file, no "
            "--require-client-cert): anyone who reaches the port can post reports")
    return tokens, admin, vault


def worker_main(cfg, sock, metrics, tokens, admin, vault, test):
    """One worker process (or the only process): its own loop and database connections."""
    db = dialect.open_db(cfg.db)
    store = Store(db, writers=cfg.writers, batch_max=cfg.batch_max, queue_max=cfg.queue_max)
    store.start()
    hooks = None
    if test:
        from .testmode import TestHooks
        hooks = TestHooks(cfg)
    ssl_ctx = tlsconf.server_context(cfg.cert, cfg.key, cfg.client_ca, cfg.require_client_cert)
    app = App(cfg, store, metrics, tokens, admin, vault, hooks, log)
    listener = Listener(cfg, app, ssl_ctx, metrics, limits_of(cfg), sock, hooks)

    async def main():
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await listener.start()
        if hooks:
            control = await hooks.start(listener, store)
            write_port_file(cfg.port_file, {"port": listener.port, "control": control,
                                            "pid": os.getpid()})
        await stop.wait()
        await listener.drain(cfg.grace)

    try:
        asyncio.run(main())
    finally:
        store.stop()
    return 0


def cmd_serve(cfg, test=False):
    tokens, admin, vault = check_settings(cfg, test)
    db = dialect.open_db(cfg.db)
    applied = Store(db, writers=0).migrate()
    if applied:
        log(f"{db.describe()}: applied schema migrations {applied}")
    db.drop()
    metrics = Metrics()
    n = max(1, cfg.workers)
    socks = [listen_socket(cfg.listen, cfg.port, cfg.backlog, n > 1)]
    port = socks[0].getsockname()[1]
    socks += [listen_socket(cfg.listen, port, cfg.backlog, True) for _ in range(n - 1)]
    log(f"listening on {cfg.listen}:{port} ({n} worker{'s' if n > 1 else ''}, "
        f"{db.describe()}{', TEST MODE: fault injection on' if test else ''})")
    if not test:
        write_port_file(cfg.port_file, {"port": port, "pid": os.getpid()})
    args = (metrics, tokens, admin, vault, test)
    if n == 1:
        return worker_main(cfg, socks[0], *args)
    return run_workers(n, socks, lambda s: worker_main(cfg, s, *args))
