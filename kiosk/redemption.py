"""Placing and cancelling orders at the kiosk: checks, then the order and its outbox row in
one committed transaction, before the worker is told "done"."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from kiosk.errors import OrderRefused, Refusal
from kiosk.order_states import CANCELLABLE, KioskOrderStatus, OutboxState
from kiosk.quote import check_quantity, quote_order
from kiosk.store.database import Store
from kiosk.store.models import Item, Order, Outbox, SyncState
from sync.engine import OutboxKind
from sync.protocol import CancelRequest, Evidence, OrderRequest
from sync.voucher import voucher_code


@dataclass(frozen=True)
class PlacedOrder:
    """An order safely in the outbox: what the done screen tells the worker."""

    order_id: str
    voucher: str
    item_id: str
    title_zh: str
    title_en: str
    category: str
    quantity: int
    points: int
    offline: bool
    balance_after: int


# Refusals that make the PIN question pointless: nobody could place this order.
_BEFORE_PIN = (
    Refusal.KIOSK_DISABLED,
    Refusal.EMPLOYEE_INACTIVE,
    Refusal.ITEM_INACTIVE,
    Refusal.PIN_NEEDS_NETWORK,  # asking for a PIN that cannot be checked helps nobody
)


def place_order(
    store: Store,
    employee_id: str,
    item_id: str,
    quantity: int,
    *,
    now: datetime,
    online: bool,
    seconds_since_sync: float | None,
    pin_verified: bool,
    evidence: Evidence | None = None,
    has_badge: bool = True,
    badge_serial: str | None = None,
    disabled: bool = False,
) -> PlacedOrder:
    """Check and record an order; returns once it is durably in the outbox."""
    check_quantity(quantity)
    with store.write() as session:
        quote = quote_order(
            session,
            employee_id,
            item_id,
            quantity,
            now=now,
            online=online,
            disabled=disabled,
            seconds_since_sync=seconds_since_sync,
            pin_verified=pin_verified,
            has_badge=has_badge,
        )
        refusal = quote.refusal
        if refusal is not None and refusal.reason in _BEFORE_PIN:
            raise refusal
        if quote.pin_needed:
            raise OrderRefused(Refusal.PIN_REQUIRED)
        if refusal is not None:
            raise refusal
        item = session.get_one(Item, item_id)
        request = OrderRequest(
            order_id=uuid.uuid4(),
            employee_id=employee_id,
            item_id=item_id,
            quantity=quantity,
            points=quote.cost,
            badge_serial=badge_serial,
            placed_at=now,
            offline=not online,
            evidence=evidence,
        )
        order_id = str(request.order_id)
        gen = session.get_one(SyncState, 1).generation
        session.add(
            Order(
                id=order_id,
                employee_id=employee_id,
                item_id=item_id,
                quantity=quantity,
                points=quote.cost,
                status=KioskOrderStatus.QUEUED,
                reason=None,
                placed_at=now,
                created_at=None,
                gen=gen,
            )
        )
        session.add(
            Outbox(
                kind=OutboxKind.ORDER,
                order_id=order_id,
                employee_id=employee_id,
                item_id=item_id,
                quantity=quantity,
                points=quote.cost,
                offline=not online,
                body=request.model_dump_json(),
                state=OutboxState.QUEUED,
                created_at=now,
            )
        )
        return PlacedOrder(
            order_id=order_id,
            voucher=voucher_code(order_id),
            item_id=item_id,
            title_zh=item.title_zh,
            title_en=item.title_en,
            category=item.category,
            quantity=quantity,
            points=quote.cost,
            offline=not online,
            balance_after=quote.balance_after,
        )


def cancel_order(
    store: Store,
    employee_id: str,
    order_id: str,
    now: datetime,
    evidence: Evidence | None = None,
) -> None:
    """Ask for a pending order to be cancelled; the points return once the ledger agrees.

    The ledger takes a cancel from the kiosk that placed the order, or with the worker's
    badge from any kiosk: ``evidence`` travels in the outbox for that case.
    """
    with store.write() as session:
        order = session.get(Order, order_id)
        if order is None or order.employee_id != employee_id:
            raise OrderRefused(Refusal.UNKNOWN_ORDER)
        if order.status not in CANCELLABLE:
            raise OrderRefused(Refusal.NOT_CANCELLABLE)
        already = session.scalar(
            select(Outbox.id).where(
                Outbox.kind == OutboxKind.CANCEL,
                Outbox.order_id == order_id,
                Outbox.state != OutboxState.REJECTED,
            )
        )
        if already is not None:
            return
        session.add(
            Outbox(
                kind=OutboxKind.CANCEL,
                order_id=order_id,
                employee_id=employee_id,
                item_id=order.item_id,
                quantity=0,
                points=0,
                offline=False,
                body=CancelRequest(evidence=evidence).model_dump_json(),
                state=OutboxState.QUEUED,
                created_at=now,
            )
        )
