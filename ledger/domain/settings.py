"""Settings the ledger serves to kiosks, stored as key/value rows over the defaults."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.domain.errors import LedgerError
from ledger.storage.models import Setting
from sync.protocol import ErrorCode, KioskSettings


def get_settings(session: Session) -> KioskSettings:
    stored = {row.key: json.loads(row.value) for row in session.scalars(select(Setting))}
    known = {k: v for k, v in stored.items() if k in KioskSettings.model_fields}
    return KioskSettings(**known)


def update_settings(session: Session, changes: dict[str, Any]) -> KioskSettings:
    """Validate and store changed settings; returns the settings now in force."""
    merged = get_settings(session).model_dump() | changes
    settings = KioskSettings(**merged)
    try:
        ZoneInfo(settings.site_timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise LedgerError(
            ErrorCode.INVALID_REQUEST, f"unknown timezone {settings.site_timezone!r}", status=422
        ) from exc
    for key in changes:
        store(session, key, getattr(settings, key))
    return settings


def store(session: Session, key: str, value: Any) -> None:
    """Write one setting's value (JSON) under ``key``, added or replaced."""
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=json.dumps(value)))
    else:
        row.value = json.dumps(value)
