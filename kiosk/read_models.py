"""What a logged-in worker sees, as plain data: balance, expiry, history, catalogue, orders.

These are read models for the UI; they hold both languages where the ledger does, so a
language switch needs no new query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, case, func, or_, select
from sqlalchemy.orm import Session

from kiosk.order_states import CANCELLABLE, KioskOrderStatus, OutboxState
from kiosk.store.models import Employee, Entry, Item, Lot, Order, Outbox, Rule
from sync.engine import OutboxKind
from sync.points import Points
from sync.voucher import voucher_code

HistoryFilter = Literal["all", "earned", "spent", "expired"]
EXPIRY_WINDOWS = (30, 60, 90)


@dataclass(frozen=True)
class BalanceView:
    synced: int  # the ledger's balance at the last sync
    unconfirmed: int  # this kiosk's orders the synced balance does not include yet
    held: int  # points held by orders waiting for HR, unconfirmed ones included

    @property
    def points(self) -> Points:
        """The ledger's definition, applied to what this kiosk knows: its own unconfirmed
        orders have left the wallet and are held, as they will be once the ledger has them."""
        return Points(self.synced - self.unconfirmed, self.held)

    @property
    def available(self) -> int:
        return self.points.available


@dataclass(frozen=True)
class ExpiringLot:
    points: int
    expires_at: datetime


@dataclass(frozen=True)
class ExpirySummary:
    lots: tuple[ExpiringLot, ...]  # everything expiring within the longest window
    totals: dict[int, int]  # window in days (30, 60, 90) → points expiring within it


@dataclass(frozen=True)
class ExpiryDay:
    """Points that expire on one day (the site's calendar)."""

    day: date
    points: int


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    created_at: datetime
    points: int
    kind: str
    rule_kind: str | None
    title_zh: str | None  # the rule's title for earnings, the item's for orders
    title_en: str | None
    order_id: str | None
    memo: str | None
    balance_after: int


@dataclass(frozen=True)
class HistoryPage:
    entries: tuple[HistoryEntry, ...]
    page: int
    page_size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True)
class CatalogueCard:
    item_id: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    category: str
    points: int
    stock_left: int | None  # None: not stocked (a service, a right)
    limit_per_employee: int | None
    limit_period: str | None
    can_afford: bool
    points_short: int
    image_path: Path | None


@dataclass(frozen=True)
class OrderLine:
    order_id: str
    voucher: str
    item_id: str
    title_zh: str
    title_en: str
    quantity: int
    points: int
    status: KioskOrderStatus
    reason: str | None
    offline: bool
    placed_at: datetime
    cancel_requested: bool

    @property
    def cancellable(self) -> bool:
        return self.status in CANCELLABLE and not self.cancel_requested


@dataclass(frozen=True)
class RuleLine:
    kind: str
    title_zh: str
    title_en: str
    points: int
    validity_days: int
    cap_per_period: int | None
    period: str | None


def unconfirmed_points(session: Session, employee_id: str | None = None) -> int:
    """Points of this kiosk's orders that the mirrored balances do not show yet."""
    query = select(func.coalesce(func.sum(Outbox.points), 0)).where(
        Outbox.kind == OutboxKind.ORDER, _unsettled()
    )
    if employee_id is not None:
        query = query.where(Outbox.employee_id == employee_id)
    return int(session.scalar(query) or 0)


def _unsettled() -> ColumnElement[bool]:
    return or_(
        Outbox.state == OutboxState.QUEUED,
        and_(Outbox.state == OutboxState.DELIVERED, Outbox.settled.is_(False)),
    )


def balance(session: Session, employee_id: str) -> BalanceView:
    employee = session.get_one(Employee, employee_id)
    pending = unconfirmed_points(session, employee_id)
    return BalanceView(synced=employee.balance, unconfirmed=pending, held=employee.held + pending)


def expiring(session: Session, employee_id: str, now: datetime) -> ExpirySummary:
    """Lots with points left that expire within 90 days, soonest first."""
    horizon = now + timedelta(days=max(EXPIRY_WINDOWS))
    rows = session.execute(
        select(Lot.remaining, Lot.expires_at)
        .where(
            Lot.employee_id == employee_id,
            Lot.remaining > 0,
            Lot.expires_at > now,
            Lot.expires_at <= horizon,
        )
        .order_by(Lot.expires_at)
    ).all()
    lots = tuple(ExpiringLot(int(points), when) for points, when in rows)
    totals = {
        days: sum(lot.points for lot in lots if lot.expires_at <= now + timedelta(days=days))
        for days in EXPIRY_WINDOWS
    }
    return ExpirySummary(lots, totals)


def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def a_year_after(moment: datetime) -> datetime:
    """The same moment twelve months later (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year + 1)
    except ValueError:
        return moment.replace(year=moment.year + 1, day=28)


def expiry_days(
    session: Session,
    employee_id: str,
    now: datetime,
    timezone: str,
    until: datetime | None = None,
    days: int | None = None,
) -> tuple[ExpiryDay, ...]:
    """What expires when, soonest first, one line per day on the site's calendar: lots with
    points left that expire before ``until``, at most ``days`` lines."""
    query = (
        select(Lot.remaining, Lot.expires_at)
        .where(Lot.employee_id == employee_id, Lot.remaining > 0, Lot.expires_at > now)
        .order_by(Lot.expires_at)
    )
    if until is not None:
        query = query.where(Lot.expires_at <= until)
    zone = _zone(timezone)
    schedule: dict[date, int] = {}
    for points, when in session.execute(query):
        moment = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
        day = moment.astimezone(zone).date()
        if days is not None and day not in schedule and len(schedule) == days:
            break
        schedule[day] = schedule.get(day, 0) + int(points)
    return tuple(ExpiryDay(day, total) for day, total in schedule.items())


def expiry_schedule(
    session: Session, employee_id: str, now: datetime, timezone: str
) -> tuple[ExpiryDay, ...]:
    """Everything that expires in the next twelve months, by day."""
    return expiry_days(session, employee_id, now, timezone, until=a_year_after(now))


def next_expiry(
    session: Session, employee_id: str, now: datetime, timezone: str
) -> ExpiryDay | None:
    """The next day on which some of the worker's points expire, and how many, if any."""
    found = expiry_days(session, employee_id, now, timezone, days=1)
    return found[0] if found else None


def _filter(
    kind: Literal["earned", "spent", "expired"],
    kind_col: SQLColumnExpression[str],
    points_col: SQLColumnExpression[int],
) -> ColumnElement[bool]:
    if kind == "earned":
        return or_(kind_col == "earn", and_(kind_col == "adjust", points_col > 0))
    if kind == "spent":
        return or_(kind_col.in_(("hold", "refund")), and_(kind_col == "adjust", points_col < 0))
    return kind_col == "expire"


def history(
    session: Session,
    employee_id: str,
    kind: HistoryFilter = "all",
    page: int = 0,
    page_size: int = 20,
) -> HistoryPage:
    """One page of the worker's history, newest first, each line with the balance after it."""
    page = max(0, page)
    page_size = max(1, min(page_size, 200))
    synced = session.scalar(select(Employee.balance).where(Employee.id == employee_id)) or 0
    # Walking back from the synced balance: after an entry = balance − everything newer.
    newer = func.coalesce(
        func.sum(Entry.points).over(
            order_by=(Entry.created_at.desc(), Entry.id.desc()), rows=(None, -1)
        ),
        0,
    )
    ranked = (
        select(Entry, (synced - newer).label("balance_after"))
        .where(Entry.employee_id == employee_id)
        .subquery()
    )
    e = ranked.c
    is_rule = e.rule_kind.is_not(None)
    query = (
        select(
            e.id,
            e.created_at,
            e.points,
            e.kind,
            e.rule_kind,
            e.order_id,
            e.memo,
            e.balance_after,
            case((is_rule, Rule.title_zh), else_=Item.title_zh).label("title_zh"),
            case((is_rule, Rule.title_en), else_=Item.title_en).label("title_en"),
        )
        .select_from(ranked)
        .outerjoin(Rule, Rule.kind == e.rule_kind)
        .outerjoin(Order, Order.id == e.order_id)
        .outerjoin(Item, Item.id == Order.item_id)
    )
    count = select(func.count()).select_from(Entry).where(Entry.employee_id == employee_id)
    if kind != "all":
        query = query.where(_filter(kind, e.kind, e.points))
        count = count.where(_filter(kind, Entry.kind, Entry.points))
    rows = session.execute(
        query.order_by(e.created_at.desc(), e.id.desc()).limit(page_size).offset(page * page_size)
    ).all()
    entries = tuple(
        HistoryEntry(
            id=r.id,
            created_at=r.created_at,
            points=int(r.points),
            kind=r.kind,
            rule_kind=r.rule_kind,
            title_zh=r.title_zh,
            title_en=r.title_en,
            order_id=r.order_id,
            memo=r.memo,
            balance_after=int(r.balance_after),
        )
        for r in rows
    )
    return HistoryPage(entries, page, page_size, int(session.scalar(count) or 0))


def unconfirmed_quantity(session: Session, item_id: str) -> int:
    """Units of an item this kiosk has ordered that the mirrored stock does not show yet."""
    query = select(func.coalesce(func.sum(Outbox.quantity), 0)).where(
        Outbox.kind == OutboxKind.ORDER, Outbox.item_id == item_id, _unsettled()
    )
    return int(session.scalar(query) or 0)


def catalogue(
    session: Session,
    employee_id: str,
    images_dir: Path,
    category: str | None = None,
    item_id: str | None = None,
) -> tuple[CatalogueCard, ...]:
    """Active items (of a category, or one item), cheapest first, with "can afford"."""
    available = balance(session, employee_id).available
    query = select(Item).where(Item.active.is_(True))
    if category is not None:
        query = query.where(Item.category == category)
    if item_id is not None:
        query = query.where(Item.id == item_id)
    items = session.scalars(query.order_by(Item.category, Item.points, Item.id)).all()
    pending = dict(
        session.execute(
            select(Outbox.item_id, func.sum(Outbox.quantity))
            .where(Outbox.kind == OutboxKind.ORDER, _unsettled())
            .group_by(Outbox.item_id)
        ).all()
    )
    cards = []
    for item in items:
        stock = None if item.stock is None else max(0, item.stock - int(pending.get(item.id, 0)))
        image = images_dir / item.image_sha256 if item.image_sha256 else None
        cards.append(
            CatalogueCard(
                item_id=item.id,
                title_zh=item.title_zh,
                title_en=item.title_en,
                description_zh=item.description_zh,
                description_en=item.description_en,
                category=item.category,
                points=item.points,
                stock_left=stock,
                limit_per_employee=item.limit_per_employee,
                limit_period=item.limit_period,
                can_afford=available >= item.points,
                points_short=max(0, item.points - available),
                image_path=image if image is not None and image.exists() else None,
            )
        )
    return tuple(cards)


def orders(session: Session, employee_id: str, limit: int = 100) -> tuple[OrderLine, ...]:
    """The worker's orders, newest first, as this kiosk knows them."""
    cancel_queued = set(
        session.scalars(
            select(Outbox.order_id).where(
                Outbox.kind == OutboxKind.CANCEL, Outbox.employee_id == employee_id, _unsettled()
            )
        )
    )
    # Whether an order was placed offline matters only while it waits here to be sent, so it
    # is known from this kiosk's outbox; the ledger's copy of an order does not carry it.
    placed_offline = set(
        session.scalars(
            select(Outbox.order_id).where(
                Outbox.kind == OutboxKind.ORDER,
                Outbox.employee_id == employee_id,
                Outbox.offline.is_(True),
            )
        )
    )
    rows = session.execute(
        select(Order, Item.title_zh, Item.title_en)
        .outerjoin(Item, Item.id == Order.item_id)
        .where(Order.employee_id == employee_id)
        .order_by(Order.placed_at.desc(), Order.id)
        .limit(limit)
    ).all()
    return tuple(
        OrderLine(
            order_id=order.id,
            voucher=voucher_code(order.id),
            item_id=order.item_id,
            title_zh=title_zh or order.item_id,
            title_en=title_en or order.item_id,
            quantity=order.quantity,
            points=order.points,
            status=order.status,
            reason=order.reason,
            offline=order.id in placed_offline,
            placed_at=order.placed_at,
            cancel_requested=order.id in cancel_queued and order.status in CANCELLABLE,
        )
        for order, title_zh, title_en in rows
    )


def rules(session: Session) -> tuple[RuleLine, ...]:
    """The active earning rules, biggest first (the "How to earn" screen)."""
    found = session.scalars(
        select(Rule).where(Rule.active.is_(True)).order_by(Rule.points.desc(), Rule.kind)
    ).all()
    return tuple(
        RuleLine(
            r.kind, r.title_zh, r.title_en, r.points, r.validity_days, r.cap_per_period, r.period
        )
        for r in found
    )
