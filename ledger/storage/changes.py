"""The change sequence that kiosks sync by.

At commit, every mirrored row the transaction inserted or updated gets a fresh number from
the one-row ``change_counter``. The counter row stays locked until the commit ends, so
numbers become visible in increasing order: a kiosk that has seen number N will never later
find a row committed with a number below N. The lock is taken last, after all domain locks,
so it cannot deadlock with them and is held only for the stamping and the commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from ledger.storage.models import ChangeCounter, Mirrored

_TOUCHED = "touched_mirrored"
_STAMPING = "stamping"


def _collect(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(_STAMPING):
        return
    touched: dict[int, Mirrored] = session.info.setdefault(_TOUCHED, {})
    for obj in session.new:
        if isinstance(obj, Mirrored):
            touched[id(obj)] = obj
    for obj in session.dirty:
        if isinstance(obj, Mirrored) and session.is_modified(obj):
            touched[id(obj)] = obj


def _stamp(session: Session) -> None:
    session.flush()
    touched: dict[int, Mirrored] = session.info.pop(_TOUCHED, {})
    if not touched:
        return
    top = session.execute(
        update(ChangeCounter)
        .where(ChangeCounter.id == 1)
        .values(value=ChangeCounter.value + len(touched))
        .returning(ChangeCounter.value)
    ).scalar_one()
    by_class: dict[type, list[dict[str, Any]]] = {}
    for offset, obj in enumerate(touched.values()):
        mapper = type(obj).__mapper__  # type: ignore[attr-defined]
        keys = {col.key: getattr(obj, col.key) for col in mapper.primary_key}
        by_class.setdefault(type(obj), []).append(
            {**keys, "change_seq": top - len(touched) + 1 + offset}
        )
    session.info[_STAMPING] = True
    try:
        for cls, rows in by_class.items():
            session.execute(update(cls), rows)
    finally:
        session.info[_STAMPING] = False


def install_change_stamping(factory: sessionmaker[Session]) -> None:
    """Make every session from ``factory`` stamp its mirrored rows at commit."""
    from sqlalchemy import event

    event.listen(factory, "before_flush", _collect)
    event.listen(factory, "before_commit", _stamp)


def touch(session: Session, obj: Mirrored) -> None:
    """Give ``obj`` a new change number at commit even if none of its columns changed."""
    session.info.setdefault(_TOUCHED, {})[id(obj)] = obj


def current_change_seq(session: Session) -> int:
    """The highest change number committed so far (as this session sees it)."""
    return session.get_one(ChangeCounter, 1).value
