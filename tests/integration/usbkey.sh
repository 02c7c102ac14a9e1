#!/bin/sh
# SPDX-License-Identifier: MIT
# amtact usbkey end to end, no FUSE: a technician writes a PSK key (AMT 2.x) and a PKI key
# (AMT 3.x) from secret files, reads them back as text and JSON (secrets redacted unless
# asked), and an emulated box powered on with the key (--device sim:BOX,usbkey=KEY)
# consumes one record: the PID or the suffix and hash are in the firmware, the key says
# one record fewer is left, a second power-on is refused. Bad input: exit codes and words.
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 missing"
cd "$WORK" || fail "cd $WORK"
umask 077
is() { [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"; ok "$3"; }
jq_() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

printf 'N3w!Passw0rd\n' >pw
cat >pairs.txt <<'EOF'
# PID      PPS
AB12-CD34  ABCD-1234-EFGH-5678-IJKL-9012-MNOP-3456
XY98-ZW76  QRST-1234-EFGH-5678-IJKL-9012-MNOP-9999
EOF

# 1. A PSK key for AMT 2.6: version 1, one consumable record per pair.
"$AMTACT" usbkey write --amt 2.6 --psk pairs.txt --mebx-password pw --out psk.bin \
	>out.txt 2>err.txt || fail "write PSK key: $(cat err.txt)"
grep -q "record 2: PSK, PID XY98-ZW76" out.txt || fail "write did not list PID 2: $(cat out.txt)"
grep -q "QRST" out.txt err.txt && fail "a PPS was printed"
is "$(stat -c %s psk.bin)" 1536 "PSK key: header and 2 records of 512 bytes"
"$AMTACT" usbkey show psk.bin >show.txt || fail "show PSK key"
grep -q "version 1.0, 2 records, 0 used, 2 left" show.txt || fail "show: $(head -1 show.txt)"
grep -q "QRST\|N3w!" show.txt && fail "show printed a secret without --show-secrets"
ok "show redacts the PPS and the MEBx password"
"$AMTACT" usbkey show --show-secrets psk.bin | grep -q "QRST1234EFGH5678IJKL9012MNOP9999" ||
	fail "--show-secrets did not show the PPS"
ok "--show-secrets shows them"
"$AMTACT" usbkey show --json psk.bin >show.json || fail "show --json"
is "$(jq_ show.json 'd["left"], d["records"][1]["entries"][2]["value"], d["records"][1]["entries"][3].get("redacted")')" \
	"2 XY98ZW76 True" "show --json: records left, the PID, the PPS redacted"

# 2. Power on an AMT 2.6 PSK box with the key: record 1 applies, the key has 1 left.
cp "$MACHINES/amt2.6-psk.json" box.json
"$AMTACT" --device "sim:box.json,usbkey=psk.bin" --json info >info.json ||
	fail "info with the key inserted"
is "$(jq_ info.json 'd["remote_configuration"]["pid"]')" "AB12CD34" "the box took the first PID"
is "$(jq_ box.json 'd["mebx_password_changed"], d["tls_mode"], d["hello"]["until"] - d["hello"]["started_at"]')" \
	"True 1 21600" "MEBx password changed, PSK, hellos for 6 h"
"$AMTACT" usbkey show psk.bin | grep -q "2 records, 1 used, 1 left" || fail "the key was not marked"
ok "the key now has 1 record left"
"$AMTACT" --device "sim:box.json,usbkey=psk.bin" status >/dev/null
"$AMTACT" usbkey show psk.bin | grep -q "1 used, 1 left" || fail "a provisioned password took a second record"
ok "a second power-on (password no longer admin) takes nothing"

# 3. A PKI key for AMT 3.0: version 2.0, not consumed, suffix, server and a SHA-1 hash.
hash=0102030405060708090a0b0c0d0e0f1011121314
"$AMTACT" --json usbkey write --amt 3.0 --mebx-password pw --suffix corp.example \
	--server scs.corp.example --hash "sha1:$hash:Corp Root" --no-consume --scramble \
	--out pki.bin >w.json || fail "write PKI key"
is "$(jq_ w.json 'd["file_type"], d["minor"], d["consume"], d["records"][0]["kind"]')" \
	"2 0 False pki" "write --json: version 2.0, not consumed, one PKI record"
grep -q corp.example pki.bin && fail "scrambled key holds the suffix in clear"
"$AMTACT" usbkey show pki.bin | grep -q "2/8   User-defined certificate hash: sha1 $hash \"Corp Root\"" ||
	fail "show did not decode the hash"
ok "scrambled PKI key reads back"
for n in 1 2; do
	cp "$MACHINES/amt3.0-factory.json" "b$n.json"
	"$AMTACT" --device "sim:b$n.json,usbkey=pki.bin" --json info >"i$n.json" || fail "info $n"
	is "$(jq_ "i$n.json" 'd["remote_configuration"]["pki_dns_suffix"], [h["name"] for h in d["cert_hashes"] if not h["default"]]')" \
		"corp.example ['Corp Root']" "box $n: suffix and the user hash from the key"
done
"$AMTACT" usbkey show pki.bin | grep -q "not consumed" || fail "a not-consumed key was marked"
ok "a not-consumed key serves every box"

# 4. Refusals: exit codes and what is said.
printf 'weakpass\n' >weak
"$AMTACT" usbkey write --amt 2 --psk pairs.txt --mebx-password weak --out x.bin 2>err.txt
is "$?" 8 "a weak MEBx password: bad input"
grep -q "needs an upper-case letter" err.txt || fail "weak password: $(cat err.txt)"
"$AMTACT" usbkey write --amt 2 --mebx-password pw --suffix corp.example --out x.bin 2>err.txt
is "$?" 8 "a PKI record for AMT 2.x: bad input"
"$AMTACT" usbkey write --amt 2 --psk pairs.txt --mebx-password pw --out psk.bin 2>err.txt
is "$?" 2 "an existing file without --force: usage"
printf 'AB12CD34 TOOSHORT\n' >bad.txt
"$AMTACT" usbkey write --amt 2 --psk bad.txt --mebx-password pw --out x.bin 2>err.txt
is "$?" 8 "a bad PPS: bad input"
grep -q "bad.txt: line 1: PPS: 8 characters, expected 32" err.txt || fail "bad PPS: $(cat err.txt)"
grep -q TOOSHORT err.txt && fail "the bad PPS was echoed"
[ -e x.bin ] && fail "a refused write left a file"
head -c 700 psk.bin >cut.bin
"$AMTACT" usbkey show cut.bin 2>err.txt
is "$?" 8 "a cut file: bad input"
grep -q "offset 700: file is 700 bytes" err.txt || fail "cut file: $(cat err.txt)"
ln -s pw pwlink
"$AMTACT" usbkey write --amt 2 --psk pairs.txt --mebx-password pwlink --out y.bin 2>err.txt
is "$?" 8 "a MEBx password file that is a symbolic link: refused"
exit 0
