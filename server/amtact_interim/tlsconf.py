# SPDX-License-Identifier: MIT
"""TLS server settings and who is calling: certificates, client CA, bearer tokens."""
import hmac
import os
import ssl
import stat

# TLS 1.2 gets forward-secret AEAD suites only; TLS 1.3 suites are OpenSSL's defaults.
CIPHERS_TLS12 = "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL:!SHA1"


def server_context(cert, key, client_ca=None, require_client_cert=False):
    """An SSLContext for the listener: TLS 1.2+, no compression or renegotiation."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers(CIPHERS_TLS12)
    ctx.options |= ssl.OP_NO_COMPRESSION | ssl.OP_CIPHER_SERVER_PREFERENCE
    ctx.options |= getattr(ssl, "OP_NO_RENEGOTIATION", 0)
    ctx.load_cert_chain(cert, key)
    # TLS 1.3 session tickets cost a round of small writes after every handshake (and a
    # delayed-ACK stall for clients that answer at once); agents rarely resume.
    ctx.num_tickets = 0
    if client_ca:
        ctx.load_verify_locations(client_ca)
        ctx.verify_mode = ssl.CERT_REQUIRED if require_client_cert else ssl.CERT_OPTIONAL
    return ctx


def read_secret_file(path, what):
    """The non-empty lines of a secret file (one token per line, for rotation).

    Refuses a symlink and warns (returns the warning) when others may read it; the
    service's own group may (files root:amtact-interim 0640)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    with os.fdopen(fd, "r") as f:
        st = os.fstat(f.fileno())
        lines = [ln.strip() for ln in f.read().splitlines() if ln.strip()]
    if not lines:
        raise ValueError(f"{what} {path} is empty")
    warn = None
    if st.st_mode & stat.S_IRWXO:
        warn = f"{what} {path} is readable by others (chmod 0640 or 0600 it)"
    return lines, warn


class Tokens:
    """A set of accepted bearer tokens, compared in constant time."""

    def __init__(self, tokens):
        self.tokens = [t.encode() for t in tokens]

    def check(self, authorization):
        """True when the Authorization header carries one of the tokens."""
        if not authorization.startswith("Bearer "):
            return False
        got = authorization[7:].strip().encode()
        ok = False
        for t in self.tokens:
            ok |= hmac.compare_digest(got, t)
        return ok


def peer_name(sslobj):
    """The commonName of a verified client certificate, or None."""
    if sslobj is None:
        return None
    try:
        cert = sslobj.getpeercert()
    except (ValueError, AttributeError):
        return None
    for rdn in (cert or {}).get("subject", ()):
        for k, v in rdn:
            if k == "commonName":
                return v
    return None
