"""Placing and cancelling orders at the kiosk: checks, then the order and its outbox row in
one committed transaction, before the worker is told "done"."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.policy import OfflineExposure, OrderRefused, Refusal, offline_refusal
from kiosk.store.database import Store
from kiosk.store.models import Device, Employee, Item, Order, Outbox, SyncState
from kiosk.views import unconfirmed_points, unconfirmed_quantity
from sync.periods import period_bounds
from sync.protocol import KioskSettings, OrderRequest
from sync.voucher import voucher_code

MAX_QUANTITY = 99
_COUNTED = ("pending", "approved", "fulfilled", "queued")


@dataclass(frozen=True)
class PlacedOrder:
    order_id: str
    voucher: str
    item_id: str
    quantity: int
    points: int
    offline: bool
    balance_after: int


def settings_of(session: Session) -> KioskSettings:
    """The settings the ledger served at the last sync (defaults before the first)."""
    text = session.get_one(SyncState, 1).settings_json
    return KioskSettings.model_validate_json(text) if text else KioskSettings()


def price(store: Store, item_id: str, quantity: int) -> int:
    """What ``quantity`` of an item costs, from the cached catalogue."""
    _check_quantity(quantity)
    with store.read() as session:
        item = session.get(Item, item_id)
        if item is None:
            raise OrderRefused(Refusal.UNKNOWN_ITEM)
        return item.points * quantity


def _check_quantity(quantity: int) -> None:
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise OrderRefused(Refusal.INVALID_QUANTITY)
    if not 1 <= quantity <= MAX_QUANTITY:
        raise OrderRefused(Refusal.INVALID_QUANTITY)


def _offline_exposure(session: Session, employee_id: str) -> OfflineExposure:
    def total(*conditions: object) -> int:
        query = select(func.coalesce(func.sum(Outbox.points), 0)).where(
            Outbox.kind == "order",
            Outbox.offline.is_(True),
            Outbox.state != "rejected",
            Outbox.settled.is_(False),
            *conditions,  # type: ignore[arg-type]
        )
        return int(session.scalar(query) or 0)

    return OfflineExposure(worker=total(Outbox.employee_id == employee_id), kiosk=total())


def _used_in_period(session: Session, employee_id: str, item: Item, now: datetime, tz: str) -> int:
    assert item.limit_period is not None
    start, end = period_bounds(now, item.limit_period, tz)
    when = func.coalesce(Order.created_at, Order.placed_at)
    query = select(func.coalesce(func.sum(Order.quantity), 0)).where(
        Order.employee_id == employee_id,
        Order.item_id == item.id,
        Order.status.in_(_COUNTED),
        when >= start,
        when < end,
    )
    return int(session.scalar(query) or 0)


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
    badge_serial: str | None = None,
) -> PlacedOrder:
    """Check and record an order; returns once it is durably in the outbox."""
    _check_quantity(quantity)
    with store.write() as session:
        device = session.get(Device, 1)
        if device is None:
            raise OrderRefused(Refusal.NOT_ENROLLED)
        settings = settings_of(session)
        employee = session.get(Employee, employee_id)
        if employee is None or not employee.active:
            raise OrderRefused(Refusal.EMPLOYEE_INACTIVE)
        item = session.get(Item, item_id)
        if item is None:
            raise OrderRefused(Refusal.UNKNOWN_ITEM)
        if not item.active:
            raise OrderRefused(Refusal.ITEM_INACTIVE)
        points = item.points * quantity
        if points > settings.pin_threshold and not pin_verified:
            raise OrderRefused(Refusal.PIN_REQUIRED)
        available = employee.balance - unconfirmed_points(session, employee_id)
        if points > available:
            raise OrderRefused(Refusal.INSUFFICIENT_POINTS, points - max(0, available))
        if (
            item.stock is not None
            and item.stock - unconfirmed_quantity(session, item_id) < quantity
        ):
            raise OrderRefused(Refusal.OUT_OF_STOCK)
        if item.limit_per_employee is not None and item.limit_period is not None:
            used = _used_in_period(session, employee_id, item, now, settings.site_timezone)
            if used + quantity > item.limit_per_employee:
                raise OrderRefused(Refusal.LIMIT_REACHED)
        if not online:
            refusal = offline_refusal(
                settings, points, _offline_exposure(session, employee_id), seconds_since_sync
            )
            if refusal is not None:
                raise refusal
        request = OrderRequest(
            order_id=uuid.uuid4(),
            employee_id=employee_id,
            item_id=item_id,
            quantity=quantity,
            points=points,
            badge_serial=badge_serial,
            placed_at=now,
            offline=not online,
        )
        order_id = str(request.order_id)
        gen = session.get_one(SyncState, 1).generation
        session.add(
            Order(
                id=order_id,
                employee_id=employee_id,
                item_id=item_id,
                quantity=quantity,
                points=points,
                status="queued",
                reason=None,
                device_id=device.device_id,
                offline=not online,
                placed_at=now,
                created_at=None,
                updated_at=now,
                gen=gen,
            )
        )
        session.add(
            Outbox(
                kind="order",
                order_id=order_id,
                employee_id=employee_id,
                item_id=item_id,
                quantity=quantity,
                points=points,
                offline=not online,
                body=request.model_dump_json(),
                state="queued",
                created_at=now,
            )
        )
    return PlacedOrder(
        order_id, voucher_code(order_id), item_id, quantity, points, not online, available - points
    )


def cancel_order(store: Store, employee_id: str, order_id: str, now: datetime) -> None:
    """Ask for a pending order to be cancelled; the points return once the ledger agrees."""
    with store.write() as session:
        order = session.get(Order, order_id)
        if order is None or order.employee_id != employee_id:
            raise OrderRefused(Refusal.UNKNOWN_ORDER)
        if order.status not in ("pending", "queued"):
            raise OrderRefused(Refusal.NOT_CANCELLABLE)
        already = session.scalar(
            select(Outbox.id).where(
                Outbox.kind == "cancel", Outbox.order_id == order_id, Outbox.state != "rejected"
            )
        )
        if already is not None:
            return
        session.add(
            Outbox(
                kind="cancel",
                order_id=order_id,
                employee_id=employee_id,
                item_id=order.item_id,
                quantity=0,
                points=0,
                offline=False,
                body="",
                state="queued",
                created_at=now,
            )
        )
