"""The sync feed: every mirrored row changed after a cursor, in change order, in pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.domain.errors import Conflict
from ledger.domain.settings import get_settings
from ledger.domain.wallets import WALLET_KINDS, held_by_employee
from ledger.storage.changes import current_change_seq
from ledger.storage.models import Account, Badge, Employee, Item, Lot, Order, Rule, Transfer
from ledger.storage.schema import get_meta
from sync.protocol import ErrorCode

# A first snapshot carries this much history; kiosks keep about 13 months.
SNAPSHOT_HISTORY = timedelta(days=400)
MAX_PAGE = 5000


def parse_cursor(text: str | None) -> int:
    """``None`` or empty means a full snapshot; anything unparsable is an expired cursor."""
    if not text:
        return 0
    if not text.isdigit() or len(text) > 18:
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
    return [
        {
            "id": e.id,
            "name": e.name,
            "department": e.department,
            "language": e.language,
            "active": e.active,
            "balance": int(balances.get(e.id, 0)),
            "held": held.get(e.id, 0),
            "pin_hash": e.pin_hash,
        }
        for e in rows
    ]


# Rows to the wire shapes of sync.protocol, as plain dicts: a snapshot carries millions of
# rows, and building a pydantic model per row cost more than reading it. The shapes are
# checked against the models by tests (and by every kiosk, which validates each page).


def _badge(b: Any) -> dict[str, Any]:
    return {
        "serial": b.serial,
        "employee_id": b.employee_id,
        "kind": b.kind,
        "uid": b.uid,
        "revoked": b.revoked_at is not None,
        "issued_at": b.issued_at,
    }


def _entry(t: Any) -> dict[str, Any]:
    # Positional unpacking: entries and lots are nearly all of a snapshot.
    id_, employee_id, to_account, amount, kind, rule_kind, order_id, memo, created_at = t
    return {
        "id": id_,
        "employee_id": employee_id,
        "points": amount if to_account == "wallet:" + employee_id else -amount,
        "kind": kind,
        "rule_kind": rule_kind,
        "order_id": order_id,
        "memo": memo,
        "created_at": created_at,
    }


def _lot(lot: Any) -> dict[str, Any]:
    id_, employee_id, points, remaining, expires_at = lot
    return {
        "id": id_,
        "employee_id": employee_id,
        "points": points,
        "remaining": remaining,
        "expires_at": expires_at,
    }


def _item(i: Any) -> dict[str, Any]:
    return {
        "id": i.id,
        "title": {"zh": i.title_zh, "en": i.title_en},
        "description": {"zh": i.description_zh, "en": i.description_en},
        "category": i.category,
        "points": i.points,
        "stock": i.stock,
        "limit_per_employee": i.limit_per_employee,
        "limit_period": i.limit_period,
        "active": i.active,
        "image_sha256": i.image_sha256,
    }


def _rule(r: Any) -> dict[str, Any]:
    return {
        "kind": r.kind,
        "points": r.points,
        "validity_days": r.validity_days,
        "active": r.active,
        "title": {"zh": r.title_zh, "en": r.title_en},
        "cap_per_period": r.cap_per_period,
        "period": r.period,
    }


def _order(o: Any) -> dict[str, Any]:
    return {
        "order_id": o.id,
        "employee_id": o.employee_id,
        "item_id": o.item_id,
        "quantity": o.quantity,
        "points": o.points,
        "status": o.status,
        "reason": o.reason,
        "device_id": o.device_id,
        "offline": o.offline,
        "placed_at": o.placed_at,
        "created_at": o.created_at,
        "updated_at": o.updated_at,
    }


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
        "entries": (
            Transfer.id, Transfer.employee_id, Transfer.to_account, Transfer.amount,
            Transfer.kind, Transfer.rule_kind, Transfer.order_id, Transfer.memo,
            Transfer.created_at,
        ),
        "lots": (Lot.id, Lot.employee_id, Lot.points, Lot.remaining, Lot.expires_at),
    }  # fmt: skip
    rows: dict[str, Sequence[Any]] = {
        name: connection.execute(
            select(*columns.get(name, (model.__table__,)))
            .where(model.change_seq > cursor, model.change_seq <= upper, *extra)
            .order_by(model.change_seq)
        ).all()
        for name, (model, extra) in tables.items()
    }
    convert: dict[str, Callable[[Any], dict[str, Any]]] = {
        "badges": _badge,
        "entries": _entry,
        "lots": _lot,
        "items": _item,
        "rules": _rule,
        "orders": _order,
    }
    return {
        "cursor": str(upper),
        "has_more": has_more,
        "epoch": get_meta(session, "epoch"),
        "server_time": now,
        "settings": get_settings(session).model_dump(),
        "employees": _employees(session, rows.pop("employees")),
        **{name: [convert[name](row) for row in found] for name, found in rows.items()},
    }
