"""Expiry reminders: lots with points left that expire within a threshold, each reminded once
per threshold (``expiry_reminders`` is keyed by lot and threshold).

A lot is reminded at the smallest threshold it has reached: one found 5 days before its
expiry with thresholds 30 and 7 gets the 7-day reminder only, not a late 30-day one too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.domain.errors import LedgerError
from ledger.domain.settings import store
from ledger.storage.inbox import ExpiryReminder
from ledger.storage.models import Lot, Setting
from sync.protocol import ErrorCode

# Stored in the settings table under this key, so kiosk settings never carry it.
SETTING_KEY = "expiry_reminder_days"
MAX_THRESHOLDS = 5
MAX_DAYS = 365


class ReminderSettings(BaseModel):
    """Days before a lot's expiry at which its worker is reminded; none: no reminders."""

    model_config = ConfigDict(extra="forbid")

    days: list[int] = Field(default=[30, 7], max_length=MAX_THRESHOLDS)

    @field_validator("days")
    @classmethod
    def _distinct_and_sorted(cls, value: list[int]) -> list[int]:
        if any(not 1 <= day <= MAX_DAYS for day in value):
            raise ValueError(f"each threshold is 1 to {MAX_DAYS} days")
        return sorted(set(value), reverse=True)


def get_reminder_settings(session: Session) -> ReminderSettings:
    row = session.get(Setting, SETTING_KEY)
    return ReminderSettings(days=json.loads(row.value)) if row else ReminderSettings()


def update_reminder_settings(session: Session, days: list[int]) -> ReminderSettings:
    """Validate and store the thresholds; returns them as now in force."""
    try:
        settings = ReminderSettings(days=days)
    except ValidationError as exc:
        message = f"thresholds: at most {MAX_THRESHOLDS}, each 1 to {MAX_DAYS} days"
        raise LedgerError(ErrorCode.INVALID_REQUEST, message, status=422) from exc
    store(session, SETTING_KEY, settings.days)
    return settings


def threshold_reached(expires_at: datetime, now: datetime, days: list[int]) -> int | None:
    """The smallest threshold (days) the lot is within, or ``None``."""
    left = expires_at - now
    reached = [day for day in days if left <= timedelta(days=day)]
    return min(reached) if reached else None


@dataclass(frozen=True)
class DueReminder:
    lot_id: int
    employee_id: str
    points: int
    expires_at: datetime
    threshold_days: int


def due_reminders(
    session: Session, now: datetime, days: list[int], limit: int = 500
) -> list[DueReminder]:
    """Lots with points left, not yet expired, within a threshold they have no reminder for."""
    if not days:
        return []
    horizon = now + timedelta(days=max(days))
    lots = session.execute(
        select(Lot.id, Lot.employee_id, Lot.remaining, Lot.expires_at)
        .where(Lot.remaining > 0, Lot.expires_at > now, Lot.expires_at <= horizon)
        .order_by(Lot.expires_at, Lot.id)
    ).all()
    if not lots:
        return []
    sent: set[tuple[int, int]] = set()
    ids = [lot.id for lot in lots]
    for start in range(0, len(ids), 1000):
        sent.update(
            (row.lot_id, row.threshold_days)
            for row in session.execute(
                select(ExpiryReminder.lot_id, ExpiryReminder.threshold_days).where(
                    ExpiryReminder.lot_id.in_(ids[start : start + 1000])
                )
            )
        )
    due: list[DueReminder] = []
    for lot in lots:
        threshold = threshold_reached(lot.expires_at, now, days)
        if threshold is None or (lot.id, threshold) in sent:
            continue
        due.append(DueReminder(lot.id, lot.employee_id, lot.remaining, lot.expires_at, threshold))
        if len(due) >= limit:
            break
    return due


def record_reminder(session: Session, due: DueReminder, now: datetime) -> bool:
    """Record one reminder unless it is already there (another runner); whether it is new."""
    if session.get(ExpiryReminder, (due.lot_id, due.threshold_days)) is not None:
        return False
    session.add(
        ExpiryReminder(
            lot_id=due.lot_id,
            threshold_days=due.threshold_days,
            employee_id=due.employee_id,
            points=due.points,
            expires_at=due.expires_at,
            sent_at=now,
        )
    )
    session.flush()  # a concurrent runner's row makes this fail here, inside the use case
    return True
