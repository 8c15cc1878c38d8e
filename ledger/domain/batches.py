"""Import batches as the console and the CLI read them, and the writes every importer shares.

A batch is one file HR imported (events or the roster): who, when, which file, its counts
and its refused rows (reason code, the reason's values, the row as read). The tables are in
:mod:`ledger.storage.import_batches`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from ledger.storage.import_batches import (
    BatchKind,
    BatchStatus,
    ImportBatch,
    ImportRefusal,
    RefusalStage,
)

# A running batch that committed nothing for this long has stopped (its server went down)
# and may be started again; it goes on from the rows it had done.
STALLED_AFTER = timedelta(minutes=2)
# The columns of ImportBatch a page shows (the kept upload is never loaded with them).
_SHOWN = [c for c in ImportBatch.__table__.columns if c.name != "content"]


@dataclass(frozen=True)
class BatchInfo:
    """A batch without its upload; ``options`` parsed (``columns``: [name, header] pairs
    in file order, ``encoding``: as chosen, ``preview``: the preview's counts)."""

    id: int
    kind: str
    file_name: str
    file_sha256: str
    file_kind: str
    encoding: str
    actor: str
    created_at: datetime
    finished_at: datetime | None
    progressed_at: datetime | None
    status: str
    options: dict[str, Any]
    rows_total: int
    rows_done: int
    accepted: int
    unchanged: int
    refused: int
    deactivated: int
    error: str

    @property
    def columns(self) -> list[tuple[str, str]]:
        return [(name, header) for name, header in self.options.get("columns", [])]

    @property
    def preview(self) -> dict[str, Any]:
        found = self.options.get("preview", {})
        return found if isinstance(found, dict) else {}

    @property
    def stage(self) -> str:
        """Whose refusals the batch shows: the preview's until it is started."""
        if self.status == BatchStatus.PREVIEWED.value:
            return RefusalStage.PREVIEW.value
        return RefusalStage.IMPORT.value

    @property
    def actor_name(self) -> str:
        kind, _, name = self.actor.partition(":")
        return name if kind == "user" and name else self.actor

    def stalled(self, now: datetime) -> bool:
        """Running, but silent for so long that its runner must have stopped."""
        last = self.progressed_at or self.created_at
        return self.status == BatchStatus.RUNNING.value and now - last > STALLED_AFTER


@dataclass(frozen=True)
class Refusal:
    """A refused row: its line, the reason's code and values, the row as read."""

    line: int
    reason: str
    detail: dict[str, Any]
    values: dict[str, str]


def _info(row: Any) -> BatchInfo:
    values = dict(row._mapping)
    try:
        options = json.loads(values.pop("options") or "{}")
    except ValueError:
        options = {}
    return BatchInfo(options=options if isinstance(options, dict) else {}, **values)


def batch_info(session: Session, batch_id: int) -> BatchInfo | None:
    row = session.execute(select(*_SHOWN).where(ImportBatch.id == batch_id)).first()
    return _info(row) if row is not None else None


@dataclass(frozen=True)
class BatchTotals:
    batches: int
    rows: int
    accepted: int
    unchanged: int
    refused: int


def list_batches(
    session: Session, kind: str | None, offset: int, limit: int
) -> tuple[list[BatchInfo], BatchTotals]:
    """Batches newest first, and the totals over every batch of ``kind`` (all when None)."""
    where = [ImportBatch.kind == kind] if kind else []
    totals = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(ImportBatch.rows_total), 0),
            func.coalesce(func.sum(ImportBatch.accepted), 0),
            func.coalesce(func.sum(ImportBatch.unchanged), 0),
            func.coalesce(func.sum(ImportBatch.refused), 0),
        ).where(*where)
    ).one()
    rows = session.execute(
        select(*_SHOWN).where(*where).order_by(ImportBatch.id.desc()).offset(offset).limit(limit)
    )
    return [_info(r) for r in rows], BatchTotals(*(int(v) for v in totals))


def refusals(
    session: Session, batch_id: int, stage: str, offset: int = 0, limit: int | None = None
) -> list[Refusal]:
    """A batch's refused rows of ``stage`` in file order."""
    query = (
        select(
            ImportRefusal.line,
            ImportRefusal.reason,
            ImportRefusal.detail,
            ImportRefusal.row_values,
        )
        .where(ImportRefusal.batch_id == batch_id, ImportRefusal.stage == stage)
        .order_by(ImportRefusal.line, ImportRefusal.id)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        Refusal(line, reason, json.loads(detail or "{}"), json.loads(values or "{}"))
        for line, reason, detail, values in session.execute(query)
    ]


def reason_counts(session: Session, batch_id: int, stage: str) -> dict[str, int]:
    """How many rows of ``stage`` each reason refused, most first."""
    rows = session.execute(
        select(ImportRefusal.reason, func.count())
        .where(ImportRefusal.batch_id == batch_id, ImportRefusal.stage == stage)
        .group_by(ImportRefusal.reason)
    )
    return dict(sorted(((r, int(n)) for r, n in rows), key=lambda item: (-item[1], item[0])))


def earlier_import(session: Session, info: BatchInfo) -> int | None:
    """The batch that imported this very file before, if one did."""
    found = session.scalar(
        select(func.min(ImportBatch.id)).where(
            ImportBatch.kind == info.kind,
            ImportBatch.file_sha256 == info.file_sha256,
            ImportBatch.status == BatchStatus.DONE.value,
            ImportBatch.id != info.id,
        )
    )
    return int(found) if found is not None else None


def create_batch(
    session: Session,
    *,
    kind: BatchKind,
    file_name: str,
    sha256: str,
    file_kind: str,
    encoding: str,
    actor: str,
    now: datetime,
    options: dict[str, Any],
    rows_total: int,
    content: bytes,
) -> ImportBatch:
    """A previewed batch holding its upload until it is imported."""
    batch = ImportBatch(
        kind=kind.value,
        file_name=file_name[:200],
        file_sha256=sha256,
        file_kind=file_kind[:8],
        encoding=encoding[:16],
        actor=actor[:120],
        created_at=now,
        status=BatchStatus.PREVIEWED.value,
        options=json.dumps(options, ensure_ascii=False),
        rows_total=rows_total,
        rows_done=0,
        accepted=0,
        unchanged=0,
        refused=0,
        deactivated=0,
        error="",
        content=content,
    )
    session.add(batch)
    session.flush()
    return batch


def add_refusals(
    session: Session, batch_id: int, stage: RefusalStage, rows: Iterable[Refusal]
) -> int:
    """Keep refused rows (many at once); returns how many."""
    values = [
        {
            "batch_id": batch_id,
            "stage": stage.value,
            "line": row.line,
            "reason": row.reason[:40],
            "detail": json.dumps(row.detail, ensure_ascii=False, default=str),
            "row_values": json.dumps(row.values, ensure_ascii=False),
        }
        for row in rows
    ]
    for start in range(0, len(values), 1000):
        session.execute(insert(ImportRefusal), values[start : start + 1000])
    return len(values)


def finish_batch(session: Session, batch: ImportBatch, now: datetime) -> None:
    """A batch all of whose rows are done: its upload and the preview's refusals dropped."""
    batch.status = BatchStatus.DONE.value
    batch.finished_at = now
    batch.progressed_at = now
    batch.content = None
    session.execute(
        delete(ImportRefusal).where(
            ImportRefusal.batch_id == batch.id,
            ImportRefusal.stage == RefusalStage.PREVIEW.value,
        )
    )


def lock_batch(session: Session, batch_id: int) -> ImportBatch | None:
    """The batch row, locked (PostgreSQL; SQLite writes are serial already)."""
    query = select(ImportBatch).where(ImportBatch.id == batch_id).with_for_update()
    return session.scalar(query.execution_options(populate_existing=True))


def column_pairs(headers: dict[str, str], names: Sequence[str]) -> list[list[str]]:
    """[name, header as in the file] for each of ``names`` the file had."""
    return [[name, headers.get(name, name)] for name in names]
