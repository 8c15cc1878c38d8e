"""Whether an order (or a cancel) from a kiosk carries its worker's presence.

A kiosk's token alone spends nothing: the request must show the worker's signed QR badge,
their live RFID card, or a fresh PIN token the ledger gave that kiosk for that worker.

Checking is split where it is cheapest: :func:`assess` does what needs no database (the
badge's signature, whose badge it claims to be, the PIN threshold) on the caller's thread;
the rows — a QR badge not revoked, a live card, an unspent token — are checked by the order's
own statement (:mod:`ledger.domain.placement`, ``place_order.sql``), so the hot path stays
one round trip. Cancels, which are rare, use :func:`check` in a read transaction.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.domain.pins import token_digest
from ledger.storage.models import Badge, PinToken
from sync import badge_codec
from sync.protocol import Evidence


@dataclass(frozen=True)
class Presence:
    """The verdict before the rows: ``valid`` so far, and the row the order must find.

    ``kind`` and ``key``: a QR badge's serial (which must not be another's or revoked), an
    RFID UID (which must be this worker's live card) or a PIN token's digest (unspent, this
    worker's, this kiosk's; the order spends it).
    """

    valid: bool
    kind: str | None = None
    key: str | None = None

    @property
    def pin_token_hash(self) -> str | None:
        return self.key if self.kind == "pin" else None


NONE = Presence(False)

# Distinct badge texts whose verdict is remembered: a whole site's workforce, about 10 MB.
CLAIMS_KEPT = 32_768


class BadgeVerifier:
    """Signature checks for one badge key, remembered.

    A worker shows the same badge at every visit and with every order, and an Ed25519 check
    costs a few hundred microseconds of CPU on the path that bounds orders per second. The
    verdict depends only on the text and the key, so it is kept (least recently used first
    out); revocation is never cached: it is read from the rows with every order.
    """

    def __init__(self, public_key: Ed25519PublicKey, kept: int = CLAIMS_KEPT) -> None:
        self._key = public_key
        self.claim = functools.lru_cache(maxsize=kept)(self._check)

    def _check(self, text: str) -> badge_codec.BadgeClaim | None:
        """The badge's claim, or ``None`` when it is not exactly a badge signed by the key."""
        try:
            return badge_codec.verify(text, self._key)
        except (badge_codec.BadgeError, ValueError):
            return None


def _uid(value: str) -> str:
    return re.sub(r"[\s:-]", "", value).upper()


def assess(
    shown: Evidence | None,
    employee_id: str,
    badges: BadgeVerifier,
    pin_needed: bool,
) -> Presence:
    """What can be decided without the database; ``pin_needed``: above the PIN threshold,
    where only a PIN token will do."""
    if shown is None:
        return NONE
    if shown.kind == "pin":
        return Presence(True, "pin", token_digest(shown.value))
    if pin_needed:
        return NONE
    if shown.kind == "rfid":
        return Presence(True, "rfid", _uid(shown.value))
    claim = badges.claim(shown.value)
    if claim is None or claim.admin or claim.employee_id != employee_id:
        return NONE
    return Presence(True, "qr", claim.serial)


def rows_agree(
    session: Session, presence: Presence, employee_id: str, device_id: str, now: datetime
) -> bool:
    """The rows behind an assessed presence, read in the caller's transaction."""
    if not presence.valid:
        return False
    if presence.kind == "qr":
        badge = session.get(Badge, presence.key)
        # Our signature proves we issued it; a badge with no row here was issued after the
        # backup this database was restored from (its revocation, if any, went with it).
        return badge is None or (badge.employee_id == employee_id and badge.revoked_at is None)
    if presence.kind == "rfid":
        owner = session.scalar(
            select(Badge.employee_id).where(
                Badge.kind == "rfid", Badge.uid == presence.key, Badge.revoked_at.is_(None)
            )
        )
        return owner == employee_id
    if presence.kind == "pin":
        token = session.get(PinToken, presence.key)
        return (
            token is not None
            and token.used_at is None
            and token.expires_at > now
            and token.employee_id == employee_id
            and token.device_id == device_id
        )
    return False


def check(
    session: Session,
    shown: Evidence | None,
    employee_id: str,
    badges: BadgeVerifier,
    device_id: str,
    now: datetime,
) -> Presence:
    """:func:`assess` and :func:`rows_agree` together (for cancels): the verdict, complete."""
    presence = assess(shown, employee_id, badges, pin_needed=False)
    return presence if rows_agree(session, presence, employee_id, device_id, now) else NONE
