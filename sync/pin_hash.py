"""Worker PINs: hashed by the ledger, verified offline by kiosks (same code on both sides).

A 4–8 digit PIN has little entropy, so the hash is deliberately slow (scrypt) and salted per
employee; the kiosk's lockout is what really protects it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

_PIN = re.compile(r"^[0-9]{4,8}$")
_SCHEME = "scrypt"
_N, _R, _P = 2**14, 8, 1


def valid_pin(pin: str) -> bool:
    """A PIN is 4 to 8 digits."""
    return bool(_PIN.match(pin))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _derive(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def hash_pin(pin: str) -> str:
    """``scrypt$n$r$p$salt$hash``; raises ValueError for a PIN that is not 4–8 digits."""
    if not valid_pin(pin):
        raise ValueError("a PIN is 4 to 8 digits")
    salt = secrets.token_bytes(16)
    digest = _derive(pin, salt, _N, _R, _P)
    return f"{_SCHEME}${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` matches ``stored``; a malformed stored hash never matches."""
    if not valid_pin(pin):
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != _SCHEME or not (1 < int(n) <= 2**20 and 0 < int(r) <= 32 and 0 < int(p) <= 4):
            return False
        expected = _unb64(digest)
        actual = _derive(pin, _unb64(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)
