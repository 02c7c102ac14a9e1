#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A secret typed on a terminal: `amtact set-otp --otp-file -` and `amtact usbkey write
--mebx-password -` run on a pseudo-terminal, as a technician types. The prompt is shown, the
typed secret is not echoed (nothing the program or the terminal writes contains it), the
terminal's echo is back afterwards (also after Ctrl+C at the prompt), and the OTP reached
the emulated firmware (its SHA-256 in the machine file).

Both ask twice; entries that differ are refused.

usage: console_secret.py AMTACT MACHINE_FILE WORKDIR
Exit 0 when every check passes; 1 with the reason on stdout otherwise."""
import hashlib
import json
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time

SECRET = "Tech-Typed-0tp!"
PROMPT = b"OTP (not shown): "
AGAIN = b"again (not shown): "
PASSWORD = "N3w!Consol3Pw"


def fail(why):
    print(f"FAIL: {why}")
    sys.exit(1)


class Term:
    """A program on the slave side of a fresh pseudo-terminal, in its own session."""

    def __init__(self, argv):
        self.master, self.slave = pty.openpty()
        if not self.echo_on():
            fail("a new terminal does not echo to begin with")
        self.proc = subprocess.Popen(argv, stdin=self.slave, stdout=self.slave,
                                     stderr=self.slave, start_new_session=True)
        self.seen = b""

    def read_until(self, want, timeout=20):
        deadline = time.monotonic() + timeout
        while want not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                fail(f"waited {timeout} s for {want!r}; the terminal shows {self.seen!r}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.master, 4096)
                except OSError:
                    fail(f"the program ended before {want!r}: {self.seen!r}")

    def type(self, text):
        os.write(self.master, text.encode())

    def finish(self, timeout=20):
        """Exit status; everything the terminal showed is in self.seen."""
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            fail(f"still running after {timeout} s: {self.seen!r}")
        while select.select([self.master], [], [], 0.2)[0]:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                break
            if not chunk:
                break
            self.seen += chunk
        return rc

    def echo_on(self):
        return bool(termios.tcgetattr(self.slave)[3] & termios.ECHO)

    def close(self):
        os.close(self.master)
        os.close(self.slave)


def set_otp(amtact, machine):
    t = Term([amtact, "--device", f"sim:{machine}", "set-otp", "--otp-file", "-"])
    t.read_until(PROMPT)
    t.type(SECRET + "\r")
    t.read_until(AGAIN)
    t.type(SECRET + "\r")
    rc = t.finish()
    if rc != 0:
        fail(f"set-otp from the terminal: exit {rc}: {t.seen!r}")
    if SECRET.encode() in t.seen:
        fail(f"the typed OTP was shown: {t.seen!r}")
    if not t.echo_on():
        fail("the terminal's echo is still off after set-otp")
    t.close()
    with open(machine) as f:
        state = json.load(f)
    want = hashlib.sha256(SECRET.encode()).hexdigest()
    if state.get("otp", {}).get("sha256") != want:
        fail(f"the firmware did not get the typed OTP: {state.get('otp')}")
    print("ok: set-otp --otp-file - on a terminal: prompted, not echoed, echo back, OTP set")


def interrupted(amtact, machine):
    t = Term([amtact, "--device", f"sim:{machine}", "set-otp", "--otp-file", "-"])
    t.read_until(PROMPT)
    t.type("half-typ")
    t.proc.send_signal(signal.SIGINT)
    rc = t.finish()
    if rc != -signal.SIGINT:
        fail(f"Ctrl+C at the prompt: exit {rc}, expected the signal: {t.seen!r}")
    if not t.echo_on():
        fail("the terminal's echo is still off after Ctrl+C at the prompt")
    t.close()
    print("ok: Ctrl+C at the prompt ends the program and gives the terminal its echo back")


def refused(amtact, machine, entries, reason, what):
    """set-otp given `entries` at its prompts: exit 8 with `reason`, no OTP set."""
    t = Term([amtact, "--device", f"sim:{machine}", "set-otp", "--otp-file", "-"])
    for prompt, entry in zip((PROMPT, AGAIN), entries):
        t.read_until(prompt)
        t.type(entry + "\r")
    rc = t.finish()
    if rc != 8 or reason not in t.seen:
        fail(f"{what}: exit {rc}, expected 8 and {reason!r}: {t.seen!r}")
    with open(machine) as f:
        if json.load(f).get("otp", {}).get("sha256"):
            fail(f"{what}: an OTP was set")
    t.close()
    print(f"ok: {what}: refused (exit 8), nothing set")


def mismatch(amtact, machine):
    refused(amtact, machine, (SECRET, SECRET + "x"), b"the two entries differ",
            "two different entries")


def empty(amtact, machine):
    refused(amtact, machine, ("",), b"it is empty", "an empty line")


def usbkey_password(amtact, work):
    key = os.path.join(work, "k.bin")
    t = Term([amtact, "usbkey", "write", "--amt", "3.0", "--mebx-password", "-",
              "--suffix", "corp.example", "--out", key])
    t.read_until(b"new MEBx password (not shown): ")
    t.type(PASSWORD + "\r")
    t.read_until(AGAIN)
    t.type(PASSWORD + "\r")
    rc = t.finish()
    if rc != 0 or PASSWORD.encode() in t.seen:
        fail(f"usbkey write --mebx-password - on a terminal: exit {rc}: {t.seen!r}")
    t.close()
    shown = subprocess.run([amtact, "usbkey", "show", "--show-secrets", key],
                           capture_output=True, check=False)
    if PASSWORD.encode() not in shown.stdout:
        fail(f"the key does not hold the typed password: {shown.stdout!r}")
    print("ok: usbkey write --mebx-password - on a terminal: asked twice, not echoed, written")


def main():
    if len(sys.argv) != 4:
        fail(__doc__)
    amtact, machine, work = sys.argv[1:]
    fresh = os.path.join(work, "fresh.json")
    with open(machine) as src, open(fresh, "w") as dst:
        dst.write(src.read())
    for step in (set_otp, interrupted, mismatch, empty):
        copy = os.path.join(work, f"{step.__name__}.json")
        with open(fresh) as src, open(copy, "w") as dst:
            dst.write(src.read())
        step(amtact, copy)
    usbkey_password(amtact, work)


if __name__ == "__main__":
    main()
