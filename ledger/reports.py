"""Reports for HR: rankings, redemption trends, expiring points, orders waiting too long.

Plain queries over the ledger's tables, each bounded (a page, or a fixed number of months),
on SQLite and PostgreSQL alike; months and days follow the site's clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlalchemy.orm import Session

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


def ranking(
    session: Session,
    start: datetime,
    end: datetime,
    department: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> list[RankRow]:
    """Employees by points earned from rules (HR events) in [start, end), most first."""
    earned = func.sum(Transfer.amount).label("earned")
    query = (
        select(Transfer.employee_id, earned)
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
    top = [(employee_id, points) for employee_id, points in session.execute(query) if employee_id]
    people = {
        e.id: e
        for e in session.scalars(select(Employee).where(Employee.id.in_([r[0] for r in top])))
    }
    return [
        RankRow(
            offset + i + 1,
            employee_id,
            people[employee_id].name,
            people[employee_id].department,
            int(points),
        )
        for i, (employee_id, points) in enumerate(top)
    ]


def departments(session: Session) -> list[str]:
    return [d for d in session.scalars(select(Employee.department).distinct()) if d]


def month_starts(now: datetime, months: int, timezone: str) -> list[datetime]:
    """The first instants of the last ``months`` months on the site's clock, oldest first."""
    local = now.astimezone(ZoneInfo(timezone))
    year, month = local.year, local.month
    starts = []
    for _ in range(months):
        starts.append(datetime(year, month, 1, tzinfo=local.tzinfo))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def redemption_trends(
    session: Session, now: datetime, timezone: str, months: int = 12
) -> list[TrendCell]:
    """Orders not refused, rejected or cancelled, by item category and month placed."""
    starts = month_starts(now, months, timezone)
    if session.get_bind().dialect.name == "postgresql":
        # The month on the site's clock, computed by the database: cheaper than a CASE.
        label: ColumnElement[Any] = func.date_trunc(
            "month", func.timezone(timezone, Order.placed_at)
        )
    else:
        ends = [*starts[1:], datetime.max.replace(tzinfo=starts[0].tzinfo)]
        label = case(
            *[
                (and_(Order.placed_at >= s, Order.placed_at < e), literal(s.strftime("%Y-%m")))
                for s, e in zip(starts, ends, strict=True)
            ],
            else_=literal(""),
        )
    rows = session.execute(
        select(label.label("month"), Order.item_id, func.count(), func.sum(Order.points))
        .where(
            Order.placed_at >= starts[0],
            Order.status.in_([s.value for s in SPENT]),
            Order.refused.is_(False),
        )
        .group_by(label, Order.item_id)
    ).all()
    # A handful of items: their categories are looked up here rather than joined per row.
    category = {item_id: kind for item_id, kind in session.execute(select(Item.id, Item.category))}
    totals: dict[tuple[str, str], list[int]] = {}
    for month, item_id, count, points in rows:
        key = (month if isinstance(month, str) else month.strftime("%Y-%m"), category[item_id])
        if key[0]:
            total = totals.setdefault(key, [0, 0])
            total[0] += int(count)
            total[1] += int(points or 0)
    return [TrendCell(m, c, n, p) for (m, c), (n, p) in sorted(totals.items())]


def expiring(
    session: Session, now: datetime, days: int, offset: int = 0, limit: int = 50
) -> tuple[list[ExpiringRow], int, int]:
    """Per employee, points that expire within ``days``; the page, employees and total points."""
    until = now + timedelta(days=days)
    due = and_(Lot.remaining > 0, Lot.expires_at > now, Lot.expires_at <= until)
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
        select(Order, Employee.name)
        .join(Employee, Employee.id == Order.employee_id)
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
        )
        for order, name in rows
    ], int(count)


def _aware(moment: datetime) -> datetime:
    # func.min() bypasses the column type on SQLite, which hands back a naive UTC value.
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))
