# SPDX-License-Identifier: MIT
"""Server-assigned OTPs sealed at rest: AES-256-GCM under a key file, bound to the UUID.

The database holds only "v1:" + base64(nonce || ciphertext+tag); the UUID is the
associated data, so a sealed OTP copied to another device's row does not open."""
import base64
import os
import re

from .tlsconf import read_secret_file

OTP_RE = re.compile(r"^[\x21-\x7e]{8,32}$")


def load_aesgcm():
    try:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    except ImportError:
        raise ValueError("server-assigned OTPs need python3-cryptography "
                         "(apt-get install python3-cryptography)") from None
    return AESGCM


def make_key(path):
    """Write a new random key file (0600, refusing to overwrite)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(os.urandom(32).hex() + "\n")


class Vault:
    def __init__(self, key_file):
        lines, self.warning = read_secret_file(key_file, "OTP key file")
        try:
            key = bytes.fromhex(lines[0])
        except ValueError:
            key = b""
        if len(key) != 32:
            raise ValueError(f"OTP key file {key_file}: expected 64 hex digits "
                             "(amtact-interim otp-key FILE makes one)")
        self.aead = load_aesgcm()(key)

    def seal(self, uuid, otp):
        if not OTP_RE.match(otp):
            raise ValueError("an OTP is 8 to 32 printable ASCII characters, no spaces")
        nonce = os.urandom(12)
        ct = self.aead.encrypt(nonce, otp.encode(), uuid.encode())
        return "v1:" + base64.b64encode(nonce + ct).decode()

    def open(self, uuid, sealed):
        if not sealed.startswith("v1:"):
            raise ValueError("unknown sealed OTP format")
        raw = base64.b64decode(sealed[3:])
        return self.aead.decrypt(raw[:12], raw[12:], uuid.encode()).decode()
