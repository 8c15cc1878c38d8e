"""Calendar periods (month, quarter, year) in the site's timezone, for caps and limits."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

# Each period's length in months; a period starts on the first of a month whose number,
# counted from January = 0, is a multiple of its length. The PostgreSQL order function is
# rendered from this table (ledger/storage/pg_functions.py), so both compute the same bounds.
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def period_bounds(moment: datetime, period: str, tz: str) -> tuple[datetime, datetime]:
    """The UTC start (inclusive) and end (exclusive) of the period holding ``moment``."""
    months = PERIOD_MONTHS.get(period)
    if months is None:
        raise ValueError(f"unknown period {period!r}")
    local = moment.astimezone(ZoneInfo(tz))
    start_month = months * ((local.month - 1) // months) + 1
    start = local.replace(month=start_month, day=1, hour=0, minute=0, second=0, microsecond=0)
    end_index = start.year * 12 + start.month - 1 + months
    end = start.replace(year=end_index // 12, month=end_index % 12 + 1)
    return start.astimezone(UTC), end.astimezone(UTC)
