# SPDX-License-Identifier: MIT
"""Request heads and bodies: limits, timeouts and the answers they get."""
import asyncio
import unittest

from amtact_interim import http


def run(coro):
    return asyncio.run(coro)


async def head_of(data, limits=None, first=True, eof=True):
    limits = limits or http.Limits(header_timeout_s=0.2, idle_timeout_s=0.2)
    r = asyncio.StreamReader(limit=limits.header_bytes)
    r.feed_data(data)
    if eof:
        r.feed_eof()
    return await http.read_head(r, limits, first)


class FakeWriter:
    def __init__(self):
        self.data = b""

    def write(self, b):
        self.data += b


class HeadTest(unittest.TestCase):
    def test_parses_method_path_query_headers(self):
        req = run(head_of(b"GET /api/reports?uuid=AB&limit=3 HTTP/1.1\r\nHost: x\r\n"
                          b"X-Thing:  v \r\n\r\n"))
        self.assertEqual((req.method, req.path), ("GET", "/api/reports"))
        self.assertEqual(req.query, {"uuid": "AB", "limit": "3"})
        self.assertEqual(req.header("x-thing"), "v")

    def test_clean_eof_between_requests_is_none(self):
        self.assertIsNone(run(head_of(b"")))
        self.assertIsNone(run(head_of(b"", first=False)))

    def errors(self, data, **kw):
        with self.assertRaises(http.HttpError) as cm:
            run(head_of(data, **kw))
        return cm.exception

    def test_refusals(self):
        self.assertEqual(self.errors(b"GET / HTTP/2.0\r\n\r\n").status, 505)
        self.assertEqual(self.errors(b"BREW / HTTP/1.1\r\n\r\n").status, 501)
        self.assertEqual(self.errors(b"GET /\r\n\r\n").status, 400)
        self.assertEqual(self.errors(b"GET / HTTP/1.1\r\nbad header\r\n\r\n").status, 400)
        dup = b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"
        self.assertEqual(self.errors(dup).status, 400)
        self.assertEqual(self.errors(b"GET / HTTP/1.1\r\nHost: x").status, 400)

    def test_head_size_and_count_limits(self):
        big = b"GET / HTTP/1.1\r\nX: " + b"a" * 20000 + b"\r\n\r\n"
        self.assertEqual(self.errors(big).status, 431)
        many = b"GET / HTTP/1.1\r\n" + b"".join(b"H%d: v\r\n" % i for i in range(80)) + b"\r\n"
        self.assertEqual(self.errors(many).status, 431)

    def test_slow_head_times_out_with_408(self):
        e = self.errors(b"GET / HTTP/1.1\r\n", eof=False)
        self.assertEqual((e.status, e.reason), (408, "timeout"))

    def test_idle_keepalive_connection_ends_quietly(self):
        self.assertIsNone(run(head_of(b"", first=False, eof=False)))

    def test_keepalive_rules(self):
        req = run(head_of(b"GET / HTTP/1.0\r\n\r\n"))
        self.assertTrue(req.wants_close())
        req = run(head_of(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n"))
        self.assertTrue(req.wants_close())
        req = run(head_of(b"GET / HTTP/1.1\r\n\r\n"))
        self.assertFalse(req.wants_close())


class BodyTest(unittest.TestCase):
    async def body(self, head, data, max_body=10, eof=True):
        limits = http.Limits(body_timeout_s=0.2)
        req = http.parse_head(head, limits)
        r = asyncio.StreamReader()
        r.feed_data(data)
        if eof:
            r.feed_eof()
        w = FakeWriter()
        return await http.read_body(req, r, w, limits, max_body), w.data

    def status(self, head, data=b"", **kw):
        with self.assertRaises(http.HttpError) as cm:
            run(self.body(head, data, **kw))
        return cm.exception.status

    def test_reads_exactly_content_length(self):
        body, _ = run(self.body(b"POST / HTTP/1.1\r\nContent-Length: 3", b"abcdef"))
        self.assertEqual(body, b"abc")

    def test_expect_continue_answered_before_reading(self):
        _, sent = run(self.body(b"POST / HTTP/1.1\r\nContent-Length: 2\r\n"
                                b"Expect: 100-continue", b"ab"))
        self.assertEqual(sent, b"HTTP/1.1 100 Continue\r\n\r\n")

    def test_refusals(self):
        self.assertEqual(self.status(b"POST / HTTP/1.1"), 411)
        self.assertEqual(self.status(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked"), 411)
        self.assertEqual(self.status(b"POST / HTTP/1.1\r\nContent-Length: -1"), 400)
        self.assertEqual(self.status(b"POST / HTTP/1.1\r\nContent-Length: 11"), 413)
        self.assertEqual(self.status(b"POST / HTTP/1.1\r\nContent-Length: 5", b"ab"), 400)
        self.assertEqual(self.status(b"POST / HTTP/1.1\r\nContent-Length: 5", b"ab",
                                     eof=False), 408)

    def test_too_large_is_said_before_any_continue(self):
        limits = http.Limits()
        req = http.parse_head(b"POST / HTTP/1.1\r\nContent-Length: 99\r\n"
                              b"Expect: 100-continue", limits)
        w = FakeWriter()

        async def go():
            await http.read_body(req, asyncio.StreamReader(), w, limits, 10)
        with self.assertRaises(http.HttpError):
            run(go())
        self.assertEqual(w.data, b"")


class ResponseTest(unittest.TestCase):
    def test_encoding(self):
        raw = http.Response.json(201, {"id": "a"}).encode(True).decode()
        head, body = raw.split("\r\n\r\n")
        self.assertIn("HTTP/1.1 201 Created", head)
        self.assertIn("Connection: keep-alive", head)
        self.assertIn("Cache-Control: no-store", head)
        self.assertIn(f"Content-Length: {len(body)}", head)


if __name__ == "__main__":
    unittest.main()
