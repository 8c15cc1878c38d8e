"""The log of what console users did: who, when, what, and the record before and after."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.storage.models import HrAction


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(
    session: Session,
    now: datetime,
    user: str,
    action: str,
    target: str,
    before: Any = None,
    after: Any = None,
) -> None:
    """Log one action in the caller's transaction, so the log and the change commit together."""
    session.add(
        HrAction(
            at=now,
            user_name=user,
            action=action,
            target=target[:200],
            before=_json(before),
            after=_json(after),
        )
    )


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
