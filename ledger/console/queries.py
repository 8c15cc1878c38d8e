"""What console pages read: order queues, employee search, the dashboard's figures."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ledger.domain import people
from ledger.storage.models import Account, Badge, Employee, Item, Order, Transfer
from sync.protocol import OrderStatus
from sync.voucher import QR_PREFIX, voucher_code

PAGE = 50
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True)
class OrderRow:
    id: str
    voucher: str
    employee_id: str
    employee_name: str
    item_title_zh: str
    item_title_en: str
    quantity: int
    points: int
    status: str
    reason: str | None
    offline: bool
    placed_at: datetime
    updated_at: datetime


def local_day_start(day: date, timezone: str) -> datetime:
    """Midnight of ``day`` on the site's clock."""
    return datetime.combine(day, time(), ZoneInfo(timezone))


@dataclass(frozen=True)
class OrderFilter:
    """What the order list keeps: a state (None for all), placed-at bounds (``until``
    excluded), an employee by number or name, a department and an item ("" for any)."""

    status: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    employee: str = ""
    department: str = ""
    item: str = ""


@dataclass(frozen=True)
class OrderTotals:
    """How many orders the filter keeps, and their points, over every page."""

    count: int
    points: int


def _order_conditions(chosen: OrderFilter) -> list[Any]:
    conditions: list[Any] = []
    if chosen.status:
        conditions.append(Order.status == chosen.status)
    employee = chosen.employee.strip()
    if employee:
        # Case-insensitive on both databases: the number as a whole ("e1001" is E1001),
        # the name containing the text (ILIKE; SQLite's LIKE folds only ASCII letters).
        # Matched among the employees, so the orders are then found by their index.
        matching = select(Employee.id).where(
            or_(
                func.lower(Employee.id) == employee.lower(),
                Employee.name.ilike(like_pattern(employee), escape="\\"),
            )
        )
        conditions.append(Order.employee_id.in_(matching))
    if chosen.department:
        conditions.append(Employee.department == chosen.department)
    if chosen.item:
        conditions.append(Order.item_id == chosen.item)
    if chosen.since is not None:
        conditions.append(Order.placed_at >= chosen.since)
    if chosen.until is not None:
        conditions.append(Order.placed_at < chosen.until)
    return conditions


def order_queue(
    session: Session, chosen: OrderFilter, page: int = 1, limit: int = PAGE
) -> tuple[list[OrderRow], OrderTotals, int]:
    """One page of the orders ``chosen`` keeps, oldest waiting first for open statuses and
    newest first otherwise; the totals of all of them; the page shown (a page past the last
    shows the last, as a bookmarked page of a list that shrank)."""
    conditions = _order_conditions(chosen)
    # The same joins as the page's (every order has its employee and item), so the totals
    # and the rows agree.
    count = (
        select(func.count(), func.coalesce(func.sum(Order.points), 0))
        .select_from(Order)
        .join(Employee, Employee.id == Order.employee_id)
        .where(*conditions)
    )
    number, points = session.execute(count).one()
    totals = OrderTotals(int(number or 0), int(points or 0))
    page = min(page, max((totals.count + limit - 1) // limit, 1))
    oldest_first = chosen.status in (OrderStatus.PENDING.value, OrderStatus.APPROVED.value)
    query = (
        select(Order, Employee.name, Item.title_zh, Item.title_en)
        .join(Employee, Employee.id == Order.employee_id)
        .join(Item, Item.id == Order.item_id)
        .where(*conditions)
        # The id breaks ties of equal times, so no order shows on two pages or on none.
        .order_by(
            *(
                (Order.placed_at.asc(), Order.id.asc())
                if oldest_first
                else (Order.placed_at.desc(), Order.id.desc())
            )
        )
        .offset((page - 1) * limit)
        .limit(limit)
    )
    rows = [
        _order_row(order, name, title_zh, title_en)
        for order, name, title_zh, title_en in session.execute(query)
    ]
    return rows, totals, page


def item_choices(session: Session) -> list[tuple[str, str, str]]:
    """Every item's id and titles (zh, en), for the order list's filter."""
    query = select(Item.id, Item.title_zh, Item.title_en).order_by(Item.id)
    return [(item_id, zh, en) for item_id, zh, en in session.execute(query)]


def _order_row(order: Order, name: str, title_zh: str, title_en: str) -> OrderRow:
    return OrderRow(
        id=order.id,
        voucher=voucher_code(order.id),
        employee_id=order.employee_id,
        employee_name=name,
        item_title_zh=title_zh,
        item_title_en=title_en,
        quantity=order.quantity,
        points=order.points,
        status=order.status,
        reason=order.reason,
        offline=order.offline,
        placed_at=order.placed_at,
        updated_at=order.updated_at,
    )


def order_id_prefix(code: str) -> str | None:
    """The start of the order ids a voucher code stands for (its first 60 bits), or None."""
    cleaned = re.sub(r"[\s-]", "", code.upper()).replace("O", "0").replace("I", "1")
    cleaned = cleaned.replace("L", "1")
    if len(cleaned) != 12 or any(ch not in _CROCKFORD for ch in cleaned):
        return None
    number = 0
    for ch in cleaned:
        number = number * 32 + _CROCKFORD.index(ch)
    hex_digits = f"{number:015x}"
    return f"{hex_digits[0:8]}-{hex_digits[8:12]}-{hex_digits[12:15]}"


def find_order(session: Session, scanned: str) -> str | None:
    """The order id for a typed voucher code, a scanned voucher QR or an order id."""
    text = scanned.strip()
    if text.upper().startswith(QR_PREFIX + "."):
        text = text[len(QR_PREFIX) + 1 :]
    try:
        order_id = str(uuid.UUID(text))
    except ValueError:
        prefix = order_id_prefix(text)
        if prefix is None:
            return None
        ids = session.scalars(select(Order.id).where(Order.id.like(prefix + "%")).limit(2)).all()
        return ids[0] if len(ids) == 1 else None
    return order_id if session.get(Order, order_id) is not None else None


def order_row(session: Session, order_id: str) -> OrderRow | None:
    found = session.execute(
        select(Order, Employee.name, Item.title_zh, Item.title_en)
        .join(Employee, Employee.id == Order.employee_id)
        .join(Item, Item.id == Order.item_id)
        .where(Order.id == order_id)
    ).first()
    return None if found is None else _order_row(*found)


def like_pattern(text: str, *, prefix: bool = False) -> str:
    """A LIKE pattern (escape character ``\\``) that finds ``text`` as typed: ``%`` and ``_``
    are letters in a name, not wildcards. With ``prefix``, only at the start."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%" if prefix else "%" + escaped + "%"


EMPLOYEE_STATES = ("active", "inactive")


def search_employees(
    session: Session,
    text: str = "",
    *,
    department: str = "",
    state: str = "",
    page: int = 1,
    limit: int = PAGE,
) -> tuple[list[dict[str, Any]], int, int]:
    """One page of employees by number, and how many match in all, and the page shown.

    ``text`` finds numbers starting with it and names or departments containing it;
    ``department`` keeps one department; ``state`` is ``active``, ``inactive`` or ``""``
    for both. A page past the last shows the last (a bookmarked page of a list that shrank).
    """
    conditions = []
    text = text.strip()
    if text:
        # ILIKE: "e100" finds E1001 and "lab" the Quality Lab on PostgreSQL as on SQLite
        # (whose LIKE ignores ASCII case anyway).
        conditions.append(
            or_(
                Employee.id.ilike(like_pattern(text, prefix=True), escape="\\"),
                Employee.name.ilike(like_pattern(text), escape="\\"),
                Employee.department.ilike(like_pattern(text), escape="\\"),
            )
        )
    if department:
        conditions.append(Employee.department == department)
    if state in EMPLOYEE_STATES:
        conditions.append(Employee.active == (state == "active"))
    # The same join as the page's, so the count and the rows agree.
    count = (
        select(func.count())
        .select_from(Employee)
        .join(Account, Account.employee_id == Employee.id)
        .where(*conditions)
    )
    total = int(session.scalar(count) or 0)
    page = min(page, max((total + limit - 1) // limit, 1))
    query = (
        select(Employee, Account.balance)
        .join(Account, Account.employee_id == Employee.id)
        .where(*conditions)
        .order_by(Employee.id)  # unique: no employee shows on two pages or on none
        .offset((page - 1) * limit)
        .limit(limit)
    )
    rows = [
        {
            "id": employee.id,
            "name": employee.name,
            "department": employee.department,
            "active": employee.active,
            "balance": balance,
        }
        for employee, balance in session.execute(query)
    ]
    return rows, total, page


def departments(session: Session) -> list[str]:
    """The departments employees belong to, for the filters."""
    return people.departments(session)


def badges_of(session: Session, employee_id: str) -> list[Badge]:
    return list(
        session.scalars(
            select(Badge).where(Badge.employee_id == employee_id).order_by(Badge.issued_at.desc())
        )
    )


def month_start(now: datetime, timezone: str) -> datetime:
    local = now.astimezone(ZoneInfo(timezone))
    return datetime(local.year, local.month, 1, tzinfo=local.tzinfo)


def dashboard(session: Session, now: datetime, timezone: str) -> dict[str, int]:
    """This month's points issued, redeemed and expired (site clock) and orders waiting."""
    start = month_start(now, timezone)

    def total(*kinds: str, to_wallet: bool | None = None) -> int:
        query = select(func.coalesce(func.sum(Transfer.amount), 0)).where(
            Transfer.kind.in_(kinds), Transfer.created_at >= start
        )
        if to_wallet is not None:
            in_wallet = Transfer.to_account.like("wallet:%")
            query = query.where(in_wallet if to_wallet else ~in_wallet)
        return int(session.scalar(query) or 0)

    waiting = session.scalar(
        select(func.count()).select_from(Order).where(Order.status == OrderStatus.PENDING.value)
    )
    return {
        "issued": total("earn") + total("adjust", to_wallet=True),
        "redeemed": total("redeem"),
        "expired": total("expire"),
        "waiting": int(waiting or 0),
    }
