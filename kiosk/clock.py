"""Time for the kiosk: the wall clock (UTC) and a monotonic clock, both replaceable in tests."""

from __future__ import annotations

import time
from datetime import UTC, datetime


class Clock:
    """The real clocks."""

    def now(self) -> datetime:
        """Aware UTC wall-clock time (audit metadata and display; the ledger's clock rules)."""
        return datetime.now(UTC)

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps; used to measure time without a sync."""
        return time.monotonic()
