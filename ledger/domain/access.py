"""Who may call the ledger: API tokens with roles, one-time enrolment codes, kiosks."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.domain.errors import NotFound, Unauthorized
from ledger.storage.models import ApiToken, Device, EnrollCode
from sync.protocol import ErrorCode, Heartbeat

_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
ENROLL_CODE_TTL = timedelta(hours=24)


class Role(StrEnum):
    DEVICE = "device"
    HR = "hr"
    ADMIN = "admin"


def digest(secret: str) -> str:
    """Tokens and codes are random and long, so a plain SHA-256 is enough to store them."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    session: Session, role: Role, now: datetime, name: str = "", device_id: str | None = None
) -> str:
    """Create an API token; only its hash is kept, so the value is shown once."""
    token = f"pk_{role.value}_{secrets.token_urlsafe(32)}"
    session.add(
        ApiToken(
            token_hash=digest(token),
            role=role.value,
            name=name,
            device_id=device_id,
            created_at=now,
            revoked_at=None,
        )
    )
    session.flush()
    return token


def authenticate(session: Session, token: str) -> ApiToken:
    """The live token row for ``token``, or :class:`Unauthorized`."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    if row is None or row.revoked_at is not None:
        raise Unauthorized(ErrorCode.UNAUTHORIZED, "unknown or revoked token")
    if row.device_id is not None:
        device = session.get(Device, row.device_id)
        if device is None or device.revoked_at is not None:
            raise Unauthorized(ErrorCode.DEVICE_REVOKED, "this kiosk has been disabled")
    return row


def people_tokens(session: Session) -> list[ApiToken]:
    """The HR and admin API tokens (not kiosks'), newest first."""
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.device_id.is_(None)).order_by(ApiToken.id.desc())
        )
    )


def revoke_token(session: Session, token_id: int, now: datetime) -> ApiToken:
    """Make an HR or admin API token fail from now on (idempotent)."""
    row = session.get(ApiToken, token_id)
    if row is None or row.device_id is not None:
        raise NotFound(ErrorCode.NOT_FOUND, f"no token {token_id}")
    if row.revoked_at is None:
        row.revoked_at = now
    return row


def create_enroll_code(session: Session, now: datetime, ttl: timedelta = ENROLL_CODE_TTL) -> str:
    """A one-time code for enrolling one kiosk, e.g. ``K7MQ-2XPD-9RTA``."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    code = "-".join(raw[i : i + 4] for i in range(0, 12, 4))
    session.add(
        EnrollCode(
            code_hash=digest(code),
            created_at=now,
            expires_at=now + ttl,
            used_at=None,
            device_id=None,
        )
    )
    session.flush()
    return code


def _canonical_code(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def enroll(session: Session, code: str, name: str, now: datetime) -> tuple[Device, str]:
    """Spend a one-time code: register the kiosk and give it a device token."""
    row = session.get(EnrollCode, digest(_canonical_code(code)), with_for_update=True)
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise Unauthorized(ErrorCode.INVALID_ENROLL_CODE, "unknown, used or expired enrolment code")
    device = Device(
        id=str(uuid.uuid4()),
        name=name,
        enrolled_at=now,
        revoked_at=None,
        last_seen_at=None,
        version=None,
        outbox=0,
        last_sync_at=None,
        oldest_unsent_at=None,
    )
    session.add(device)
    session.flush()
    row.used_at = now
    row.device_id = device.id
    token = create_token(session, Role.DEVICE, now, name=name, device_id=device.id)
    return device, token


def record_heartbeat(session: Session, device_id: str, beat: Heartbeat, now: datetime) -> Device:
    device = session.get(Device, device_id)
    if device is None:
        raise NotFound(ErrorCode.NOT_FOUND, f"no device {device_id}")
    device.last_seen_at = now
    device.version = beat.version
    device.outbox = beat.outbox
    device.last_sync_at = beat.last_sync_at
    device.oldest_unsent_at = beat.oldest_unsent_at
    return device


def revoke_device(session: Session, device_id: str, now: datetime) -> Device:
    device = session.get(Device, device_id)
    if device is None:
        raise NotFound(ErrorCode.NOT_FOUND, f"no device {device_id}")
    if device.revoked_at is None:
        device.revoked_at = now
    return device
