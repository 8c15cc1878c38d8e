"""Signed QR badges: ``PK1.<employee>.<serial>.<signature>``.

The signature is Ed25519 over ``PK1.<employee>.<serial>`` (ASCII), base64url without
padding. IT's kiosk maintenance badges are the same with the prefix ``PKA1``. Kiosks hold
only the public key, so they verify badges offline and cannot make them.

The ledger makes and checks badges with ``cryptography``'s keys. The kiosk checks them with a
``VerifyingKey`` (``verifying_key_from_text``): OpenSSL's Ed25519 through the libcrypto that
``ssl`` loads (``sync/ed25519_openssl.py``), without cryptography's 14 MB extension (~8.5 MB
of the idle kiosk); where that libcrypto cannot be used, a cryptography key as before.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from sync.ed25519_openssl import OpenSslEd25519, load_verifier

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

PREFIX = "PK1"
# Maintenance badges for IT: the prefix is signed too, so a worker's badge cannot become one.
ADMIN_PREFIX = "PKA1"
_PART = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_SIGNATURE_CHARS = 86  # 64 bytes in base64url without padding


class BadgeProblem(StrEnum):
    MALFORMED = "malformed"
    BAD_SIGNATURE = "bad_signature"


class BadgeError(ValueError):
    """A badge text that is not a valid signed badge; ``problem`` says why."""

    def __init__(self, problem: BadgeProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class BadgeClaim:
    """What a verified badge says: who and which card."""

    employee_id: str
    serial: str
    admin: bool = False


def b64url(data: bytes) -> str:
    """Base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    """Inverse of :func:`b64url`; raises ``ValueError`` on anything else."""
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as exc:
        raise ValueError("not base64url") from exc


def _message(prefix: str, employee_id: str, serial: str) -> bytes:
    return f"{prefix}.{employee_id}.{serial}".encode("ascii")


def encode(employee_id: str, serial: str, key: Ed25519PrivateKey, *, admin: bool = False) -> str:
    """The payload to print on a badge (``admin``: a kiosk maintenance badge)."""
    if not _PART.fullmatch(employee_id) or not _PART.fullmatch(serial):
        raise ValueError("employee id and serial must be 1-32 of [A-Za-z0-9_-]")
    prefix = ADMIN_PREFIX if admin else PREFIX
    signature = key.sign(_message(prefix, employee_id, serial))
    return f"{prefix}.{employee_id}.{serial}.{b64url(signature)}"


def looks_like_badge(text: str) -> bool:
    """True when the text is meant as a signed badge (so not an RFID UID)."""
    return text.strip().startswith((PREFIX + ".", ADMIN_PREFIX + "."))


@dataclass(frozen=True, slots=True)
class VerifyingKey:
    """An Ed25519 public key (raw 32 bytes) checked through OpenSSL's libcrypto."""

    raw: bytes
    openssl: OpenSslEd25519

    def verifies(self, signature: bytes, message: bytes) -> bool:
        return self.openssl.verifies(self.raw, signature, message)


def _signature_valid(
    public_key: Ed25519PublicKey | VerifyingKey, signature: bytes, message: bytes
) -> bool:
    if isinstance(public_key, VerifyingKey):
        return public_key.verifies(signature, message)
    from cryptography.exceptions import InvalidSignature  # loaded with the key already

    try:
        public_key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def verify(text: str, public_key: Ed25519PublicKey | VerifyingKey) -> BadgeClaim:
    """Check a scanned badge text; raise :class:`BadgeError` unless it is exactly valid."""
    parts = text.strip().split(".")
    if len(parts) != 4 or parts[0] not in (PREFIX, ADMIN_PREFIX):
        raise BadgeError(BadgeProblem.MALFORMED)
    prefix, employee_id, serial, sig_text = parts
    valid_parts = _PART.fullmatch(employee_id) and _PART.fullmatch(serial)
    if not valid_parts or len(sig_text) != _SIGNATURE_CHARS:
        raise BadgeError(BadgeProblem.MALFORMED)
    try:
        signature = unb64url(sig_text)
    except ValueError as exc:
        raise BadgeError(BadgeProblem.MALFORMED) from exc
    # Re-encoding must give the same text, so no two spellings of one signature are accepted.
    if b64url(signature) != sig_text:
        raise BadgeError(BadgeProblem.MALFORMED)
    if not _signature_valid(public_key, signature, _message(prefix, employee_id, serial)):
        raise BadgeError(BadgeProblem.BAD_SIGNATURE)
    return BadgeClaim(employee_id=employee_id, serial=serial, admin=prefix == ADMIN_PREFIX)


def _raw_public_key(text: str) -> bytes:
    raw = unb64url(text)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return raw


def public_key_from_text(text: str) -> Ed25519PublicKey:
    """Load the raw base64url public key served at enrolment, as a ``cryptography`` key."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    return Ed25519PublicKey.from_public_bytes(_raw_public_key(text))


def verifying_key_from_text(text: str) -> Ed25519PublicKey | VerifyingKey:
    """The key a kiosk checks badges with: through OpenSSL's libcrypto when it can be used."""
    openssl = load_verifier()
    if openssl is None:
        return public_key_from_text(text)
    return VerifyingKey(_raw_public_key(text), openssl)
