"""The sync feed: every mirrored row changed after a cursor, in change order, in pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, null, select
from sqlalchemy.orm import Session

from ledger.domain.errors import Conflict
from ledger.domain.settings import get_settings
from ledger.domain.wallets import WALLET_KINDS, held_by_employee
from ledger.storage.accounts import TransferKind
from ledger.storage.changes import current_change_seq
from ledger.storage.models import (
    Account,
    Badge,
    Employee,
    Item,
    Lot,
    Order,
    Rule,
    Transfer,
    WorkerMessage,
)
from ledger.storage.schema import get_meta
from ledger.wire import (
    ENTRY_COLUMNS,
    LOT_COLUMNS,
    MESSAGE_COLUMNS,
    badge_wire,
    employee_wire,
    entry_wire,
    item_wire,
    lot_wire,
    message_wire,
    rule_wire,
    synced_order_wire,
)
from sync.columns import SYNCED_ORDER_COLUMNS
from sync.protocol import ErrorCode, OrderStatus

# A first snapshot carries this much history; kiosks keep about 13 months.
SNAPSHOT_HISTORY = timedelta(days=400)
MAX_PAGE = 5000


def parse_cursor(text: str | None) -> int:
    """``None`` or empty means a full snapshot; anything unparsable is an expired cursor."""
    if not text:
        return 0
    # isascii: str.isdigit takes superscripts and other digits int() refuses.
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise Conflict(ErrorCode.CURSOR_EXPIRED, "unknown cursor; reload a full snapshot")
    return int(text)


def _employees(session: Session, rows: Sequence[Any]) -> list[dict[str, Any]]:
    ids = [e.id for e in rows]
    balances = dict(
        session.execute(
            select(Account.employee_id, Account.balance).where(Account.employee_id.in_(ids))
        ).all()
    )
    held = held_by_employee(session, ids)
    return [employee_wire(e, int(balances.get(e.id, 0)), held.get(e.id, 0)) for e in rows]


def _entry_column(name: str) -> Any:
    # A kiosk shows a memo only as an adjustment's title (HR's reason); the other memos name
    # ledger internals (a lot, an item already known by the order), so they stay here.
    if name == "memo":
        memo = Transfer.__table__.c.memo
        return case(
            (Transfer.__table__.c.kind == TransferKind.ADJUST.value, memo), else_=null()
        ).label("memo")
    return Transfer.__table__.c[name]


def _order_column(name: str) -> Any:
    # A kiosk shows an order's reason only when it was rejected; HR's words on other moves
    # (an approval's note, say) are not the worker's to read at a shared terminal.
    if name == "reason":
        reason = Order.__table__.c.reason
        return case(
            (Order.__table__.c.status == OrderStatus.REJECTED.value, reason), else_=null()
        ).label("reason")
    return Order.__table__.c[name]


def build_page(session: Session, cursor: int, limit: int, now: datetime) -> dict[str, Any]:
    """One page of changes after ``cursor`` in the shape of ``SyncPage``; run inside a
    snapshot transaction.

    Two steps: find the page's last change number from the change numbers alone (an index
    scan per table), then read just the rows up to it as Core rows. Loading ``limit`` full
    rows from every table and keeping ``limit`` of them cost twice the work and ORM objects.
    """
    top = current_change_seq(session)
    if cursor > top:
        raise Conflict(ErrorCode.CURSOR_EXPIRED, "unknown cursor; reload a full snapshot")
    limit = max(1, min(limit, MAX_PAGE))
    horizon = now - SNAPSHOT_HISTORY
    first = cursor == 0
    tables: dict[str, tuple[Any, list[Any]]] = {
        "employees": (Employee, []),
        "badges": (Badge, []),
        "entries": (
            Transfer,
            [Transfer.kind.in_(WALLET_KINDS), *([Transfer.created_at >= horizon] if first else [])],
        ),
        # A kiosk only shows lots with points left; spent and expired ones need not travel.
        "lots": (Lot, [Lot.remaining > 0] if first else []),
        "items": (Item, []),
        "rules": (Rule, []),
        "orders": (Order, [Order.updated_at >= horizon] if first else []),
        # A snapshot carries unread messages only; later pages carry read marks too, so a
        # message read at one kiosk leaves every other.
        "messages": (
            WorkerMessage,
            [WorkerMessage.read_at.is_(None), WorkerMessage.created_at >= horizon] if first else [],
        ),
    }
    # Core statements on the session's connection: the ORM's result handling is not needed.
    connection = session.connection()
    numbers: list[int] = []
    for model, extra in tables.values():
        numbers += connection.scalars(
            select(model.change_seq)
            .where(model.change_seq > cursor, *extra)
            .order_by(model.change_seq)
            .limit(limit + 1)
        ).all()
    numbers.sort()
    has_more = len(numbers) > limit
    upper = numbers[limit - 1] if has_more else top
    columns: dict[str, Any] = {
        "entries": tuple(_entry_column(name) for name in ENTRY_COLUMNS),
        "lots": tuple(Lot.__table__.c[name] for name in LOT_COLUMNS),
        "orders": tuple(_order_column(name) for name in SYNCED_ORDER_COLUMNS.columns),
        "messages": tuple(WorkerMessage.__table__.c[name] for name in MESSAGE_COLUMNS),
    }
    rows: dict[str, Sequence[Any]] = {
        name: connection.execute(
            select(*columns.get(name, (model.__table__,)))
            .where(model.change_seq > cursor, model.change_seq <= upper, *extra)
            .order_by(model.change_seq)
        ).all()
        for name, (model, extra) in tables.items()
    }
    convert: dict[str, Callable[[Any], dict[str, Any]]] = {
        "badges": badge_wire,
        "entries": entry_wire,
        "lots": lot_wire,
        "items": item_wire,
        "rules": rule_wire,
        "orders": synced_order_wire,
        "messages": message_wire,
    }
    return {
        "cursor": str(upper),
        "has_more": has_more,
        "epoch": get_meta(session, "epoch"),
        "settings": get_settings(session).model_dump(),
        "employees": _employees(session, rows.pop("employees")),
        **{name: [convert[name](row) for row in found] for name, found in rows.items()},
    }
