# SPDX-License-Identifier: MIT
"""The endpoints' answers without a network: routing, authentication, a fault of ours."""
import asyncio
import unittest

from amtact_interim.app import App
from amtact_interim.http import Limits, parse_head
from amtact_interim.metrics import Metrics
from amtact_interim.tlsconf import Tokens


class Cfg:
    max_body = 1 << 20
    accept_clear_otp = False
    retry_after = 5


class Conn:
    peer, client = "127.0.0.1:1", None


def request(text):
    return parse_head(text.encode(), Limits())


class AppTest(unittest.TestCase):
    def setUp(self):
        self.logged = []
        self.metrics = Metrics()
        self.app = App(Cfg(), None, self.metrics, Tokens(["agent"]), Tokens(["admin"]),
                       log=self.logged.append)

    def answer(self, text):
        return asyncio.run(self.app.handle(request(text), Conn()))

    def test_routing(self):
        self.assertEqual(self.answer("GET /nowhere HTTP/1.1").status, 404)
        self.assertEqual(self.answer("DELETE /reports HTTP/1.1").status, 405)
        self.assertEqual(self.answer("GET /metrics HTTP/1.1").status, 200)

    def test_tokens_do_not_cross(self):
        r = self.answer("POST /reports HTTP/1.1\r\nAuthorization: Bearer admin")
        self.assertEqual(r.status, 401)
        self.assertIn(("WWW-Authenticate", "Bearer"), r.headers)
        r = self.answer("GET /api/reports HTTP/1.1\r\nAuthorization: Bearer agent")
        self.assertEqual(r.status, 401)
        r = self.answer("GET /otp/0 HTTP/1.1\r\nAuthorization: Bearer agent")
        self.assertEqual(r.status, 404)   # no --otp-key: this server hands out no OTPs

    def test_agent_credentials_check(self):
        r = self.answer("GET /reports HTTP/1.1\r\nAuthorization: Bearer agent")
        self.assertEqual(r.status, 405)
        self.assertIn(("X-Amtact-Credentials", "accepted"), r.headers)
        self.assertEqual(self.answer("GET /reports HTTP/1.1").status, 401)
        r = self.answer("GET /reports HTTP/1.1\r\nAuthorization: Bearer admin")
        self.assertEqual(r.status, 401)
        r = self.answer("DELETE /reports HTTP/1.1\r\nAuthorization: Bearer agent")
        self.assertNotIn(("X-Amtact-Credentials", "accepted"), r.headers)

    def test_a_fault_of_ours_is_a_logged_500(self):
        async def broken(req, conn):
            raise KeyError("boom")
        self.app.routes[("GET", "/metrics")] = broken
        r = self.answer("GET /metrics HTTP/1.1")
        self.assertEqual((r.status, r.close), (500, True))
        self.assertNotIn(b"boom", r.body)
        self.assertIn("KeyError", self.logged[0])
        self.assertIn('reason="server_error"} 1', self.metrics.render())


if __name__ == "__main__":
    unittest.main()
