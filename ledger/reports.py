"""Reports for HR: rankings, redemption trends and shares, expiring points, stale orders.

Plain queries over the ledger's tables, each bounded (a page, or a fixed number of months),
on SQLite and PostgreSQL alike; months and days follow the site's clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlalchemy.orm import Session

from ledger.domain import people
from ledger.storage.models import Employee, Item, Lot, Order, Transfer
from sync.protocol import OrderStatus

SPENT = (OrderStatus.PENDING, OrderStatus.APPROVED, OrderStatus.FULFILLED)
WAITING = (OrderStatus.PENDING, OrderStatus.APPROVED)


@dataclass(frozen=True)
class RankRow:
    rank: int
    employee_id: str
    name: str
    department: str
    points: int


@dataclass(frozen=True)
class TrendCell:
    month: str  # YYYY-MM on the site's clock
    category: str
    orders: int
    points: int


@dataclass(frozen=True)
class ExpiringRow:
    employee_id: str
    name: str
    department: str
    points: int
    earliest: datetime


@dataclass(frozen=True)
class StaleRow:
    order_id: str
    employee_id: str
    name: str
    item_id: str
    status: str
    points: int
    placed_at: datetime
    days: int
    item_title_zh: str = ""
    item_title_en: str = ""


def ranking(
    session: Session,
    start: datetime,
    end: datetime,
    department: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> list[RankRow]:
    """Employees by points earned from rules (HR events) in [start, end), most first.

    Equal points share a rank and the next rank skips as many places (1, 2, 2, 4); the
    database ranks every employee before the page is cut, so later pages carry on.
    """
    earned = func.sum(Transfer.amount).label("earned")
    place = func.rank().over(order_by=func.sum(Transfer.amount).desc()).label("place")
    query = (
        select(Transfer.employee_id, earned, place)
        .where(Transfer.kind == "earn", Transfer.created_at >= start, Transfer.created_at < end)
        .group_by(Transfer.employee_id)
        .order_by(earned.desc(), Transfer.employee_id)
        .offset(offset)
        .limit(limit)
    )
    if department:
        query = query.join(Employee, Employee.id == Transfer.employee_id).where(
            Employee.department == department
        )
    # Earnings always name their employee; the check tells the type checker so.
    top = [(e, points, rank) for e, points, rank in session.execute(query) if e]
    people = {
        e.id: e
        for e in session.scalars(select(Employee).where(Employee.id.in_([r[0] for r in top])))
    }
    return [
        RankRow(
            int(rank),
            employee_id,
            people[employee_id].name,
            people[employee_id].department,
            int(points),
        )
        for employee_id, points, rank in top
    ]


def departments(session: Session) -> list[str]:
    """The departments employees belong to (sorted), for the reports' filters."""
    return people.departments(session)


def month_starts(now: datetime, months: int, timezone: str) -> list[datetime]:
    """The first instants of the last ``months`` months on the site's clock, oldest first."""
    local = now.astimezone(ZoneInfo(timezone))
    year, month = local.year, local.month
    starts = []
    for _ in range(months):
        starts.append(datetime(year, month, 1, tzinfo=local.tzinfo))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _month_label(session: Session, starts: list[datetime], timezone: str) -> ColumnElement[Any]:
    """The month an order was placed on the site's clock, among ``starts`` (first instants
    of months, oldest first): a timestamp on PostgreSQL, ``YYYY-MM`` (or "") on SQLite."""
    if session.get_bind().dialect.name == "postgresql":
        # The month on the site's clock, computed by the database: cheaper than a CASE.
        return func.date_trunc("month", func.timezone(timezone, Order.placed_at))
    ends = [*starts[1:], datetime.max.replace(tzinfo=starts[0].tzinfo)]
    return case(
        *[
            (and_(Order.placed_at >= s, Order.placed_at < e), literal(s.strftime("%Y-%m")))
            for s, e in zip(starts, ends, strict=True)
        ],
        else_=literal(""),
    )


def _month_text(month: str | datetime) -> str:
    return month if isinstance(month, str) else month.strftime("%Y-%m")


def _redeemed(since: datetime) -> ColumnElement[bool]:
    """Orders that hold or spent points: open or handed over, never refused at placement."""
    return and_(
        Order.placed_at >= since,
        Order.status.in_([s.value for s in SPENT]),
        Order.refused.is_(False),
    )


def redemption_trends(
    session: Session, now: datetime, timezone: str, months: int = 12
) -> list[TrendCell]:
    """Orders not refused, rejected or cancelled, by item category and month placed."""
    starts = month_starts(now, months, timezone)
    label = _month_label(session, starts, timezone)
    rows = session.execute(
        select(label.label("month"), Order.item_id, func.count(), func.sum(Order.points))
        .where(_redeemed(starts[0]))
        .group_by(label, Order.item_id)
    ).all()
    # A handful of items: their categories are looked up here rather than joined per row.
    category = {item_id: kind for item_id, kind in session.execute(select(Item.id, Item.category))}
    totals: dict[tuple[str, str], list[int]] = {}
    for month, item_id, count, points in rows:
        key = (_month_text(month), category[item_id])
        if key[0]:
            total = totals.setdefault(key, [0, 0])
            total[0] += int(count)
            total[1] += int(points or 0)
    return [TrendCell(m, c, n, p) for (m, c), (n, p) in sorted(totals.items())]


# The longest period the shares report takes: its months are columns of a table and, on
# SQLite, branches of the month CASE.
SHARE_MONTHS = 24


@dataclass(frozen=True)
class Share:
    """One category's or item's part of the points redeemed in a month or a period."""

    key: str  # a category (physical, virtual, service) or an item id
    orders: int
    points: int
    tenths: int  # percent of the points redeemed, in tenths: 600 is 60.0 %

    @property
    def percent(self) -> str:
        return f"{self.tenths // 10}.{self.tenths % 10}"


@dataclass(frozen=True)
class ItemName:
    title_zh: str
    title_en: str
    category: str


@dataclass(frozen=True)
class SharesReport:
    """Shares of the points redeemed by category and by item, for a period and its months."""

    months: list[str]  # YYYY-MM on the site's clock, oldest first
    categories: list[Share]
    items: list[Share]
    monthly_categories: dict[str, list[Share]] = field(default_factory=dict)
    monthly_items: dict[str, list[Share]] = field(default_factory=dict)
    names: dict[str, ItemName] = field(default_factory=dict)

    @property
    def orders(self) -> int:
        return sum(s.orders for s in self.categories)

    @property
    def points(self) -> int:
        return sum(s.points for s in self.categories)


def shares_of(totals: Mapping[str, tuple[int, int]]) -> list[Share]:
    """Each key's (orders, points) with its percent of all points, largest first.

    Percents have one decimal and are rounded by largest remainder, so the shown figures of
    a month or a period add up to exactly 100.0 (when any points were redeemed).
    """
    whole = sum(points for _orders, points in totals.values())
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1][1], kv[0]))
    if whole <= 0:
        return [Share(key, orders, points, 0) for key, (orders, points) in ordered]
    exact = {key: points * 1000 for key, (_orders, points) in ordered}
    tenths = {key: value // whole for key, value in exact.items()}
    left = 1000 - sum(tenths.values())
    # The tenths still missing go to the largest remainders (bigger points first on a tie).
    for key, _value in sorted(exact.items(), key=lambda kv: (-(kv[1] % whole), -kv[1], kv[0]))[
        :left
    ]:
        tenths[key] += 1
    return [Share(key, orders, points, tenths[key]) for key, (orders, points) in ordered]


def months_between(first: date, last: date, timezone: str) -> list[datetime]:
    """The first instants (site clock) of the months from ``first``'s to ``last``'s."""
    zone = ZoneInfo(timezone)
    starts = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        starts.append(datetime(year, month, 1, tzinfo=zone))
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return starts


def redemption_shares(session: Session, first: date, last: date, timezone: str) -> SharesReport:
    """Shares of the points redeemed from day ``first`` to day ``last`` (site clock, both
    included) by item category and by item, for the whole period and for each month.

    Counts what the trends count (orders holding or having spent points); one aggregate
    over the orders placed in the period, by month and item.
    """
    starts = months_between(first, last, timezone)
    start = datetime.combine(first, datetime.min.time(), ZoneInfo(timezone))
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), ZoneInfo(timezone))
    label = _month_label(session, starts, timezone)
    rows = session.execute(
        select(label.label("month"), Order.item_id, func.count(), func.sum(Order.points))
        .where(_redeemed(start), Order.placed_at < end)
        .group_by(label, Order.item_id)
    ).all()
    names = {
        item_id: ItemName(title_zh, title_en, category)
        for item_id, title_zh, title_en, category in session.execute(
            select(Item.id, Item.title_zh, Item.title_en, Item.category)
        )
    }
    months = [s.strftime("%Y-%m") for s in starts]
    by_category: dict[str, list[int]] = {}
    by_item: dict[str, list[int]] = {}
    month_category: dict[str, dict[str, list[int]]] = {m: {} for m in months}
    month_item: dict[str, dict[str, list[int]]] = {m: {} for m in months}
    for month, item_id, count, points in rows:
        label_text = _month_text(month)
        if label_text not in month_item:
            continue
        category = names[item_id].category
        for table, key in (
            (by_category, category),
            (by_item, item_id),
            (month_category[label_text], category),
            (month_item[label_text], item_id),
        ):
            total = table.setdefault(key, [0, 0])
            total[0] += int(count)
            total[1] += int(points or 0)

    def ranked(table: dict[str, list[int]]) -> list[Share]:
        return shares_of({key: (orders, points) for key, (orders, points) in table.items()})

    return SharesReport(
        months=months,
        categories=ranked(by_category),
        items=ranked(by_item),
        monthly_categories={m: ranked(month_category[m]) for m in months},
        monthly_items={m: ranked(month_item[m]) for m in months},
        names=names,
    )


def expiring(
    session: Session,
    now: datetime,
    days: int,
    offset: int = 0,
    limit: int = 50,
    department: str | None = None,
) -> tuple[list[ExpiringRow], int, int]:
    """Per employee, points that expire within ``days``; the page, employees and total points.

    ``department`` keeps the employees of one department (the page and the totals alike).
    """
    until = now + timedelta(days=days)
    due = and_(Lot.remaining > 0, Lot.expires_at > now, Lot.expires_at <= until)
    if department:
        members = select(Employee.id).where(Employee.department == department)
        due = and_(due, Lot.employee_id.in_(members))
    points = func.sum(Lot.remaining).label("points")
    earliest = func.min(Lot.expires_at).label("earliest")
    page = session.execute(
        select(Lot.employee_id, points, earliest)
        .where(due)
        .group_by(Lot.employee_id)
        .order_by(earliest, Lot.employee_id)
        .offset(offset)
        .limit(limit)
    ).all()
    employees, total = session.execute(
        select(
            func.count(func.distinct(Lot.employee_id)), func.coalesce(func.sum(Lot.remaining), 0)
        ).where(due)
    ).one()
    people = {
        e.id: e
        for e in session.scalars(select(Employee).where(Employee.id.in_([r[0] for r in page])))
    }
    rows = [
        ExpiringRow(
            employee_id,
            people[employee_id].name,
            people[employee_id].department,
            int(p),
            _aware(first),
        )
        for employee_id, p, first in page
    ]
    return rows, int(employees), int(total)


def stale_orders(
    session: Session, now: datetime, days: int, offset: int = 0, limit: int = 50
) -> tuple[list[StaleRow], int]:
    """Orders still pending or approved that were placed more than ``days`` ago, oldest first."""
    before = now - timedelta(days=days)
    where = and_(Order.status.in_([s.value for s in WAITING]), Order.placed_at < before)
    rows = session.execute(
        select(Order, Employee.name, Item.title_zh, Item.title_en)
        .join(Employee, Employee.id == Order.employee_id)
        .join(Item, Item.id == Order.item_id)
        .where(where)
        .order_by(Order.placed_at, Order.id)
        .offset(offset)
        .limit(limit)
    ).all()
    count = session.scalar(select(func.count()).select_from(Order).where(where)) or 0
    return [
        StaleRow(
            order.id,
            order.employee_id,
            name,
            order.item_id,
            order.status,
            order.points,
            order.placed_at,
            (now - order.placed_at).days,
            title_zh,
            title_en,
        )
        for order, name, title_zh, title_en in rows
    ], int(count)


def _aware(moment: datetime) -> datetime:
    # func.min() bypasses the column type on SQLite, which hands back a naive UTC value.
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))
