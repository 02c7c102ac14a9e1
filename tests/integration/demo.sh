#!/bin/sh
# SPDX-License-Identifier: MIT
# The README's first command, `make demo`, works: the agent acts on the emulated laptop,
# the reference server stores the report, and the OTP it opened is the one the firmware got.
set -u
# A private TMPDIR: other test runs (or demos) on the machine make their own directories in
# /tmp, so only an empty private one shows that the demo cleaned up after itself.
priv=$(mktemp -d "${TMPDIR:-/tmp}/amtact-demo-test.XXXXXX") || exit 1
out=$(TMPDIR=$priv BUILD=$BUILD sh "$TOPDIR/tests/demo.sh" 2>&1)
rc=$?
echo "$out"
left=$(ls -A "$priv")
rm -rf "$priv"
fail() { echo "FAIL: $*"; exit 1; }
[ "$rc" -eq 0 ] || fail "demo exited $rc"
echo "$out" | grep -q "set-otp            done" || fail "the OTP was not set"
echo "$out" | grep -q "start-config       done" || fail "the hellos were not restarted"
echo "$out" | grep -q "^Report: delivered" || fail "the report was not delivered"
echo "$out" | grep -q "OTP in clear on the wire: False" || fail "the OTP was sent in clear"
echo "$out" | grep -q "OTP opened by the server matches the firmware: True" ||
	fail "the server's OTP does not match the firmware's"
[ -z "$left" ] || fail "the demo left files behind: $left"
echo "ok: demo"
