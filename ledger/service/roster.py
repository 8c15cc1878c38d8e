"""Use cases of the roster import: read a file into a plan, keep it as a batch, apply it.

The preview stores the upload in an ``import_batches`` row (kind ``roster``); the import
reads that stored file again and applies the plan it gives now, in one transaction, so what
is imported is the file that was previewed and the plan is the preview's own code. One
action-log line per batch, one ``employee.changed`` event per employee created or changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.domain import roster
from ledger.domain.errors import Conflict, LedgerError, NotFound
from ledger.domain.people import EmployeeSpec, spec_of
from ledger.domain.table_file import Encoding, Table, TableError, read_table
from ledger.service.base import ServiceBase, Work
from ledger.service.people import save_employee
from ledger.storage.import_batches import BatchKind, BatchStatus, ImportBatch, ImportRefusal
from ledger.storage.models import Employee
from sync.protocol import ErrorCode

FILE_NAME_LENGTH = 200


@dataclass(frozen=True)
class RosterReading:
    """A file read and compared with the employees: what an import would do."""

    table: Table
    plan: roster.RosterPlan


@dataclass(frozen=True)
class RosterPreview:
    batch_id: int
    reading: RosterReading


@dataclass(frozen=True)
class RosterResult:
    """What an import did (the batch's counts)."""

    batch_id: int
    file_name: str
    status: str
    rows: int
    accepted: int
    unchanged: int
    refused: int
    deactivated: int


def _current(session: Session) -> dict[str, EmployeeSpec]:
    return {e.id: spec_of(e) for e in session.scalars(select(Employee))}


def read_roster(data: bytes, encoding: Encoding = Encoding.AUTO) -> Table:
    """The file's rows under the roster's column names; :class:`TableError` if unreadable
    (``too_many_rows`` past :data:`roster.MAX_ROWS`)."""
    return read_table(
        data,
        roster.COLUMNS,
        encoding=encoding,
        optional=roster.OPTIONAL,
        max_rows=roster.MAX_ROWS,
    )


def _result(batch: ImportBatch) -> RosterResult:
    return RosterResult(
        batch.id, batch.file_name, batch.status, batch.rows_total, batch.accepted,
        batch.unchanged, batch.refused, batch.deactivated,
    )  # fmt: skip


class RosterCases(ServiceBase):
    def plan_roster(
        self, data: bytes, *, encoding: Encoding = Encoding.AUTO, deactivate_missing: bool = False
    ) -> RosterReading:
        """What importing ``data`` would do now; writes nothing. Raises :class:`TableError`."""
        table = read_roster(data, encoding)
        with self.db.read() as session:
            current = _current(session)
        plan = roster.plan(table.rows, current, deactivate_missing=deactivate_missing)
        return RosterReading(table, plan)

    def preview_roster(
        self,
        data: bytes,
        file_name: str,
        *,
        encoding: Encoding = Encoding.AUTO,
        deactivate_missing: bool = False,
    ) -> RosterPreview:
        """The plan, and the upload kept as a previewed batch for :meth:`import_roster`."""
        reading = self.plan_roster(data, encoding=encoding, deactivate_missing=deactivate_missing)
        counts = reading.plan.counts()

        def run(work: Work) -> int:
            batch = ImportBatch(
                kind=BatchKind.ROSTER.value,
                file_name=file_name[:FILE_NAME_LENGTH],
                file_sha256=hashlib.sha256(data).hexdigest(),
                file_kind=reading.table.kind,
                encoding=reading.table.encoding,
                actor=f"{work.actor.kind.value}:{work.actor.name}"[:120],
                created_at=work.now,
                status=BatchStatus.PREVIEWED.value,
                # The columns as the file named them: the batch pages and the refused rows'
                # CSV show them under HR's own headers.
                options=json.dumps(
                    {
                        "encoding": encoding.value,
                        "deactivate_missing": deactivate_missing,
                        "columns": [[n, h] for n, h in reading.table.headers.items()],
                    },
                    ensure_ascii=False,
                ),
                rows_total=counts["rows"],
                accepted=counts["new"] + counts["changed"],
                unchanged=counts["unchanged"],
                refused=counts["refused"],
                deactivated=counts["deactivated"],
                content=data,
            )
            work.session.add(batch)
            work.session.flush()
            return batch.id

        return RosterPreview(self._run(run), reading)

    def import_roster(self, batch_id: int) -> RosterResult:
        """Apply a previewed roster batch in one transaction; its counts and refused rows are
        kept with the batch. Importing a batch again answers what it did the first time."""

        def run(work: Work) -> RosterResult:
            batch = work.session.get(ImportBatch, batch_id, with_for_update=True)
            if batch is None or batch.kind != BatchKind.ROSTER.value:
                raise NotFound(ErrorCode.NOT_FOUND, f"no roster batch {batch_id}")
            if batch.status == BatchStatus.DONE.value:
                return _result(batch)  # a double click, a reload: imported once
            if batch.status != BatchStatus.PREVIEWED.value or batch.content is None:
                raise Conflict(ErrorCode.INVALID_TRANSITION, f"batch {batch_id} is {batch.status}")
            options = json.loads(batch.options or "{}")
            try:
                table = read_roster(batch.content, Encoding(options.get("encoding", "auto")))
            except TableError as exc:  # it was read at the preview: only a changed limit
                raise LedgerError(ErrorCode.INVALID_REQUEST, str(exc), status=422) from exc
            plan = roster.plan(
                table.rows,
                _current(work.session),
                deactivate_missing=bool(options.get("deactivate_missing")),
            )
            for change in (*plan.new, *plan.changed):
                save_employee(work, change.employee_id, change.after, log=False)
            for gone in plan.deactivate:
                employee = work.session.get_one(Employee, gone.employee_id)
                spec = spec_of(employee).model_copy(update={"active": False})
                save_employee(work, gone.employee_id, spec, log=False)
            for refusal in plan.refused:
                work.session.add(
                    ImportRefusal(
                        batch_id=batch.id,
                        line=refusal.line,
                        reason=refusal.reason.value,
                        detail=json.dumps(refusal.detail, ensure_ascii=False),
                        row_values=json.dumps(refusal.values, ensure_ascii=False),
                    )
                )
            counts = plan.counts()
            batch.status = BatchStatus.DONE.value
            batch.finished_at = work.now
            batch.rows_total = batch.rows_done = counts["rows"]
            batch.accepted = counts["new"] + counts["changed"]
            batch.unchanged = counts["unchanged"]
            batch.refused = counts["refused"]
            batch.deactivated = counts["deactivated"]
            batch.content = None  # the file was kept for this import only
            work.log(
                "roster.import",
                batch.file_name,
                after={"batch": batch.id, **counts, "kept_missing": plan.kept_missing},
            )
            return _result(batch)

        return self._run(run)

    def roster_batch(self, batch_id: int) -> tuple[RosterResult, list[ImportRefusal]]:
        """A roster batch's counts and its refused rows (in file order)."""
        with self.db.read() as session:
            batch = session.get(ImportBatch, batch_id)
            if batch is None or batch.kind != BatchKind.ROSTER.value:
                raise NotFound(ErrorCode.NOT_FOUND, f"no roster batch {batch_id}")
            refusals = list(
                session.scalars(
                    select(ImportRefusal)
                    .where(ImportRefusal.batch_id == batch_id)
                    .order_by(ImportRefusal.line)
                )
            )
            session.expunge_all()
            return _result(batch), refusals
