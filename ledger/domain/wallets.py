"""Posting transfers: wallets, lots and the double-entry rows, all in the caller's transaction.

Every function here expects the employee's wallet to be locked first
(:func:`lock_wallet`), so concurrent spends of one worker's points serialise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from ledger.domain.errors import InsufficientPoints, NotFound
from ledger.domain.lots import OpenLot, Take, fifo_takes, split_refund

# Account names and kinds live in storage, where the SQL templates are rendered with them;
# callers have always found them here, so they are re-exported.
from ledger.storage.accounts import ADJUSTMENT as ADJUSTMENT
from ledger.storage.accounts import EXPIRED, ISSUANCE, TransferKind
from ledger.storage.accounts import ORDERS_HELD as ORDERS_HELD
from ledger.storage.accounts import REDEEMED as REDEEMED
from ledger.storage.accounts import WALLET_KINDS as WALLET_KINDS
from ledger.storage.accounts import wallet_id as wallet_id
from ledger.storage.changes import touch
from ledger.storage.models import (
    Account,
    Employee,
    Lot,
    LotAllocation,
    Order,
    Transfer,
    table_of,
)
from sync.protocol import OPEN_ORDER_STATUSES, ErrorCode

_accounts = table_of(Account)
_employees = table_of(Employee)
_lots = table_of(Lot)
_transfers = table_of(Transfer)
_allocations = table_of(LotAllocation)


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
    kind: str = TransferKind.EARN.value,
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


@dataclass(frozen=True, slots=True)
class Credit:
    """One earn of :func:`earn_many`: whose wallet, how many points, until when."""

    wallet: Account
    employee: Employee
    points: int
    expires_at: datetime
    refs: dict[str, object]


def earn_many(session: Session, credits: list[Credit], now: datetime) -> list[Transfer]:
    """:func:`earn` for many credits at once (an import's chunk): the transfers are written
    in one batched statement rather than one round trip each."""
    transfers = [
        Transfer(
            from_account=ISSUANCE,
            to_account=c.wallet.id,
            amount=c.points,
            kind=TransferKind.EARN.value,
            employee_id=c.employee.id,
            created_at=now,
            **c.refs,
        )
        for c in credits
    ]
    session.add_all(transfers)
    session.flush()
    lots = []
    for credit, transfer in zip(credits, transfers, strict=True):
        credit.wallet.balance += credit.points
        touch(credit.employee)
        lot = Lot(
            employee_id=credit.employee.id,
            earn_transfer_id=transfer.id,
            points=credit.points,
            remaining=credit.points,
            expired=0,
            expires_at=credit.expires_at,
            created_at=now,
        )
        session.add(lot)
        lots.append(lot)
    if any(c.expires_at <= now for c in credits):
        session.flush()
        for credit, lot in zip(credits, lots, strict=True):
            if credit.expires_at <= now:
                expire_lot(session, credit.wallet, credit.employee, lot, now)
    return transfers


@dataclass(frozen=True, slots=True)
class Debit:
    """A debit as written: its transfer and what each lot paid."""

    transfer_id: int
    takes: list[Take]


def debit(
    session: Session,
    employee_id: str,
    points: int,
    now: datetime,
    *,
    target: str,
    kind: str,
    order_id: str | None = None,
    funded: Callable[[], None] | None = None,
    **refs: Any,
) -> Debit:
    """Move ``points`` from the wallet to ``target``, taken from the lots that expire first.

    The one FIFO debit of the ledger in Python: an order's hold (on SQLite) and every other
    spend come here; the PostgreSQL order function does the same steps. Writes the transfer,
    the wallet's balance, the lots' ``remaining`` and an allocation per lot, and marks the
    mirrored rows for sync. Raises :class:`InsufficientPoints` before writing anything if the
    wallet or its unexpired lots hold less than ``points``.

    Core statements rather than the ORM keep the order path cheap; any copy of the wallet,
    lots or employee the session holds is expired afterwards, so ORM callers never see a
    stale balance.

    ``funded`` is called once the points are known to be there, before anything is written:
    a check that must come after "enough points" (an order's device caps) raises there.
    """
    session.flush()
    conn = session.connection()
    wallet = wallet_id(employee_id)
    balance = conn.execute(
        select(_accounts.c.balance).where(_accounts.c.id == wallet)
    ).scalar_one_or_none()
    if balance is None:
        raise NotFound(ErrorCode.UNKNOWN_EMPLOYEE, f"no employee {employee_id}")
    if balance < points:
        raise InsufficientPoints(needed=points, balance=balance)
    open_lots = conn.execute(
        select(_lots.c.id, _lots.c.remaining, _lots.c.expires_at)
        .where(
            _lots.c.employee_id == employee_id,
            _lots.c.remaining > 0,
            _lots.c.expires_at > now,
        )
        .order_by(_lots.c.expires_at, _lots.c.id)
        .with_for_update()
    ).all()
    try:
        takes = fifo_takes((OpenLot(*lot) for lot in open_lots), points)
    except ValueError as exc:
        # Unexpired lots hold less than the balance: the expiry job has not run yet.
        available = sum(lot.remaining for lot in open_lots)
        raise InsufficientPoints(needed=points, balance=available) from exc
    if funded is not None:
        funded()
    transfer_id = conn.execute(
        insert(_transfers)
        .values(
            from_account=wallet,
            to_account=target,
            amount=points,
            kind=kind,
            employee_id=employee_id,
            order_id=order_id,
            created_at=now,
            change_seq=None,
            **refs,
        )
        .returning(_transfers.c.id)
    ).scalar_one()
    conn.execute(
        update(_accounts)
        .where(_accounts.c.id == wallet)
        .values(balance=_accounts.c.balance - points)
    )
    conn.execute(
        update(_lots)
        .where(_lots.c.id == bindparam("lot_id"))
        .values(remaining=_lots.c.remaining - bindparam("take"), change_seq=None),
        [{"lot_id": t.lot_id, "take": t.points} for t in takes],
    )
    conn.execute(
        insert(_allocations),
        [
            {
                "lot_id": t.lot_id,
                "transfer_id": transfer_id,
                "order_id": order_id,
                "points": t.points,
            }
            for t in takes
        ],
    )
    # The employee row carries balance and held for kiosks: it must sync again.
    conn.execute(update(_employees).where(_employees.c.id == employee_id).values(change_seq=None))
    _expire_cached(session, Account, [wallet], ["balance"])
    _expire_cached(session, Lot, [t.lot_id for t in takes], ["remaining", "change_seq"])
    _expire_cached(session, Employee, [employee_id], ["change_seq"])
    return Debit(transfer_id, takes)


def _expire_cached(session: Session, model: type[Any], keys: list[Any], names: list[str]) -> None:
    for key in keys:
        cached = session.identity_map.get(identity_key(model, key))
        if cached is not None:
            session.expire(cached, names)


def spend(
    session: Session,
    employee: Employee,
    points: int,
    now: datetime,
    *,
    target: str,
    kind: str,
    order_id: str | None = None,
    **refs: Any,
) -> Transfer:
    """Debit the wallet (locked by the caller), taking from the lots that expire first;
    never below zero. See :func:`debit`."""
    debited = debit(
        session, employee.id, points, now, target=target, kind=kind, order_id=order_id, **refs
    )
    return session.get_one(Transfer, debited.transfer_id)


def refund_order(
    session: Session,
    wallet: Account,
    employee: Employee,
    order_id: str,
    hold: Transfer,
    now: datetime,
    *,
    source: str = ORDERS_HELD,
) -> None:
    """Give an order's points back to the lots that paid; expired lots' share expires.

    ``hold`` is the transfer the refund reverses: the hold of an open order (``source`` is
    ``orders_held``), or the redemption of a fulfilled one being reversed (``redeemed``).
    """
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
            source=source,
            target=target,
            amount=points,
            kind=(TransferKind.REFUND if back else TransferKind.REFUND_EXPIRED).value,
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
        kind=TransferKind.EXPIRE.value,
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
