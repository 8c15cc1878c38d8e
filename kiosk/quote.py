"""What an order would cost and whether it can pass, worked out once from the local store.

The item screen shows a quote before the worker decides (price, stock, the per-person limit,
the PIN requirement, and offline the floor limit), the confirm screen shows the same quote,
and placing the order computes it again inside its write transaction and refuses exactly
what the quote said it would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from kiosk.errors import OrderRefused, Refusal
from kiosk.order_states import KioskOrderStatus, OutboxState
from kiosk.policy import OfflineExposure, offline_refusal
from kiosk.read_models import unconfirmed_points, unconfirmed_quantity
from kiosk.store.models import Device, Employee, Item, Order, Outbox, SyncState
from sync.engine import OutboxKind
from sync.periods import period_bounds
from sync.protocol import KioskSettings

MAX_QUANTITY = 99
# Order states that use up a per-person limit (queued: placed here, not yet answered).
COUNTED = (
    KioskOrderStatus.PENDING,
    KioskOrderStatus.APPROVED,
    KioskOrderStatus.FULFILLED,
    KioskOrderStatus.QUEUED,
)


@dataclass(frozen=True)
class Limit:
    """A per-person limit: at most ``per_person`` in each ``period``, ``used`` so far."""

    per_person: int
    period: str
    used: int

    @property
    def left(self) -> int:
        return max(0, self.per_person - self.used)


@dataclass(frozen=True)
class OfflineCap:
    """While offline: the most this order may cost before the kiosk reconnects (0: none)."""

    allowance: int


@dataclass(frozen=True)
class Quote:
    """One possible order, checked against everything the kiosk knows."""

    item_id: str
    quantity: int
    unit_points: int
    available: int  # what the worker can spend now
    stock_left: int | None  # None: not stocked
    limit: Limit | None
    pin_threshold: int
    pin_needed: bool  # above the threshold, and this visit has not had the PIN
    offline: OfflineCap | None  # None while online
    refusal: OrderRefused | None  # why it cannot be placed (the PIN aside)

    @property
    def cost(self) -> int:
        return self.unit_points * self.quantity

    @property
    def balance_after(self) -> int:
        return self.available - self.cost

    @property
    def can_place(self) -> bool:
        return self.refusal is None

    @property
    def max_quantity(self) -> int:
        """The most the stepper offers: stock, the limit's remainder and the kiosk's cap."""
        most = MAX_QUANTITY
        if self.stock_left is not None:
            most = min(most, self.stock_left)
        if self.limit is not None:
            most = min(most, self.limit.left)
        return max(1, most)


def settings_of(session: Session) -> KioskSettings:
    """The settings the ledger served at the last sync (defaults before the first)."""
    text = session.get_one(SyncState, 1).settings_json
    return KioskSettings.model_validate_json(text) if text else KioskSettings()


def check_quantity(quantity: int) -> None:
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise OrderRefused(Refusal.INVALID_QUANTITY)
    if not 1 <= quantity <= MAX_QUANTITY:
        raise OrderRefused(Refusal.INVALID_QUANTITY)


def offline_exposure(session: Session, employee_id: str) -> OfflineExposure:
    """Points this kiosk has promised offline that the ledger has not settled yet."""

    def total(*conditions: ColumnElement[bool]) -> int:
        query = select(func.coalesce(func.sum(Outbox.points), 0)).where(
            Outbox.kind == OutboxKind.ORDER,
            Outbox.offline.is_(True),
            Outbox.state != OutboxState.REJECTED,
            Outbox.settled.is_(False),
            *conditions,
        )
        return int(session.scalar(query) or 0)

    return OfflineExposure(worker=total(Outbox.employee_id == employee_id), kiosk=total())


def used_in_period(
    session: Session, employee_id: str, item: Item, now: datetime, timezone: str
) -> int:
    """Units of ``item`` the worker has ordered in the limit's current period."""
    assert item.limit_period is not None
    start, end = period_bounds(now, item.limit_period, timezone)
    when = func.coalesce(Order.created_at, Order.placed_at)
    query = select(func.coalesce(func.sum(Order.quantity), 0)).where(
        Order.employee_id == employee_id,
        Order.item_id == item.id,
        Order.status.in_(COUNTED),
        when >= start,
        when < end,
    )
    return int(session.scalar(query) or 0)


def offline_cap(
    settings: KioskSettings, exposure: OfflineExposure, seconds_since_sync: float | None
) -> OfflineCap:
    """How much one more offline order may cost under the floor limits."""
    if seconds_since_sync is None or seconds_since_sync > settings.offline_max_hours * 3600:
        return OfflineCap(0)
    return OfflineCap(
        max(
            0,
            min(
                settings.offline_order_limit,
                settings.offline_spend_limit - exposure.worker,
                settings.offline_kiosk_limit - exposure.kiosk,
            ),
        )
    )


def quote_order(
    session: Session,
    employee_id: str,
    item_id: str,
    quantity: int,
    *,
    now: datetime,
    online: bool,
    disabled: bool,
    seconds_since_sync: float | None,
    pin_verified: bool,
    has_badge: bool = True,
) -> Quote:
    """The quote for ``quantity`` of ``item_id``; raises ``OrderRefused`` only when there is
    nothing to quote (no such item, a bad quantity, the kiosk not enrolled)."""
    check_quantity(quantity)
    if session.get(Device, 1) is None:
        raise OrderRefused(Refusal.NOT_ENROLLED)
    item = session.get(Item, item_id)
    if item is None:
        raise OrderRefused(Refusal.UNKNOWN_ITEM)
    settings = settings_of(session)
    employee = session.get(Employee, employee_id)
    available = 0
    if employee is not None:
        available = max(0, employee.balance - unconfirmed_points(session, employee_id))
    stock = None
    if item.stock is not None:
        stock = max(0, item.stock - unconfirmed_quantity(session, item_id))
    limit = None
    if item.limit_per_employee is not None and item.limit_period is not None:
        used = used_in_period(session, employee_id, item, now, settings.site_timezone)
        limit = Limit(item.limit_per_employee, item.limit_period, used)
    cost = item.points * quantity
    cap = None
    exposure = None
    if not online:
        exposure = offline_exposure(session, employee_id)
        cap = offline_cap(settings, exposure, seconds_since_sync)
    # Without a badge in this visit (a PIN sign-in whose token is spent), every order needs
    # the PIN again: the ledger takes no order without the worker's evidence.
    pin_needed = (cost > settings.pin_threshold or not has_badge) and not pin_verified
    refusal: OrderRefused | None = None
    if disabled:
        refusal = OrderRefused(Refusal.KIOSK_DISABLED)
    elif employee is None or not employee.active:
        refusal = OrderRefused(Refusal.EMPLOYEE_INACTIVE)
    elif not item.active:
        refusal = OrderRefused(Refusal.ITEM_INACTIVE)
    elif cost > available:
        refusal = OrderRefused(Refusal.INSUFFICIENT_POINTS, cost - available)
    elif stock is not None and stock < quantity:
        refusal = OrderRefused(Refusal.OUT_OF_STOCK)
    elif limit is not None and limit.used + quantity > limit.per_person:
        refusal = OrderRefused(Refusal.LIMIT_REACHED)
    elif pin_needed and not online:
        refusal = OrderRefused(Refusal.PIN_NEEDS_NETWORK)  # only the ledger checks PINs
    elif exposure is not None:
        refusal = offline_refusal(settings, cost, exposure, seconds_since_sync)
    return Quote(
        item_id=item.id,
        quantity=quantity,
        unit_points=item.points,
        available=available,
        stock_left=stock,
        limit=limit,
        pin_threshold=settings.pin_threshold,
        pin_needed=pin_needed,
        offline=cap,
        refusal=refusal,
    )
