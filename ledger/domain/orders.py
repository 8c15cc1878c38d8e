"""Orders: placement with idempotency, holds, stock and limits; the HR workflow; refunds."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.domain.errors import Conflict, InsufficientPoints, NotFound
from ledger.domain.periods import period_bounds
from ledger.domain.settings import get_settings
from ledger.domain.wallets import (
    ORDERS_HELD,
    REDEEMED,
    for_update,
    get_employee,
    lock_wallet,
    refund_order,
    spend,
)
from ledger.storage.models import Item, Order, Transfer
from sync.protocol import OPEN_ORDER_STATUSES, ErrorCode, OrderRequest, OrderStatus

REFUSAL_MESSAGES = {
    ErrorCode.INSUFFICIENT_POINTS: "not enough points for this order",
    ErrorCode.OUT_OF_STOCK: "the item is out of stock",
    ErrorCode.LIMIT_REACHED: "the per-employee limit for this item is reached for this period",
    ErrorCode.PRICE_CHANGED: "the item's price changed; the order's points do not match",
    ErrorCode.ITEM_INACTIVE: "the item is no longer offered",
    ErrorCode.EMPLOYEE_INACTIVE: "the employee is not active",
}


def request_hash(request: OrderRequest) -> str:
    """A fingerprint of the body: same id with another body is an idempotency mismatch."""
    body = request.model_dump(mode="json")
    body["placed_at"] = request.placed_at.timestamp()  # same instant, any spelling
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Placement:
    order: Order
    created: bool

    @property
    def refusal(self) -> ErrorCode | None:
        """The code the ledger refused the order with, if it did."""
        return ErrorCode(self.order.reason) if self.order.refused and self.order.reason else None


def _replay(existing: Order, digest: str) -> Placement:
    if existing.request_hash != digest:
        raise Conflict(
            ErrorCode.IDEMPOTENCY_MISMATCH,
            f"order {existing.id} exists with a different body",
        )
    return Placement(existing, created=False)


def _limit_used(session: Session, item: Item, employee_id: str, now: datetime, tz: str) -> int:
    assert item.limit_period is not None
    start, end = period_bounds(now, item.limit_period, tz)
    used = session.scalar(
        select(func.coalesce(func.sum(Order.quantity), 0)).where(
            Order.employee_id == employee_id,
            Order.item_id == item.id,
            Order.status.in_(
                [*(s.value for s in OPEN_ORDER_STATUSES), OrderStatus.FULFILLED.value]
            ),
            Order.created_at >= start,
            Order.created_at < end,
        )
    )
    return int(used or 0)


def place_order(
    session: Session, request: OrderRequest, now: datetime, device_id: str | None = None
) -> Placement:
    """Place (or replay) an order. A refused order is stored as rejected with the reason."""
    order_id = str(request.order_id)
    digest = request_hash(request)
    existing = session.get(Order, order_id)
    if existing is not None:
        return _replay(existing, digest)
    employee = get_employee(session, request.employee_id)
    item = session.get(Item, request.item_id)
    if item is None:
        raise NotFound(ErrorCode.UNKNOWN_ITEM, f"no item {request.item_id}")
    # Lock order: wallet, then item. Every path that takes both takes them in this order.
    wallet = lock_wallet(session, employee.id)
    if item.stock is not None:
        # Only stocked items are locked: an unlimited item would make every order queue here.
        item = session.scalar(for_update(select(Item).where(Item.id == request.item_id)))
        assert item is not None
    # A concurrent request with the same id may have committed while we waited for the lock.
    existing = session.get(Order, order_id, populate_existing=True)
    if existing is not None:
        return _replay(existing, digest)

    order = Order(
        id=order_id,
        employee_id=employee.id,
        item_id=item.id,
        quantity=request.quantity,
        points=request.points,
        status=OrderStatus.PENDING.value,
        reason=None,
        refused=False,
        badge_serial=request.badge_serial,
        device_id=device_id,
        offline=request.offline,
        request_hash=digest,
        placed_at=request.placed_at.astimezone(UTC),
        created_at=now,
        updated_at=now,
    )
    refusal = _check(session, request, employee.active, item, now)
    if refusal is None:
        try:
            spend(
                session,
                wallet,
                employee,
                request.points,
                now,
                target=ORDERS_HELD,
                kind="hold",
                order_id=order_id,
                memo=item.title_en[:200],
            )
        except InsufficientPoints:
            refusal = ErrorCode.INSUFFICIENT_POINTS
    if refusal is not None:
        order.status = OrderStatus.REJECTED.value
        order.reason = refusal.value
        order.refused = True
    elif item.stock is not None:
        item.stock -= request.quantity
        item.updated_at = now
    session.add(order)
    session.flush()
    return Placement(order, created=True)


def _check(
    session: Session, request: OrderRequest, active: bool, item: Item, now: datetime
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
        tz = get_settings(session).site_timezone
        used = _limit_used(session, item, request.employee_id, now, tz)
        if used + request.quantity > item.limit_per_employee:
            return ErrorCode.LIMIT_REACHED
    return None


# Allowed transitions: action -> (from states, to state, refunds?)
_TRANSITIONS: dict[str, tuple[tuple[OrderStatus, ...], OrderStatus, bool]] = {
    "approve": ((OrderStatus.PENDING,), OrderStatus.APPROVED, False),
    "fulfil": ((OrderStatus.APPROVED,), OrderStatus.FULFILLED, False),
    "reject": ((OrderStatus.PENDING, OrderStatus.APPROVED), OrderStatus.REJECTED, True),
    "cancel": ((OrderStatus.PENDING,), OrderStatus.CANCELLED, True),
}


def transition(
    session: Session, order_id: str, action: str, now: datetime, reason: str | None = None
) -> Order:
    """Move an order along its workflow; reject and cancel give the points back."""
    sources, target, refunds = _TRANSITIONS[action]
    found = session.get(Order, order_id)
    if found is None:
        raise NotFound(ErrorCode.UNKNOWN_ORDER, f"no order {order_id}")
    wallet = lock_wallet(session, found.employee_id)
    order = session.scalar(for_update(select(Order).where(Order.id == order_id)))
    assert order is not None
    if OrderStatus(order.status) not in sources:
        raise Conflict(
            ErrorCode.INVALID_TRANSITION,
            f"cannot {action} an order that is {order.status}",
        )
    hold = session.scalar(
        select(Transfer).where(Transfer.order_id == order_id, Transfer.kind == "hold")
    )
    assert hold is not None, "an open order always has its hold"
    employee = get_employee(session, order.employee_id)
    if refunds:
        refund_order(session, wallet, employee, order.id, hold, now)
        item = session.scalar(for_update(select(Item).where(Item.id == order.item_id)))
        if item is not None and item.stock is not None:
            item.stock += order.quantity
            item.updated_at = now
    elif target is OrderStatus.FULFILLED:
        session.add(
            Transfer(
                from_account=ORDERS_HELD,
                to_account=REDEEMED,
                amount=order.points,
                kind="redeem",
                employee_id=order.employee_id,
                order_id=order.id,
                created_at=now,
            )
        )
    order.status = target.value
    order.updated_at = now
    if reason is not None:
        order.reason = reason
    session.flush()
    return order
