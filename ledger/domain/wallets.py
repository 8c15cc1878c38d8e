"""Posting transfers: wallets, lots and the double-entry rows, all in the caller's transaction.

Every function here expects the employee's wallet to be locked first
(:func:`lock_wallet`), so concurrent spends of one worker's points serialise.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ledger.domain.errors import InsufficientPoints, NotFound
from ledger.domain.lots import OpenLot, Take, fifo_takes, split_refund
from ledger.storage.changes import touch
from ledger.storage.models import Account, Employee, Lot, LotAllocation, Order, Transfer
from sync.protocol import OPEN_ORDER_STATUSES, ErrorCode

ISSUANCE = "issuance"
ORDERS_HELD = "orders_held"
REDEEMED = "redeemed"
EXPIRED = "expired"
ADJUSTMENT = "adjustment"

# Transfer kinds that move a wallet: the lines of a worker's history.
WALLET_KINDS = ("earn", "hold", "refund", "expire", "adjust")


def wallet_id(employee_id: str) -> str:
    return f"wallet:{employee_id}"


def get_employee(session: Session, employee_id: str) -> Employee:
    employee = session.get(Employee, employee_id)
    if employee is None:
        raise NotFound(ErrorCode.UNKNOWN_EMPLOYEE, f"no employee {employee_id}")
    return employee


S = TypeVar("S", bound=Select[Any])


def for_update(stmt: S) -> S:
    """Lock the selected rows and reload them, so no stale copy from the session survives."""
    return stmt.with_for_update().execution_options(populate_existing=True)


def lock_wallet(session: Session, employee_id: str) -> Account:
    """Lock and return the wallet (row lock on PostgreSQL; SQLite writes are serial already)."""
    wallet = session.scalar(for_update(select(Account).where(Account.id == wallet_id(employee_id))))
    if wallet is None:
        raise NotFound(ErrorCode.UNKNOWN_EMPLOYEE, f"no employee {employee_id}")
    return wallet


def _post(
    session: Session,
    *,
    source: str,
    target: str,
    amount: int,
    kind: str,
    employee: Employee,
    now: datetime,
    **refs: object,
) -> Transfer:
    transfer = Transfer(
        from_account=source,
        to_account=target,
        amount=amount,
        kind=kind,
        employee_id=employee.id,
        created_at=now,
        **refs,
    )
    session.add(transfer)
    session.flush()
    # The kiosk mirrors balance and held on the employee row: make it sync again.
    touch(employee)
    return transfer


def earn(
    session: Session,
    wallet: Account,
    employee: Employee,
    points: int,
    expires_at: datetime,
    now: datetime,
    *,
    source: str = ISSUANCE,
    kind: str = "earn",
    **refs: object,
) -> tuple[Transfer, Lot]:
    """Credit the wallet and open a lot that expires at ``expires_at``."""
    transfer = _post(
        session,
        source=source,
        target=wallet.id,
        amount=points,
        kind=kind,
        employee=employee,
        now=now,
        **refs,
    )
    wallet.balance += points
    lot = Lot(
        employee_id=employee.id,
        earn_transfer_id=transfer.id,
        points=points,
        remaining=points,
        expired=0,
        expires_at=expires_at,
        created_at=now,
    )
    session.add(lot)
    if expires_at <= now:
        session.flush()
        expire_lot(session, wallet, employee, lot, now)
    return transfer, lot


def open_lots(session: Session, employee_id: str) -> list[Lot]:
    return list(
        session.scalars(
            for_update(
                select(Lot)
                .where(Lot.employee_id == employee_id, Lot.remaining > 0)
                .order_by(Lot.expires_at, Lot.id)
            )
        )
    )


def spend(
    session: Session,
    wallet: Account,
    employee: Employee,
    points: int,
    now: datetime,
    *,
    target: str,
    kind: str,
    order_id: str | None = None,
    **refs: object,
) -> Transfer:
    """Debit the wallet, taking from the lots that expire first; never below zero."""
    if wallet.balance < points:
        raise InsufficientPoints(needed=points, balance=wallet.balance)
    lots = {lot.id: lot for lot in open_lots(session, employee.id) if lot.expires_at > now}
    try:
        takes = fifo_takes(
            (OpenLot(lot.id, lot.remaining, lot.expires_at) for lot in lots.values()), points
        )
    except ValueError as exc:
        # Unexpired lots hold less than the balance: the expiry job has not run yet.
        available = sum(lot.remaining for lot in lots.values())
        raise InsufficientPoints(needed=points, balance=available) from exc
    transfer = _post(
        session,
        source=wallet.id,
        target=target,
        amount=points,
        kind=kind,
        employee=employee,
        now=now,
        order_id=order_id,
        **refs,
    )
    wallet.balance -= points
    for take in takes:
        lots[take.lot_id].remaining -= take.points
        session.add(
            LotAllocation(
                lot_id=take.lot_id, transfer_id=transfer.id, order_id=order_id, points=take.points
            )
        )
    return transfer


def refund_order(
    session: Session,
    wallet: Account,
    employee: Employee,
    order_id: str,
    hold: Transfer,
    now: datetime,
) -> None:
    """Give an order's held points back to the lots that paid; expired lots' share expires."""
    rows = session.execute(
        select(LotAllocation.lot_id, func.sum(LotAllocation.points))
        .where(LotAllocation.order_id == order_id)
        .group_by(LotAllocation.lot_id)
    ).all()
    lots = {
        lot.id: lot
        for lot in session.scalars(
            for_update(select(Lot).where(Lot.id.in_([lot_id for lot_id, _ in rows])))
        )
    }
    split = split_refund(
        [(Take(lot_id, int(pts)), lots[lot_id].expires_at) for lot_id, pts in rows], now
    )
    for target, takes in ((wallet.id, split.back_to_lots), (EXPIRED, split.to_expired)):
        points = sum(take.points for take in takes)
        if not points:
            continue
        back = target == wallet.id
        transfer = _post(
            session,
            source=ORDERS_HELD,
            target=target,
            amount=points,
            kind="refund" if back else "refund_expired",
            employee=employee,
            now=now,
            order_id=order_id,
            reverses_id=hold.id,
        )
        if back:
            wallet.balance += points
        for take in takes:
            lot = lots[take.lot_id]
            if back:
                lot.remaining += take.points
            else:
                lot.expired += take.points
            session.add(
                LotAllocation(
                    lot_id=take.lot_id,
                    transfer_id=transfer.id,
                    order_id=order_id,
                    points=-take.points,
                )
            )


def expire_lot(
    session: Session, wallet: Account, employee: Employee, lot: Lot, now: datetime
) -> int:
    """Move what is left of an expired lot to ``expired``; returns the points moved."""
    points = lot.remaining
    if points <= 0:
        return 0
    _post(
        session,
        source=wallet.id,
        target=EXPIRED,
        amount=points,
        kind="expire",
        employee=employee,
        now=now,
        memo=f"lot {lot.id}",
    )
    wallet.balance -= points
    lot.remaining = 0
    lot.expired += points
    return points


def held_by_employee(session: Session, employee_ids: list[str] | None = None) -> dict[str, int]:
    """Points held by each employee's open orders."""
    query = select(Order.employee_id, func.sum(Order.points)).where(
        Order.status.in_([s.value for s in OPEN_ORDER_STATUSES])
    )
    if employee_ids is not None:
        query = query.where(Order.employee_id.in_(employee_ids))
    held: dict[str, int] = defaultdict(int)
    for employee_id, points in session.execute(query.group_by(Order.employee_id)):
        held[employee_id] = int(points)
    return held
