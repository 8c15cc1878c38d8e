"""Use cases of import batches: preview a file into a stored batch, import it in chunks.

A preview reads the file, judges every row as the import will and keeps the upload in the
batch. The import runs the batch a chunk of rows per transaction (its events, refusals,
counters, action-log line and domain events together), so a run stopped mid-way leaves the
batch at its last chunk, and running the batch again goes on from there. Each kind's runner
is the service method ``run_<kind>_import(batch_id)``; :meth:`ImportCases.run_import` picks it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import partial

from sqlalchemy import select

from ledger.domain import batches, event_import
from ledger.domain.batches import BatchInfo, BatchTotals, Refusal
from ledger.domain.event_import import EventJudge, Outcome, Verdict, record_ready
from ledger.domain.settings import get_settings
from ledger.domain.table_file import Encoding, TableRow
from ledger.service.base import ServiceBase, Work
from ledger.service.events import EventType
from ledger.storage.import_batches import BatchKind, BatchStatus, ImportBatch, RefusalStage

# Rows per transaction of an import: short enough for other writers to get their turn.
CHUNK_ROWS = 1000


class StartResult(StrEnum):
    STARTED = "started"
    RUNNING = "running"  # another run is at it
    DONE = "done"  # imported already
    MISSING = "missing"


class BatchStopped(Exception):
    """Another run took the batch over (or it was finished) while this one was at it."""


@dataclass(frozen=True)
class ChunkCounts:
    rows: int
    accepted: int
    unchanged: int
    refused: int


class ImportCases(ServiceBase):
    # --- reading ----------------------------------------------------------------------------

    def import_batch(self, batch_id: int) -> BatchInfo | None:
        with self.db.read() as session:
            return batches.batch_info(session, batch_id)

    def import_batches(
        self, kind: str | None, offset: int, limit: int
    ) -> tuple[list[BatchInfo], BatchTotals]:
        with self.db.read() as session:
            return batches.list_batches(session, kind, offset, limit)

    def import_refusals(
        self, batch_id: int, stage: str, offset: int = 0, limit: int | None = None
    ) -> list[Refusal]:
        with self.db.read() as session:
            return batches.refusals(session, batch_id, stage, offset, limit)

    def import_reason_counts(self, batch_id: int, stage: str) -> dict[str, int]:
        with self.db.read() as session:
            return batches.reason_counts(session, batch_id, stage)

    def earlier_import(self, info: BatchInfo) -> int | None:
        """The batch that imported the same file before, if any."""
        with self.db.read() as session:
            return batches.earlier_import(session, info)

    # --- events -----------------------------------------------------------------------------

    def preview_events(
        self, data: bytes, file_name: str, encoding: Encoding = Encoding.AUTO
    ) -> int:
        """Read an events file, judge every row as the import will, keep it as a batch.

        Raises :class:`~ledger.domain.table_file.TableError` when the file cannot be read.
        Returns the batch's id.
        """
        table = event_import.read_events(data, encoding)
        now = self.clock()
        with self.db.read() as session:
            judge = EventJudge(now, get_settings(session).site_timezone, keep_usage=True)
            verdicts: list[Verdict] = []
            for part in _chunks(table.rows):
                judge.begin()
                verdicts.extend(judge.judge(session, part))
                judge.commit()
        counts = {outcome.value: 0 for outcome in Outcome}
        for verdict in verdicts:
            counts[verdict.outcome.value] += 1
        options = {
            "encoding": encoding.value,
            "columns": batches.column_pairs(table.headers, list(event_import.COLUMNS)),
            "preview": counts,
        }

        def run(work: Work) -> int:
            batch = batches.create_batch(
                work.session,
                kind=BatchKind.EVENTS,
                file_name=file_name,
                sha256=hashlib.sha256(data).hexdigest(),
                file_kind=table.kind,
                encoding=table.encoding,
                actor=self.actor.label,
                now=work.now,
                options=options,
                rows_total=len(table.rows),
                content=data,
            )
            batches.add_refusals(work.session, batch.id, RefusalStage.PREVIEW, _refused(verdicts))
            work.log(
                "import.preview",
                f"batch {batch.id}",
                after={"kind": BatchKind.EVENTS.value, "file": file_name, **counts},
            )
            return batch.id

        return self._run(run)

    def run_events_import(self, batch_id: int) -> None:
        """Import a started events batch from where it stands, a chunk per transaction."""
        with self.db.read() as session:
            info = batches.batch_info(session, batch_id)
            content = session.scalar(select(ImportBatch.content).where(ImportBatch.id == batch_id))
            site_timezone = get_settings(session).site_timezone
        if info is None or info.status != BatchStatus.RUNNING.value or content is None:
            return
        encoding = Encoding(info.options.get("encoding", Encoding.AUTO.value))
        rows = event_import.read_events(content, encoding).rows
        judge = EventJudge(self.clock(), site_timezone, keep_usage=False)
        judge.remember(rows[: info.rows_done])
        for start in range(info.rows_done, len(rows), CHUNK_ROWS):
            part = rows[start : start + CHUNK_ROWS]
            self._run(
                partial(_events_chunk, batch_id=batch_id, start=start, rows=part, judge=judge)
            )
            judge.commit()
        self._run(partial(_finish, batch_id=batch_id, total=len(rows)))

    def import_events_file(
        self, data: bytes, file_name: str, encoding: Encoding = Encoding.AUTO
    ) -> BatchInfo:
        """Preview, then import at once (the CLI): the batch as it ends."""
        batch_id = self.preview_events(data, file_name, encoding)
        self.start_import(batch_id)
        self.run_import(batch_id)
        info = self.import_batch(batch_id)
        assert info is not None
        return info

    # --- any kind ---------------------------------------------------------------------------

    def start_import(self, batch_id: int) -> StartResult:
        """Mark a previewed (or failed, or stalled) batch as running; a runner then imports it."""

        def run(work: Work) -> StartResult:
            batch = batches.lock_batch(work.session, batch_id)
            if batch is None:
                return StartResult.MISSING
            info = batches.batch_info(work.session, batch_id)
            assert info is not None
            if batch.status == BatchStatus.DONE.value or batch.content is None:
                return StartResult.DONE
            if batch.status == BatchStatus.RUNNING.value and not info.stalled(work.now):
                return StartResult.RUNNING
            batch.status = BatchStatus.RUNNING.value
            batch.progressed_at = work.now
            batch.error = ""
            work.log(
                "import.start",
                f"batch {batch_id}",
                after={"kind": batch.kind, "file": batch.file_name, "from_row": batch.rows_done},
            )
            return StartResult.STARTED

        return self._run(run)

    def run_import(self, batch_id: int) -> None:
        """Run a started batch with its kind's runner; a failure marks the batch failed."""
        info = self.import_batch(batch_id)
        if info is None:
            return
        runner = getattr(self, f"run_{info.kind}_import", None)
        try:
            if runner is None:
                raise LookupError(f"no importer for {info.kind!r}")
            runner(batch_id)
        except BatchStopped:
            return
        except Exception as exc:
            self._run(partial(_fail, batch_id=batch_id, error=f"{type(exc).__name__}: {exc}"))
            raise


def _chunks(rows: Sequence[TableRow]) -> list[Sequence[TableRow]]:
    return [rows[start : start + CHUNK_ROWS] for start in range(0, len(rows), CHUNK_ROWS)]


def _refused(verdicts: Sequence[Verdict]) -> list[Refusal]:
    return [
        Refusal(v.line, v.reason, v.detail, v.values)
        for v in verdicts
        if v.outcome is Outcome.REFUSED
    ]


def _events_chunk(
    work: Work, batch_id: int, start: int, rows: Sequence[TableRow], judge: EventJudge
) -> ChunkCounts:
    session = work.session
    batch = batches.lock_batch(session, batch_id)
    if batch is None or batch.status != BatchStatus.RUNNING.value or batch.rows_done != start:
        raise BatchStopped
    judge.begin()
    judge.now = work.now
    # The wallets first, as every earning does: the caps are then read under their locks.
    named = {row.values.get("employee_id", "") for row in rows}
    named = {e for e in named if event_import.EMPLOYEE_ID.match(e)}
    wallets = event_import.lock_wallets(session, named)
    employees = event_import.load_employees(session, named)
    verdicts = judge.judge(session, rows)
    earned = record_ready(session, verdicts, wallets, employees, work.now)
    for one in earned:
        work.announce(
            EventType.POINTS_EARNED,
            one.employee_id,
            {
                "employee_id": one.employee_id,
                "event_id": one.event_id,
                "rule_kind": one.rule_kind,
                "points": one.points,
                "transfer_id": one.transfer_id,
                "expires_at": one.expires_at.isoformat(),
            },
        )
    accepted = len(earned)
    unchanged = sum(v.outcome is Outcome.UNCHANGED for v in verdicts)
    refused = batches.add_refusals(session, batch_id, RefusalStage.IMPORT, _refused(verdicts))
    batch.rows_done += len(rows)
    batch.accepted += accepted
    batch.unchanged += unchanged
    batch.refused += refused
    batch.progressed_at = work.now
    counts = ChunkCounts(len(rows), accepted, unchanged, refused)
    work.log(
        "events.import",
        f"batch {batch_id}",
        after={
            "batch": batch_id,
            "rows": counts.rows,
            "accepted": accepted,
            "duplicates": unchanged,
            "refused": refused,
        },
    )
    return counts


def _finish(work: Work, batch_id: int, total: int) -> None:
    batch = batches.lock_batch(work.session, batch_id)
    if batch is None or batch.status != BatchStatus.RUNNING.value or batch.rows_done != total:
        raise BatchStopped
    batches.finish_batch(work.session, batch, work.now)
    work.log(
        "import.finish",
        f"batch {batch_id}",
        after={
            "kind": batch.kind,
            "rows": batch.rows_total,
            "accepted": batch.accepted,
            "unchanged": batch.unchanged,
            "refused": batch.refused,
            "deactivated": batch.deactivated,
        },
    )


def _fail(work: Work, batch_id: int, error: str) -> None:
    batch = batches.lock_batch(work.session, batch_id)
    if batch is None or batch.status != BatchStatus.RUNNING.value:
        return
    batch.status = BatchStatus.FAILED.value
    batch.error = error[:200]
    work.log("import.fail", f"batch {batch_id}", after={"error": batch.error})
