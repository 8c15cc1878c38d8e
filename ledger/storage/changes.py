"""The change sequence that kiosks sync by.

Writers never number their changes: every mirrored row they insert or update gets
``change_seq = NULL`` in the same transaction. A sequencer (:func:`assign_change_numbers`),
run one at a time, later gives committed unnumbered rows fresh numbers from the one-row
``change_counter``. Because only committed rows are numbered and sequencer runs are serial,
numbers become visible in increasing order: a kiosk that has seen number N never later finds
a row committed with a number below N. Orders take no global lock, so commits on PostgreSQL
still group their WAL flushes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, class_mapper, sessionmaker
from sqlalchemy.orm.attributes import flag_modified

from ledger.storage.models import MIRRORED_MODELS, ChangeCounter, Mirrored

# pg_advisory_xact_lock key for the sequencer ("PKSQ").
SEQUENCER_LOCK = 0x504B5351
BATCH = 5000


def _mark_changed(session: Session, _context: Any, _instances: Any) -> None:
    # ``session.new`` builds a new set on each access: read once (a flush may add thousands).
    for obj in session.new:
        if isinstance(obj, Mirrored):
            touch(obj)
    for obj in session.dirty:
        if isinstance(obj, Mirrored) and session.is_modified(obj):
            touch(obj)


def touch(obj: Mirrored) -> None:
    """Make ``obj`` sync again even if none of its own columns changed."""
    obj.change_seq = None
    # Force the UPDATE: the in-memory value may already be None while the row has a number.
    flag_modified(obj, "change_seq")


def install_change_marking(factory: sessionmaker[Session]) -> None:
    """Make every session from ``factory`` mark the mirrored rows it writes as unnumbered."""
    from sqlalchemy import event

    event.listen(factory, "before_flush", _mark_changed)


def has_unnumbered(session: Session) -> bool:
    """Cheap check (partial indexes) whether the sequencer has work."""
    for model in MIRRORED_MODELS:
        if session.scalar(select(1).where(model.change_seq.is_(None)).limit(1)):
            return True
    return False


def assign_change_numbers(session: Session) -> int:
    """Number committed unnumbered rows, in one write transaction; returns how many.

    Rows still locked by a writer are skipped (PostgreSQL ``SKIP LOCKED``) and numbered by a
    later run, so the sequencer never waits for or deadlocks with an order.
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEQUENCER_LOCK})
    pending: list[tuple[type[Mirrored], dict[str, Any]]] = []
    for model in MIRRORED_MODELS:
        keys = list(class_mapper(model).primary_key)
        query = select(*keys).where(model.change_seq.is_(None)).order_by(*keys).limit(BATCH)
        if postgres:
            query = query.with_for_update(skip_locked=True)
        pending += [(model, dict(row._mapping)) for row in session.execute(query)]
    if not pending:
        return 0
    top = session.execute(
        update(ChangeCounter)
        .where(ChangeCounter.id == 1)
        .values(value=ChangeCounter.value + len(pending))
        .returning(ChangeCounter.value)
    ).scalar_one()
    first = top - len(pending) + 1
    by_model: dict[type[Mirrored], list[dict[str, Any]]] = {}
    for offset, (model, key) in enumerate(pending):
        by_model.setdefault(model, []).append({**key, "change_seq": first + offset})
    for model, rows in by_model.items():
        session.execute(update(model), rows)
    return len(pending)


def current_change_seq(session: Session) -> int:
    """The highest change number given so far (as this session sees it)."""
    return session.get_one(ChangeCounter, 1).value
