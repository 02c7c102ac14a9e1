#!/bin/sh
# SPDX-License-Identifier: MIT
# `amtact run` with otp.policy "random" honours the profile's otp.alphabet: the OTP given to
# the firmware and put in the report uses only its characters, and the report stays valid
# JSON when they are the ones JSON escapes. No interim server: the report goes to a file.
. "$(dirname "$0")/lib_run.sh"

# check ALPHABET-JSON ALPHABET: one factory-fresh run with that alphabet.
check() {
	scenario "alpha$2" amt16-factory "{\"otp\": {\"alphabet\": $1, \"length\": 24}}"
	run
	expect_rc 0 "alphabet $1: run"
	is "$(outcome set-otp)" "done" "alphabet $1: set-otp"
	otp=$(jfile "$S/report.json" 'd["otp"]') || sfail "alphabet $1: the report is not JSON"
	is "${#otp}" 24 "alphabet $1: OTP length"
	"$PY" - "$otp" "$1" <<'PYEOF' || sfail "alphabet $1: OTP \"$otp\" has other characters"
import json, sys
otp, alphabet = sys.argv[1], json.loads(sys.argv[2])
sys.exit(0 if otp and all(c in alphabet for c in otp) else 1)
PYEOF
}

check '"XY"' 1
check '"\"\\"' 2
ok "otp.alphabet: the run's OTP uses only the profile's characters, the report stays JSON"
