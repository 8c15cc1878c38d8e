"""Time for the kiosk: the wall clock (UTC) and a monotonic clock, both replaceable in tests."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """What the kiosk asks of a clock."""

    def now(self) -> datetime:
        """Aware UTC wall-clock time (audit metadata and display; the ledger's clock rules)."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps; used to measure time without a sync."""
        ...


class SystemClock:
    """The real clocks."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()
