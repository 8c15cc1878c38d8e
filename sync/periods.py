"""Calendar periods (month, quarter, year) in the site's timezone, for caps and limits."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def period_bounds(moment: datetime, period: str, tz: str) -> tuple[datetime, datetime]:
    """The UTC start (inclusive) and end (exclusive) of the period holding ``moment``."""
    local = moment.astimezone(ZoneInfo(tz))
    if period == "month":
        start_month, months = local.month, 1
    elif period == "quarter":
        start_month, months = 3 * ((local.month - 1) // 3) + 1, 3
    elif period == "year":
        start_month, months = 1, 12
    else:
        raise ValueError(f"unknown period {period!r}")
    start = local.replace(month=start_month, day=1, hour=0, minute=0, second=0, microsecond=0)
    end_index = start.year * 12 + start.month - 1 + months
    end = start.replace(year=end_index // 12, month=end_index % 12 + 1)
    return start.astimezone(UTC), end.astimezone(UTC)
