# SPDX-License-Identifier: MIT
"""HTTP/1.1 on asyncio streams: bounded request heads and bodies, responses, keep-alive."""
import asyncio
import json
import urllib.parse

REASONS = {100: "Continue", 200: "OK", 201: "Created", 204: "No Content",
           400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
           405: "Method Not Allowed", 408: "Request Timeout", 409: "Conflict",
           411: "Length Required", 413: "Content Too Large", 415: "Unsupported Media Type",
           422: "Unprocessable Content", 429: "Too Many Requests",
           431: "Request Header Fields Too Large", 500: "Internal Server Error",
           501: "Not Implemented", 503: "Service Unavailable", 505: "HTTP Version Not Supported"}
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS")


class HttpError(Exception):
    """A request that gets a 4xx/5xx answer; `reason` is the metrics label."""

    def __init__(self, status, message, reason="bad_request", headers=(), close=False):
        super().__init__(message)
        self.status, self.message, self.reason = status, message, reason
        self.headers, self.close = tuple(headers), close


class Limits:
    def __init__(self, header_bytes=16384, max_headers=64, header_timeout_s=10.0,
                 body_timeout_s=30.0, idle_timeout_s=15.0, max_body=1 << 20,
                 max_requests=1000):
        self.header_bytes, self.max_headers = header_bytes, max_headers
        self.header_timeout_s, self.body_timeout_s = header_timeout_s, body_timeout_s
        self.idle_timeout_s, self.max_body = idle_timeout_s, max_body
        self.max_requests = max_requests


class Request:
    def __init__(self, method, target, version, headers):
        self.method, self.target, self.version, self.headers = method, target, version, headers
        parts = urllib.parse.urlsplit(target)
        self.path = parts.path
        self.query = {k: v[-1] for k, v in urllib.parse.parse_qs(parts.query).items()}
        self.body = None
        self.conn = None          # the Connection it came on (peer certificate, streams)

    def header(self, name, default=""):
        return self.headers.get(name.lower(), default)

    def wants_close(self):
        conn = self.header("connection").lower()
        return "close" in conn or (self.version == "HTTP/1.0" and "keep-alive" not in conn)

    def content_length(self):
        """The declared body length; raises HttpError when it is missing or unusable."""
        if self.header("transfer-encoding"):
            raise HttpError(411, "send the body with Content-Length, not Transfer-Encoding",
                            "length", close=True)
        raw = self.header("content-length")
        if not raw:
            raise HttpError(411, "Content-Length is required", "length", close=True)
        if not raw.isdigit() or len(raw) > 12:
            raise HttpError(400, f"Content-Length {raw[:20]!r} is not a number", close=True)
        return int(raw)


class Response:
    def __init__(self, status, body=b"", ctype="application/json", headers=(), close=False):
        self.status, self.ctype, self.headers, self.close = status, ctype, list(headers), close
        self.body = body.encode() if isinstance(body, str) else body

    @classmethod
    def json(cls, status, obj, headers=(), close=False):
        return cls(status, json.dumps(obj, separators=(", ", ": ")) + "\n",
                   headers=headers, close=close)

    @classmethod
    def error(cls, err):
        return cls.json(err.status, {"error": err.message}, err.headers, err.close)

    def encode(self, keep_alive):
        lines = [f"HTTP/1.1 {self.status} {REASONS.get(self.status, 'Status')}",
                 "Server: amtact-interim", f"Content-Length: {len(self.body)}",
                 "Cache-Control: no-store",
                 "Connection: " + ("keep-alive" if keep_alive else "close")]
        if self.body:
            lines.append(f"Content-Type: {self.ctype}")
        lines += [f"{k}: {v}" for k, v in self.headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


def parse_head(data, limits):
    """Parse a request head (request line and headers, without the final blank line)."""
    try:
        text = data.decode("latin-1")
    except UnicodeDecodeError:   # latin-1 cannot fail; kept for clarity of intent
        raise HttpError(400, "request head is not text")
    lines = text.split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[1]:
        raise HttpError(400, "malformed request line", close=True)
    method, target, version = parts
    if version not in ("HTTP/1.1", "HTTP/1.0"):
        raise HttpError(505, f"{version[:16]!r} is not supported (HTTP/1.1 only)", close=True)
    if method not in METHODS:
        raise HttpError(501, f"method {method[:16]!r} is not implemented", "method", close=True)
    if len(lines) - 1 > limits.max_headers:
        raise HttpError(431, f"more than {limits.max_headers} header fields", "header",
                        close=True)
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip() or any(c in name for c in " \t"):
            raise HttpError(400, "malformed header field", close=True)
        key = name.lower()
        if key in headers and key in ("content-length", "authorization", "idempotency-key",
                                      "content-type", "transfer-encoding", "host"):
            raise HttpError(400, f"duplicate {name} header", close=True)
        headers[key] = value.strip()
    return Request(method, target, version, headers)


async def read_head(reader, limits, first):
    """The next request head, or None when the client closed the connection between
    requests. The first request of a connection gets the header timeout, later ones the
    keep-alive idle timeout first."""
    peek = b""
    try:
        if not first:
            # Idle keep-alive connection: wait for the first byte without a header limit.
            peek = await asyncio.wait_for(reader.read(1), limits.idle_timeout_s)
            if not peek:
                return None
        data = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), limits.header_timeout_s)
    except asyncio.IncompleteReadError as e:
        if not e.partial and (first or not peek):
            return None
        raise HttpError(400, "connection closed in the middle of the request head",
                        close=True)
    except asyncio.LimitOverrunError:
        raise HttpError(431, f"request head larger than {limits.header_bytes} bytes",
                        "header", close=True)
    except asyncio.TimeoutError:
        if not first and not peek:
            return None
        raise HttpError(408, "request head not received in time", "timeout", close=True)
    return parse_head(peek + data[:-4], limits)


async def read_body(req, reader, writer, limits, max_body):
    """Read the body announced by Content-Length (answering Expect: 100-continue)."""
    n = req.content_length()
    if n > max_body:
        raise HttpError(413, f"body of {n} bytes is larger than the limit of {max_body}",
                        "too_large", close=True)
    if req.header("expect").lower() == "100-continue":
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    try:
        return await asyncio.wait_for(reader.readexactly(n), limits.body_timeout_s)
    except asyncio.IncompleteReadError:
        raise HttpError(400, "connection closed before the whole body arrived", close=True)
    except asyncio.TimeoutError:
        raise HttpError(408, f"body not received within {limits.body_timeout_s:g} s",
                        "timeout", close=True)
