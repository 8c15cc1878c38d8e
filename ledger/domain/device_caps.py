"""Per-device caps: how many orders and points one kiosk may place in an hour and in a day.

A kiosk's token plus a photographed badge could otherwise spend at machine speed; the caps
bound what one device can do before IT notices (the fleet view flags a capped kiosk). They
are the ledger's own settings, never sent to kiosks, stored beside the kiosks' settings.

The windows are the current clock hour (UTC) and the current site day (local midnight to
midnight). An offline order is counted in both but refused only by the daily caps: a kiosk
that comes back after a day offline sends its whole backlog within minutes, and the kiosk
already bounds what it accepts offline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.domain.settings import store
from ledger.storage.models import Setting

# Stored in the settings table under these keys, so kiosk settings never carry them.
KEY_PREFIX = "device_cap."
MAX_CAP = 2**31 - 1


class DeviceCaps(BaseModel):
    """Caps per kiosk; 0 means no cap."""

    model_config = ConfigDict(extra="forbid")

    orders_per_hour: int = Field(default=120, ge=0, le=MAX_CAP)
    orders_per_day: int = Field(default=600, ge=0, le=MAX_CAP)
    points_per_hour: int = Field(default=100_000, ge=0, le=MAX_CAP)
    points_per_day: int = Field(default=400_000, ge=0, le=MAX_CAP)

    def as_params(self) -> tuple[int, int, int, int]:
        """In the placement function's parameter order."""
        hourly, daily = self.orders_per_hour, self.orders_per_day
        return (hourly, daily, self.points_per_hour, self.points_per_day)


def get_caps(session: Session) -> DeviceCaps:
    rows = session.scalars(select(Setting).where(Setting.key.startswith(KEY_PREFIX)))
    stored = {row.key.removeprefix(KEY_PREFIX): json.loads(row.value) for row in rows}
    return DeviceCaps(**{k: v for k, v in stored.items() if k in DeviceCaps.model_fields})


def update_caps(session: Session, changes: dict[str, Any]) -> DeviceCaps:
    """Validate and store changed caps; returns the caps now in force."""
    caps = DeviceCaps(**(get_caps(session).model_dump() | changes))
    for name in changes:
        store(session, KEY_PREFIX + name, getattr(caps, name))
    return caps


def hour_start(now: datetime) -> datetime:
    """The start of ``now``'s clock hour, in UTC."""
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def day_start(now: datetime, tz: str) -> datetime:
    """Local midnight of ``now``'s site day, in UTC (as :func:`sync.periods.period_bounds`
    finds a period's start, so both databases agree)."""
    local = now.astimezone(ZoneInfo(tz))
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


@dataclass(frozen=True)
class Usage:
    """A device's counters for its current windows, after one more order if it fits."""

    hour_start: datetime
    hour_orders: int
    hour_points: int
    day_start: datetime
    day_orders: int
    day_points: int


def count_order(
    usage: Usage, now: datetime, tz: str, points: int, offline: bool, caps: DeviceCaps
) -> Usage | None:
    """The counters with this order added, or ``None`` when a cap refuses it.

    ``usage`` holds the stored counters; a window that has passed counts from zero.
    """
    hour, day = hour_start(now), day_start(now, tz)
    same_hour, same_day = usage.hour_start == hour, usage.day_start == day
    after = Usage(
        hour,
        (usage.hour_orders if same_hour else 0) + 1,
        (usage.hour_points if same_hour else 0) + points,
        day,
        (usage.day_orders if same_day else 0) + 1,
        (usage.day_points if same_day else 0) + points,
    )
    hourly_ok = offline or (
        (caps.orders_per_hour == 0 or after.hour_orders <= caps.orders_per_hour)
        and (caps.points_per_hour == 0 or after.hour_points <= caps.points_per_hour)
    )
    daily_ok = (caps.orders_per_day == 0 or after.day_orders <= caps.orders_per_day) and (
        caps.points_per_day == 0 or after.day_points <= caps.points_per_day
    )
    return after if hourly_ok and daily_ok else None


def capped_recently(capped_at: datetime | None, now: datetime) -> bool:
    """Whether the fleet view flags the device: a cap refused an order in the last day."""
    return capped_at is not None and now - capped_at < timedelta(days=1)
