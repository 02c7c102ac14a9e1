#!/bin/sh
# SPDX-License-Identifier: MIT
# Secrets typed on a terminal (set-otp --otp-file -, usbkey write --mebx-password -): run on
# a pseudo-terminal by console_secret.py, which says what it checks.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 missing"
python3 "$TOPDIR/tests/integration/console_secret.py" "$AMTACT" \
	"$TOPDIR/profiles/machines/amt16-factory.json" "$WORK" || fail "see above"
