"""Signed QR badges: valid ones verify, any altered byte is refused."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from sync import badge_codec
from sync.badge_codec import BadgeError, BadgeProblem

KEY = Ed25519PrivateKey.generate()
OTHER = Ed25519PrivateKey.generate()
PART = st.from_regex(r"[A-Za-z0-9_-]{1,32}", fullmatch=True)


@given(employee=PART, serial=PART)
def test_encoded_badges_verify(employee, serial):
    text = badge_codec.encode(employee, serial, KEY)
    claim = badge_codec.verify(text, KEY.public_key())
    assert (claim.employee_id, claim.serial) == (employee, serial)
    assert badge_codec.verify(f"  {text}\r\n", KEY.public_key()) == claim


@settings(max_examples=400)
@given(employee=PART, serial=PART, data=st.data())
def test_any_altered_byte_is_refused(employee, serial, data):
    text = badge_codec.encode(employee, serial, KEY).encode()
    index = data.draw(st.integers(0, len(text) - 1))
    replacement = data.draw(st.integers(0, 255).filter(lambda b: b != text[index]))
    altered = text[:index] + bytes([replacement]) + text[index + 1 :]
    try:
        candidate = altered.decode("utf-8")
    except UnicodeDecodeError:
        return  # a scanner cannot even type it
    if candidate.strip() == text.decode():
        return  # only surrounding whitespace changed: the same badge
    with pytest.raises(BadgeError):
        badge_codec.verify(candidate, KEY.public_key())


@given(employee=PART, serial=PART)
def test_another_key_is_refused(employee, serial):
    text = badge_codec.encode(employee, serial, OTHER)
    with pytest.raises(BadgeError) as err:
        badge_codec.verify(text, KEY.public_key())
    assert err.value.problem is BadgeProblem.BAD_SIGNATURE


@pytest.mark.parametrize(
    "text",
    ["", "E1001", "PK1.E1001", "PK1.E1001.SER", "PK2.E1001.SER.sig", "PK1.E 1.S.sig", "PK1...."],
)
def test_malformed_texts(text):
    with pytest.raises(BadgeError) as err:
        badge_codec.verify(text, KEY.public_key())
    assert err.value.problem is BadgeProblem.MALFORMED


def test_a_typed_employee_number_is_not_a_badge():
    assert not badge_codec.looks_like_badge("E1001")
    assert badge_codec.looks_like_badge(badge_codec.encode("E1001", "S1", KEY))


def test_public_key_round_trip():
    from ledger.keys import public_text

    text = badge_codec.encode("E1", "S1", KEY)
    assert badge_codec.verify(text, badge_codec.public_key_from_text(public_text(KEY)))
    with pytest.raises(ValueError):
        badge_codec.public_key_from_text("AAAA")


def test_admin_badges_are_their_own_kind():
    admin = badge_codec.encode("IT01", "S1", KEY, admin=True)
    assert admin.startswith("PKA1.") and badge_codec.looks_like_badge(admin)
    assert badge_codec.verify(admin, KEY.public_key()).admin
    worker = badge_codec.encode("IT01", "S1", KEY)
    assert not badge_codec.verify(worker, KEY.public_key()).admin
    # Relabelling a worker's badge as an admin one breaks its signature, and back.
    with pytest.raises(BadgeError) as caught:
        badge_codec.verify("PKA1" + worker[3:], KEY.public_key())
    assert caught.value.problem is BadgeProblem.BAD_SIGNATURE
    with pytest.raises(BadgeError):
        badge_codec.verify("PK1" + admin[4:], KEY.public_key())
