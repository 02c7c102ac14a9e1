#!/bin/sh
# SPDX-License-Identifier: MIT
# `amtact diagnose` through the real binary on --device sim:FILE: a test CA chain made with the
# openssl tool, the emulator's cert_hashes holding its root (active, inactive, absent), a DHCP
# lease named by AMTACT_DHCP_LEASES, and ProvisionServer lookups made deterministic by running
# amtact in a private mount namespace (unshare -m) with our own /etc/hosts and /etc/resolv.conf
# bind-mounted there; the host's /etc is never touched. Without unshare the lookup results and
# the exit codes that depend on them are not checked (said so below).
. "$(dirname "$0")/lib.sh"
[ -x "$AMTACT" ] || fail "$AMTACT is not built"
command -v openssl >/dev/null 2>&1 || skip "the openssl tool is needed to make the test chain"

SUFFIX=diag.example.com
PY3=/usr/bin/python3
[ -x "$PY3" ] || skip "python3 is not installed ($PY3)"
PS_ADDR=10.9.8.7

# --- a private mount namespace for name resolution ---------------------------------------
printf '127.0.0.1 localhost\n%s ProvisionServer.%s\n' "$PS_ADDR" "$SUFFIX" >"$WORK/hosts"
# Nothing listens on 127.0.0.1:53 here: a DNS query fails at once instead of leaving the box.
printf 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n' >"$WORK/resolv.conf"
NS=0
if command -v unshare >/dev/null 2>&1 &&
	unshare -m sh -c "mount --bind '$WORK/hosts' /etc/hosts && grep -q '$PS_ADDR' /etc/hosts" \
		2>/dev/null; then
	NS=1
else
	note "unshare -m with bind mounts is not available: ProvisionServer lookups are not checked"
fi

# diag STATE [ARGS...]: amtact --device sim:STATE diagnose --json ARGS; $WORK/out, err, rc.
# An empty system root: the host's network interfaces do not sway the verdicts here
# (usbkey_device.sh tests the network-path check).
mkdir -p "$WORK/sysroot"
diag() {
	st=$1
	shift
	if [ $NS = 1 ]; then
		unshare -m sh -c 'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf &&
			shift 2 && exec "$@"' sh "$WORK/hosts" "$WORK/resolv.conf" \
			env AMTACT_DHCP_LEASES="$LEASES" AMTACT_SYSROOT="$WORK/sysroot" \
			"$AMTACT" --device "sim:$st" diagnose --json "$@" \
			>"$WORK/out" 2>"$WORK/err"
	else
		AMTACT_DHCP_LEASES="$LEASES" AMTACT_SYSROOT="$WORK/sysroot" \
			"$AMTACT" --device "sim:$st" diagnose --json "$@" \
			>"$WORK/out" 2>"$WORK/err"
	fi
	rc=$?
}

# result ID: the result of the first check with that id in $WORK/out ("" if none).
result() {
	awk -v id="$1" '
		$0 ~ "\"id\":[[:space:]]*\"" id "\"" { f = 1; next }
		f && /"result":/ { sub(/.*"result":[[:space:]]*"/, ""); sub(/".*/, ""); print; exit }
	' "$WORK/out"
}

show() { sed 's/^/    | /' "$WORK/out" "$WORK/err"; }

# expect ID RESULT: the check is there with that result.
expect() {
	got=$(result "$1")
	[ "$got" = "$2" ] || { show; fail "$what: check $1 is '$got', expected '$2'"; }
}

# expect_rc CODE [ns]: the exit code (with "ns": only when lookups are deterministic).
expect_rc() {
	[ "${2:-}" = ns ] && [ $NS = 0 ] && return 0
	[ "$rc" = "$1" ] || { show; fail "$what: exit $rc, expected $1"; }
}

# --- a provisioning chain: root -> issuing CA -> leaf with the AMT OID ---------------------
mkcert() { # NAME SUBJECT ISSUER|self DAYS EXT-SECTION [DIGEST]
	mk_n=$1 mk_days=$4 mk_ext=$5 mk_md=${6:-sha256}
	openssl req -new -newkey rsa:2048 -nodes -keyout "$WORK/$mk_n.key" -subj "$2" \
		-out "$WORK/$mk_n.csr" >/dev/null 2>&1 || fail "openssl req for $mk_n"
	if [ "$3" = self ]; then
		set -- -signkey "$WORK/$mk_n.key"
	else
		set -- -CA "$WORK/$3.pem" -CAkey "$WORK/$3.key" -set_serial "$(date +%s%N | cut -c1-15)"
	fi
	openssl x509 -req -in "$WORK/$mk_n.csr" -days "$mk_days" -extfile "$WORK/ext" \
		-extensions "$mk_ext" "-$mk_md" "$@" -out "$WORK/$mk_n.pem" >"$WORK/openssl.err" 2>&1 ||
		{ cat "$WORK/openssl.err"; fail "openssl x509 for $mk_n"; }
}
cat >"$WORK/ext" <<EXT
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
[leaf]
basicConstraints = CA:FALSE
extendedKeyUsage = serverAuth,2.16.840.1.113741.1.2.3
subjectAltName = DNS:prov.$SUFFIX
[plain]
extendedKeyUsage = serverAuth
EXT
mkcert root "/CN=amtact diagnose test root" self 3650 ca
mkcert inter "/CN=amtact diagnose test issuing CA" root 1825 ca
mkcert leaf "/CN=prov.$SUFFIX" inter 365 leaf
cat "$WORK/leaf.pem" "$WORK/root.pem" "$WORK/inter.pem" >"$WORK/chain.pem"
ROOT_SHA256=$(openssl x509 -in "$WORK/root.pem" -outform DER | sha256sum | cut -d' ' -f1)
[ ${#ROOT_SHA256} = 64 ] || fail "could not hash the test root"

# A DHCP lease naming another domain than the PKI suffix.
LEASES="$WORK/leases/*.leases" # a glob amtact expands itself, kept literal here
mkdir -p "$WORK/leases"
printf 'lease {\n  interface "eth0";\n  option domain-name "dhcp.example.net";\n}\n' \
	>"$WORK/leases/dhclient.eth0.leases"

# state NAME MACHINE SUFFIX HASHES-JSON: a state file from an example machine.
state() {
	cp "$MACHINES/$2.json" "$WORK/$1.json" || fail "no example machine $2"
	sed -i "1s|^{|{\"pki_dns_suffix\": \"$3\", \"cert_hashes\": $4,|" "$WORK/$1.json"
}
entry() { # ACTIVE HASH
	printf '[{"handle": 0, "name": "amtact test root", "algorithm": 2, "hash": "%s", "default": false, "active": %s}]' "$2" "$1"
}
OTHER=$(printf 'other' | sha256sum | cut -d' ' -f1)
state active amt16-factory "$SUFFIX" "$(entry true "$ROOT_SHA256")"
state inactive amt16-factory "$SUFFIX" "$(entry false "$ROOT_SHA256")"
state missing amt16-factory "$SUFFIX" "$(entry true "$OTHER")"
state nosuffix amt16-factory "" "$(entry true "$ROOT_SHA256")"

what="active root hash, PKI suffix, resolvable"
diag "$WORK/active.json" --cert-chain "$WORK/chain.pem" --server-fqdn "ProvisionServer.$SUFFIX"
expect_rc 0 ns
expect dns_suffix ok
grep -q '"used_from":[[:space:]]*"pki_dns_suffix"' "$WORK/out" || { show; fail "$what: used_from"; }
grep -q '"dhcp_option_15":[[:space:]]*"dhcp.example.net"' "$WORK/out" || { show; fail "$what: lease"; }
expect dhcp_suffix_mismatch warn
expect root_hash ok
expect cert_chain ok
expect cert_domain ok
expect cert_amt_oid_or_ou ok
expect cert_server_auth ok
expect cert_signature ok
expect cert_key_size ok
expect server_fqdn ok
grep -q '"exit_code":[[:space:]]*'"$rc" "$WORK/out" || { show; fail "$what: exit_code in JSON"; }
if [ $NS = 1 ]; then
	expect provision_server ok
	grep -q "\"$PS_ADDR\"" "$WORK/out" || { show; fail "$what: address not shown"; }
fi
ok "$what"

what="root hash present but inactive"
diag "$WORK/inactive.json" --cert-chain "$WORK/chain.pem"
expect_rc 9
expect root_hash_inactive fail
ok "$what"

what="root hash not in the firmware"
diag "$WORK/missing.json" --cert-chain "$WORK/chain.pem"
expect_rc 9
expect root_hash_missing fail
grep -q "$ROOT_SHA256" "$WORK/out" || { show; fail "$what: the root's SHA-256 is not named"; }
ok "$what"

what="no PKI suffix: DHCP option 15 counts"
diag "$WORK/nosuffix.json" --cert-chain "$WORK/chain.pem" --server-fqdn "ProvisionServer.$SUFFIX"
expect_rc 9
grep -q '"used_from":[[:space:]]*"dhcp_option_15"' "$WORK/out" || { show; fail "$what: used_from"; }
expect cert_domain_mismatch fail
expect server_fqdn_outside_suffix fail
[ $NS = 1 ] && expect provision_server_unresolvable fail
ok "$what"

what="text output"
if [ $NS = 1 ]; then
	unshare -m sh -c 'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf &&
		shift 2 && exec "$@"' sh "$WORK/hosts" "$WORK/resolv.conf" \
		env AMTACT_DHCP_LEASES="$LEASES" "$AMTACT" --device "sim:$WORK/inactive.json" diagnose \
		--cert-chain "$WORK/chain.pem" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	expect_rc 9
	grep -q "^FAIL  root_hash_inactive: root hash present but INACTIVE" "$WORK/out" ||
		{ show; fail "$what: no FAIL line"; }
	grep -q "^ok    provision_server: ProvisionServer.$SUFFIX resolves to $PS_ADDR" "$WORK/out" ||
		{ show; fail "$what: no lookup line"; }
	grep -q "firmware uses.*$SUFFIX (PKI DNS suffix)" "$WORK/out" || { show; fail "$what: suffix"; }
	ok "$what"
fi

what="SHA-1 chain: refused on AMT 16, advised on AMT 11"
mkcert root1 "/CN=amtact sha1 root" self 3650 ca sha1
mkcert leaf1 "/CN=prov.$SUFFIX" root1 365 leaf sha1
cat "$WORK/leaf1.pem" "$WORK/root1.pem" >"$WORK/chain1.pem"
R1=$(openssl x509 -in "$WORK/root1.pem" -outform DER | sha256sum | cut -d' ' -f1)
state sha16 amt16-factory "$SUFFIX" "$(entry true "$R1")"
state sha11 amt11-ccm "$SUFFIX" "$(entry true "$R1")"
diag "$WORK/sha16.json" --cert-chain "$WORK/chain1.pem"
expect_rc 9
expect cert_sha1_on_me16 fail
diag "$WORK/sha11.json" --cert-chain "$WORK/chain1.pem"
expect cert_sha1_on_me16 warn
expect already_provisioned warn
expect root_hash ok
expect_rc 0 ns
ok "$what"

what="no AMT OID or OU"
mkcert leaf2 "/CN=prov.$SUFFIX" inter 365 plain
cat "$WORK/leaf2.pem" "$WORK/inter.pem" "$WORK/root.pem" >"$WORK/chain2.pem"
diag "$WORK/active.json" --cert-chain "$WORK/chain2.pem"
expect_rc 9
expect cert_no_amt_oid_or_ou fail
ok "$what"

what="unreadable and unparsable chain files"
diag "$WORK/active.json" --cert-chain "$WORK/nonexistent.pem"
expect_rc 8
grep -q "nonexistent.pem" "$WORK/err" || { show; fail "$what: file not named"; }
{ cat "$WORK/root.pem"; printf -- '-----BEGIN CERTIFICATE-----\nbm9wZQ==\n-----END CERTIFICATE-----\n'; } \
	>"$WORK/bad.pem"
diag "$WORK/active.json" --cert-chain "$WORK/bad.pem"
expect_rc 8
grep -q "bad.pem: certificate 2" "$WORK/err" || { show; fail "$what: certificate not named"; }
ok "$what"

what="prerequisites: zero touch off, wireless only, and the names side by side"
"$PY3" - "$WORK/active.json" "$WORK/ztoff.json" <<'PYEOF' || fail "$what: writing the machine"
import json, sys
d = json.load(open(sys.argv[1]))
d["zero_touch_enabled"] = False
d.setdefault("lan_wired", {})["link_up"] = False
d.setdefault("lan_wireless", {})["link_up"] = True
json.dump(d, open(sys.argv[2], "w"))
PYEOF
diag "$WORK/ztoff.json"
expect_rc 9
expect zero_touch_disabled fail
expect wireless_only fail
grep -q '"os_hostname":' "$WORK/out" && grep -q '"os_fqdn":' "$WORK/out" ||
	{ show; fail "$what: the OS names are not shown"; }
grep -q "\"used\":[[:space:]]*\"$SUFFIX\"" "$WORK/out" || { show; fail "$what: the suffix used"; }
ok "$what"

what="device errors"
diag "$WORK/nonexistent.json"
expect_rc 8
cp "$MACHINES/noamt.json" "$WORK/noamt.json"
diag "$WORK/noamt.json"
expect_rc 7
ok "$what"
exit 0
