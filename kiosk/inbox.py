"""A worker's inbox at the kiosk: what happened since their last visit, read from the mirror,
and their "got it", kept here at once and sent to the ledger through the outbox.

A message read at any kiosk comes back from the ledger marked read and is not shown again;
one read here is hidden at once (a read mark beside the mirror), offline too, and the ledger
hears of it with the next push.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.order_states import OutboxState
from kiosk.store.database import Store
from kiosk.store.models import Item, Message, Order, Outbox, ReadMark, Rule
from sync.engine import OutboxKind
from sync.protocol import Evidence, MessagesRead

# The most messages one visit shows (and one read mark sends); older ones wait their turn.
MAX_SHOWN = 50


@dataclass(frozen=True)
class InboxMessage:
    """One line of the inbox, with its titles in both languages."""

    id: int
    kind: str
    created_at: datetime
    points: int | None
    title_zh: str | None  # the ordered item's or the rule's title
    title_en: str | None
    note: str | None
    expires_at: datetime | None
    order_id: str | None


def unread(session: Session, employee_id: str, limit: int = MAX_SHOWN) -> tuple[InboxMessage, ...]:
    """The worker's unread messages, newest first."""
    rows = session.execute(
        select(Message, Item.title_zh, Item.title_en, Rule.title_zh, Rule.title_en)
        .outerjoin(Order, Order.id == Message.order_id)
        .outerjoin(Item, Item.id == Order.item_id)
        .outerjoin(Rule, Rule.kind == Message.rule_kind)
        .where(
            Message.employee_id == employee_id,
            Message.read.is_(False),
            Message.id.not_in(select(ReadMark.message_id)),
        )
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(limit)
    ).all()
    return tuple(
        InboxMessage(
            id=m.id,
            kind=m.kind,
            created_at=m.created_at,
            points=m.points,
            title_zh=item_zh or rule_zh,
            title_en=item_en or rule_en,
            note=m.note,
            expires_at=m.expires_at,
            order_id=m.order_id,
        )
        for m, item_zh, item_en, rule_zh, rule_en in rows
    )


def mark_read(
    store: Store,
    employee_id: str,
    message_ids: Sequence[int],
    evidence: Evidence | None,
    now: datetime,
) -> None:
    """Hide these messages here at once and queue the read mark for the ledger, in one
    transaction: the worker's "got it" survives a power cut as an order does."""
    ids = sorted(set(message_ids))
    if not ids:
        return
    with store.write() as session:
        marked = select(ReadMark.message_id).where(ReadMark.message_id.in_(ids))
        known = set(session.scalars(marked))
        fresh = [i for i in ids if i not in known]
        if not fresh:
            return
        body = MessagesRead(employee_id=employee_id, message_ids=fresh, evidence=evidence)
        row = Outbox(
            kind=OutboxKind.READ,
            # Outbox rows are keyed like orders; a read mark gets an id of its own.
            order_id=str(uuid.uuid4()),
            employee_id=employee_id,
            item_id="",
            quantity=0,
            points=0,
            offline=False,
            body=body.model_dump_json(),
            state=OutboxState.QUEUED,
            created_at=now,
        )
        session.add(row)
        session.flush()
        session.add_all(ReadMark(message_id=i, outbox_id=row.id) for i in fresh)
