"""Reading the action log (written by the use cases in :mod:`ledger.service`): its lines, what
changed in each, and the names of what they acted on."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from ledger.console.queries import like_pattern
from ledger.service.actors import ActorKind
from ledger.storage.models import Device, Employee, HrAction, Item, Rule

ACTOR_KINDS = tuple(kind.value for kind in ActorKind)


@dataclass(frozen=True)
class LogFilter:
    """What the log is narrowed to; empty parts keep every line.

    ``actor`` is found in the user, token or job name, a kiosk's id or name, or, typed as
    ``kind:name`` (``token:payroll``), in the names of that kind of actor only. ``since``
    and ``until`` bound the time (``until`` excluded); ``target`` is found in the target.
    """

    action: str = ""
    actor: str = ""
    since: datetime | None = None
    until: datetime | None = None
    target: str = ""


def _conditions(chosen: LogFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if chosen.action:
        conditions.append(HrAction.action == chosen.action)
    actor = chosen.actor.strip()
    kind, _, name = actor.partition(":")
    if name and kind in ACTOR_KINDS:
        conditions.append(HrAction.actor_kind == kind)
        actor = name.strip()
    if actor:
        # ILIKE, so "Payroll" finds "payroll sync" on PostgreSQL as on SQLite.
        pattern = like_pattern(actor)
        # A kiosk's lines carry its id; people know it by the name it was enrolled with.
        named_kiosks = select(Device.id).where(Device.name.ilike(pattern, escape="\\"))
        conditions.append(
            or_(
                HrAction.user_name.ilike(pattern, escape="\\"),
                and_(
                    HrAction.actor_kind == ActorKind.DEVICE.value,
                    HrAction.user_name.in_(named_kiosks),
                ),
            )
        )
    if chosen.since is not None:
        conditions.append(HrAction.at >= chosen.since)
    if chosen.until is not None:
        conditions.append(HrAction.at < chosen.until)
    if chosen.target.strip():
        conditions.append(HrAction.target.ilike(like_pattern(chosen.target.strip()), escape="\\"))
    return conditions


def page(
    session: Session, chosen: LogFilter | None = None, page: int = 1, limit: int = 50
) -> tuple[list[HrAction], int, int]:
    """One page of the lines ``chosen`` keeps, newest first; how many there are in all; and
    the page shown (a page past the last shows the last)."""
    conditions = _conditions(chosen or LogFilter())
    total = int(session.scalar(select(func.count()).select_from(HrAction).where(*conditions)) or 0)
    page = min(page, max((total + limit - 1) // limit, 1))
    query = (
        select(HrAction)
        .where(*conditions)
        .order_by(HrAction.id.desc())
        .offset((page - 1) * limit)
        .limit(limit)
    )
    return list(session.scalars(query)), total, page


# The console's words for the fields the log records; a field without one shows its key.
FIELD_LABELS = {
    "name": "Name",
    "department": "Department",
    "language": "Language",
    "active": "Active",
    "has_pin": "PIN set",
    "status": "Status",
    "reason": "Reason",
    "points": "Points",
    "serial": "Serial",
    "kind": "Kind",
    "uid": "Card UID",
    "revoked": "Revoked",
    "role": "Role",
    "disabled": "Disabled",
    "title.zh": "Title (Chinese)",
    "title.en": "Title (English)",
    "description.zh": "Description (Chinese)",
    "description.en": "Description (English)",
    "category": "Category",
    "stock": "Stock",
    "limit_per_employee": "Limit per employee",
    "limit_period": "Limit period",
    "image_sha256": "Picture",
    "validity_days": "Valid for (days)",
    "cap_per_period": "Cap per period",
    "period": "Period",
    "orders_per_hour": "Orders per hour",
    "orders_per_day": "Orders per day",
    "points_per_hour": "Points per hour",
    "points_per_day": "Points per day",
}

# Fields whose values are the console's own words (order states, categories, periods).
TRANSLATED_VALUES = frozenset({"status", "category", "period", "limit_period"})

# Actions whose target is an employee's number, an item's id, a rule's kind, an order's id.
EMPLOYEE_ACTIONS = ("employee.", "badge.", "points.")
ITEM_ACTIONS = ("item.",)
RULE_ACTIONS = ("rule.",)
ORDER_ACTIONS = ("order.",)


@dataclass(frozen=True)
class Change:
    """One field of a logged record: ``changed`` (before and after), ``added`` or ``removed``
    (only one side has it), or ``set`` (the line records no earlier state at all)."""

    field: str  # the stored key; a nested one is dotted ("title.zh")
    state: str
    before: Any = None
    after: Any = None


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    """A record's fields with nested records' fields as dotted keys (a title's languages)."""
    if not isinstance(value, dict):
        return {prefix or "value": value}
    fields: dict[str, Any] = {}
    for key, inner in value.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(inner, dict) and inner:
            fields.update(_flat(inner, name))
        else:
            fields[name] = inner
    return fields


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def changes(before: str | None, after: str | None) -> list[Change]:
    """What a line's stored before and after JSON differ in, field by field; unchanged fields
    are left out. A line with only one side (a creation, an adjustment) lists that side."""
    old, new = _load(before), _load(after)
    if old is None and new is None:
        return []
    if old is None or new is None:
        record = _flat(new if old is None else old)
        state = "set" if old is None else "removed"
        return [
            Change(name, state, before=None if old is None else value, after=value)
            for name, value in record.items()
        ]
    old_fields, new_fields = _flat(old), _flat(new)
    found: list[Change] = []
    for name in [*old_fields, *(k for k in new_fields if k not in old_fields)]:
        if name not in new_fields:
            found.append(Change(name, "removed", before=old_fields[name]))
        elif name not in old_fields:
            found.append(Change(name, "added", after=new_fields[name]))
        elif old_fields[name] != new_fields[name]:
            found.append(Change(name, "changed", old_fields[name], new_fields[name]))
    return found


@dataclass(frozen=True)
class Names:
    """What the targets of a page of log lines are called: employees' names, and items' and
    rules' titles as ``(zh, en)``."""

    employees: dict[str, str]
    items: dict[str, tuple[str, str]]
    rules: dict[str, tuple[str, str]]


def _targets(rows: Iterable[HrAction], prefixes: tuple[str, ...]) -> set[str]:
    return {row.target for row in rows if row.action.startswith(prefixes)}


def names_of(session: Session, rows: list[HrAction]) -> Names:
    """The names of what a page of lines acted on, one query per kind of target (not per
    line); a target that no longer exists is absent."""
    employees: dict[str, str] = {}
    items: dict[str, tuple[str, str]] = {}
    rules: dict[str, tuple[str, str]] = {}
    if wanted := _targets(rows, EMPLOYEE_ACTIONS):
        query = select(Employee.id, Employee.name).where(Employee.id.in_(wanted))
        employees = {id_: name for id_, name in session.execute(query)}
    if wanted := _targets(rows, ITEM_ACTIONS):
        query_item = select(Item.id, Item.title_zh, Item.title_en).where(Item.id.in_(wanted))
        items = {id_: (zh, en) for id_, zh, en in session.execute(query_item)}
    if wanted := _targets(rows, RULE_ACTIONS):
        query_rule = select(Rule.kind, Rule.title_zh, Rule.title_en).where(Rule.kind.in_(wanted))
        rules = {kind: (zh, en) for kind, zh, en in session.execute(query_rule)}
    return Names(employees, items, rules)
