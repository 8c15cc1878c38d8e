"""Whether an order (or a cancel) from a kiosk carries its worker's presence.

A kiosk's token alone spends nothing: the request must show the worker's signed QR badge,
their live RFID card, or a fresh PIN token the ledger gave that kiosk for that worker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.domain.pins import token_digest
from ledger.storage.models import Badge
from ledger.storage.schema import get_meta
from sync import badge_codec
from sync.protocol import Evidence


@dataclass(frozen=True)
class Presence:
    """The verdict: ``valid``, and for a PIN the token's digest the order must spend."""

    valid: bool
    pin_token_hash: str | None = None


NONE = Presence(False)


def check(session: Session, evidence: Evidence | None, employee_id: str) -> Presence:
    """Read-only: is ``evidence`` this employee's? A PIN token is only recognised here; the
    order spends it in its own transaction (so a refused or replayed order keeps it)."""
    if evidence is None:
        return NONE
    if evidence.kind == "qr":
        try:
            key = badge_codec.public_key_from_text(get_meta(session, "badge_public_key"))
            claim = badge_codec.verify(evidence.value, key)
        except (badge_codec.BadgeError, ValueError):
            return NONE
        badge = session.get(Badge, claim.serial)
        # Our signature proves we issued it; a badge with no row here was issued after the
        # backup this database was restored from (its revocation, if any, went with it).
        ok = (
            not claim.admin
            and claim.employee_id == employee_id
            and (badge is None or (badge.employee_id == employee_id and badge.revoked_at is None))
        )
        return Presence(ok)
    if evidence.kind == "rfid":
        uid = re.sub(r"[\s:-]", "", evidence.value).upper()
        owner = session.scalar(
            select(Badge.employee_id).where(
                Badge.kind == "rfid", Badge.uid == uid, Badge.revoked_at.is_(None)
            )
        )
        return Presence(owner == employee_id)
    return Presence(True, token_digest(evidence.value))
