#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Drives the boot medium's console through QEMU's serial port (a Unix socket), as the
employee would: waits for the system-name prompt, types an invalid name, checks that it is
refused and asked again, types a valid one, confirms it, and waits for the final verdict.

usage: bootmedia_console.py [--fail-first CONTROL_PORT] SOCKET TRANSCRIPT NAME BOOT_TIMEOUT
                            RUN_TIMEOUT
--fail-first: the interim server (test mode, control port CONTROL_PORT) is down at first;
the medium must say FAILED with exit code 15 and offer to try again; the server is then
brought back and Enter pressed. Exit 0 when the medium says it is ready; 1 with the reason on stderr otherwise. The whole
console output goes to TRANSCRIPT (with the time each step was reached)."""
import json
import socket
import sys
import time
import urllib.request

PROMPT = b"and press Enter: "
REFUSED = b"cannot be a system name"
CONFIRM = b"Correct? [Y/n] "
READY = b"ready: you can remove the stick and restart"
FAILED = b"Something went wrong"
BAD_NAME = "pc 42!"


class Console:
    def __init__(self, path, transcript):
        self.sock = None
        deadline = time.monotonic() + 20
        while self.sock is None:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(path)
                self.sock = s
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"cannot connect to the serial port at {path}")
                time.sleep(0.2)
        self.buf = b""
        self.seen = 0
        self.log = open(transcript, "wb")
        self.start = time.monotonic()

    def mark(self, what):
        self.log.write(f"\n[test {time.monotonic() - self.start:6.1f}s: {what}]\n".encode())
        self.log.flush()

    def expect(self, patterns, timeout):
        """Wait for the first of `patterns` after what was already matched; its index."""
        deadline = time.monotonic() + timeout
        while True:
            hits = [(self.buf.find(p, self.seen), i) for i, p in enumerate(patterns)]
            hits = [(at, i) for at, i in hits if at >= 0]
            if hits:
                at, i = min(hits)
                self.seen = at + len(patterns[i])
                return i
            left = deadline - time.monotonic()
            if left <= 0:
                return -1
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                return -1
            if not data:
                return -1
            self.buf += data
            self.log.write(data)
            self.log.flush()

    def type(self, text):
        self.mark(f"typing {text!r}")
        for ch in (text + "\r").encode():
            self.sock.sendall(bytes([ch]))
            time.sleep(0.02)


def fail_then_retry(c, control, run_timeout):
    """The first run fails (the server is down): FAILED, code 15, then Enter retries."""
    if c.expect([FAILED, READY], run_timeout) != 0:
        sys.exit("the medium did not say FAILED while the server was down")
    for what in (b"The provisioning server could not be reached or did not accept",
                 b"Tell IT", b"error code    15", b"Press Enter to try again"):
        if c.expect([what], 10) != 0:
            sys.exit(f"the failure screen lacks {what.decode()!r}")
    c.mark("failure screen complete; the server is back")
    req = urllib.request.Request(f"http://127.0.0.1:{control}/_fault", method="POST",
                                 data=json.dumps({"mode": "none"}).encode())
    urllib.request.urlopen(req, timeout=10).read()
    c.type("")


def main():
    args = sys.argv[1:]
    control = None
    if args[:1] == ["--fail-first"]:
        control, args = args[1], args[2:]
    path, transcript, name, boot_timeout, run_timeout = args[:5]
    c = Console(path, transcript)
    if c.expect([PROMPT, FAILED], float(boot_timeout)) != 0:
        sys.exit(f"no system-name prompt within {boot_timeout} s")
    c.mark("prompt")
    print(f"prompt after {time.monotonic() - c.start:.1f} s")
    c.type(BAD_NAME)
    if c.expect([REFUSED, CONFIRM], 30) != 0:
        sys.exit(f"the invalid name {BAD_NAME!r} was not refused")
    if c.expect([PROMPT], 30) != 0:
        sys.exit("the name was not asked again after the invalid one")
    c.mark("asked again")
    c.type(name)
    if c.expect([CONFIRM, REFUSED], 30) != 0:
        sys.exit(f"the valid name {name!r} was not offered for confirmation")
    c.type("y")
    if control:
        fail_then_retry(c, control, float(run_timeout))
    got = c.expect([READY, FAILED], float(run_timeout))
    c.mark(f"verdict {got}")
    if got != 0:
        c.expect([b"error code"], 10)
        c.expect([b"\n"], 5)
        sys.exit("the medium did not say it is ready" + (" (it said it failed)" if got == 1
                                                           else f" within {run_timeout} s"))
    print(f"ready after {time.monotonic() - c.start:.1f} s")


if __name__ == "__main__":
    main()
