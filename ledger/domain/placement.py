"""Placing an order: idempotency, the hold, stock and limits, all under the wallet lock.

This is the ledger's hottest path. On SQLite it speaks SQLAlchemy Core rather than the ORM
(a dozen small statements, no unit-of-work bookkeeping); on PostgreSQL the same steps run
inside the ``ledger_place_order`` function (migration 0002) in one round trip, with row locks
(wallet, then the item if it is stocked), because on a small server the per-statement cost,
not the database, bounds orders per second. Both write ``change_seq = NULL`` on every
mirrored row they touch (the ORM hook sees no Core).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import psycopg
from sqlalchemy import Connection, Row, bindparam, func, insert, select, true, update
from sqlalchemy.orm import Session

from ledger.domain.errors import Conflict, NotFound
from ledger.domain.lots import OpenLot, fifo_takes
from ledger.domain.wallets import ORDERS_HELD, wallet_id
from ledger.storage.models import Account, Employee, Item, Lot, LotAllocation, Order, Transfer
from ledger.wire import order_out
from sync.periods import period_bounds
from sync.protocol import OPEN_ORDER_STATUSES, ErrorCode, OrderOut, OrderRequest, OrderStatus

REFUSAL_MESSAGES = {
    ErrorCode.INSUFFICIENT_POINTS: "not enough points for this order",
    ErrorCode.OUT_OF_STOCK: "the item is out of stock",
    ErrorCode.LIMIT_REACHED: "the per-employee limit for this item is reached for this period",
    ErrorCode.PRICE_CHANGED: "the item's price changed; the order's points do not match",
    ErrorCode.ITEM_INACTIVE: "the item is no longer offered",
    ErrorCode.EMPLOYEE_INACTIVE: "the employee is not active",
}

orders = Order.__table__
items = Item.__table__
employees = Employee.__table__
accounts = Account.__table__
lots = Lot.__table__
transfers = Transfer.__table__
allocations = LotAllocation.__table__
_COUNTED = [*(s.value for s in OPEN_ORDER_STATUSES), OrderStatus.FULFILLED.value]


def request_hash(request: OrderRequest) -> str:
    """A fingerprint of the body: same id with another body is an idempotency mismatch."""
    # The evidence proves who asked; it is not part of what was asked (and orders stored
    # before evidence existed keep their fingerprints).
    body = request.model_dump(mode="json", exclude={"evidence"})
    body["placed_at"] = request.placed_at.timestamp()  # same instant, any spelling
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Placement:
    """The outcome: the order as stored, whether this call created it, and any refusal."""

    order: OrderOut
    created: bool
    refusal: ErrorCode | None = None


def _existing(conn: Connection, order_id: str, digest: str) -> Placement | None:
    row = conn.execute(select(orders).where(orders.c.id == order_id)).first()
    return None if row is None else _replay(row, digest)


def _replay(row: Any, digest: str) -> Placement:
    if row.request_hash != digest:
        raise Conflict(
            ErrorCode.IDEMPOTENCY_MISMATCH, f"order {row.id} exists with a different body"
        )
    refusal = ErrorCode(row.reason) if row.refused else None
    return Placement(order_out(row), created=False, refusal=refusal)


def _check(
    conn: Connection, request: OrderRequest, active: bool, item: Row[Any], now: datetime, tz: str
) -> ErrorCode | None:
    if not active:
        return ErrorCode.EMPLOYEE_INACTIVE
    if not item.active:
        return ErrorCode.ITEM_INACTIVE
    if request.points != item.points * request.quantity:
        return ErrorCode.PRICE_CHANGED
    if item.stock is not None and item.stock < request.quantity:
        return ErrorCode.OUT_OF_STOCK
    if item.limit_per_employee is not None and item.limit_period is not None:
        start, end = period_bounds(now, item.limit_period, tz)
        used = conn.execute(
            select(func.coalesce(func.sum(orders.c.quantity), 0)).where(
                orders.c.employee_id == request.employee_id,
                orders.c.item_id == item.id,
                orders.c.status.in_(_COUNTED),
                orders.c.created_at >= start,
                orders.c.created_at < end,
            )
        ).scalar_one()
        if int(used) + request.quantity > item.limit_per_employee:
            return ErrorCode.LIMIT_REACHED
    return None


def place_order(
    session: Session,
    request: OrderRequest,
    now: datetime,
    device_id: str | None = None,
    tz: str = "UTC",
) -> Placement:
    """Place (or replay) an order on SQLite. A refused order is stored as rejected.

    ``tz`` is the site timezone, which bounds the per-employee limit periods. The caller's
    write transaction is exclusive (``BEGIN IMMEDIATE``), so no other order can interleave;
    PostgreSQL runs :func:`place_order_in_postgres` instead, which locks rows.
    """
    conn = session.connection()
    order_id = str(request.order_id)
    digest = request_hash(request)
    found = conn.execute(
        select(
            employees.c.active,
            select(orders.c.id).where(orders.c.id == order_id).scalar_subquery().label("seen"),
        )
        .select_from(employees.join(items, true()))
        .where(employees.c.id == request.employee_id, items.c.id == request.item_id)
    ).first()
    if found is None or found.seen is not None:
        if (replay := _existing(conn, order_id, digest)) is not None:
            return replay
        if conn.execute(
            select(employees.c.id).where(employees.c.id == request.employee_id)
        ).first():
            raise NotFound(ErrorCode.UNKNOWN_ITEM, f"no item {request.item_id}")
        raise NotFound(ErrorCode.UNKNOWN_EMPLOYEE, f"no employee {request.employee_id}")
    wallet = wallet_id(request.employee_id)
    balance = conn.execute(select(accounts.c.balance).where(accounts.c.id == wallet)).scalar_one()
    item = conn.execute(select(items).where(items.c.id == request.item_id)).one()
    refusal = _check(conn, request, found.active, item, now, tz)
    takes = []
    if refusal is None:
        open_lots = conn.execute(
            select(lots.c.id, lots.c.remaining, lots.c.expires_at)
            .where(
                lots.c.employee_id == request.employee_id,
                lots.c.remaining > 0,
                lots.c.expires_at > now,
            )
            .order_by(lots.c.expires_at, lots.c.id)
        ).all()
        try:
            if balance < request.points:
                raise ValueError("balance")
            takes = fifo_takes((OpenLot(*lot) for lot in open_lots), request.points)
        except ValueError:
            refusal = ErrorCode.INSUFFICIENT_POINTS
    values = _order_values(request, digest, now, device_id, refusal)
    conn.execute(insert(orders).values(values))
    if refusal is None:
        _hold(conn, request, wallet, item, takes, now)
    return Placement(_as_out(values), created=True, refusal=refusal)


def _hold(
    conn: Connection,
    request: OrderRequest,
    wallet: str,
    item: Row[Any],
    takes: list[Any],
    now: datetime,
) -> None:
    order_id = str(request.order_id)
    transfer_id = conn.execute(
        insert(transfers)
        .values(
            from_account=wallet,
            to_account=ORDERS_HELD,
            amount=request.points,
            kind="hold",
            employee_id=request.employee_id,
            order_id=order_id,
            memo=item.title_en[:200],
            created_at=now,
            change_seq=None,
        )
        .returning(transfers.c.id)
    ).scalar_one()
    conn.execute(
        update(accounts)
        .where(accounts.c.id == wallet)
        .values(balance=accounts.c.balance - request.points)
    )
    conn.execute(
        update(lots)
        .where(lots.c.id == bindparam("lot_id"))
        .values(remaining=lots.c.remaining - bindparam("take"), change_seq=None),
        [{"lot_id": t.lot_id, "take": t.points} for t in takes],
    )
    conn.execute(
        insert(allocations),
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
    conn.execute(
        update(employees).where(employees.c.id == request.employee_id).values(change_seq=None)
    )
    if item.stock is not None:
        conn.execute(
            update(items)
            .where(items.c.id == item.id)
            .values(stock=items.c.stock - request.quantity, updated_at=now, change_seq=None)
        )


def _pg_params(
    request: OrderRequest, digest: str, now: datetime, device_id: str | None, tz: str
) -> tuple[Any, ...]:
    return (
        str(request.order_id),
        request.employee_id,
        request.item_id,
        request.quantity,
        request.points,
        request.badge_serial,
        device_id,
        request.offline,
        digest,
        request.placed_at.astimezone(UTC),
        now,
        tz,
    )


def _pg_created(
    outcome: str,
    refusal_text: str | None,
    request: OrderRequest,
    digest: str,
    now: datetime,
    device_id: str | None,
) -> Placement:
    if outcome == ErrorCode.UNKNOWN_EMPLOYEE:
        raise NotFound(ErrorCode.UNKNOWN_EMPLOYEE, f"no employee {request.employee_id}")
    if outcome == ErrorCode.UNKNOWN_ITEM:
        raise NotFound(ErrorCode.UNKNOWN_ITEM, f"no item {request.item_id}")
    refusal = ErrorCode(refusal_text) if refusal_text else None
    values = _order_values(request, digest, now, device_id, refusal)
    return Placement(_as_out(values), created=True, refusal=refusal)


@dataclass(frozen=True)
class PlacedEvent:
    """The domain event a new order announces; written only when the order is created."""

    id: str
    type: str
    subject: str
    actor: str
    payload: str  # JSON

    def params(self, now: datetime) -> tuple[Any, ...]:
        return (self.id, self.type, now, self.subject, self.actor, self.payload)


async def place_order_in_postgres(
    conn: psycopg.AsyncConnection[Any],
    request: OrderRequest,
    now: datetime,
    device_id: str | None = None,
    tz: str = "UTC",
    event: PlacedEvent | None = None,
) -> Placement:
    """The same as :func:`place_order`, as one call of the ``ledger_place_order`` function.

    Run it on an autocommit connection: the statement (the function, and the event's insert
    when an order is created) is the transaction.
    """
    digest = request_hash(request)
    params = _pg_params(request, digest, now, device_id, tz)
    if event is not None:
        params += event.params(now)
    cursor = await conn.execute(_pg_place(event), params, prepare=True)
    outcome, refusal_text = await cursor.fetchone() or (None, None)
    if outcome == "existing":
        cursor = await conn.execute(_PG_ORDER, (str(request.order_id),), prepare=True)
        names = [column.name for column in cursor.description or ()]
        row = dict(zip(names, await cursor.fetchone() or (), strict=True))
        return _replay(SimpleNamespace(**row), digest)
    return _pg_created(outcome, refusal_text, request, digest, now, device_id)


def place_order_in_postgres_blocking(
    conn: Connection,
    request: OrderRequest,
    now: datetime,
    device_id: str | None = None,
    tz: str = "UTC",
    event: PlacedEvent | None = None,
) -> Placement:
    """:func:`place_order_in_postgres` for blocking callers (CLI, demo seed, tests)."""
    digest = request_hash(request)
    params = _pg_params(request, digest, now, device_id, tz)
    if event is not None:
        params += event.params(now)
    outcome, refusal_text = conn.exec_driver_sql(_pg_place(event), params).one()
    if outcome == "existing":
        row = conn.execute(select(orders).where(orders.c.id == str(request.order_id))).one()
        return _replay(row, digest)
    return _pg_created(outcome, refusal_text, request, digest, now, device_id)


_PG_PLACE = (
    "SELECT outcome, refusal FROM ledger_place_order("
    "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_PG_ORDER = "SELECT * FROM orders WHERE id = %s"
# The event goes in by a data-modifying CTE: same statement, same transaction as the order.
_PG_PLACE_ANNOUNCED = (
    "WITH placed AS (" + _PG_PLACE + "), announced AS ("
    "INSERT INTO domain_events (id, type, occurred_at, subject, actor, payload) "
    "SELECT %s, %s, %s, %s, %s, %s FROM placed "
    "WHERE placed.outcome = 'created' AND placed.refusal IS NULL"
    ") SELECT outcome, refusal FROM placed"
)


def _pg_place(event: PlacedEvent | None) -> str:
    return _PG_PLACE if event is None else _PG_PLACE_ANNOUNCED


def _order_values(
    request: OrderRequest,
    digest: str,
    now: datetime,
    device_id: str | None,
    refusal: ErrorCode | None,
) -> dict[str, Any]:
    return {
        "id": str(request.order_id),
        "employee_id": request.employee_id,
        "item_id": request.item_id,
        "quantity": request.quantity,
        "points": request.points,
        "status": (OrderStatus.REJECTED if refusal else OrderStatus.PENDING).value,
        "reason": refusal.value if refusal else None,
        "refused": refusal is not None,
        "badge_serial": request.badge_serial,
        "device_id": device_id,
        "offline": request.offline,
        "request_hash": digest,
        "placed_at": request.placed_at.astimezone(UTC),
        "created_at": now,
        "updated_at": now,
        "change_seq": None,
    }


def _as_out(values: dict[str, Any]) -> OrderOut:
    return OrderOut(
        order_id=values["id"],
        employee_id=values["employee_id"],
        item_id=values["item_id"],
        quantity=values["quantity"],
        points=values["points"],
        status=OrderStatus(values["status"]),
        reason=values["reason"],
        device_id=values["device_id"],
        offline=values["offline"],
        placed_at=values["placed_at"],
        created_at=values["created_at"],
        updated_at=values["updated_at"],
    )
