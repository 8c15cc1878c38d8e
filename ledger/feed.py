"""The sync feed: every mirrored row changed after a cursor, in change order, in pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from ledger.domain.errors import Conflict
from ledger.domain.settings import get_settings
from ledger.domain.wallets import WALLET_KINDS, held_by_employee
from ledger.storage.changes import current_change_seq
from ledger.storage.models import Account, Badge, Employee, Item, Lot, Order, Rule, Transfer
from ledger.storage.schema import get_meta
from ledger.views import badge_out, entry_out, item_out, lot_out, order_out, rule_out
from sync.protocol import EmployeeOut, ErrorCode, SyncPage

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


def _employees(session: Session, rows: Sequence[Employee]) -> list[EmployeeOut]:
    ids = [e.id for e in rows]
    balances = dict(
        session.execute(
            select(Account.employee_id, Account.balance).where(Account.employee_id.in_(ids))
        ).all()
    )
    held = held_by_employee(session, ids)
    return [
        EmployeeOut(
            id=e.id,
            name=e.name,
            department=e.department,
            language=e.language,  # type: ignore[arg-type]
            active=e.active,
            balance=int(balances.get(e.id, 0)),
            held=held.get(e.id, 0),
            pin_hash=e.pin_hash,
        )
        for e in rows
    ]


def build_page(session: Session, cursor: int, limit: int, now: datetime) -> SyncPage:
    """One page of changes after ``cursor``; run inside a snapshot transaction."""
    top = current_change_seq(session)
    if cursor > top:
        raise Conflict(ErrorCode.CURSOR_EXPIRED, "unknown cursor; reload a full snapshot")
    limit = max(1, min(limit, MAX_PAGE))
    horizon = now - SNAPSHOT_HISTORY
    first = cursor == 0

    def changed(model: Any, *extra: Any) -> Select[Any]:
        query = select(model).where(model.change_seq > cursor, *extra)
        return query.order_by(model.change_seq).limit(limit + 1)

    tables: dict[str, Select[Any]] = {
        "employees": changed(Employee),
        "badges": changed(Badge),
        "entries": changed(
            Transfer,
            Transfer.kind.in_(WALLET_KINDS),
            *([Transfer.created_at >= horizon] if first else []),
        ),
        "lots": changed(
            Lot, *([or_(Lot.remaining > 0, Lot.expires_at >= horizon)] if first else [])
        ),
        "items": changed(Item),
        "rules": changed(Rule),
        "orders": changed(Order, *([Order.updated_at >= horizon] if first else [])),
    }
    candidates: list[tuple[int, str, Any]] = []
    for name, query in tables.items():
        candidates += [(row.change_seq, name, row) for row in session.scalars(query)]
    candidates.sort(key=lambda c: c[0])
    has_more = len(candidates) > limit
    page = candidates[:limit]
    new_cursor = page[-1][0] if has_more else top
    grouped: dict[str, list[Any]] = {name: [] for name in tables}
    for _, name, row in page:
        grouped[name].append(row)
    convert: dict[str, Callable[[Any], Any]] = {
        "badges": badge_out,
        "entries": entry_out,
        "lots": lot_out,
        "items": item_out,
        "rules": rule_out,
        "orders": order_out,
    }
    return SyncPage(
        cursor=str(new_cursor),
        has_more=has_more,
        epoch=get_meta(session, "epoch"),
        server_time=now,
        settings=get_settings(session),
        employees=_employees(session, grouped.pop("employees")),
        **{name: [convert[name](row) for row in rows] for name, rows in grouped.items()},
    )
