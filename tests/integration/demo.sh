#!/bin/sh
# SPDX-License-Identifier: MIT
# The README's first command, `make demo`, works: the agent acts on the emulated laptop,
# the reference server stores the report, and the OTP it opened is the one the firmware got.
set -u
before=$(ls -d "${TMPDIR:-/tmp}"/amtact-demo.* 2>/dev/null)
out=$(BUILD=$BUILD sh "$TOPDIR/tests/demo.sh" 2>&1)
rc=$?
echo "$out"
fail() { echo "FAIL: $*"; exit 1; }
[ "$rc" -eq 0 ] || fail "demo exited $rc"
echo "$out" | grep -q "set-otp            done" || fail "the OTP was not set"
echo "$out" | grep -q "start-config       done" || fail "the hellos were not restarted"
echo "$out" | grep -q "^Report: delivered" || fail "the report was not delivered"
echo "$out" | grep -q "OTP in clear on the wire: False" || fail "the OTP was sent in clear"
echo "$out" | grep -q "OTP opened by the server matches the firmware: True" ||
	fail "the server's OTP does not match the firmware's"
after=$(ls -d "${TMPDIR:-/tmp}"/amtact-demo.* 2>/dev/null)
[ "$before" = "$after" ] || fail "the demo left its directory behind"
echo "ok: demo"
