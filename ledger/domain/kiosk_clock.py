"""Times a kiosk reports from its own clock: kept as metadata, but only when plausible."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ledger.domain.errors import LedgerError
from sync.protocol import ErrorCode

KIOSK_CLOCK_WINDOW = timedelta(days=400)
"""How far a kiosk's clock may be from the ledger's: an order may wait offline for weeks, but
a year-1 or year-9999 time is a broken clock or a forged body, and breaks every page that
shows it."""


def check_kiosk_time(field: str, value: datetime | None, now: datetime) -> None:
    """Refuse (422) a kiosk time further than :data:`KIOSK_CLOCK_WINDOW` from ``now``."""
    if value is None:
        return
    try:
        off = abs(value.astimezone(UTC) - now)
    except OverflowError:  # year 1 with a positive offset has no UTC time
        off = KIOSK_CLOCK_WINDOW * 2
    if off > KIOSK_CLOCK_WINDOW:
        raise LedgerError(
            ErrorCode.INVALID_REQUEST,
            f"{field}: more than {KIOSK_CLOCK_WINDOW.days} days from the ledger's clock",
            status=422,
        )
