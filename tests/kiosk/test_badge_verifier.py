"""The kiosk's badge check through OpenSSL's libcrypto agrees with ``cryptography`` on valid,
forged, altered and non-canonical signatures, and the kiosk never loads cryptography."""

from __future__ import annotations

import ctypes
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sync import badge_codec
from sync.ed25519_openssl import OpenSslEd25519, load_verifier

GROUP_ORDER = 2**252 + 27742317777372353535851937790883648493  # L of RFC 8032


@pytest.fixture(scope="module")
def openssl() -> OpenSslEd25519:
    verifier = load_verifier()
    assert verifier is not None, "the libcrypto that ssl loads should be usable here"
    return verifier


def raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def cryptography_says(public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except InvalidSignature:
        return False
    return True


def test_agrees_with_cryptography_on_valid_and_forged_signatures(openssl: OpenSslEd25519) -> None:
    rng = random.Random(7)
    for _ in range(100):
        key = Ed25519PrivateKey.generate()
        public = raw(key.public_key())
        message = rng.randbytes(rng.randrange(0, 80))
        signature = key.sign(message)
        assert openssl.verifies(public, signature, message)
        bit = rng.randrange(len(signature) * 8)
        flipped = bytearray(signature)
        flipped[bit // 8] ^= 1 << (bit % 8)
        other = raw(Ed25519PrivateKey.generate().public_key())
        cases = [
            (public, bytes(flipped), message),
            (public, signature, message + b"x"),
            (other, signature, message),
            (public, signature[:63], message),
            (public[:31], signature, message),
        ]
        for case in cases:
            expected = len(case[0]) == 32 and len(case[1]) == 64 and cryptography_says(*case)
            assert openssl.verifies(*case) is expected is False


def test_a_non_canonical_signature_is_refused_by_both(openssl: OpenSslEd25519) -> None:
    key = Ed25519PrivateKey.generate()
    public, message = raw(key.public_key()), b"PK1.E1001.S1"
    signature = key.sign(message)
    s = int.from_bytes(signature[32:], "little") + GROUP_ORDER  # the same S modulo L
    malleated = signature[:32] + s.to_bytes(32, "little")
    assert not cryptography_says(public, malleated, message)
    assert not openssl.verifies(public, malleated, message)


def test_a_refusal_leaves_no_error_on_openssls_queue(openssl: OpenSslEd25519) -> None:
    lib = openssl._lib
    lib.ERR_peek_error.restype = ctypes.c_ulong
    key = Ed25519PrivateKey.generate()
    assert not openssl.verifies(raw(key.public_key()), key.sign(b"y"), b"x")
    assert lib.ERR_peek_error() == 0


def test_small_order_keys_are_judged_as_cryptography_judges_them(openssl: OpenSslEd25519) -> None:
    # The all-zero key and signature (small-order points) is accepted by OpenSSL's check, which
    # cryptography uses too; a badge key is the ledger's, so this only has to agree.
    for public, signature in ((bytes(32), bytes(64)), (bytes([1]) + bytes(31), bytes(64))):
        for message in (b"", b"x", b"PK1.E1001.S1"):
            expected = cryptography_says(public, signature, message)
            assert openssl.verifies(public, signature, message) is expected


def test_badges_through_the_kiosks_key() -> None:
    key = Ed25519PrivateKey.generate()
    kiosk_key = badge_codec.verifying_key_from_text(badge_codec.b64url(raw(key.public_key())))
    assert isinstance(kiosk_key, badge_codec.VerifyingKey)
    badge = badge_codec.encode("E1001", "S1", key)
    assert badge_codec.verify(badge, kiosk_key) == badge_codec.BadgeClaim("E1001", "S1")
    admin = badge_codec.encode("E1001", "S2", key, admin=True)
    assert badge_codec.verify(admin, kiosk_key).admin
    for forged in (
        "PKA1" + badge[3:],  # a worker's badge made an admin one
        badge_codec.encode("E1001", "S1", Ed25519PrivateKey.generate()),
        badge.replace("E1001", "E1002"),
    ):
        with pytest.raises(badge_codec.BadgeError) as caught:
            badge_codec.verify(forged, kiosk_key)
        assert caught.value.problem is badge_codec.BadgeProblem.BAD_SIGNATURE
    with pytest.raises(ValueError):
        badge_codec.verifying_key_from_text(badge_codec.b64url(bytes(31)))


def test_the_kiosk_checks_a_badge_without_loading_cryptography() -> None:
    key = Ed25519PrivateKey.generate()
    badge = badge_codec.encode("E1001", "S1", key)
    public = badge_codec.b64url(raw(key.public_key()))
    probe = (
        "import sys, kiosk.runtime, kiosk.cli, ui.app, ui.main_window\n"
        "from sync import badge_codec\n"
        f"key = badge_codec.verifying_key_from_text({public!r})\n"
        f"print(badge_codec.verify({badge!r}, key).employee_id)\n"
        "print(sorted(m for m in sys.modules if m.startswith('cryptography')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.stdout.split("\n")[:2] == ["E1001", "[]"]
