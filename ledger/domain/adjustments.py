"""Manual corrections by HR: idempotent by id, never below zero."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from ledger.domain.errors import Conflict, LedgerError
from ledger.domain.wallets import ADJUSTMENT, earn, get_employee, lock_wallet, spend
from ledger.storage.models import Adjustment
from sync.protocol import EmployeeId, ErrorCode, Text

DEFAULT_VALIDITY_DAYS = 365


class AdjustmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    adjustment_id: Text = Field(min_length=1, max_length=128)
    employee_id: EmployeeId
    points: int = Field(ge=-1_000_000, le=1_000_000)
    reason: Text = Field(min_length=1, max_length=200)
    validity_days: int = Field(default=DEFAULT_VALIDITY_DAYS, ge=1, le=3650)


def adjust(session: Session, request: AdjustmentIn, now: datetime) -> tuple[Adjustment, bool]:
    """Apply the adjustment once; returns it and whether it was new."""
    if request.points == 0:
        raise LedgerError(ErrorCode.INVALID_REQUEST, "points: must not be zero", status=422)
    existing = session.get(Adjustment, request.adjustment_id)
    if existing is not None:
        if (existing.employee_id, existing.points, existing.reason) != (
            request.employee_id,
            request.points,
            request.reason,
        ):
            raise Conflict(
                ErrorCode.IDEMPOTENCY_MISMATCH,
                f"adjustment {request.adjustment_id} exists with a different body",
            )
        return existing, False
    employee = get_employee(session, request.employee_id)
    wallet = lock_wallet(session, employee.id)
    refs = {"adjustment_id": request.adjustment_id, "memo": request.reason}
    if request.points > 0:
        transfer, _ = earn(
            session,
            wallet,
            employee,
            request.points,
            now + timedelta(days=request.validity_days),
            now,
            source=ADJUSTMENT,
            kind="adjust",
            **refs,
        )
    else:
        transfer = spend(
            session,
            employee,
            -request.points,
            now,
            target=ADJUSTMENT,
            kind="adjust",
            **refs,
        )
    adjustment = Adjustment(
        id=request.adjustment_id,
        employee_id=employee.id,
        points=request.points,
        reason=request.reason,
        transfer_id=transfer.id,
        created_at=now,
    )
    session.add(adjustment)
    session.flush()
    return adjustment, True
