"""Reading the action log (written by the use cases in :mod:`ledger.service`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from ledger.console.queries import like_pattern
from ledger.service.actors import ActorKind
from ledger.storage.models import Device, HrAction

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
