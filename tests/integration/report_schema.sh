#!/bin/sh
# SPDX-License-Identifier: MIT
# The reports `amtact run` writes follow man/amtact-report.schema.json, on every example
# machine and on a box with no ME device (a small validator for the JSON Schema keywords the
# schema uses).
set -u
W=$(mktemp -d "${TMPDIR:-/tmp}/amtact-schema.XXXXXX")
trap 'rm -rf "$W"' EXIT
chmod 0755 "$W"
mkdir -p "$W/p" && chmod 0755 "$W/p"
fail() { echo "FAIL: $*"; exit 1; }

for m in "$TOPDIR"/profiles/machines/*.json; do
	n=$(basename "$m" .json)
	cp "$m" "$W/$n.json"
	method=remote_configuration
	extra='"otp": {"policy": "random"}, "pki_dns_suffix": "corp.example.com",'
	case $n in *psk*) method=psk; extra='' ;; esac
	cat >"$W/p/$n.json" <<JSON
{"schema": 1, "method": "$method", $extra "hello": "always", "enable_amt": true,
 "ignore_intermediate_errors": true, "report_file": "$W/$n.report",
 "state_dir": "$W/state-$n", "spool_dir": "$W/spool-$n"}
JSON
	chmod 0644 "$W/p/$n.json"
	"$AMTACT" --device "sim:$W/$n.json" run --profile "$W/p/$n.json" >"$W/$n.out" 2>&1
	[ -s "$W/$n.report" ] || { cat "$W/$n.out"; fail "$n: no report written"; }
done
# A box with no ME device at all: its report says why (me_device).
cat >"$W/p/nodevice.json" <<JSON
{"schema": 1, "method": "report_only", "report_file": "$W/nodevice.report",
 "state_dir": "$W/state-nodevice", "spool_dir": "$W/spool-nodevice"}
JSON
chmod 0644 "$W/p/nodevice.json"
"$AMTACT" --device "$W/no-such-mei" run --profile "$W/p/nodevice.json" >"$W/nodevice.out" 2>&1
grep -q '"me_device":{"absence":' "$W/nodevice.report" ||
	{ cat "$W/nodevice.out"; fail "nodevice: no me_device object in the report"; }

python3 - "$TOPDIR/man/amtact-report.schema.json" "$W"/*.report <<'PY' || fail "schema"
import json, re, sys

TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}

def is_type(v, t):
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    return isinstance(v, TYPES[t]) and not (t != "boolean" and isinstance(v, bool))

def check(v, s, path, errs):
    if "const" in s and v != s["const"]:
        errs.append(f"{path}: {v!r} is not {s['const']!r}")
    if "enum" in s and v not in s["enum"]:
        errs.append(f"{path}: {v!r} not one of {s['enum']}")
    if "type" in s:
        ts = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(is_type(v, t) for t in ts):
            errs.append(f"{path}: {type(v).__name__} is not {ts}")
            return
    if "pattern" in s and isinstance(v, str) and not re.search(s["pattern"], v):
        errs.append(f"{path}: {v!r} does not match {s['pattern']}")
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                errs.append(f"{path}: missing {k}")
        for k, sub in s.get("properties", {}).items():
            if k in v:
                check(v[k], sub, f"{path}.{k}", errs)
        if "not" in s and all(k in v for k in s["not"].get("required", [])):
            errs.append(f"{path}: has all of {s['not']['required']}")
    if isinstance(v, list) and "items" in s:
        for i, item in enumerate(v):
            check(item, s["items"], f"{path}[{i}]", errs)

schema = json.load(open(sys.argv[1]))
bad = 0
for f in sys.argv[2:]:
    errs = []
    check(json.load(open(f)), schema, "$", errs)
    for e in errs:
        print(f"{f}: {e}")
    bad += bool(errs)
    print(("FAIL " if errs else "ok   ") + f)
sys.exit(1 if bad else 0)
PY
# The checker itself must be able to fail: a report without its id is refused.
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); del d["report_id"]; json.dump(d, open(sys.argv[2], "w"))' \
	"$W/amt16-factory.report" "$W/broken.json"
echo "ok: every report follows the schema"
