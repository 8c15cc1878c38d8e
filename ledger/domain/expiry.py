"""The expiry job: what is left of lots past their expiry moves to ``expired``, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.domain.wallets import expire_lot, for_update, get_employee, lock_wallet
from ledger.storage.models import Lot


@dataclass(frozen=True)
class ExpiryResult:
    expired_points: int
    lots: int


def due_employees(session: Session, now: datetime, limit: int = 500) -> list[str]:
    """Employees who have lots past expiry with points left (server time)."""
    return list(
        session.scalars(
            select(Lot.employee_id)
            .where(Lot.expires_at <= now, Lot.remaining > 0)
            .distinct()
            .order_by(Lot.employee_id)
            .limit(limit)
        )
    )


def expire_employee(session: Session, employee_id: str, now: datetime) -> ExpiryResult:
    """Expire one employee's due lots under their wallet lock."""
    wallet = lock_wallet(session, employee_id)
    employee = get_employee(session, employee_id)
    lots = session.scalars(
        for_update(
            select(Lot)
            .where(Lot.employee_id == employee_id, Lot.expires_at <= now, Lot.remaining > 0)
            .order_by(Lot.id)
        )
    ).all()
    points = sum(expire_lot(session, wallet, employee, lot, now) for lot in lots)
    return ExpiryResult(points, len(lots))
