"""Placing an order: idempotency, the hold, stock and limits, all under the wallet lock.

This is the ledger's hottest path. On SQLite it speaks SQLAlchemy Core rather than the ORM
(a dozen small statements, no unit-of-work bookkeeping), and the hold is the ledger's one
FIFO debit (:func:`ledger.domain.wallets.debit`). On PostgreSQL the same steps run inside
the ``ledger_place_order`` function (``ledger/storage/sql/place_order.sql``, rendered from
the same constants) in one round trip, with row locks (wallet, then the item if it is
stocked), because on a small server the per-statement cost, not the database, bounds orders
per second. Both write ``change_seq = NULL`` on every mirrored row they touch (the ORM hook
sees no Core), and both answer with the order row as stored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

import psycopg
from sqlalchemy import Connection, Row, func, insert, select, true, update
from sqlalchemy.orm import Session

from ledger.domain import evidence
from ledger.domain.device_caps import DeviceCaps, Usage, count_order
from ledger.domain.errors import Conflict, InsufficientPoints, NotFound, Unauthorized
from ledger.domain.evidence import Presence
from ledger.domain.wallets import debit
from ledger.storage.accounts import ORDERS_HELD, TransferKind
from ledger.storage.models import (
    MEMO_LENGTH,
    Device,
    Employee,
    Item,
    Order,
    PinToken,
    table_of,
)
from ledger.storage.pg_functions import PlaceOutcome
from ledger.wire import order_out
from sync.periods import period_bounds
from sync.protocol import LIMIT_COUNTED_STATUSES, ErrorCode, OrderOut, OrderRequest, OrderStatus

REFUSAL_MESSAGES = {
    ErrorCode.EVIDENCE_INVALID: "the order does not carry this worker's badge, card or PIN",
    ErrorCode.INSUFFICIENT_POINTS: "not enough points for this order",
    ErrorCode.OUT_OF_STOCK: "the item is out of stock",
    ErrorCode.LIMIT_REACHED: "the per-employee limit for this item is reached for this period",
    ErrorCode.PRICE_CHANGED: "the item's price changed; the order's points do not match",
    ErrorCode.ITEM_INACTIVE: "the item is no longer offered",
    ErrorCode.EMPLOYEE_INACTIVE: "the employee is not active",
    ErrorCode.DEVICE_CAP_REACHED: "this kiosk has reached its order cap for now",
}

orders = table_of(Order)
items = table_of(Item)
employees = table_of(Employee)
pin_tokens = table_of(PinToken)
devices = table_of(Device)
_COUNTED = [s.value for s in LIMIT_COUNTED_STATUSES]


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


def _stored(row: Any, created: bool) -> Placement:
    refusal = ErrorCode(row.reason) if row.refused else None
    return Placement(order_out(row), created=created, refusal=refusal)


def _replay(row: Any, digest: str) -> Placement:
    if row.request_hash != digest:
        raise Conflict(
            ErrorCode.IDEMPOTENCY_MISMATCH, f"order {row.id} exists with a different body"
        )
    return _stored(row, created=False)


def _existing(conn: Connection, order_id: str, digest: str) -> Placement | None:
    row = conn.execute(select(orders).where(orders.c.id == order_id)).first()
    return None if row is None else _replay(row, digest)


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
    presence: Presence | None = None,
    caps: DeviceCaps | None = None,
) -> Placement:
    """Place (or replay) an order on SQLite. A refused order is stored as rejected.

    ``presence`` is the verdict on the kiosk's evidence (``None``: not a kiosk's order, no
    evidence asked); bad evidence refuses the order before anything else is looked at, and a
    PIN token is spent only by an order that is placed. A kiosk's order (``device_id``)
    needs the kiosk live, and ``caps`` bound what it orders per hour and day; the last
    check, after the points are known to be there.

    ``tz`` is the site timezone, which bounds the per-employee limit periods. The caller's
    write transaction is exclusive (``BEGIN IMMEDIATE``), so no other order can interleave;
    PostgreSQL runs :func:`place_order_in_postgres` instead, which locks rows.
    """
    conn = session.connection()
    order_id = str(request.order_id)
    digest = request_hash(request)
    device = None
    if device_id is not None:
        device = conn.execute(select(devices).where(devices.c.id == device_id)).first()
        if device is None or device.revoked_at is not None:
            raise Unauthorized(ErrorCode.DEVICE_REVOKED, "this kiosk has been disabled")
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
    item = conn.execute(select(items).where(items.c.id == request.item_id)).one()
    refusal = _evidence_refusal(session, request, presence, device_id, now)
    if refusal is None:
        refusal = _check(conn, request, found.active, item, now, tz)
    counted: Usage | None = None
    if refusal is None:

        def within_caps() -> None:
            nonlocal counted
            if device is None:
                return
            counted = count_order(
                _usage(device), now, tz, request.points, request.offline, caps or DeviceCaps()
            )
            if counted is None:
                raise _CapReached

        try:
            debit(
                session,
                request.employee_id,
                request.points,
                now,
                target=ORDERS_HELD,
                kind=TransferKind.HOLD.value,
                order_id=order_id,
                funded=within_caps,
                memo=item.title_en[:MEMO_LENGTH],
            )
        except InsufficientPoints:
            refusal = ErrorCode.INSUFFICIENT_POINTS
        except _CapReached:
            refusal = ErrorCode.DEVICE_CAP_REACHED
            conn.execute(update(devices).where(devices.c.id == device_id).values(capped_at=now))
    if counted is not None:
        conn.execute(update(devices).where(devices.c.id == device_id).values(asdict(counted)))
    row = conn.execute(
        insert(orders)
        .values(_order_values(request, digest, now, device_id, refusal))
        .returning(*orders.c)
    ).one()
    if refusal is None and item.stock is not None:
        conn.execute(
            update(items)
            .where(items.c.id == item.id)
            .values(stock=items.c.stock - request.quantity, updated_at=now, change_seq=None)
        )
    if refusal is None and presence is not None and presence.pin_token_hash is not None:
        conn.execute(
            update(pin_tokens)
            .where(pin_tokens.c.token_hash == presence.pin_token_hash)
            .values(used_at=now)
        )
    return _stored(row, created=True)


class _CapReached(Exception):
    """A device cap refuses the order (raised before the debit writes anything)."""


def _usage(device: Row[Any]) -> Usage:
    # The counters are the device row's columns of the same names.
    return Usage(**{name: getattr(device, name) for name in Usage.__dataclass_fields__})


def _evidence_refusal(
    session: Session,
    request: OrderRequest,
    presence: Presence | None,
    device_id: str | None,
    now: datetime,
) -> ErrorCode | None:
    if presence is None:
        return None
    agreed = device_id is not None and evidence.rows_agree(
        session, presence, request.employee_id, device_id, now
    )
    return None if agreed else ErrorCode.EVIDENCE_INVALID


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


class _AnsweredOrder(NamedTuple):
    """The columns of the stored order row that the answer and a replay need."""

    id: str
    employee_id: str
    item_id: str
    quantity: int
    points: int
    status: str
    reason: str | None
    refused: bool
    device_id: str | None
    offline: bool
    request_hash: str
    placed_at: datetime
    created_at: datetime
    updated_at: datetime


# Named columns in a known order, read by position: asking the cursor for its description
# on every order costs more than the rest of the mapping. ``placed`` is NULL (so is every
# column) when the employee or item is unknown.
_PG_CALL = "ledger_place_order(" + ", ".join(["%s"] * 23) + ")"
_PG_COLUMNS = ", ".join(f"(r.placed).{name}" for name in _AnsweredOrder._fields)
# The order's event, when it has one, is written by the function in the order's statement.
_PG_PLACE = "SELECT r.outcome, " + _PG_COLUMNS + " FROM " + _PG_CALL + " AS r"


@dataclass(frozen=True)
class PlacedEvent:
    """The domain event a new order announces; written only when the order is placed."""

    id: str
    type: str
    actor: str
    payload: str  # JSON; the subject is the order's id

    def params(self) -> tuple[Any, ...]:
        return (self.id, self.type, self.actor, self.payload)


_NO_EVENT = (None, None, None, None)


def _pg_params(
    request: OrderRequest,
    digest: str,
    now: datetime,
    device_id: str | None,
    tz: str,
    presence: Presence | None,
    event: PlacedEvent | None,
    caps: DeviceCaps | None,
) -> tuple[Any, ...]:
    """The arguments of ``ledger_place_order``, in its order."""
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
        None if presence is None else presence.valid,
        None if presence is None else presence.kind,
        None if presence is None else presence.key,
        *(caps or DeviceCaps()).as_params(),
        *(_NO_EVENT if event is None else event.params()),
    )


def _pg_placement(values: Sequence[Any], request: OrderRequest, digest: str) -> Placement:
    outcome = values[0]
    if outcome == ErrorCode.DEVICE_REVOKED:
        raise Unauthorized(ErrorCode.DEVICE_REVOKED, "this kiosk has been disabled")
    if outcome == ErrorCode.UNKNOWN_EMPLOYEE:
        raise NotFound(ErrorCode.UNKNOWN_EMPLOYEE, f"no employee {request.employee_id}")
    if outcome == ErrorCode.UNKNOWN_ITEM:
        raise NotFound(ErrorCode.UNKNOWN_ITEM, f"no item {request.item_id}")
    row = _AnsweredOrder._make(values[1:])
    # The driver gives timestamps in the session's time zone; the ledger speaks UTC.
    row = row._replace(
        placed_at=row.placed_at.astimezone(UTC),
        created_at=row.created_at.astimezone(UTC),
        updated_at=row.updated_at.astimezone(UTC),
    )
    if outcome == PlaceOutcome.EXISTING:
        return _replay(row, digest)
    if outcome != PlaceOutcome.CREATED:
        raise RuntimeError(f"ledger_place_order answered {outcome!r}")
    return _stored(row, created=True)


async def place_order_in_postgres(
    conn: psycopg.AsyncConnection[Any],
    request: OrderRequest,
    now: datetime,
    device_id: str | None = None,
    tz: str = "UTC",
    presence: Presence | None = None,
    event: PlacedEvent | None = None,
    caps: DeviceCaps | None = None,
) -> Placement:
    """The same as :func:`place_order`, as one call of the ``ledger_place_order`` function.

    Run it on an autocommit connection: the single statement (the function, which writes the
    order's event too) is the transaction.
    """
    digest = request_hash(request)
    params = _pg_params(request, digest, now, device_id, tz, presence, event, caps)
    cursor = await conn.execute(_PG_PLACE, params, prepare=True)
    values = await cursor.fetchone()
    if values is None:
        raise RuntimeError("ledger_place_order returned no row")
    return _pg_placement(values, request, digest)


def place_order_in_postgres_blocking(
    conn: Connection,
    request: OrderRequest,
    now: datetime,
    device_id: str | None = None,
    tz: str = "UTC",
    presence: Presence | None = None,
    event: PlacedEvent | None = None,
    caps: DeviceCaps | None = None,
) -> Placement:
    """:func:`place_order_in_postgres` for blocking callers (CLI, demo seed, tests)."""
    digest = request_hash(request)
    params = _pg_params(request, digest, now, device_id, tz, presence, event, caps)
    return _pg_placement(conn.exec_driver_sql(_PG_PLACE, params).one(), request, digest)
