"""Reading the action log (written by the use cases in :mod:`ledger.service`)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.storage.models import HrAction


def page(
    session: Session, offset: int = 0, limit: int = 50, action: str | None = None
) -> tuple[list[HrAction], int]:
    """The newest actions first, and how many there are in all."""
    query = select(HrAction)
    count = select(func.count()).select_from(HrAction)
    if action:
        query = query.where(HrAction.action == action)
        count = count.where(HrAction.action == action)
    rows = session.scalars(query.order_by(HrAction.id.desc()).offset(offset).limit(limit))
    return list(rows), int(session.scalar(count) or 0)
