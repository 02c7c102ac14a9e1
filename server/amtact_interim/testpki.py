# SPDX-License-Identifier: MIT
"""`amtact-interim mkcerts DIR`: a throw-away test PKI for trials, demos and tests.

ca.crt/ca.key, server.crt/.key (localhost, 127.0.0.1), server-alt.crt/.key (same names,
other key: pin mismatch), expired.crt, wrong-host.crt, rogue-ca.crt and wrong-ca.crt
(signed by a CA nobody trusts), client.crt/.key (mutual TLS), report.crt/.key (sealed
OTPs), pin.txt / pin-hex.txt (SPKI sha256 of server.key), token.txt and admin-token.txt
(bearer tokens). Not for production: real deployments use the organisation's CA."""
import base64
import hashlib
import os
import subprocess


def run(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def mk_key(path, rsa=False):
    if rsa:
        run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
             "-out", path])
    else:
        run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-out", path])
    os.chmod(path, 0o600)


def mk_ca(d, name):
    mk_key(f"{d}/{name}.key")
    run(["openssl", "req", "-x509", "-new", "-key", f"{d}/{name}.key", "-days", "3650",
         "-subj", f"/CN=amtact test {name}", "-out", f"{d}/{name}.crt",
         "-addext", "basicConstraints=critical,CA:true",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"])


def mk_leaf(d, name, key, ca, sans, usage, dates=None):
    """Sign a certificate for `key` by CA `ca`; dates=(start, end) uses `openssl ca`."""
    ext = f"{d}/{name}.ext"
    with open(ext, "w") as f:
        f.write("[v3]\nbasicConstraints=CA:false\n")
        f.write(f"extendedKeyUsage={usage}\n")
        if sans:
            f.write(f"subjectAltName={sans}\n")
    run(["openssl", "req", "-new", "-key", f"{d}/{key}.key", "-subj", f"/CN={name}",
         "-out", f"{d}/{name}.csr"])
    if not dates:
        run(["openssl", "x509", "-req", "-in", f"{d}/{name}.csr", "-CA", f"{d}/{ca}.crt",
             "-CAkey", f"{d}/{ca}.key", "-CAcreateserial", "-days", "825",
             "-extfile", ext, "-extensions", "v3", "-out", f"{d}/{name}.crt"])
        return
    db = f"{d}/ca-db"
    os.makedirs(db, exist_ok=True)
    open(f"{db}/index.txt", "w").close()
    with open(f"{db}/serial", "w") as f:
        f.write("1000\n")
    with open(f"{db}/ca.cnf", "w") as f:
        f.write(f"[ca]\ndefault_ca=tca\n[tca]\ndatabase={db}/index.txt\n"
                f"new_certs_dir={db}\nserial={db}/serial\ndefault_md=sha256\n"
                "policy=pol\nunique_subject=no\n[pol]\ncommonName=supplied\n")
    run(["openssl", "ca", "-batch", "-config", f"{db}/ca.cnf", "-cert", f"{d}/{ca}.crt",
         "-keyfile", f"{d}/{ca}.key", "-in", f"{d}/{name}.csr", "-out", f"{d}/{name}.crt",
         "-startdate", dates[0], "-enddate", dates[1], "-extfile", ext, "-extensions", "v3"])


def spki_sha256(d, key):
    der = subprocess.run(["openssl", "pkey", "-in", f"{d}/{key}.key", "-pubout",
                          "-outform", "DER"], check=True, capture_output=True).stdout
    h = hashlib.sha256(der).digest()
    return base64.b64encode(h).decode(), h.hex()


def mkcerts(directory):
    d = os.path.abspath(directory)
    os.makedirs(d, mode=0o700, exist_ok=True)
    mk_ca(d, "ca")
    mk_ca(d, "rogue-ca")
    for k in ("server", "server-alt", "client"):
        mk_key(f"{d}/{k}.key")
    mk_key(f"{d}/report.key", rsa=True)
    sans = "DNS:localhost,IP:127.0.0.1"
    mk_leaf(d, "server", "server", "ca", sans, "serverAuth")
    mk_leaf(d, "server-alt", "server-alt", "ca", sans, "serverAuth")
    mk_leaf(d, "wrong-host", "server", "ca", "DNS:wrong.example", "serverAuth")
    mk_leaf(d, "wrong-ca", "server", "rogue-ca", sans, "serverAuth")
    mk_leaf(d, "client", "client", "ca", None, "clientAuth")
    mk_leaf(d, "report", "report", "ca", None, "emailProtection")
    mk_leaf(d, "expired", "server", "ca", sans, "serverAuth",
            dates=("20200101000000Z", "20200201000000Z"))
    b64, hx = spki_sha256(d, "server")
    for name, text in (("pin.txt", b64), ("pin-hex.txt", hx),
                       ("token.txt", os.urandom(24).hex()),
                       ("admin-token.txt", os.urandom(24).hex())):
        with open(f"{d}/{name}", "w") as f:
            f.write(text + "\n")
        os.chmod(f"{d}/{name}", 0o600)
    return d
